"""RS256 keys: a keyring whose newest key signs and whose every key verifies, so keys rotate without
logging anyone out.

Where the keys come from:
- a keys folder (`HOCKEY_HUB_JWT_KEYS_DIR`; in development mode `data_dir/keys`, made with one key on
  first use): one private key per `signing-<UTC time>.pem` file. The newest signs; the older ones are
  still published and accepted until `hockey-hub keys rotate` retires them.
- or PEMs in the environment (`HOCKEY_HUB_JWT_PRIVATE_KEY`, `HOCKEY_HUB_JWT_PUBLIC_KEY`, each the PEM
  text or a file's path): one key; a service given only the public key verifies and never signs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from shared.settings import Mode, Settings

KEY_FILE_PREFIX = "signing-"
KEPT_KEYS = 3
"""The signing key and the two before it: a token lives 15 minutes, so rotating at most every few
minutes never refuses a token that was valid when issued."""


@dataclass(frozen=True, slots=True)
class KeyPair:
    private_pem: str | None
    public_pem: str


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private_key: RSAPrivateKey


@dataclass(frozen=True, slots=True)
class Keyring:
    """The keys one process knows: maybe one that signs, and every one it accepts (by `kid`)."""

    public_keys: Mapping[str, RSAPublicKey]
    signing: SigningKey | None = None
    version: int = 0
    """Counts the reloads of a keys folder, so verifiers notice a changed set of keys."""

    @classmethod
    def from_pems(cls, public_pem: str, private_pem: str | None = None) -> Keyring:
        public = _public_key(public_pem)
        kid = key_id_of(public)
        signing = SigningKey(kid, _private_key(private_pem)) if private_pem else None
        if signing is not None and key_id_of(signing.private_key.public_key()) != kid:
            raise ValueError("the private key is not the private half of the public key")
        return cls({kid: public}, signing)

    def current(self) -> Keyring:
        """A fixed keyring is its own source (see `KeyringSource`)."""
        return self

    def jwks(self) -> dict[str, Any]:
        """The JSON Web Key Set (RFC 7517) of the accepted keys, the signing key first."""
        ordered = sorted(self.public_keys.items(), key=lambda item: item[0] != (self.signing and self.signing.kid))
        return {"keys": [public_jwk(kid, key) for kid, key in ordered]}


def _b64(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def key_id_of(key: RSAPublicKey) -> str:
    """RFC 7638 thumbprint: stable, so every service agrees on a key's `kid` without being told."""
    numbers = key.public_numbers()
    canonical = json.dumps({"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def key_id(public_pem: str) -> str:
    return key_id_of(_public_key(public_pem))


def public_jwk(kid: str, key: RSAPublicKey) -> dict[str, str]:
    numbers = key.public_numbers()
    return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": _b64(numbers.n), "e": _b64(numbers.e)}


def public_key_from_jwk(jwk: Mapping[str, Any]) -> RSAPublicKey:
    def number(name: str) -> int:
        text = str(jwk[name])
        return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")

    return rsa.RSAPublicNumbers(e=number("e"), n=number("n")).public_key()


def _public_key(pem: str) -> RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, RSAPublicKey):
        raise ValueError("JWT keys must be RSA keys")
    return key


def _private_key(pem: str) -> RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("JWT keys must be RSA keys")
    return key


def _read_pem(value: str) -> str:
    """A PEM given inline or as the path of a PEM file."""
    if value.lstrip().startswith("-----BEGIN"):
        return value
    return Path(value).read_text()


def generate_key_pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(private_pem=private_pem, public_pem=public_pem)


def keys_folder(settings: Settings) -> Path | None:
    """The keys folder in use: configured, or the development one; None when keys come as PEMs."""
    if settings.jwt_keys_dir is not None:
        return settings.jwt_keys_dir
    if settings.jwt_public_key or settings.mode is Mode.PRODUCTION:
        return None
    return settings.data_dir / "keys"


def load_keyring(settings: Settings) -> Keyring:
    folder = keys_folder(settings)
    if folder is None:
        if not settings.jwt_public_key:
            raise RuntimeError(
                "production mode needs JWT keys: HOCKEY_HUB_JWT_KEYS_DIR, or HOCKEY_HUB_JWT_PUBLIC_KEY "
                "(and HOCKEY_HUB_JWT_PRIVATE_KEY where tokens are signed), or HOCKEY_HUB_JWKS_URL"
            )
        private = settings.jwt_private_key.get_secret_value() if settings.jwt_private_key else None
        try:
            return Keyring.from_pems(_read_pem(settings.jwt_public_key), _read_pem(private) if private else None)
        except ValueError as error:
            raise RuntimeError(f"HOCKEY_HUB_JWT_PRIVATE_KEY / HOCKEY_HUB_JWT_PUBLIC_KEY: {error}") from error
    if settings.jwt_keys_dir is None and not _key_files(folder):
        rotate_keys(folder)  # development: the first start makes a key
    return read_keys_folder(folder)


def _key_files(folder: Path) -> list[Path]:
    """Newest first: the UTC time in the names sorts them."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{KEY_FILE_PREFIX}*.pem"), reverse=True)


def read_keys_folder(folder: Path) -> Keyring:
    files = _key_files(folder)
    if not files:
        raise RuntimeError(f"no signing keys in {folder}: run `hockey-hub keys rotate --dir {folder}`")
    public: dict[str, RSAPublicKey] = {}
    signing: SigningKey | None = None
    for path in files:
        private = _private_key(path.read_text())
        kid = key_id_of(private.public_key())
        public[kid] = private.public_key()
        if signing is None:
            signing = SigningKey(kid, private)
    return Keyring(public, signing)


def rotate_keys(folder: Path, *, keep: int = KEPT_KEYS) -> str:
    """Adds a new signing key to the folder and retires all but the `keep` newest; returns its `kid`."""
    folder.mkdir(parents=True, exist_ok=True)
    pair = generate_key_pair()
    assert pair.private_pem is not None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{KEY_FILE_PREFIX}{stamp}.pem"
    # Written under a temporary name then renamed, so a process reading the folder never sees half a key.
    temporary = folder / f".{target.name}.{os.getpid()}.tmp"
    temporary.write_text(pair.private_pem)
    temporary.chmod(0o600)
    temporary.replace(target)
    for retired in _key_files(folder)[keep:]:
        retired.unlink(missing_ok=True)
    return key_id(pair.public_pem)


class KeyringSource(Protocol):
    def current(self) -> Keyring: ...


class KeyringFile:
    """A keyring that follows its folder: `hockey-hub keys rotate` reaches a running service within a
    second, without a restart. Keys from the environment never change."""

    def __init__(self, settings: Settings, *, check_seconds: float = 1.0):
        self._settings = settings
        self._folder = keys_folder(settings)
        self._check_seconds = check_seconds
        self._keyring = load_keyring(settings)
        self._stamp = self._folder_stamp()
        self._checked = time.monotonic()

    def _folder_stamp(self) -> tuple[str, ...]:
        return tuple(path.name for path in _key_files(self._folder)) if self._folder else ()

    def current(self) -> Keyring:
        if self._folder is not None and time.monotonic() - self._checked >= self._check_seconds:
            self._checked = time.monotonic()
            stamp = self._folder_stamp()
            if stamp != self._stamp and stamp:
                reloaded = read_keys_folder(self._folder)
                self._keyring = Keyring(reloaded.public_keys, reloaded.signing, self._keyring.version + 1)
                self._stamp = stamp
        return self._keyring
