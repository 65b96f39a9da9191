"""The demo club's coaching material read back through GraphQL: training blocks, the drill library,
practices in sections built from it, and game plans with lines; and a coach can keep working on them."""

from __future__ import annotations

import itertools
from datetime import timedelta

from shared.demo import demo_club
from subgraphs.planning.demo import load_demo
from tests.planning.test_demo import _principal
from tests.support.services import RunningService

LIBRARY = "{ drills { name category averageRating ratingCount diagram { markers { label } arrows { kind } } } }"
BLOCKS = "{ seasons { phases { kind blocks { name intensity startDate endDate weeklyStructure { weekday } } } } }"
PRACTICES = """
query Plans($from: Date, $to: Date) {
  practicePlans(from: $from, to: $to) { drills { section drill { name } } }
}
"""
GAME_PLANS = """
{
  gamePlans {
    gameDate opponent review periodNotes { period } matchups { lineType }
    lineups { lineType forwardLines { players { id } } defencePairs { players { id } } goalies { id } }
  }
}
"""
LINEUP = """
mutation Lineup($id: ID!, $input: LineupInput!) { setGameLineup(id: $id, input: $input) { lineups { lineType } } }
"""
GAME_PLAN_IDS = "{ gamePlans { id gameDate } }"


async def test_the_demo_coaching_material_reads_back(planning: RunningService) -> None:
    # given the demo loaded
    club = demo_club()
    async with planning.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    coach = _principal(club, club.person("coach@lynx.example"))
    senior = next(team for team in club.teams if team.category == "senior")
    # then the library has its rated drills, the breakout drawn on the rink
    library = (await planning.graphql.execute(LIBRARY, as_=coach)).ok()["drills"]
    assert len(library) == 8
    assert all(drill["ratingCount"] >= 1 and 1 <= drill["averageRating"] <= 5 for drill in library)
    breakout = next(drill for drill in library if drill["name"] == "Breakout 5-on-0")
    assert [m["label"] for m in breakout["diagram"]["markers"]][:4] == ["D1", "LW", "RW", "C"]
    # and the pre-season and regular season are split into blocks that never overlap
    [season] = (await planning.graphql.execute(BLOCKS, as_=coach)).ok()["seasons"]
    blocks = {phase["kind"]: phase["blocks"] for phase in season["phases"]}
    assert [b["intensity"] for b in blocks["PRE_SEASON"]] == ["MEDIUM", "PEAK"]
    assert [b["intensity"] for b in blocks["REGULAR_SEASON"]] == ["HIGH", "RECOVERY", "MEDIUM"]
    for phase_blocks in blocks.values():
        assert all(a["endDate"] < b["startDate"] for a, b in itertools.pairwise(phase_blocks))
    # and practices run in sections, the full ones from warm-up to cool-down with the library's drills linked
    window = {"from": (club.today - timedelta(days=7)).isoformat(), "to": (club.today + timedelta(days=7)).isoformat()}
    plans = (await planning.graphql.execute(PRACTICES, window, as_=coach)).ok()["practicePlans"]
    assert all(plan["drills"][0]["section"] == "Warm-up" for plan in plans)
    full = [plan for plan in plans if plan["drills"][-1]["section"] == "Cool-down"]
    assert len(full) >= 10
    assert all(plan["drills"][0]["drill"] == {"name": "Dynamic warm-up"} for plan in full)
    # and the senior team's next and last game are planned with lines, the last one reviewed
    last, upcoming = (await planning.graphql.execute(GAME_PLANS, as_=coach)).ok()["gamePlans"]
    assert last["gameDate"] < club.today.isoformat() <= upcoming["gameDate"]
    assert (last["review"] is not None, upcoming["review"]) == (True, None)
    even, power_play, penalty_kill = upcoming["lineups"]
    assert (even["lineType"], power_play["lineType"], penalty_kill["lineType"]) == (
        "EVEN_STRENGTH",
        "POWER_PLAY",
        "PENALTY_KILL",
    )
    assert [len(line["players"]) for line in even["forwardLines"]] == [3, 3, 3, 3]
    assert [len(pair["players"]) for pair in even["defencePairs"]] == [2, 2, 2]
    assert len(even["goalies"]) == 2
    roster = {str(p.id) for p in club.roster(senior.id)}
    assert {p["id"] for line in even["forwardLines"] for p in line["players"]} <= roster
    # and the coach can set the demo lines again through the API: the roster copy knows the players
    [_, upcoming_id] = [p["id"] for p in (await planning.graphql.execute(GAME_PLAN_IDS, as_=coach)).ok()["gamePlans"]]
    lineup = {
        "lineType": "PENALTY_KILL",
        "forwardLines": [{"players": [p["id"] for p in line["players"]]} for line in penalty_kill["forwardLines"]],
        "defencePairs": [{"players": [p["id"] for p in pair["players"]]} for pair in penalty_kill["defencePairs"]],
    }
    result = await planning.graphql.execute(LINEUP, {"id": upcoming_id, "input": lineup}, as_=coach)
    assert [lu["lineType"] for lu in result.ok()["setGameLineup"]["lineups"]] == [
        "EVEN_STRENGTH",
        "POWER_PLAY",
        "PENALTY_KILL",
    ]
