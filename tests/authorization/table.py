"""The permission matrix: who may use each operation of the supergraph, read from `permissions.toml`.

Each row is one root field (or entity field) of one subgraph; each cell says what one caller gets. The
matrix tests run every cell as a real GraphQL operation, and `docs/permissions.md` is printed from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("permissions.toml")


class Caller(StrEnum):
    """The columns of the matrix, in order."""

    ANONYMOUS = "anonymous"
    PLATFORM_ADMIN = "platform_admin"
    CLUB_ADMIN = "club_admin"
    COACH = "coach"
    ASSISTANT_COACH = "assistant_coach"
    PHYSICAL_TRAINER = "physical_trainer"
    MEDICAL_STAFF = "medical_staff"
    EQUIPMENT_MANAGER = "equipment_manager"
    PLAYER = "player"
    PARENT = "parent"
    ADULT_PARENT = "adult_parent"
    OTHER_CLUB_ADMIN = "other_club_admin"
    OTHER_COACH = "other_coach"


class Outcome(StrEnum):
    """What a caller gets from an operation."""

    ALLOW = "allow"
    """Real data back, no error."""
    DENY = "deny"
    """A FORBIDDEN error."""
    HIDDEN = "hidden"
    """A NOT_FOUND error: the record does not exist for this caller, so its existence does not leak."""
    ANON = "anon"
    """An UNAUTHENTICATED error: sign in first."""
    EMPTY = "empty"
    """An answer without this club's data: null, an empty list, or the caller's own (empty) club."""
    ELSEWHERE = "elsewhere"
    """The field names no club, so it answers (or writes) in the caller's own club: none of this club's data."""
    NO_CLUB = "no_club"
    """BAD_USER_INPUT: the caller belongs to no club and the field cannot name one (platform admin)."""
    INVALID = "invalid"
    """BAD_USER_INPUT on anything else: e.g. a made-up token, refused the same way for every caller."""


class Relation(StrEnum):
    """Cells that depend on the record: allowed for the related one, `unrelated` for any other."""

    OWN = "own"
    """The caller's own player record."""
    CHILD = "child"
    """A player linked to the caller as their child."""
    MINOR_CHILD = "minor_child"
    """The caller's child while a minor."""
    TEAM = "team"
    """A record of one of the caller's teams."""
    SELF = "self"
    """The caller's own account."""


_OUTCOMES = frozenset(outcome.value for outcome in Outcome)
_RELATIONS = frozenset(relation.value for relation in Relation)


@dataclass(frozen=True, slots=True)
class Cell:
    """`allow`, `deny`, ... or a relation such as `team` (unrelated records: FORBIDDEN) or `own/hidden`."""

    outcome: Outcome | None = None
    relation: Relation | None = None
    unrelated: Outcome = Outcome.DENY

    @classmethod
    def parse(cls, text: str) -> Cell:
        head, _, tail = text.partition("/")
        if head in _OUTCOMES:
            if tail:
                raise ValueError(f"{text!r}: only a relation takes an outcome for unrelated records")
            return cls(outcome=Outcome(head))
        if head in _RELATIONS:
            return cls(relation=Relation(head), unrelated=Outcome(tail) if tail else Outcome.DENY)
        raise ValueError(f"{text!r} is neither an outcome nor a relation")

    def __str__(self) -> str:
        if self.relation is None:
            return str(self.outcome)
        return str(self.relation) if self.unrelated is Outcome.DENY else f"{self.relation}/{self.unrelated}"


@dataclass(frozen=True, slots=True)
class Row:
    service: str
    field: str
    """`Query.injury`, `Mutation.recordInjury` or, for an entity's field, `Player.injuries`."""
    cells: dict[Caller, Cell]
    note: str = ""

    @property
    def key(self) -> str:
        return f"{self.service}.{self.field}"

    @property
    def kind(self) -> str:
        return self.field.partition(".")[0]


def load_table(path: Path = TABLE_PATH) -> list[Row]:
    """Every row, in the file's order. `[service.Type]` tables map a field to its cells, separated by
    spaces, one per caller in `Caller` order; `[notes]` maps `service.Type.field` to a note."""
    data = tomllib.loads(path.read_text())
    notes: dict[str, str] = data.pop("notes", {})
    columns = [Caller(name) for name in data.pop("callers")]
    if columns != list(Caller):
        raise ValueError(f"`callers` must list {[c.value for c in Caller]} in that order")
    rows: list[Row] = []
    for service, types in data.items():
        for type_name, fields in types.items():
            for name, line in fields.items():
                field = f"{type_name}.{name}"
                words = line.split()
                if len(words) != len(columns):
                    raise ValueError(f"{service}.{field}: {len(words)} cells for {len(columns)} callers")
                cells = {caller: Cell.parse(word) for caller, word in zip(columns, words, strict=True)}
                rows.append(Row(service, field, cells, notes.get(f"{service}.{field}", "")))
    unknown = set(notes) - {row.key for row in rows}
    if unknown:
        raise ValueError(f"notes for rows that do not exist: {sorted(unknown)}")
    return rows
