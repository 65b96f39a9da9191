"""Health data encrypted at rest: diagnoses, clinical notes, treatment details, restriction reasons and
wellness free text are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256), so a copy of the
database, a backup or a stray `SELECT` shows no health data.

The keys come from `HOCKEY_HUB_HEALTH_DATA_KEYS` (newest first). `MultiFernet` encrypts with the newest
and decrypts with any, so a new key is rolled out by putting it first, then `reencrypt_all` moves every
stored value to it, after which the old key can be dropped.

Columns typed `EncryptedText` hold the tokens; models and services see plain text. The cipher is one per
process (columns cannot reach a request's settings): `configure` sets it when the medical app is built.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Column, Table, Text, select, type_coerce, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator

from shared.settings import Mode, Settings, get_settings

# DEVELOPMENT ONLY. Derived from a published phrase, so anyone can decrypt what it encrypted: it exists
# so that `hockey-hub up` and the tests run without setup. Production mode refuses to start without keys.
DEVELOPMENT_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"hockey-hub development health-data key").digest())

# Every Fernet token starts with its version byte 0x80, which is "gAAAAA" in URL-safe base64.
_TOKEN_PREFIX = "gAAAAA"


class HealthDataKeyError(ValueError):
    """The configured keys are missing (in production) or not Fernet keys."""


def parse_keys(settings: Settings) -> list[bytes]:
    """The keys of `HOCKEY_HUB_HEALTH_DATA_KEYS`, newest first, each checked to be a Fernet key."""
    if settings.health_data_keys is None:
        if settings.mode is Mode.PRODUCTION:
            raise HealthDataKeyError(
                "production mode encrypts health data with configured keys: set HOCKEY_HUB_HEALTH_DATA_KEYS "
                "(make one with `hockey-hub keys health-data-key`)"
            )
        return [DEVELOPMENT_KEY]
    keys = [part.strip().encode("ascii") for part in settings.health_data_keys.get_secret_value().split(",")]
    keys = [key for key in keys if key]
    if not keys:
        raise HealthDataKeyError("HOCKEY_HUB_HEALTH_DATA_KEYS names no key")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as error:
            raise HealthDataKeyError(
                f"key {position} of HOCKEY_HUB_HEALTH_DATA_KEYS is not a Fernet key (32 url-safe base64 bytes)"
            ) from error
    return keys


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


class HealthDataCipher:
    """Encrypts with the first key, decrypts with any."""

    def __init__(self, keys: Sequence[bytes]):
        self.keys = tuple(keys)
        self._fernet = MultiFernet([Fernet(key) for key in self.keys])

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        if not is_token(stored):
            # Written before encryption existed (migration 0003); `reencrypt_all` encrypts these.
            return stored
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise HealthDataKeyError(
                "health data was encrypted with a key that HOCKEY_HUB_HEALTH_DATA_KEYS no longer holds"
            ) from error

    def rotate(self, stored: str) -> str:
        """The value under the newest key (plaintext left from before encryption gets encrypted)."""
        if not is_token(stored):
            return self.encrypt(stored)
        try:
            return self._fernet.rotate(stored.encode("ascii")).decode("ascii")
        except InvalidToken as error:
            raise HealthDataKeyError("a stored value was encrypted with a key no longer configured") from error


def is_token(stored: str) -> bool:
    return stored.startswith(_TOKEN_PREFIX)


_cipher: HealthDataCipher | None = None


def configure(settings: Settings) -> HealthDataCipher:
    """Use these settings' keys from now on in this process (the medical app calls it when built)."""
    global _cipher
    _cipher = HealthDataCipher(parse_keys(settings))
    return _cipher


def cipher() -> HealthDataCipher:
    return _cipher if _cipher is not None else configure(get_settings())


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token; reads decrypt. Not comparable in SQL: never filter on it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher().encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else cipher().decrypt(str(value))


def encrypted_columns(tables: Sequence[Table]) -> list[tuple[Table, Column[Any]]]:
    return [(table, column) for table in tables for column in table.columns if isinstance(column.type, EncryptedText)]


async def reencrypt_all(session: AsyncSession, tables: Sequence[Table], *, batch: int = 500) -> dict[str, int]:
    """Every encrypted value of these tables rewritten under the newest key, in batches, with row locks so
    a concurrent edit is not overwritten. Returns the number of values rewritten per `table.column`."""
    current = cipher()
    counts: dict[str, int] = {}
    for table, column in encrypted_columns(tables):
        (key,) = table.primary_key.columns
        raw = type_coerce(column, Text)  # the stored token, not decrypted
        rewritten, last = 0, None
        while True:
            statement = select(key, raw.label("stored")).where(column.is_not(None)).order_by(key).limit(batch)
            if last is not None:
                statement = statement.where(key > last)
            rows = (await session.execute(statement.with_for_update(of=table))).all()
            if not rows:
                break
            for row in rows:
                values: dict[str, Any] = {column.name: type_coerce(current.rotate(row.stored), Text)}
                if "updated_at" in table.c:
                    values["updated_at"] = table.c.updated_at  # a new key is not a change of the record
                await session.execute(update(table).where(key == row[0]).values(values))
            rewritten += len(rows)
            last = rows[-1][0]
        counts[f"{table.name}.{column.name}"] = rewritten
    return counts
