"""Federation: the payment service refers to Organization as a stub it does not resolve itself."""

from __future__ import annotations

import uuid

from tests.payment.factories import Club
from tests.support.services import RunningService

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Organization { id } }
}
"""

SDL = "query { _service { sdl } }"


async def test_the_organization_stub_is_a_non_resolvable_key(payment: RunningService, club: Club) -> None:
    sdl = (await payment.graphql.execute(SDL)).ok()["_service"]["sdl"]
    assert 'type Organization @key(fields: "id", resolvable: false)' in sdl
    representations = [{"__typename": "Organization", "id": str(club.organization_id)}]
    data = (await payment.graphql.execute(ENTITIES, {"representations": representations}, as_=club.admin)).ok()
    assert data["_entities"] == [{"id": str(club.organization_id)}]


async def test_the_team_stub_of_team_fees_is_a_non_resolvable_key(payment: RunningService, club: Club) -> None:
    sdl = (await payment.graphql.execute(SDL)).ok()["_service"]["sdl"]
    assert 'type Team @key(fields: "id", resolvable: false)' in sdl
    team_id = str(uuid.uuid4())
    query = "query E($r: [_Any!]!) { _entities(representations: $r) { ... on Team { id } } }"
    data = (await payment.graphql.execute(query, {"r": [{"__typename": "Team", "id": team_id}]}, as_=club.admin)).ok()
    assert data["_entities"] == [{"id": team_id}]
