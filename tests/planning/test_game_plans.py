"""Game plans over GraphQL: one per game, lineups per line type with each player once and on the team,
matchups and period notes, the review after the game, who may see and change them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth.principal import Role
from subgraphs.planning import service
from subgraphs.planning.models import GamePlan
from tests.planning.factories import Club, make_game_plan, published, put_on_roster
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

CREATE = """
mutation Create($input: CreateGamePlanInput!) {
  createGamePlan(input: $input) {
    id gameId gameDate opponent objectives team { id }
    periodNotes { period note } matchups { lineType unit opponent note } lineups { lineType }
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateGamePlanInput!) {
  updateGamePlan(id: $id, input: $input) { opponent periodNotes { period note } matchups { unit } }
}
"""

LINEUP = """
mutation Lineup($id: ID!, $input: LineupInput!) {
  setGameLineup(id: $id, input: $input) {
    lineups {
      lineType
      forwardLines { number players { id } }
      defencePairs { number players { id } }
      goalies { id }
    }
  }
}
"""

REVIEW = """
mutation Review($id: ID!, $review: String!) {
  reviewGame(id: $id, review: $review) { review reviewedBy { id } reviewedAt }
}
"""

READ = """
query Read($id: ID!) {
  gamePlan(id: $id) { opponent lineup(lineType: POWER_PLAY) { forwardLines { players { id } } } }
}
"""

LIST = """
query List($teamId: ID) {
  gamePlans(teamId: $teamId) { opponent lineups { lineType forwardLines { players { id } } goalies { id } } }
}
"""


class Roster:
    """Twelve forwards, six defence and two goalies of the senior team, as ids."""

    def __init__(self) -> None:
        self.forwards = [str(uuid.uuid4()) for _ in range(12)]
        self.defence = [str(uuid.uuid4()) for _ in range(6)]
        self.goalies = [str(uuid.uuid4()) for _ in range(2)]

    def all(self) -> list[uuid.UUID]:
        return [uuid.UUID(p) for p in (*self.forwards, *self.defence, *self.goalies)]


async def _senior(planning: RunningService, club: Club) -> tuple[GamePlan, Roster]:
    roster = Roster()
    await put_on_roster(planning, club=club, team=club.senior, players=roster.all())
    return await make_game_plan(planning, club=club), roster


def _lines(*groups: list[str]) -> list[dict[str, list[str]]]:
    return [{"players": group} for group in groups]


def _even_strength(roster: Roster) -> dict[str, object]:
    f, d = roster.forwards, roster.defence
    return {
        "lineType": "EVEN_STRENGTH",
        "forwardLines": _lines(f[0:3], f[3:6], f[6:9], f[9:12]),
        "defencePairs": _lines(d[0:2], d[2:4], d[4:6]),
        "goalies": roster.goalies,
    }


async def test_a_coach_plans_a_game(planning: RunningService, club: Club) -> None:
    game_id = str(uuid.uuid4())
    plan_input = {
        "teamId": str(club.senior),
        "gameId": game_id,
        "gameDate": "2026-03-07",
        "opponent": "Northside Wolves",
        "objectives": "Win the neutral zone.",
        "periodNotes": [{"period": 3, "note": "Protect the lead."}, {"period": 1, "note": "Pucks deep."}],
        "matchups": [{"lineType": "EVEN_STRENGTH", "unit": 1, "opponent": "Their top line", "note": "Hard gaps"}],
    }
    # when the coach plans the game
    plan = (await planning.graphql.execute(CREATE, {"input": plan_input}, as_=club.coach)).ok()["createGamePlan"]
    # then notes are per period, in order, and matchups name our units
    assert (plan["gameId"], plan["team"], plan["lineups"]) == (game_id, {"id": str(club.senior)}, [])
    assert plan["periodNotes"] == [{"period": 1, "note": "Pucks deep."}, {"period": 3, "note": "Protect the lead."}]
    assert plan["matchups"] == [
        {"lineType": "EVEN_STRENGTH", "unit": 1, "opponent": "Their top line", "note": "Hard gaps"}
    ]
    # a second plan for the same game is a conflict; bad notes and matchups are refused by field
    again = await planning.graphql.execute(CREATE, {"input": plan_input}, as_=club.coach)
    assert again.error("CONFLICT")["extensions"]["field"] == "gameId"
    for field, value in (
        ("periodNotes", [{"period": 5, "note": "Shootout"}]),
        ("periodNotes", [{"period": 1, "note": "a"}, {"period": 1, "note": "b"}]),
        ("matchups", [{"lineType": "PENALTY_KILL", "unit": 4, "opponent": "PP1"}]),
        ("opponent", ""),
    ):
        bad = await planning.graphql.execute(
            CREATE, {"input": {**plan_input, "gameId": str(uuid.uuid4()), field: value}}, as_=club.coach
        )
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == field
    # and the plan can be changed
    changed = await planning.graphql.execute(
        UPDATE, {"id": plan["id"], "input": {"opponent": "Valley Vipers", "periodNotes": []}}, as_=club.coach
    )
    assert changed.ok()["updateGamePlan"] == {"opponent": "Valley Vipers", "periodNotes": [], "matchups": [{"unit": 1}]}


async def test_lineups_per_line_type(planning: RunningService, club: Club) -> None:
    plan, roster = await _senior(planning, club)
    f, d = roster.forwards, roster.defence
    # when the coach sets even strength, then a power play with players who also play even strength
    await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": _even_strength(roster)}, as_=club.coach)
    power_play = {
        "lineType": "POWER_PLAY",
        "forwardLines": _lines(f[0:3], [f[3], f[4], f[5], f[6]]),
        "defencePairs": _lines(d[0:2], [d[2]]),
    }
    result = await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": power_play}, as_=club.coach)
    lineups = result.ok()["setGameLineup"]["lineups"]
    # then both lineups read back in line-type order, lines and pairs numbered, the starter first
    assert [lineup["lineType"] for lineup in lineups] == ["EVEN_STRENGTH", "POWER_PLAY"]
    even = lineups[0]
    assert [line["number"] for line in even["forwardLines"]] == [1, 2, 3, 4]
    assert [p["id"] for p in even["forwardLines"][1]["players"]] == f[3:6]
    assert [[p["id"] for p in pair["players"]] for pair in even["defencePairs"]] == [d[0:2], d[2:4], d[4:6]]
    assert [g["id"] for g in even["goalies"]] == roster.goalies
    assert [len(line["players"]) for line in lineups[1]["forwardLines"]] == [3, 4]
    # setting a line type again replaces only that lineup; an empty one clears it
    penalty_kill = {"lineType": "PENALTY_KILL", "forwardLines": _lines(f[6:8]), "defencePairs": _lines(d[4:6])}
    await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": penalty_kill}, as_=club.coach)
    cleared = await planning.graphql.execute(
        LINEUP, {"id": str(plan.id), "input": {"lineType": "POWER_PLAY"}}, as_=club.coach
    )
    assert [lu["lineType"] for lu in cleared.ok()["setGameLineup"]["lineups"]] == ["EVEN_STRENGTH", "PENALTY_KILL"]
    read = await planning.graphql.execute(READ, {"id": str(plan.id)}, as_=club.player)
    assert read.ok()["gamePlan"]["lineup"] is None
    # and each change is published for training, which assigns workouts to lines
    events = await published(planning, type_prefix="lineup.")
    assert [data["line_type"] for _, data in events] == ["even_strength", "power_play", "penalty_kill", "power_play"]
    first_line = [
        slot["player_id"] for slot in events[0][1]["slots"] if slot["group"] == "forwards" and slot["unit"] == 1
    ]
    assert first_line == f[0:3]
    assert events[-1][1]["slots"] == []
    assert {data["team_id"] for _, data in events} == {str(club.senior)}


async def test_each_player_once_per_line_type_and_on_the_team(planning: RunningService, club: Club) -> None:
    plan, roster = await _senior(planning, club)
    f, d = roster.forwards, roster.defence
    junior_player = uuid.uuid4()
    await put_on_roster(planning, club=club, team=club.junior, players=[junior_player])
    twice = _even_strength(roster) | {"defencePairs": _lines(d[0:2], [d[2], f[0]])}
    refused = await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": twice}, as_=club.coach)
    error = refused.error("BAD_USER_INPUT")
    assert (error["extensions"]["field"], error["extensions"]["playerIds"]) == ("lineup", [f[0]])
    goalie_twice = _even_strength(roster) | {"goalies": [roster.goalies[0], roster.goalies[0]]}
    assert (await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": goalie_twice}, as_=club.coach)).error(
        "BAD_USER_INPUT"
    )["extensions"]["field"] == "lineup"
    # players off the team's roster are refused, named
    for stranger in (str(junior_player), str(uuid.uuid4())):
        lineup = _even_strength(roster) | {"goalies": [stranger]}
        refused = await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": lineup}, as_=club.coach)
        error = refused.error("BAD_USER_INPUT")
        assert (error["extensions"]["field"], error["extensions"]["playerIds"]) == ("lineup", [stranger])
    # each line type has its shape
    shapes: tuple[tuple[dict[str, object], str], ...] = (
        ({"lineType": "EVEN_STRENGTH", "forwardLines": _lines(f[0:2])}, "forwardLines"),
        (
            {"lineType": "EVEN_STRENGTH", "forwardLines": _lines(f[0:3], f[3:6], f[6:9], f[9:12], f[0:3])},
            "forwardLines",
        ),
        ({"lineType": "EVEN_STRENGTH", "defencePairs": _lines(d[0:3])}, "defencePairs"),
        ({"lineType": "EVEN_STRENGTH", "goalies": [*roster.goalies, d[0], d[1]]}, "goalies"),
        ({"lineType": "POWER_PLAY", "forwardLines": _lines(f[0:3]), "defencePairs": _lines(d[0:1])}, "forwardLines"),
        ({"lineType": "POWER_PLAY", "forwardLines": _lines(f[0:3])}, "defencePairs"),
        ({"lineType": "PENALTY_KILL", "forwardLines": _lines(f[0:3]), "defencePairs": _lines(d[0:2])}, "forwardLines"),
        ({"lineType": "PENALTY_KILL", "goalies": roster.goalies[:1]}, "goalies"),
        (
            {"lineType": "EXTRA_ATTACKER", "forwardLines": _lines(f[0:4]), "defencePairs": _lines(d[0:1])},
            "forwardLines",
        ),
    )
    for lineup, field in shapes:
        bad = await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": lineup}, as_=club.coach)
        assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == field, lineup
    extra = {"lineType": "EXTRA_ATTACKER", "forwardLines": _lines(f[0:4]), "defencePairs": _lines(d[0:2])}
    assert (await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": extra}, as_=club.coach)).ok()
    # nothing refused was stored
    read = await planning.graphql.execute(LIST, {}, as_=club.coach)
    assert [lu["lineType"] for lu in read.ok()["gamePlans"][0]["lineups"]] == ["EXTRA_ATTACKER"]


async def test_the_review_comes_after_the_game(planning: RunningService, club: Club) -> None:
    upcoming = await make_game_plan(planning, club=club, day=service.today() + timedelta(days=3))
    early = await planning.graphql.execute(REVIEW, {"id": str(upcoming.id), "review": "Too soon"}, as_=club.coach)
    assert early.error("CONFLICT")["extensions"]["field"] == "id"
    played = await make_game_plan(planning, club=club, day=service.today() - timedelta(days=1))
    empty = await planning.graphql.execute(REVIEW, {"id": str(played.id), "review": " "}, as_=club.coach)
    assert empty.error("BAD_USER_INPUT")["extensions"]["field"] == "review"
    reviewed = await planning.graphql.execute(
        REVIEW, {"id": str(played.id), "review": "PP needs a second entry."}, as_=club.coach
    )
    result = reviewed.ok()["reviewGame"]
    assert (result["review"], result["reviewedBy"]) == ("PP needs a second entry.", {"id": str(club.coach.user_id)})
    assert result["reviewedAt"] is not None


async def test_who_sees_and_changes_game_plans(planning: RunningService, club: Club) -> None:
    plan, roster = await _senior(planning, club)
    await planning.graphql.execute(LINEUP, {"id": str(plan.id), "input": _even_strength(roster)}, as_=club.coach)
    await make_game_plan(planning, club=club, team=club.junior)
    junior_player = principal(Role.PLAYER, organization_id=club.organization_id, teams=(club.junior,))
    lineup = {"id": str(plan.id), "input": _even_strength(roster)}
    # the team's coach and the club administrator change it; others of the club may not
    assert (await planning.graphql.execute(LINEUP, lineup, as_=club.admin)).ok()
    for caller in (club.junior_coach, club.trainer, club.player):
        assert (await planning.graphql.execute(LINEUP, lineup, as_=caller)).codes == ["FORBIDDEN"]
    # the team's players read it, players of another team and other clubs do not even see it
    assert (await planning.graphql.execute(READ, {"id": str(plan.id)}, as_=club.player)).ok()
    for caller in (junior_player, club.parent, club.outsider):
        assert (await planning.graphql.execute(READ, {"id": str(plan.id)}, as_=caller)).codes == ["NOT_FOUND"]
    assert (await planning.graphql.execute(LINEUP, lineup, as_=club.outsider)).codes == ["NOT_FOUND"]
    created = await planning.graphql.execute(
        CREATE,
        {"input": {"teamId": str(club.senior), "gameId": str(uuid.uuid4()), "gameDate": "2026-03-07", "opponent": "X"}},
        as_=club.junior_coach,
    )
    assert created.codes == ["FORBIDDEN"]
    # lists: staff see the club's, a player their team's, read in a fixed number of statements
    with count_statements(planning.engine) as log:
        staff = (await planning.graphql.execute(LIST, {}, as_=club.trainer)).ok()["gamePlans"]
    assert len(staff) == 2
    assert len(log.statements) == 2
    assert len(staff[0]["lineups"][0]["forwardLines"]) == 4
    assert len((await planning.graphql.execute(LIST, {}, as_=club.player)).ok()["gamePlans"]) == 1
    other_team = await planning.graphql.execute(LIST, {"teamId": str(club.junior)}, as_=club.player)
    assert other_team.ok()["gamePlans"] == []
    assert (await planning.graphql.execute(LIST, {}, as_=club.parent)).ok()["gamePlans"] == []
