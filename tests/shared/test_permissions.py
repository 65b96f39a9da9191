"""Permission classes beside fields: signed in, by role, and by scope over the field's source."""

from __future__ import annotations

import uuid
from typing import Any, cast

import pytest
import strawberry
from strawberry import Private

from shared.auth.principal import ANONYMOUS, Principal, Role
from shared.graphql import RequestContext, Scope, build_schema, requires_role, requires_scope
from shared.runtime import ServiceRuntime
from tests.support.principals import principal

CLUB, OTHER_CLUB = uuid.uuid4(), uuid.uuid4()
TEAM, OTHER_TEAM = uuid.uuid4(), uuid.uuid4()
PLAYER = uuid.uuid4()


@strawberry.type
class Record:
    organization_id: Private[uuid.UUID]
    team_id: Private[uuid.UUID]
    player_id: Private[uuid.UUID]

    @strawberry.field(extensions=[requires_scope(Scope.OWN, Scope.MINOR_CHILD)])
    def diagnosis(self) -> str:
        return "torn ACL"

    @strawberry.field(extensions=[requires_scope(Scope.TEAM, roles=frozenset({Role.COACH}))])
    def availability(self) -> str:
        return "injured"

    @strawberry.field(extensions=[requires_scope(Scope.ORGANIZATION)])
    def name(self) -> str:
        return "Elias Lund"


@strawberry.type
class Query:
    @strawberry.field
    def record(self) -> Record:
        return Record(organization_id=CLUB, team_id=TEAM, player_id=PLAYER)

    @strawberry.field(extensions=[requires_role(Role.CLUB_ADMIN)])
    def billing(self) -> str:
        return "paid"


SCHEMA = build_schema(query=Query)


async def _ask(field: str, caller: Principal) -> list[str | None]:
    context = RequestContext(cast(ServiceRuntime, None), caller, "test")  # no field here opens a session
    result = await SCHEMA.execute(
        f"{{ record {{ {field} }} }}" if field != "billing" else "{ billing }", context_value=context
    )
    return [error.extensions.get("code") if error.extensions else None for error in result.errors or []]


@pytest.mark.parametrize(
    ("field", "caller", "codes"),
    [
        ("diagnosis", principal(Role.PLAYER, organization_id=CLUB, player_id=PLAYER), []),
        ("diagnosis", principal(Role.PARENT, organization_id=CLUB, children=[PLAYER]), []),
        (
            "diagnosis",
            principal(Role.PARENT, organization_id=CLUB, children=[PLAYER], minor_children=[]),
            ["FORBIDDEN"],
        ),
        ("diagnosis", principal(Role.COACH, organization_id=CLUB, teams=[TEAM]), ["FORBIDDEN"]),
        ("diagnosis", principal(Role.PLAYER, organization_id=OTHER_CLUB, player_id=PLAYER), ["FORBIDDEN"]),
        ("availability", principal(Role.COACH, organization_id=CLUB, teams=[TEAM]), []),
        ("availability", principal(Role.COACH, organization_id=CLUB, teams=[OTHER_TEAM]), ["FORBIDDEN"]),
        ("availability", principal(Role.PLAYER, organization_id=CLUB, teams=[TEAM]), ["FORBIDDEN"]),
        ("name", principal(Role.PARENT, organization_id=CLUB), []),
        ("name", principal(Role.CLUB_ADMIN, organization_id=OTHER_CLUB), ["FORBIDDEN"]),
        ("name", principal(Role.ADMIN, organization_id=None), []),
        ("name", ANONYMOUS, ["UNAUTHENTICATED"]),
        ("billing", principal(Role.CLUB_ADMIN, organization_id=CLUB), []),
        ("billing", principal(Role.COACH, organization_id=CLUB), ["FORBIDDEN"]),
        ("billing", ANONYMOUS, ["UNAUTHENTICATED"]),
    ],
)
async def test_scope_and_role_decide_who_sees_a_field(field: str, caller: Principal, codes: list[Any]) -> None:
    assert await _ask(field, caller) == codes
