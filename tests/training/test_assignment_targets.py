"""Giving out assignments: to a team's players at one position (positions from the user service's player
events), recurring with RFC 5545 rules, and clashes with players' other open workouts (refused unless the
trainer chooses SKIP, REPLACE or KEEP_BOTH), with per-player load modifiers."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from shared.events import Event
from subgraphs.training.models import Workout
from tests.support.services import RunningService
from tests.training.factories import TODAY, Club, make_assignment, make_exercise, make_strength_workout
from tests.training.test_restriction_rules import deliver

ASSIGN = """
mutation Assign($input: AssignWorkoutInput!) {
  assignWorkout(input: $input) {
    id startsOn endsOn position
    players { player { id } loadModifierPercent }
    series { startsOn endsOn players { player { id } } }
  }
}
"""
ASSIGN_LINE = """
mutation Assign($input: AssignWorkoutInput!) {
  assignWorkout(input: $input) { line { lineType unit } players { player { id } } }
}
"""
BLOCKS = """
query Player($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Player {
      assignedWorkouts {
        trainingBlock { name intensity phaseKind loadTargetPercent }
        prescription { exercises { sets { loadKg } } }
      }
    }
  }
}
"""
PLAYER_WORKOUTS = """
query Player($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Player { assignedWorkouts { startsOn status skippedReason workout { name } } }
  }
}
"""


@pytest.fixture
async def workouts(training: RunningService, club: Club) -> tuple[Workout, Workout]:
    squat = await make_exercise(training, by=club.trainer)
    return (
        await make_strength_workout(training, by=club.trainer, exercise=squat, name="Legs"),
        await make_strength_workout(training, by=club.trainer, exercise=squat, name="Legs again"),
    )


async def _player_event(training: RunningService, club: Club, player_id: uuid.UUID, position: str) -> None:
    """`player.updated` as the user service writes it, carrying the player's position."""
    event = Event(
        type="player.updated",
        producer="user",
        organization_id=club.organization_id,
        data={
            "player_id": str(player_id),
            "team_id": str(club.senior_id),
            "first_name": "Oskar",
            "last_name": "Lindqvist",
            "position": position,
            "is_active": True,
        },
    )
    await deliver(training, event)


def _input(workout: Workout, **values: Any) -> dict[str, Any]:
    return {"input": {"workoutId": str(workout.id), "startsOn": str(TODAY), **values}}


async def test_an_assignment_to_a_position_expands_to_the_teams_players_there(
    training: RunningService, club: Club, workouts: tuple[Workout, Workout]
) -> None:
    # given the senior team's players: a goalie, a center and a defenceman
    goalie, center, defence = club.senior_players
    for player_id, position in ((goalie, "goalie"), (center, "center"), (defence, "defense")):
        await _player_event(training, club, player_id, position)
    legs, _ = workouts
    # when the trainer assigns to the team's forwards, then to its goalies at 80 %
    forwards = _input(legs, teamId=str(club.senior_id), position="FORWARD")
    assigned = (await training.graphql.execute(ASSIGN, forwards, as_=club.trainer)).ok()["assignWorkout"]
    # then only the center gets it, and the assignment says whom it was for
    assert assigned["position"] == "FORWARD"
    assert [row["player"]["id"] for row in assigned["players"]] == [str(center)]
    goalies = _input(
        legs,
        teamId=str(club.senior_id),
        position="GOALIE",
        loadModifiers=[{"playerId": str(goalie), "percent": 80}],
        onConflict="KEEP_BOTH",
    )
    assigned = (await training.graphql.execute(ASSIGN, goalies, as_=club.trainer)).ok()["assignWorkout"]
    assert assigned["players"] == [{"player": {"id": str(goalie)}, "loadModifierPercent": 80}]
    # and a modifier for someone outside the assignment, a position without a team, or an empty position
    # are bad input
    outside = _input(
        legs,
        teamId=str(club.senior_id),
        position="GOALIE",
        loadModifiers=[{"playerId": str(center), "percent": 80}],
        onConflict="KEEP_BOTH",
    )
    for variables, field in (
        (outside, "loadModifiers[0].playerId"),
        (_input(legs, playerIds=[str(center)], position="GOALIE"), "teamId"),
        (_input(legs, teamId=str(club.senior_id), position="LEFT_WING"), "position"),
    ):
        response = await training.graphql.execute(ASSIGN, variables, as_=club.trainer)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field


async def test_a_recurring_assignment_creates_one_assignment_per_occurrence(
    training: RunningService, club: Club, workouts: tuple[Workout, Workout]
) -> None:
    legs, _ = workouts
    player = club.senior_players[0]
    # when the trainer gives a two-day workout every Monday and Thursday, four times, from next Monday
    monday = TODAY + timedelta(days=(7 - TODAY.weekday()) % 7 or 7)
    variables = _input(
        legs,
        startsOn=str(monday),
        endsOn=str(monday + timedelta(days=1)),
        playerIds=[str(player)],
        recurrence={"frequency": "WEEKLY", "weekdays": [1, 4], "count": 4},
    )
    assigned = (await training.graphql.execute(ASSIGN, variables, as_=club.trainer)).ok()["assignWorkout"]
    # then the series holds four occurrences of two days each, on Mondays and Thursdays
    starts = [monday, monday + timedelta(3), monday + timedelta(7), monday + timedelta(10)]
    assert [(row["startsOn"], row["endsOn"]) for row in assigned["series"]] == [
        (str(day), str(day + timedelta(1))) for day in starts
    ]
    assert (assigned["startsOn"], assigned["endsOn"]) == (str(monday), str(monday + timedelta(1)))
    # and the player holds each of them
    reps = {"reps": [{"__typename": "Player", "id": str(player)}]}
    [entity] = (await training.graphql.execute(PLAYER_WORKOUTS, reps, as_=club.trainer)).ok()["_entities"]
    assert [row["startsOn"] for row in entity["assignedWorkouts"]] == [str(day) for day in starts]


@pytest.mark.parametrize(
    ("recurrence", "field", "message"),
    [
        ({"frequency": "DAILY"}, "recurrence", "(until) or after a count"),
        ({"frequency": "DAILY", "count": 3, "until": str(TODAY + timedelta(9))}, "recurrence", "count"),
        ({"frequency": "DAILY", "count": 61}, "recurrence.count", "at most 60"),
        ({"frequency": "DAILY", "until": str(TODAY + timedelta(400))}, "recurrence.until", "at most 366 days"),
        ({"frequency": "DAILY", "until": str(TODAY - timedelta(1))}, "recurrence.until", "before startsOn"),
        ({"frequency": "DAILY", "weekdays": [1], "count": 2}, "recurrence.weekdays", "WEEKLY"),
        ({"frequency": "WEEKLY", "weekdays": [8], "count": 2}, "recurrence.weekdays", "at most 7"),
        ({"frequency": "DAILY", "interval": 0, "count": 2}, "recurrence.interval", "at least 1"),
        ({"frequency": "DAILY", "count": 3}, "recurrence", "would overlap"),
    ],
)
async def test_invalid_recurrences_name_the_field(
    training: RunningService,
    club: Club,
    workouts: tuple[Workout, Workout],
    recurrence: dict[str, Any],
    field: str,
    message: str,
) -> None:
    legs, _ = workouts
    # the last case: three-day occurrences every day would overlap one another
    variables = _input(
        legs, endsOn=str(TODAY + timedelta(2)), playerIds=[str(club.senior_players[0])], recurrence=recurrence
    )
    error = (await training.graphql.execute(ASSIGN, variables, as_=club.trainer)).error("BAD_USER_INPUT")
    assert error["extensions"]["field"] == field
    assert message in error["message"]


async def test_clashes_are_refused_until_the_trainer_chooses_what_to_do(
    training: RunningService, club: Club, workouts: tuple[Workout, Workout]
) -> None:
    # given the first senior player holds "Legs" today and tomorrow
    legs, again = workouts
    busy, free, third = club.senior_players
    await make_assignment(training, by=club.trainer, workout=legs, player_ids=(busy,), days=2)
    team = {"teamId": str(club.senior_id), "startsOn": str(TODAY + timedelta(1))}

    async def workouts_of(player_id: uuid.UUID) -> list[tuple[str, str, str | None]]:
        reps = {"reps": [{"__typename": "Player", "id": str(player_id)}]}
        [entity] = (await training.graphql.execute(PLAYER_WORKOUTS, reps, as_=club.trainer)).ok()["_entities"]
        return sorted(
            (row["workout"]["name"], row["status"], row["skippedReason"]) for row in entity["assignedWorkouts"]
        )

    # when "Legs again" goes to the team tomorrow without a choice, it is refused naming the clash
    refused = await training.graphql.execute(ASSIGN, _input(again, **team), as_=club.trainer)
    error = refused.error("CONFLICT")
    assert error["extensions"]["field"] == "onConflict"
    [clash] = error["extensions"]["clashes"]
    assert (clash["playerId"], clash["workoutName"]) == (str(busy), "Legs")
    assert await workouts_of(free) == []
    # when the trainer chooses SKIP, the busy player is left out
    skipped = (await training.graphql.execute(ASSIGN, _input(again, **team, onConflict="SKIP"), as_=club.trainer)).ok()
    assert {row["player"]["id"] for row in skipped["assignWorkout"]["players"]} == {str(free), str(third)}
    assert await workouts_of(busy) == [("Legs", "ASSIGNED", None)]
    # when the trainer chooses REPLACE, the busy player's "Legs" is skipped as replaced
    # (and the others' "Legs again" from before, for the same days)
    (await training.graphql.execute(ASSIGN, _input(again, **team, onConflict="REPLACE"), as_=club.trainer)).ok()
    replaced = f"Replaced by Legs again ({TODAY + timedelta(1)})"
    assert await workouts_of(busy) == [("Legs", "SKIPPED", replaced), ("Legs again", "ASSIGNED", None)]
    assert await workouts_of(free) == [("Legs again", "ASSIGNED", None), ("Legs again", "SKIPPED", replaced)]
    # when everyone already holds one and the trainer says SKIP, nothing is assigned, and it says so
    nothing = await training.graphql.execute(ASSIGN, _input(again, **team, onConflict="SKIP"), as_=club.trainer)
    assert "nothing was assigned" in nothing.error("CONFLICT")["message"]
    # and KEEP_BOTH gives them both
    (await training.graphql.execute(ASSIGN, _input(legs, **team, onConflict="KEEP_BOTH"), as_=club.trainer)).ok()
    assert await workouts_of(free) == [
        ("Legs", "ASSIGNED", None),
        ("Legs again", "ASSIGNED", None),
        ("Legs again", "SKIPPED", replaced),
    ]


def _lineup_event(club: Club, game_day: date, forwards: list[uuid.UUID], defence: list[uuid.UUID]) -> Event:
    """`lineup.set` as planning writes it: an even-strength lineup with one forward line and one pair."""
    slots = [{"group": "forwards", "unit": 1, "position": n, "player_id": str(p)} for n, p in enumerate(forwards, 1)]
    slots += [{"group": "defence", "unit": 1, "position": n, "player_id": str(p)} for n, p in enumerate(defence, 1)]
    slots.append({"group": "goalies", "unit": 1, "position": 1, "player_id": str(uuid.uuid4())})
    return Event(
        type="lineup.set",
        producer="planning",
        organization_id=club.organization_id,
        data={
            "game_plan_id": str(uuid.uuid4()),
            "team_id": str(club.senior_id),
            "game_date": game_day.isoformat(),
            "line_type": "even_strength",
            "slots": slots,
        },
    )


async def test_an_assignment_to_a_line_expands_to_the_latest_lineups_skaters(
    training: RunningService, club: Club, workouts: tuple[Workout, Workout]
) -> None:
    legs, _ = workouts
    first, second, third = club.senior_players
    # given the next game's lineup (first two up front, the third on defence), and an older game's arriving late
    await deliver(training, _lineup_event(club, TODAY + timedelta(2), [first, second], [third]))
    await deliver(training, _lineup_event(club, TODAY - timedelta(5), [third], [first]))
    # when the trainer assigns to the first even-strength line
    line = {"lineType": "EVEN_STRENGTH", "unit": 1}
    variables = _input(legs, teamId=str(club.senior_id), line=line)
    assigned = (await training.graphql.execute(ASSIGN_LINE, variables, as_=club.trainer)).ok()["assignWorkout"]
    # then its skaters of the latest game's lineup get it, never its goalie
    assert sorted(row["player"]["id"] for row in assigned["players"]) == sorted(map(str, (first, second, third)))
    assert assigned["line"] == line
    # and a unit the lineup lacks, a line without a team, or both a line and a position are bad input
    for values, field in (
        ({"teamId": str(club.senior_id), "line": {"lineType": "EVEN_STRENGTH", "unit": 2}}, "line"),
        ({"teamId": str(club.senior_id), "line": {"lineType": "POWER_PLAY", "unit": 1}}, "line"),
        ({"teamId": str(club.senior_id), "line": {"lineType": "EVEN_STRENGTH", "unit": 5}}, "line.unit"),
        ({"playerIds": [str(first)], "line": line}, "teamId"),
        ({"teamId": str(club.senior_id), "line": line, "position": "GOALIE"}, "line"),
    ):
        response = await training.graphql.execute(ASSIGN_LINE, _input(legs, **values), as_=club.trainer)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field


def _phase_event(club: Club, phase_id: uuid.UUID, intensity: str, *, change: str = "updated") -> Event:
    """`planning.phase.changed` as planning writes it, with one block around today."""
    block = {
        "block_id": str(uuid.uuid5(phase_id, intensity)),
        "name": f"{intensity.title()} block",
        "intensity": intensity,
        "focus_areas": ["strength"],
        "start_date": (TODAY - timedelta(3)).isoformat(),
        "end_date": (TODAY + timedelta(10)).isoformat(),
    }
    return Event(
        type="planning.phase.changed",
        producer="planning",
        organization_id=club.organization_id,
        data={
            "change": change,
            "season_id": str(uuid.uuid4()),
            "phase_id": str(phase_id),
            "kind": "regular_season",
            "name": None,
            "start_date": (TODAY - timedelta(30)).isoformat(),
            "end_date": (TODAY + timedelta(60)).isoformat(),
            "blocks": [block],
        },
    )


async def test_the_training_blocks_intensity_sets_the_players_load_target(
    training: RunningService, club: Club, workouts: tuple[Workout, Workout]
) -> None:
    legs, _ = workouts
    player = club.senior_players[0]
    await make_assignment(training, by=club.trainer, workout=legs, player_ids=(player,))
    reps = {"reps": [{"__typename": "Player", "id": str(player)}]}

    async def target() -> tuple[Any, list[float]]:
        [entity] = (await training.graphql.execute(BLOCKS, reps, as_=club.trainer)).ok()["_entities"]
        [row] = entity["assignedWorkouts"]
        loads = [one["loadKg"] for one in row["prescription"]["exercises"][0]["sets"]]
        return row["trainingBlock"], loads

    # without a planned block the prescription (3 x 5 at 100 kg) stands
    assert await target() == (None, [100.0, 100.0, 100.0])
    # when planning puts the club in a LOW block, the load target is 75 %
    phase_id = uuid.uuid4()
    await deliver(training, _phase_event(club, phase_id, "low"))
    block, loads = await target()
    assert (block["intensity"], block["loadTargetPercent"], block["phaseKind"]) == ("low", 75, "regular_season")
    assert loads == [75.0, 75.0, 75.0]
    # and when the block becomes a PEAK one, then the phase is removed, the target follows
    await deliver(training, _phase_event(club, phase_id, "peak"))
    assert (await target())[1] == [105.0, 105.0, 105.0]
    await deliver(training, _phase_event(club, phase_id, "peak", change="removed"))
    assert await target() == (None, [100.0, 100.0, 100.0])
