"""The training service's live sessions: started by a team's trainers and coaches for a workout, followed
by them and the players taking part, who report their own progress.

Each anchor player's team has a live session with the player in it, started at setup by the physical
trainer on the workout given to that player; writes work on sessions started for the case.
"""

from __future__ import annotations

from tests.authorization.cases import Case, Operation, Variables
from tests.authorization.table import Caller
from tests.authorization.world import Subject, World

SESSION = "{ id status version }"
START = f"mutation Live($input: StartLiveSessionInput!) {{ startLiveSession(input: $input) {SESSION} }}"


def _start_input(world: World, subject: Subject, *players: str) -> Variables:
    return {
        "input": {
            "workoutId": world.found[f"{subject.name}.workout"],
            "teamId": str(subject.team_id),
            "playerIds": list(players) or [str(subject.player_id)],
        }
    }


async def prepare(world: World) -> None:
    for subject in (world.junior, world.senior):
        started = await world.setup("training", START, _start_input(world, subject), as_=Caller.PHYSICAL_TRAINER)
        world.found[f"{subject.name}.live"] = started["startLiveSession"]["id"]


def _teammate(case: Case) -> str:
    roster = case.world.club.roster(case.subject.team_id)
    return str(next(player.id for player in roster if player.id != case.subject.player_id))


async def _fresh(case: Case, *players: str) -> str:
    started = await case.setup(
        "training", START, _start_input(case.world, case.subject, *players), as_=Caller.PHYSICAL_TRAINER
    )
    return str(started["startLiveSession"]["id"])


async def _live(case: Case) -> Variables:
    return {"id": case.found("live")}


async def _start(case: Case) -> Variables:
    return _start_input(case.world, case.subject)


async def _progress(case: Case) -> Variables:
    return {"input": {"sessionId": await _fresh(case), "playerId": case.player_id, "completionPercent": 40}}


async def _join(case: Case) -> Variables:
    """A session the case's player is not in yet (a teammate is), for them to join."""
    return {"id": await _fresh(case, _teammate(case)), "playerId": case.player_id}


async def _leave(case: Case) -> Variables:
    return {"id": await _fresh(case), "playerId": case.player_id}


async def _end(case: Case) -> Variables:
    return {"id": await _fresh(case)}


OPERATIONS = {
    "Query.liveSession": Operation(f"query Live($id: ID!) {{ liveSession(id: $id) {SESSION} }}", _live),
    "Mutation.startLiveSession": Operation(START, _start),
    "Mutation.reportLiveProgress": Operation(
        "mutation Progress($input: ReportLiveProgressInput!) { reportLiveProgress(input: $input) "
        "{ status completionPercent } }",
        _progress,
    ),
    "Mutation.joinLiveSession": Operation(
        f"mutation Join($id: ID!, $playerId: ID) {{ joinLiveSession(id: $id, playerId: $playerId) {SESSION} }}",
        _join,
    ),
    "Mutation.leaveLiveSession": Operation(
        f"mutation Leave($id: ID!, $playerId: ID) {{ leaveLiveSession(id: $id, playerId: $playerId) {SESSION} }}",
        _leave,
    ),
    "Subscription.liveSession": Operation(f"subscription Follow($id: ID!) {{ liveSession(id: $id) {SESSION} }}", _live),
    "Mutation.endLiveSession": Operation(f"mutation End($id: ID!) {{ endLiveSession(id: $id) {SESSION} }}", _end),
}
