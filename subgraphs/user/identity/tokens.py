"""Opaque tokens: refresh tokens, invitation links and password-reset links.

256 random bits each, URL-safe, with a prefix naming the kind so that a token pasted where it does not
belong (a log, a ticket, a repository) is recognisable and secret scanners can find it. Only the
SHA-256 digest is stored: the tokens carry full entropy, so a slow hash would add nothing, and a lookup
by digest compares no secret byte by byte.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

TOKEN_BYTES = 32


class TokenKind(StrEnum):
    REFRESH = "hhr_"
    INVITATION = "hhi_"
    PASSWORD_RESET = "hhp_"


_ENCODED_LENGTH = len(secrets.token_urlsafe(TOKEN_BYTES))


def new_token(kind: TokenKind) -> str:
    return kind.value + secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def digest_of(token: str, kind: TokenKind) -> bytes | None:
    """The stored digest of a token of this kind, or None when the text cannot be one (saves a lookup)."""
    if not token.startswith(kind.value) or len(token) != len(kind.value) + _ENCODED_LENGTH:
        return None
    return digest(token)


def email_digest(email: str) -> bytes:
    """The key of an email's failed sign-ins: the address typed is not kept, only its digest."""
    return hashlib.sha256(b"login:" + email.strip().lower().encode()).digest()
