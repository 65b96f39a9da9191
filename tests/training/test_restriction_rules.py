"""Which workouts a restriction forbids (`subgraphs/training/restrictions/rules.py`), who sees players'
restrictions, and what a changed workout does to its flags. The restrictions arrive as the medical
service's `restriction.changed` events, published on the training service's bus."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from shared.auth.principal import Role
from shared.database.kernel import processed_events
from shared.events import Event
from subgraphs.training import content, service
from subgraphs.training.models import ConditioningEquipment, MuscleGroup, Workout, WorkoutKind
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.support.waiting import eventually
from tests.training.factories import (
    TODAY,
    Club,
    add_to_roster,
    make_assignment,
    make_exercise,
    make_strength_workout,
)

RESTRICTIONS_ONLY = """
query Players($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Player { trainingRestrictions { kind summary } } }
}
"""
ASSIGN = "mutation Assign($input: AssignWorkoutInput!) { assignWorkout(input: $input) { id } }"
UPDATE_WORKOUT = """
mutation Update($id: ID!, $input: WorkoutInput!) { updateWorkout(id: $id, input: $input) { id } }
"""
RESTRICTIONS = """
query Players($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Player {
      trainingRestrictions { kind summary }
      assignedWorkouts { flaggedByRestriction restrictionConflicts { reason restriction { kind } } }
    }
  }
}
"""


@dataclass
class Library:
    squat: Workout
    bench: Workout
    rower_zone_4: Workout
    ski_erg_zone_2: Workout
    agility: Workout


@pytest.fixture
async def library(training: RunningService, club: Club) -> Library:
    squat = await make_exercise(training, by=club.trainer)
    bench = await make_exercise(
        training, by=club.trainer, name="Bench Press", muscle_groups=(MuscleGroup.CHEST, MuscleGroup.TRICEPS)
    )

    async def conditioning(name: str, equipment: ConditioningEquipment, zone: int) -> Workout:
        program = content.IntervalProgram(
            equipment=equipment,
            intervals=(content.Interval(work_seconds=240, rest_seconds=180, repeats=4, heart_rate_zone=zone),),
        )
        async with training.runtime.sessions() as session, session.begin():
            return await service.create_workout(
                session,
                club.trainer,
                name=name,
                kind=WorkoutKind.CONDITIONING,
                draft=content.WorkoutContent(interval_program=program),
            )

    async with training.runtime.sessions() as session, session.begin():
        agility = await service.create_workout(
            session,
            club.trainer,
            name="Agility",
            kind=WorkoutKind.AGILITY,
            draft=content.WorkoutContent(drills=(content.AgilityDrill(name="T-drill", target_seconds=9.5, reps=4),)),
        )
    return Library(
        squat=await make_strength_workout(training, by=club.trainer, exercise=squat, name="Squat day"),
        bench=await make_strength_workout(training, by=club.trainer, exercise=bench, name="Bench day"),
        rower_zone_4=await conditioning("Rower 4x4", ConditioningEquipment.ROWER, 4),
        ski_erg_zone_2=await conditioning("Ski erg base", ConditioningEquipment.SKI_ERG, 2),
        agility=agility,
    )


def restriction_event(
    club: Club,
    player_id: uuid.UUID,
    kind: str,
    *,
    restriction_id: uuid.UUID | None = None,
    starts_on: date = TODAY,
    ends_on: date | None = None,
    max_intensity_percent: int | None = None,
    body_part: str | None = None,
    change: str = "added",
) -> Event:
    """A `restriction.changed` event as the medical service writes it (`subgraphs/medical/events.py`)."""
    return Event(
        type="restriction.changed",
        producer="medical",
        organization_id=club.organization_id,
        data={
            "restriction_id": str(restriction_id or uuid.uuid4()),
            "player_id": str(player_id),
            "injury_id": None,
            "change": change,
            "kind": kind.lower(),
            "body_part": body_part,
            "max_intensity_percent": max_intensity_percent,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "lifted": change == "lifted",
            "medical_status": "limited",
        },
    )


async def _processed(training: RunningService, event: Event) -> bool:
    async with training.runtime.sessions() as session:
        found = await session.execute(
            select(processed_events.c.event_id).where(processed_events.c.event_id == event.id)
        )
        return found.first() is not None


async def deliver(training: RunningService, event: Event) -> None:
    await training.runtime.bus.publish(event)
    await eventually(lambda: _processed(training, event))


async def _new_player(training: RunningService, club: Club) -> uuid.UUID:
    player_id = uuid.uuid4()
    await add_to_roster(training, player_id=player_id, organization_id=club.organization_id, team_id=club.senior_id)
    return player_id


CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("REST", {}, "bench", "Player on rest until lifted: no workouts"),
    ("NO_LOWER_BODY_LOAD", {"body_part": "knee"}, "squat", "(knee) until lifted: Back Squat loads the lower body"),
    ("NO_LOWER_BODY_LOAD", {}, "bench", None),
    ("NO_LOWER_BODY_LOAD", {}, "rower_zone_4", "intervals on the rower load the lower body"),
    ("NO_LOWER_BODY_LOAD", {}, "ski_erg_zone_2", None),
    ("NO_LOWER_BODY_LOAD", {}, "agility", "agility drill T-drill loads the lower body"),
    ("NO_UPPER_BODY_LOAD", {}, "bench", "Bench Press loads the upper body"),
    ("NO_UPPER_BODY_LOAD", {}, "squat", None),
    ("NO_UPPER_BODY_LOAD", {}, "ski_erg_zone_2", "intervals on the ski erg load the upper body"),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 80}, "rower_zone_4", "intervals in heart-rate zone 4 reach 90%"),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 90}, "rower_zone_4", None),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 70}, "ski_erg_zone_2", None),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 95}, "agility", "agility drill T-drill is a maximal effort"),
    ("NO_SKATING", {}, "agility", None),
    ("NO_CONTACT", {}, "squat", None),
    ("NO_GAME_PLAY", {}, "squat", None),
    ("REST", {"starts_on": TODAY + timedelta(days=3)}, "squat", None),
    ("REST", {"starts_on": TODAY - timedelta(days=9), "ends_on": TODAY - timedelta(days=1)}, "squat", None),
]


@pytest.mark.parametrize(("kind", "extra", "workout", "forbidden"), CASES)
async def test_what_each_restriction_forbids(
    training: RunningService,
    club: Club,
    library: Library,
    kind: str,
    extra: dict[str, Any],
    workout: str,
    forbidden: str | None,
) -> None:
    # given a player under the restriction
    player_id = await _new_player(training, club)
    await deliver(training, restriction_event(club, player_id, kind, **extra))
    # when the trainer assigns the workout for today and tomorrow
    variables = {
        "input": {
            "workoutId": str(getattr(library, workout).id),
            "startsOn": str(TODAY),
            "endsOn": str(TODAY + timedelta(days=1)),
            "playerIds": [str(player_id)],
        }
    }
    response = await training.graphql.execute(ASSIGN, variables, as_=club.trainer)
    # then it is refused with the reason, or assigned
    if forbidden is None:
        response.ok()
        return
    [conflict] = response.error("RESTRICTION_CONFLICT")["extensions"]["conflicts"]
    assert conflict["restriction"] == kind
    assert conflict["reason"].endswith(forbidden)


async def test_a_changed_workout_is_flagged_and_unflagged_for_its_restricted_players(
    training: RunningService, club: Club, library: Library
) -> None:
    # given a player kept off upper-body load, with a lower-body workout assigned (no conflict)
    player_id = club.senior_players[0]
    await deliver(training, restriction_event(club, player_id, "NO_UPPER_BODY_LOAD", ends_on=TODAY + timedelta(7)))
    workout = library.squat
    await make_assignment(training, by=club.trainer, workout=workout, player_ids=(player_id,), days=3)
    assert await _conflict_reasons(training, club, player_id) == []
    squat_exercise = workout.content["exercises"][0]["exercise_id"]
    bench_exercise = library.bench.content["exercises"][0]["exercise_id"]

    def changed(exercise_id: str) -> dict[str, Any]:
        sets = [{"reps": 5, "loadKg": 60}]
        return {"name": "Squat day", "kind": "STRENGTH", "exercises": [{"exerciseId": exercise_id, "sets": sets}]}

    # when the trainer turns it into a bench-press workout, it is flagged
    update = {"id": str(workout.id), "input": changed(bench_exercise)}
    (await training.graphql.execute(UPDATE_WORKOUT, update, as_=club.trainer)).ok()
    until = TODAY + timedelta(7)
    assert await _conflict_reasons(training, club, player_id) == [
        f"Player restricted from upper-body load until {until}: Bench Press loads the upper body"
    ]
    # and when it is turned back, the flag goes
    update = {"id": str(workout.id), "input": changed(squat_exercise)}
    (await training.graphql.execute(UPDATE_WORKOUT, update, as_=club.trainer)).ok()
    assert await _conflict_reasons(training, club, player_id) == []


async def _conflict_reasons(training: RunningService, club: Club, player_id: uuid.UUID) -> list[str]:
    variables = {"reps": [{"__typename": "Player", "id": str(player_id)}]}
    [player] = (await training.graphql.execute(RESTRICTIONS, variables, as_=club.trainer)).ok()["_entities"]
    return [
        conflict["reason"]
        for row in player["assignedWorkouts"]
        if row["flaggedByRestriction"]
        for conflict in row["restrictionConflicts"]
    ]


async def test_who_sees_a_players_restrictions(training: RunningService, club: Club, library: Library) -> None:
    player_id, teammate_id = club.senior_players[0], club.senior_players[1]
    await deliver(training, restriction_event(club, player_id, "NO_CONTACT", body_part="lower_back"))
    representation = {"reps": [{"__typename": "Player", "id": str(player_id)}]}

    async def seen_by(*roles: Role, **who: Any) -> Any:
        caller = principal(*roles, organization_id=club.organization_id, **who)
        return await training.graphql.execute(RESTRICTIONS_ONLY, representation, as_=caller)

    expected = [{"kind": "NO_CONTACT", "summary": "Player restricted from contact (lower back) until lifted"}]
    for allowed in (
        await seen_by(Role.PHYSICAL_TRAINER),
        await seen_by(Role.ASSISTANT_COACH),
        await seen_by(Role.MEDICAL_STAFF),
        await seen_by(Role.PLAYER, player_id=player_id),
        await seen_by(Role.PARENT, children=[player_id], minor_children=[player_id]),
    ):
        assert allowed.ok()["_entities"][0]["trainingRestrictions"] == expected
    for refused in (
        await seen_by(Role.PLAYER, player_id=teammate_id),
        await seen_by(Role.PARENT, children=[player_id], minor_children=[]),
        await seen_by(Role.EQUIPMENT_MANAGER),
    ):
        assert refused.codes == ["FORBIDDEN"]
    # and another club's trainer sees nothing of it
    stranger = principal(Role.PHYSICAL_TRAINER, organization_id=uuid.uuid4())
    response = await training.graphql.execute(RESTRICTIONS_ONLY, representation, as_=stranger)
    assert response.ok()["_entities"][0]["trainingRestrictions"] == []


async def test_restrictions_and_flags_of_a_team_load_in_one_statement_each(
    training: RunningService, club: Club, library: Library
) -> None:
    # given every senior player restricted, and the squat workout assigned to the team
    for player_id in club.senior_players:
        await deliver(training, restriction_event(club, player_id, "NO_LOWER_BODY_LOAD"))
    await make_assignment(training, by=club.trainer, workout=library.bench, team_id=club.senior_id)
    refused = await training.graphql.execute(
        ASSIGN,
        {"input": {"workoutId": str(library.squat.id), "startsOn": str(TODAY), "teamId": str(club.senior_id)}},
        as_=club.trainer,
    )
    assert len(refused.error("RESTRICTION_CONFLICT")["extensions"]["conflicts"]) == 3
    override = {"reason": "Isometric variation for all"}
    (
        await training.graphql.execute(
            ASSIGN,
            {
                "input": {
                    "workoutId": str(library.squat.id),
                    "startsOn": str(TODAY),
                    "teamId": str(club.senior_id),
                    "overrideRestriction": override,
                }
            },
            as_=club.trainer,
        )
    ).ok()
    representations = {"reps": [{"__typename": "Player", "id": str(one)} for one in club.senior_players]}
    # when the trainer reads the team's restrictions and flags
    with count_statements(training.engine) as log:
        players = (await training.graphql.execute(RESTRICTIONS, representations, as_=club.trainer)).ok()["_entities"]
    # then restrictions, workouts and conflicts take one statement each
    assert log.count == 3, [statement[:80] for statement in log.statements]
    for player in players:
        assert [row["kind"] for row in player["trainingRestrictions"]] == ["NO_LOWER_BODY_LOAD"]
        conflicts = [row["restrictionConflicts"] for row in player["assignedWorkouts"]]
        assert sorted(len(one) for one in conflicts) == [0, 1]
        assert not any(row["flaggedByRestriction"] for row in player["assignedWorkouts"])


async def test_a_late_lift_of_an_unknown_restriction_keeps_it_lifted(training: RunningService, club: Club) -> None:
    # given the "lifted" event arrives before the "added" one it follows
    player_id, restriction_id = club.senior_players[0], uuid.uuid4()
    now = datetime.now(UTC)
    added = restriction_event(club, player_id, "REST", restriction_id=restriction_id)
    lifted = restriction_event(club, player_id, "REST", restriction_id=restriction_id, change="lifted")
    await deliver(training, _at(lifted, now))
    await deliver(training, _at(added, now - timedelta(seconds=5)))
    # then the player is not restricted
    variables = {"reps": [{"__typename": "Player", "id": str(player_id)}]}
    [player] = (await training.graphql.execute(RESTRICTIONS, variables, as_=club.trainer)).ok()["_entities"]
    assert player["trainingRestrictions"] == []


def _at(event: Event, occurred_at: datetime) -> Event:
    return dataclasses.replace(event, occurred_at=occurred_at)


async def test_workouts_whose_days_have_passed_are_not_flagged(
    training: RunningService, club: Club, library: Library
) -> None:
    # given a player with a rest order since ten days ago, an open workout of last week, and one of today
    player_id = club.senior_players[0]
    await make_assignment(
        training, by=club.trainer, workout=library.bench, player_ids=(player_id,), starts_on=TODAY - timedelta(7)
    )
    await make_assignment(training, by=club.trainer, workout=library.squat, player_ids=(player_id,))
    await deliver(training, restriction_event(club, player_id, "REST", starts_on=TODAY - timedelta(10)))
    # then only today's workout is flagged
    variables = {"reps": [{"__typename": "Player", "id": str(player_id)}]}
    [player] = (await training.graphql.execute(RESTRICTIONS, variables, as_=club.trainer)).ok()["_entities"]
    assert [row["flaggedByRestriction"] for row in player["assignedWorkouts"]] == [False, True]
