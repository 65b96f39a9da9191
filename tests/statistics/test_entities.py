"""Federation: Player (extended with season numbers), Game and the Team stub, batched and scoped."""

from __future__ import annotations

import uuid

from shared.auth.principal import Role
from subgraphs.statistics.models import GameStatus
from tests.statistics.factories import Club, make_game, make_goalie_line, make_skater_line
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

PLAYERS = """
query Players($representations: [_Any!]!, $seasonId: ID!) {
  _entities(representations: $representations) {
    ... on Player {
      id
      seasonStats(seasonId: $seasonId) { skater { goals points } goalie { saves shutouts } }
      gameLog(seasonId: $seasonId, last: 3) { goals game { opponentName } }
    }
  }
}
"""

ENTITIES = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Game { id opponentName goalsFor team { id } }
    ... on Player { id }
  }
}
"""


async def test_a_hundred_players_cost_one_statement_per_field(statistics: RunningService, club: Club) -> None:
    # given two final games in which 100 players have skater lines and 4 of them goalie lines
    players = [uuid.uuid4() for _ in range(100)]
    games = [
        await make_game(
            statistics,
            club=club,
            opponent=f"Opponent {n}",
            status=GameStatus.FINAL,
            goals_for=60,
            goals_against=4,
        )
        for n in range(2)
    ]
    for index, player in enumerate(players):
        await make_skater_line(statistics, game=games[index % 2], player_id=player, goals=index % 2, shots=1)
    for index, goalie in enumerate(players[:4]):
        await make_goalie_line(
            statistics,
            game=games[index % 2],
            player_id=goalie,
            shots_against=10,
            saves=9,
            time_on_ice_seconds=1800,
        )
    representations = [{"__typename": "Player", "id": str(player)} for player in players]
    # when the router asks for all their season numbers and game logs
    with count_statements(statistics.engine) as log:
        data = (
            await statistics.graphql.execute(
                PLAYERS, {"representations": representations, "seasonId": str(club.season_id)}, as_=club.coach
            )
        ).ok()
    # then they come back in order, with one statement each for skaters, goalies and game logs
    entities = data["_entities"]
    assert [entity["id"] for entity in entities] == [str(player) for player in players]
    assert [entity["seasonStats"]["skater"]["goals"] for entity in entities[:4]] == [0, 1, 0, 1]
    assert [entity["seasonStats"]["goalie"] is not None for entity in entities[:6]] == [True] * 4 + [False] * 2
    assert entities[1]["gameLog"] == [{"goals": 1, "game": {"opponentName": "Opponent 1"}}]
    assert log.count == 3, log.statements


async def test_games_and_team_stubs_resolve(statistics: RunningService, club: Club) -> None:
    game = await make_game(statistics, club=club, opponent="Rivertown", status=GameStatus.FINAL, goals_for=2)
    player = uuid.uuid4()
    representations = [
        {"__typename": "Game", "id": str(game.id)},
        {"__typename": "Player", "id": str(player)},
    ]
    data = (await statistics.graphql.execute(ENTITIES, {"representations": representations}, as_=club.player)).ok()
    assert data["_entities"] == [
        {"id": str(game.id), "opponentName": "Rivertown", "goalsFor": 2, "team": {"id": str(club.team_id)}},
        {"id": str(player)},
    ]


async def test_references_fail_one_by_one_and_nothing_leaks(statistics: RunningService, club: Club) -> None:
    # given a game and a player with a line in it
    game = await make_game(statistics, club=club, status=GameStatus.FINAL, goals_for=3)
    await make_skater_line(statistics, game=game, player_id=club.player_id, goals=3, shots=3)
    outsider = principal(Role.COACH, organization_id=uuid.uuid4())
    # when a caller from another club asks for the game, a malformed id, and the player's numbers
    response = await statistics.graphql.execute(
        ENTITIES,
        {
            "representations": [
                {"__typename": "Game", "id": str(game.id)},
                {"__typename": "Game", "id": "bad"},
            ]
        },
        as_=outsider,
    )
    # then each reference fails on its own
    assert response.data == {"_entities": [None, None]}
    assert sorted(response.codes) == ["BAD_USER_INPUT", "NOT_FOUND"]
    numbers = (
        await statistics.graphql.execute(
            PLAYERS,
            {
                "representations": [{"__typename": "Player", "id": str(club.player_id)}],
                "seasonId": str(club.season_id),
            },
            as_=outsider,
        )
    ).ok()
    # and the other club's player has no numbers for the outsider: its lines are not theirs to read
    assert numbers["_entities"] == [
        {"id": str(club.player_id), "seasonStats": {"skater": None, "goalie": None}, "gameLog": []}
    ]
