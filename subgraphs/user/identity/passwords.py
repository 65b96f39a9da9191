"""Passwords: argon2id hashing and the policy a new password must meet.

Hashing uses RFC 9106's second recommended option (argon2id, t=3, 64 MiB, p=4: argon2-cffi's defaults),
about 0.2 s per hash on a 2-core machine. It runs on a small thread pool of its own (argon2-cffi releases
the GIL), so sign-ins never stall the event loop and a flood of them queues there instead of taking
64 MiB per concurrent attempt. Passwords are NFKC-normalised first (NIST SP 800-63B), so the same
password typed on two keyboards that encode "é" differently is the same password.
"""

from __future__ import annotations

import asyncio
import os
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from shared.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 128

HASHER = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
_POOL = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)), thread_name_prefix="argon2")

T = TypeVar("T")

_COMMON = frozenset(
    {
        "0123456789",
        "0987654321",
        "1111111111",
        "1234567890",
        "12345678910",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "abcdefghij",
        "abc1234567",
        "administrator",
        "asdfghjkl1",
        "q1w2e3r4t5",
        "qwertyuiop",
        "qwerty12345",
        "zaq12wsxcde",
        "zxcvbnm123",
    }
)
"""Frequent passwords of allowed length whose letters alone would not give them away."""

_WEAK_WORDS = frozenset(
    {
        "",
        "abc",
        "admin",
        "baseball",
        "changeme",
        "dragon",
        "football",
        "hockey",
        "hockeyhub",
        "hockeyhockey",
        "iloveyou",
        "letmein",
        "monkey",
        "passw",
        "passwrd",
        "psswrd",
        "password",
        "passwordpassword",
        "princess",
        "qwerty",
        "qwertyqwerty",
        "soccer",
        "starwars",
        "sunshine",
        "superman",
        "trustno",
        "welcome",
        "whatever",
    }
)
"""Words that stay guessable with digits and symbols around them: password123!, hockey2024, passw0rd..."""


def normalize(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


async def _run(function: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(_POOL, function, *args)


async def hash_password(password: str) -> str:
    return await _run(HASHER.hash, normalize(password))


_dummy: str | None = None


async def _dummy_hash() -> str:
    """A hash nobody's password matches, with the current parameters: verifying against it costs what
    verifying a real one costs, so an unknown email answers as slowly as a known one."""
    global _dummy
    if _dummy is None:
        _dummy = await hash_password(os.urandom(32).hex())
    return _dummy


async def verify_password(encoded: str | None, password: str) -> bool:
    """Whether `password` matches the hash; with no hash (no account, no password yet, inactive account)
    the same work is done and the answer is False."""
    target = encoded if encoded is not None else await _dummy_hash()
    if len(password) > MAX_LENGTH * 4:
        # Never hash megabytes on a stranger's behalf; no password of ours is that long.
        return False
    try:
        matched = await _run(HASHER.verify, target, normalize(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matched and encoded is not None


def needs_rehash(encoded: str) -> bool:
    """True when the hash was made with other parameters than today's: it is redone at the next sign-in."""
    try:
        return HASHER.check_needs_rehash(encoded)
    except InvalidHashError:
        return True


def check_policy(password: str, *, email: str, field: str) -> str:
    """The normalised password if it may be used; otherwise BAD_USER_INPUT naming `field`."""
    normalized = normalize(password)
    if len(normalized) < MIN_LENGTH:
        raise InvalidInput(f"a password has at least {MIN_LENGTH} characters", field=field)
    if len(normalized) > MAX_LENGTH:
        raise InvalidInput(f"a password has at most {MAX_LENGTH} characters", field=field)
    folded = normalized.casefold()
    if len(set(folded)) < 4:
        raise InvalidInput("a password needs more than a few different characters", field=field)
    address = email.strip().casefold()
    local = address.partition("@")[0]
    if address in folded or (len(local) >= 4 and local in folded):
        raise InvalidInput("a password must not contain your email address", field=field)
    letters = "".join(character for character in folded if character.isalpha())
    if folded in _COMMON or letters in _WEAK_WORDS:
        raise InvalidInput("that password is among the first an attacker would try", field=field)
    return normalized
