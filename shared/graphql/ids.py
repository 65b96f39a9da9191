"""Identifiers and cursors as clients see them."""

from __future__ import annotations

import base64
import uuid

import orjson
import strawberry

from shared.errors import InvalidInput


def parse_id(value: strawberry.ID | str, *, field: str = "id") -> uuid.UUID:
    """A client-given ID as a UUID; anything else is BAD_USER_INPUT naming the field."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise InvalidInput(f"{field} is not a valid id: {str(value)[:64]!r}", field=field) from None


def parse_ids(values: list[strawberry.ID] | list[str], *, field: str) -> list[uuid.UUID]:
    return [parse_id(value, field=field) for value in values]


def to_id(value: uuid.UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


def encode_cursor(*values: object) -> str:
    """An opaque keyset cursor over the given sort values."""
    return base64.urlsafe_b64encode(orjson.dumps(values, default=str)).decode().rstrip("=")


def decode_cursor(cursor: str, *, field: str = "after") -> list[object]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        raise InvalidInput(f"{field} is not a cursor this API issued", field=field) from None
    if not isinstance(values, list):
        raise InvalidInput(f"{field} is not a cursor this API issued", field=field)
    return values
