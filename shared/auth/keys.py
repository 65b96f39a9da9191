"""RS256 keys: read from configuration, or made once per data directory in development mode."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.settings import Mode, Settings


@dataclass(frozen=True, slots=True)
class KeyPair:
    private_pem: str | None
    public_pem: str


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


def load_key_pair(settings: Settings) -> KeyPair:
    """The configured keys; in development mode a pair under data_dir/keys is made on first use."""
    if settings.jwt_public_key:
        private = settings.jwt_private_key.get_secret_value() if settings.jwt_private_key else None
        return KeyPair(
            private_pem=_read_pem(private) if private else None,
            public_pem=_read_pem(settings.jwt_public_key),
        )
    if settings.mode is Mode.PRODUCTION:
        raise RuntimeError("production mode needs HOCKEY_HUB_JWT_PUBLIC_KEY (PEM text or a file path)")
    folder = settings.data_dir / "keys"
    private_file, public_file = folder / "jwt-private.pem", folder / "jwt-public.pem"
    if not public_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        pair = generate_key_pair()
        # Written to temporary names then renamed, so concurrent starts never read half a key.
        for target, content in ((private_file, pair.private_pem), (public_file, pair.public_pem)):
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(content or "")
            temporary.chmod(0o600)
            temporary.replace(target)
    return KeyPair(private_pem=private_file.read_text(), public_pem=public_file.read_text())
