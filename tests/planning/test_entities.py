"""Federation: planning resolves Season and PracticePlan references and extends Player, batched."""

from __future__ import annotations

import uuid

from tests.planning.factories import Club, make_goal, make_practice_plan, make_season
from tests.support.services import RunningService
from tests.support.statements import count_statements

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Season { id name phases { kind } }
    ... on PracticePlan { id title drills { name } }
    ... on Player { id developmentGoals { title progressPercent } }
  }
}
"""


async def test_a_hundred_players_get_their_goals_in_one_statement(planning: RunningService, club: Club) -> None:
    # given 100 players, every other one with a goal
    players = [uuid.uuid4() for _ in range(100)]
    for index, player in enumerate(players[::2]):
        await make_goal(planning, club=club, player=player, title=f"Goal {index}")
    representations = [{"__typename": "Player", "id": str(player)} for player in players]
    # when the router asks for their development goals
    with count_statements(planning.engine) as log:
        data = (await planning.graphql.execute(ENTITIES, {"representations": representations}, as_=club.coach)).ok()
    # then one statement answers all of them, in order
    assert [entity["id"] for entity in data["_entities"]] == [str(player) for player in players]
    assert [len(entity["developmentGoals"]) for entity in data["_entities"]] == [1, 0] * 50
    assert log.count == 1, [s[:80] for s in log.statements]


async def test_a_player_sees_only_their_own_goals_through_the_entity(planning: RunningService, club: Club) -> None:
    assert club.teammate.player_id
    await make_goal(planning, club=club, player=club.player_id, title="Mine")
    await make_goal(planning, club=club, player=club.teammate.player_id, title="Theirs")
    representations = [
        {"__typename": "Player", "id": str(club.player_id)},
        {"__typename": "Player", "id": str(club.teammate.player_id)},
    ]
    data = (await planning.graphql.execute(ENTITIES, {"representations": representations}, as_=club.player)).ok()
    assert [entity["developmentGoals"] for entity in data["_entities"]] == [
        [{"title": "Mine", "progressPercent": 0.0}],
        [],
    ]


async def test_every_entity_type_resolves(planning: RunningService, club: Club) -> None:
    season = await make_season(planning, club=club)
    plan = await make_practice_plan(planning, club=club)
    representations = [
        {"__typename": "Season", "id": str(season.id)},
        {"__typename": "PracticePlan", "id": str(plan.id)},
        {"__typename": "Player", "id": str(club.player_id)},
    ]
    data = (await planning.graphql.execute(ENTITIES, {"representations": representations}, as_=club.player)).ok()
    assert data["_entities"][0] == {"id": str(season.id), "name": "2025-26", "phases": []}
    assert len(data["_entities"][1]["drills"]) == 3
    assert data["_entities"][2] == {"id": str(club.player_id), "developmentGoals": []}


async def test_other_clubs_references_fail_one_by_one(planning: RunningService, club: Club) -> None:
    season = await make_season(planning, club=club)
    plan = await make_practice_plan(planning, club=club)
    representations = [
        {"__typename": "Season", "id": str(season.id)},
        {"__typename": "PracticePlan", "id": str(plan.id)},
        {"__typename": "PracticePlan", "id": "plan-7"},
    ]
    response = await planning.graphql.execute(ENTITIES, {"representations": representations}, as_=club.outsider)
    assert response.data == {"_entities": [None, None, None]}
    assert sorted(response.codes) == ["BAD_USER_INPUT", "NOT_FOUND", "NOT_FOUND"]
