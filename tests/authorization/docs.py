"""`docs/permissions.md`, printed from `permissions.toml`: the same table the matrix tests run."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from tests.authorization.table import Caller, Outcome, Relation, Row

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"

_HEADINGS = {
    Caller.ANONYMOUS: "anonymous",
    Caller.PLATFORM_ADMIN: "platform admin",
    Caller.CLUB_ADMIN: "club admin",
    Caller.COACH: "coach",
    Caller.ASSISTANT_COACH: "assistant coach",
    Caller.PHYSICAL_TRAINER: "physical trainer",
    Caller.MEDICAL_STAFF: "medical staff",
    Caller.EQUIPMENT_MANAGER: "equipment manager",
    Caller.PLAYER: "player",
    Caller.PARENT: "parent of a minor",
    Caller.ADULT_PARENT: "parent of an adult",
    Caller.OTHER_CLUB_ADMIN: "other club's admin",
    Caller.OTHER_COACH: "other club's coach",
}

_OUTCOMES = {
    Outcome.ALLOW: ("yes", "allowed: real data back"),
    Outcome.DENY: ("no", "`FORBIDDEN`"),
    Outcome.HIDDEN: ("hidden", "`NOT_FOUND`: the record does not exist for this caller, so nothing leaks"),
    Outcome.ANON: ("sign in", "`UNAUTHENTICATED`: sign in first"),
    Outcome.EMPTY: ("none", "answered without this club's data (null, an empty list, zeros)"),
    Outcome.ELSEWHERE: ("own club", "answered or written in the caller's own club; this club is untouched"),
    Outcome.NO_CLUB: ("name a club", "`BAD_USER_INPUT`: the caller belongs to no club and must name one"),
    Outcome.INVALID: ("invalid", "`BAD_USER_INPUT`: refused as invalid input, the same for every caller"),
}

_RELATIONS = {
    Relation.OWN: "own record",
    Relation.CHILD: "own child",
    Relation.MINOR_CHILD: "own minor child",
    Relation.TEAM: "own teams",
    Relation.SELF: "own account",
}

_SERVICES = ("user", "communication", "calendar", "training", "medical", "planning", "statistics", "payment", "admin")

_INTRO = """\
<!-- Printed from tests/authorization/permissions.toml; do not edit by hand. Regenerate with
     HOCKEY_HUB_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/authorization/test_table.py -->

# Permissions

Who may use each operation of the supergraph: every root field of every subgraph (and the entity fields
that carry health data), against every kind of caller. Each cell is tested as a real GraphQL operation
over HTTP (subscriptions over graphql-transport-ws) against the subgraph itself
(`tests/authorization/test_matrix.py`), so the subgraph's own
checks are what is proven here, whatever the router does in front of it; a root field without a row
fails the suite.

The callers are the demo club's people (the coach and assistant coach of the senior team; the player is
an U18 player, whose parent is the "parent of a minor"), the parent of an adult senior player, and a
club administrator and a coach of another club. The platform administrator belongs to no club.

What a cell means:

| cell | outcome |
|---|---|
"""


def _cell(text: str) -> str:
    return text


def _describe(row: Row, caller: Caller) -> str:
    cell = row.cells[caller]
    if cell.relation is None:
        assert cell.outcome is not None
        return _OUTCOMES[cell.outcome][0]
    unrelated = _OUTCOMES[cell.unrelated][0]
    return f"{_RELATIONS[cell.relation]}; else {unrelated}"


def _field(row: Row) -> str:
    kind, _, name = row.field.partition(".")
    if kind == "_entities":
        return f"`_entities` {name}"
    if kind in ("Query", "Mutation", "Subscription"):
        return f"`{name}`"
    return f"`{kind}.{name}`"


def render(rows: list[Row]) -> str:
    lines = [_INTRO.rstrip("\n")]
    lines += [f"| {short} | {meaning} |" for short, meaning in _OUTCOMES.values()]
    lines += [
        "| own record, own child, own minor child, own teams, own account; else ... | allowed for the record "
        'related to the caller that way; for any other record, the outcome after "else" |',
        "",
        "`_entities` rows read one entity through the federation entry point, as the router would; a",
        "`Type.field` row reads that field of a player through it.",
    ]
    by_service = {service: list(group) for service, group in groupby(rows, key=lambda row: row.service)}
    header = "| field | " + " | ".join(_HEADINGS[caller] for caller in Caller) + " |"
    rule = "|---" * (len(Caller) + 1) + "|"
    for service in sorted(by_service, key=_SERVICES.index):
        service_rows = by_service[service]
        lines += ["", f"## {service}", ""]
        for kind, group in groupby(service_rows, key=lambda row: row.kind):
            title = {
                "Query": "Queries",
                "Mutation": "Mutations",
                "Subscription": "Subscriptions",
                "_entities": "Entities",
            }.get(kind, f"{kind} fields")
            lines += [f"### {title}", "", header, rule]
            group_rows = list(group)
            lines += [
                f"| {_field(row)} | " + " | ".join(_describe(row, caller) for caller in Caller) + " |"
                for row in group_rows
            ]
            notes = [row for row in group_rows if row.note]
            if notes:
                lines.append("")
                lines += [f"- {_field(row)}: {row.note}." for row in notes]
            lines.append("")
        lines.pop()
    return "\n".join(lines) + "\n"
