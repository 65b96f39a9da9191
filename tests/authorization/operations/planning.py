"""The planning service's operations: seasons, phases and blocks, the drill library, practice plans with
attendance, game plans, development goals.

Reads use the demo season, the demo drill library and each anchor team's practice plan, game plan and
player goal (looked up at setup);
writes work on records made for the case, seasons in years no other case uses (seasons of a club never
overlap).
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta

from shared.demo import demo_id
from tests.authorization.cases import Case, Operation, Variables, today, unique
from tests.authorization.operations.common import entity
from tests.authorization.table import Caller
from tests.authorization.world import World

_YEARS = itertools.count(2200)

CREATE_SEASON = "mutation Season($input: CreateSeasonInput!) { createSeason(input: $input) { id name startDate } }"
ADD_PHASE = """
mutation Phase($seasonId: ID!, $input: AddSeasonPhaseInput!) {
  addSeasonPhase(seasonId: $seasonId, input: $input) { id kind name }
}
"""
CREATE_PLAN = "mutation Plan($input: CreatePracticePlanInput!) { createPracticePlan(input: $input) { id title date } }"
CREATE_GOAL = """
mutation Goal($input: CreateDevelopmentGoalInput!) { createDevelopmentGoal(input: $input) { id title status } }
"""
PLANS = "query Plans($teamId: ID) { practicePlans(teamId: $teamId) { id title date } }"
ADD_BLOCK = """
mutation Block($phaseId: ID!, $input: AddPhaseBlockInput!) {
  addPhaseBlock(phaseId: $phaseId, input: $input) { id name }
}
"""
CREATE_DRILL = "mutation Drill($input: CreateDrillInput!) { createDrill(input: $input) { id name category } }"
CREATE_GAME_PLAN = """
mutation GamePlan($input: CreateGamePlanInput!) { createGamePlan(input: $input) { id opponent gameDate } }
"""
PLAN_STATUS = "mutation Start($id: ID!) { changePracticePlanStatus(id: $id, status: IN_PROGRESS) { id } }"
ATTENDANCE = """
mutation Attendance($id: ID!, $entries: [PracticeAttendanceInput!]!) {
  recordPracticeAttendance(id: $id, entries: $entries) { id attendance { status } }
}
"""


def _season_input() -> Variables:
    year = next(_YEARS)
    return {"name": unique(f"Season {year}"), "startDate": f"{year}-08-01", "endDate": f"{year + 1}-04-30"}


def _phase_input(season_start: str) -> Variables:
    start = date.fromisoformat(season_start)
    return {"kind": "PRE_SEASON", "startDate": start.isoformat(), "endDate": (start + timedelta(days=30)).isoformat()}


def _plan_input(team_id: str) -> Variables:
    return {
        "teamId": team_id,
        "title": unique("Breakout patterns"),
        "date": (today() + timedelta(days=20)).isoformat(),
        "durationMinutes": 60,
        "drills": [{"name": "D-to-D breakout", "minutes": 15}],
    }


def _goal_input(player_id: str) -> Variables:
    return {
        "title": unique("Wrist shot speed"),
        "metric": "km/h",
        "startValue": 80,
        "targetValue": 95,
        "playerId": player_id,
    }


def _block_input(phase_start: str) -> Variables:
    start = date.fromisoformat(phase_start)
    return {
        "name": unique("Base block"),
        "intensity": "MEDIUM",
        "startDate": phase_start,
        "endDate": (start + timedelta(days=6)).isoformat(),
    }


def _drill_input() -> Variables:
    return {
        "name": unique("Cycle and shoot"),
        "category": "SHOOTING",
        "difficulty": "INTERMEDIATE",
        "playersNeeded": 3,
        "durationMinutes": 15,
    }


def _game_plan_input(team_id: str, *, days: int = 10) -> Variables:
    return {
        "teamId": team_id,
        "gameId": str(uuid.uuid4()),
        "gameDate": (today() + timedelta(days=days)).isoformat(),
        "opponent": unique("Northside Wolves"),
    }


async def prepare(world: World) -> None:
    for subject in (world.junior, world.senior):
        game_plan = await world.setup(
            "planning", CREATE_GAME_PLAN, {"input": _game_plan_input(str(subject.team_id))}, as_=Caller.CLUB_ADMIN
        )
        world.found[f"{subject.name}.game_plan"] = game_plan["createGamePlan"]["id"]
        plan = await world.setup(
            "planning", CREATE_PLAN, {"input": _plan_input(str(subject.team_id))}, as_=Caller.CLUB_ADMIN
        )
        world.found[f"{subject.name}.plan"] = plan["createPracticePlan"]["id"]
        goal = await world.setup(
            "planning", CREATE_GOAL, {"input": _goal_input(str(subject.player_id))}, as_=Caller.CLUB_ADMIN
        )
        world.found[f"{subject.name}.goal"] = goal["createDevelopmentGoal"]["id"]


async def _fresh_season(case: Case) -> tuple[str, str]:
    season = _season_input()
    made = await case.setup("planning", CREATE_SEASON, {"input": season}, as_=Caller.CLUB_ADMIN)
    return str(made["createSeason"]["id"]), str(season["startDate"])


async def _fresh_phase(case: Case) -> str:
    season, start = await _fresh_season(case)
    made = await case.setup(
        "planning", ADD_PHASE, {"seasonId": season, "input": _phase_input(start)}, as_=Caller.CLUB_ADMIN
    )
    return str(made["addSeasonPhase"]["id"])


async def _fresh_plan(case: Case) -> str:
    made = await case.setup("planning", CREATE_PLAN, {"input": _plan_input(case.team_id)}, as_=Caller.CLUB_ADMIN)
    return str(made["createPracticePlan"]["id"])


async def _fresh_goal(case: Case) -> str:
    made = await case.setup("planning", CREATE_GOAL, {"input": _goal_input(case.player_id)}, as_=Caller.CLUB_ADMIN)
    return str(made["createDevelopmentGoal"]["id"])


async def _fresh_phase_with_start(case: Case) -> tuple[str, str]:
    season, start = await _fresh_season(case)
    made = await case.setup(
        "planning", ADD_PHASE, {"seasonId": season, "input": _phase_input(start)}, as_=Caller.CLUB_ADMIN
    )
    return str(made["addSeasonPhase"]["id"]), start


async def _fresh_block(case: Case) -> str:
    phase, start = await _fresh_phase_with_start(case)
    made = await case.setup(
        "planning", ADD_BLOCK, {"phaseId": phase, "input": _block_input(start)}, as_=Caller.CLUB_ADMIN
    )
    return str(made["addPhaseBlock"]["id"])


async def _fresh_drill(case: Case) -> str:
    made = await case.setup("planning", CREATE_DRILL, {"input": _drill_input()}, as_=Caller.CLUB_ADMIN)
    return str(made["createDrill"]["id"])


async def _fresh_game_plan(case: Case, *, days: int = 10) -> str:
    made = await case.setup(
        "planning", CREATE_GAME_PLAN, {"input": _game_plan_input(case.team_id, days=days)}, as_=Caller.CLUB_ADMIN
    )
    return str(made["createGamePlan"]["id"])


async def _started_plan(case: Case) -> str:
    plan = await _fresh_plan(case)
    await case.setup("planning", PLAN_STATUS, {"id": plan}, as_=Caller.CLUB_ADMIN)
    return plan


async def _add_block(case: Case) -> Variables:
    phase, start = await _fresh_phase_with_start(case)
    return {"phaseId": phase, "input": _block_input(start)}


async def _update_block(case: Case) -> Variables:
    return {"id": await _fresh_block(case), "input": {"intensity": "HIGH"}}


async def _remove_block(case: Case) -> Variables:
    return {"id": await _fresh_block(case)}


async def _demo_drill(case: Case) -> Variables:
    return {"id": str(demo_id("planning", "library-drill", case.world.organization_id, "Breakout 5-on-0"))}


async def _create_drill(case: Case) -> Variables:
    return {"input": _drill_input()}


async def _update_drill(case: Case) -> Variables:
    return {"id": await _fresh_drill(case), "input": {"durationMinutes": 20}}


async def _fresh_drill_id(case: Case) -> Variables:
    return {"id": await _fresh_drill(case)}


async def _rate_drill(case: Case) -> Variables:
    return {"id": await _fresh_drill(case), "stars": 4}


def _attendance(case: Case) -> list[Variables]:
    return [{"playerId": case.player_id, "status": "PRESENT"}]


async def _record_attendance(case: Case) -> Variables:
    return {"id": await _started_plan(case), "entries": _attendance(case)}


async def _evaluate(case: Case) -> Variables:
    plan = await _started_plan(case)
    await case.setup("planning", ATTENDANCE, {"id": plan, "entries": _attendance(case)}, as_=Caller.CLUB_ADMIN)
    return {"id": plan, "playerId": case.player_id, "rating": 4}


async def _game_plan(case: Case) -> Variables:
    return {"id": case.found("game_plan")}


async def _create_game_plan(case: Case) -> Variables:
    return {"input": _game_plan_input(case.team_id)}


async def _update_game_plan(case: Case) -> Variables:
    return {"id": await _fresh_game_plan(case), "input": {"objectives": "Win the neutral zone."}}


async def _set_lineup(case: Case) -> Variables:
    return {"id": await _fresh_game_plan(case), "input": {"lineType": "POWER_PLAY"}}


async def _review_game(case: Case) -> Variables:
    return {"id": await _fresh_game_plan(case, days=-1), "review": "The power play needs a second entry."}


async def _demo_season(case: Case) -> Variables:
    return {"id": str(case.world.club.season_id)}


async def _team(case: Case) -> Variables:
    return {"teamId": case.team_id}


async def _plan(case: Case) -> Variables:
    return {"id": case.found("plan")}


async def _goals(case: Case) -> Variables:
    return {"playerId": case.player_id}


async def _create_season(case: Case) -> Variables:
    return {"input": _season_input()}


async def _update_season(case: Case) -> Variables:
    season, _ = await _fresh_season(case)
    return {"id": season, "input": {"name": unique("Renamed season")}}


async def _add_phase(case: Case) -> Variables:
    season, start = await _fresh_season(case)
    return {"seasonId": season, "input": _phase_input(start)}


async def _update_phase(case: Case) -> Variables:
    return {"id": await _fresh_phase(case), "input": {"focus": "Conditioning base"}}


async def _remove_phase(case: Case) -> Variables:
    return {"id": await _fresh_phase(case)}


async def _create_plan(case: Case) -> Variables:
    return {"input": _plan_input(case.team_id)}


async def _update_plan(case: Case) -> Variables:
    return {"id": await _fresh_plan(case), "input": {"focus": "Neutral-zone regroups"}}


async def _plan_status(case: Case) -> Variables:
    return {"id": await _fresh_plan(case), "status": "IN_PROGRESS"}


async def _duplicate_plan(case: Case) -> Variables:
    return {"id": await _fresh_plan(case), "date": (today() + timedelta(days=27)).isoformat()}


async def _create_goal(case: Case) -> Variables:
    return {"input": _goal_input(case.player_id)}


async def _update_goal(case: Case) -> Variables:
    return {"id": await _fresh_goal(case), "input": {"targetValue": 97}}


async def _progress(case: Case) -> Variables:
    return {"id": await _fresh_goal(case), "value": 84}


async def _season_key(case: Case) -> str:
    return str(case.world.club.season_id)


async def _plan_key(case: Case) -> str:
    return str(case.found("plan"))


SEASON = "{ id name startDate endDate }"
PLAN = "{ id title date status }"
GOAL = "{ id title currentValue status }"
DRILL = "{ id name category durationMinutes }"
GAME_PLAN = "{ id opponent gameDate }"

OPERATIONS = {
    "Query.seasons": Operation(f"query Seasons {{ seasons {SEASON} }}"),
    "Query.season": Operation(f"query Season($id: ID!) {{ season(id: $id) {SEASON} }}", _demo_season),
    "Query.currentSeasonPhase": Operation(
        "query Phase($teamId: ID) { currentSeasonPhase(teamId: $teamId) { id kind name } }",
        _team,
    ),
    "Query.practicePlans": Operation(PLANS, _team),
    "Query.practicePlan": Operation(f"query Plan($id: ID!) {{ practicePlan(id: $id) {PLAN} }}", _plan),
    "Query.developmentGoals": Operation(
        f"query Goals($playerId: ID) {{ developmentGoals(playerId: $playerId) {GOAL} }}", _goals
    ),
    "Mutation.createSeason": Operation(CREATE_SEASON, _create_season),
    "Mutation.updateSeason": Operation(
        f"mutation Rename($id: ID!, $input: UpdateSeasonInput!) {{ updateSeason(id: $id, input: $input) {SEASON} }}",
        _update_season,
    ),
    "Mutation.addSeasonPhase": Operation(ADD_PHASE, _add_phase),
    "Mutation.updateSeasonPhase": Operation(
        "mutation PhaseFocus($id: ID!, $input: UpdateSeasonPhaseInput!) { updateSeasonPhase(id: $id, input: $input) "
        "{ id kind focus } }",
        _update_phase,
    ),
    "Mutation.removeSeasonPhase": Operation(
        f"mutation Unphase($id: ID!) {{ removeSeasonPhase(id: $id) {SEASON} }}", _remove_phase
    ),
    "Mutation.createPracticePlan": Operation(CREATE_PLAN, _create_plan),
    "Mutation.updatePracticePlan": Operation(
        f"mutation Replan($id: ID!, $input: UpdatePracticePlanInput!) {{ updatePracticePlan(id: $id, input: $input) "
        f"{PLAN} }}",
        _update_plan,
    ),
    "Mutation.changePracticePlanStatus": Operation(
        f"mutation Start($id: ID!, $status: PracticePlanStatus!) {{ changePracticePlanStatus(id: $id, status: "
        f"$status) {PLAN} }}",
        _plan_status,
    ),
    "Mutation.duplicatePracticePlan": Operation(
        f"mutation Copy($id: ID!, $date: Date!) {{ duplicatePracticePlan(id: $id, date: $date) {PLAN} }}",
        _duplicate_plan,
    ),
    "Mutation.createDevelopmentGoal": Operation(CREATE_GOAL, _create_goal),
    "Mutation.updateDevelopmentGoal": Operation(
        f"mutation Retarget($id: ID!, $input: UpdateDevelopmentGoalInput!) {{ updateDevelopmentGoal(id: $id, "
        f"input: $input) {GOAL} }}",
        _update_goal,
    ),
    "Mutation.recordDevelopmentGoalProgress": Operation(
        f"mutation Measure($id: ID!, $value: Float!) {{ recordDevelopmentGoalProgress(id: $id, value: $value) "
        f"{GOAL} }}",
        _progress,
    ),
    "Query.currentPhase": Operation(
        "query Now($teamId: ID!) { currentPhase(teamId: $teamId) { id kind name blocks { name } } }", _team
    ),
    "Query.drills": Operation(f"query Library {{ drills {DRILL} }}"),
    "Query.drill": Operation(f"query Drill($id: ID!) {{ drill(id: $id) {DRILL} }}", _demo_drill),
    "Query.gamePlans": Operation(f"query GamePlans {{ gamePlans {GAME_PLAN} }}"),
    "Query.gamePlan": Operation(f"query GamePlan($id: ID!) {{ gamePlan(id: $id) {GAME_PLAN} }}", _game_plan),
    "Mutation.addPhaseBlock": Operation(ADD_BLOCK, _add_block),
    "Mutation.updatePhaseBlock": Operation(
        "mutation Harder($id: ID!, $input: UpdatePhaseBlockInput!) { updatePhaseBlock(id: $id, input: $input) "
        "{ id name intensity } }",
        _update_block,
    ),
    "Mutation.removePhaseBlock": Operation(
        "mutation Unblock($id: ID!) { removePhaseBlock(id: $id) { id kind name } }", _remove_block
    ),
    "Mutation.createDrill": Operation(CREATE_DRILL, _create_drill),
    "Mutation.updateDrill": Operation(
        f"mutation Redrill($id: ID!, $input: UpdateDrillInput!) {{ updateDrill(id: $id, input: $input) {DRILL} }}",
        _update_drill,
    ),
    "Mutation.removeDrill": Operation("mutation Undrill($id: ID!) { removeDrill(id: $id) }", _fresh_drill_id),
    "Mutation.rateDrill": Operation(
        "mutation Rate($id: ID!, $stars: Int!) { rateDrill(id: $id, stars: $stars) { id name averageRating } }",
        _rate_drill,
    ),
    "Mutation.recordPracticeAttendance": Operation(ATTENDANCE, _record_attendance),
    "Mutation.evaluatePracticePlayer": Operation(
        "mutation Evaluate($id: ID!, $playerId: ID!, $rating: Int!) { evaluatePracticePlayer(id: $id, "
        "playerId: $playerId, rating: $rating) { id attendance { status rating } } }",
        _evaluate,
    ),
    "Mutation.createGamePlan": Operation(CREATE_GAME_PLAN, _create_game_plan),
    "Mutation.updateGamePlan": Operation(
        f"mutation Regame($id: ID!, $input: UpdateGamePlanInput!) {{ updateGamePlan(id: $id, input: $input) "
        f"{GAME_PLAN} }}",
        _update_game_plan,
    ),
    "Mutation.setGameLineup": Operation(
        f"mutation Lines($id: ID!, $input: LineupInput!) {{ setGameLineup(id: $id, input: $input) {GAME_PLAN} }}",
        _set_lineup,
    ),
    "Mutation.reviewGame": Operation(
        "mutation Review($id: ID!, $review: String!) { reviewGame(id: $id, review: $review) { id review } }",
        _review_game,
    ),
    "_entities.Season": entity("Season", "id name startDate", key=_season_key),
    "_entities.PracticePlan": entity("PracticePlan", "id title date", key=_plan_key),
    "Player.developmentGoals": entity("Player", f"developmentGoals {GOAL}"),
}
