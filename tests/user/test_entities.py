"""Federation: the user service resolves Player, Team, User and Organization references, batched."""

from __future__ import annotations

from shared.auth.principal import Role
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.user.factories import Club, make_player, make_team

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { id fullName jerseyNumber team { name } }
    ... on Team { id name }
    ... on User { id fullName }
    ... on Organization { id name }
  }
}
"""


async def test_a_hundred_players_resolve_in_one_statement(user: RunningService, club: Club) -> None:
    # given 100 players across two teams
    second = await make_team(user, organization=club.organization)
    players = [
        await make_player(user, organization=club.organization, team=club.team if n % 2 else second, number=n // 2)
        for n in range(100)
    ]
    representations = [{"__typename": "Player", "id": str(player.id)} for player in players]
    # when the router asks for all of them with their teams
    with count_statements(user.engine) as log:
        data = (await user.graphql.execute(ENTITIES, {"representations": representations}, as_=club.coach)).ok()
    # then they come back in order, with one query for the players and one for their teams
    assert [entity["id"] for entity in data["_entities"]] == [str(player.id) for player in players]
    assert {entity["team"]["name"] for entity in data["_entities"]} == {club.team.name, second.name}
    assert log.count == 2, [s[:60] for s in log.statements]


async def test_every_entity_type_resolves(user: RunningService, club: Club) -> None:
    player = await make_player(user, organization=club.organization, team=club.team, number=3)
    representations = [
        {"__typename": "Player", "id": str(player.id)},
        {"__typename": "Team", "id": str(club.team.id)},
        {"__typename": "User", "id": str(club.coach.user_id)},
        {"__typename": "Organization", "id": str(club.organization.id)},
    ]
    data = (await user.graphql.execute(ENTITIES, {"representations": representations}, as_=club.coach)).ok()
    assert [entity["id"] for entity in data["_entities"]] == [rep["id"] for rep in representations]
    assert data["_entities"][1]["name"] == club.team.name


async def test_references_from_another_club_fail_one_by_one(user: RunningService, club: Club) -> None:
    # given a player of this club, and a caller from another club
    player = await make_player(user, organization=club.organization, team=club.team, number=5)
    outsider = principal(Role.COACH, organization_id=club.team.id)
    representations = [
        {"__typename": "Player", "id": str(player.id)},
        {"__typename": "Player", "id": "not-an-id"},
    ]
    # when the outsider's request reaches _entities (e.g. through a crafted query)
    response = await user.graphql.execute(ENTITIES, {"representations": representations}, as_=outsider)
    # then each reference fails on its own, with its own code, and nothing leaks
    assert response.data == {"_entities": [None, None]}
    assert sorted(response.codes) == ["BAD_USER_INPUT", "NOT_FOUND"]
    assert {tuple(error["path"]) for error in response.errors} == {("_entities", 0), ("_entities", 1)}
