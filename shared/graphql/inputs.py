"""Input objects as the service layer takes them: plain values, only what the client sent."""

from __future__ import annotations

import dataclasses
from typing import Any

from strawberry import UNSET


def provided(value: object) -> dict[str, Any]:
    """The fields of a Strawberry input the client set (explicit nulls included), by Python name."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"expected a Strawberry input object, got {type(value).__name__}")
    return {
        field.name: getattr(value, field.name)
        for field in dataclasses.fields(value)
        if getattr(value, field.name) is not UNSET
    }
