"""The event envelope every producer writes and every consumer reads (DESIGN.md, Events)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    """Also the routing key, e.g. `injury.created`."""
    producer: str
    data: Mapping[str, Any]
    organization_id: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "id": str(self.id),
                "type": self.type,
                "occurred_at": self.occurred_at.isoformat(),
                "producer": self.producer,
                "organization_id": str(self.organization_id) if self.organization_id else None,
                "data": self.data,
            }
        )

    @classmethod
    def from_json(cls, body: bytes) -> Event:
        raw = orjson.loads(body)
        return cls(
            id=uuid.UUID(raw["id"]),
            type=raw["type"],
            occurred_at=datetime.fromisoformat(raw["occurred_at"]),
            producer=raw["producer"],
            organization_id=uuid.UUID(raw["organization_id"]) if raw.get("organization_id") else None,
            data=raw.get("data") or {},
        )


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` is zero or more words."""
    return _match(pattern.split("."), routing_key.split("."))


def _match(pattern: list[str], words: list[str]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_match(rest, words[i:]) for i in range(len(words) + 1))
    if not words:
        return False
    return (head in ("*", words[0])) and _match(rest, words[1:])
