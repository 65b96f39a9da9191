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
      assignedWorkouts {
        flaggedByRestriction compliance { status } restrictionConflicts { reason restriction { kind } }
      }
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
    severity: str | None = None,
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
            **({"severity": severity} if severity is not None else {}),
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


ASSIGN_ADAPTED = """
mutation Assign($input: AssignWorkoutInput!) {
  assignWorkout(input: $input) {
    players {
      compliance {
        status loadFactor restFactor heartRateZoneCap reasons
        substitutions {
          path replacedExercise { name } replacementExercise { name } replacedEquipment replacementEquipment
        }
      }
      prescription {
        exercises { exercise { name } sets { loadKg restSeconds } }
        intervalProgram { equipment intervals { heartRateZone restSeconds } }
      }
    }
  }
}
"""

# (restriction, its fields, workout, compliance, what the trainer reads: the swap made, or why not)
CASES: list[tuple[str, dict[str, Any], str, str, str | None]] = [
    ("REST", {}, "bench", "EXEMPT", "Player on rest until lifted"),
    ("NO_LOWER_BODY_LOAD", {"body_part": "knee"}, "squat", "PARTIALLY_COMPLIANT", "Back Squat -> Bench Press"),
    ("NO_LOWER_BODY_LOAD", {}, "bench", "COMPLIANT", None),
    ("NO_LOWER_BODY_LOAD", {}, "rower_zone_4", "PARTIALLY_COMPLIANT", "ROWER -> SKI_ERG"),
    ("NO_LOWER_BODY_LOAD", {}, "ski_erg_zone_2", "COMPLIANT", None),
    ("NO_LOWER_BODY_LOAD", {}, "agility", "NOT_COMPLIANT", "agility drill T-drill loads the lower body"),
    ("NO_UPPER_BODY_LOAD", {}, "bench", "PARTIALLY_COMPLIANT", "Bench Press -> Back Squat"),
    ("NO_UPPER_BODY_LOAD", {}, "squat", "COMPLIANT", None),
    ("NO_UPPER_BODY_LOAD", {}, "ski_erg_zone_2", "PARTIALLY_COMPLIANT", "SKI_ERG -> BIKE"),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 80}, "rower_zone_4", "PARTIALLY_COMPLIANT", "zone cap 3"),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 90}, "rower_zone_4", "COMPLIANT", None),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 70}, "ski_erg_zone_2", "COMPLIANT", None),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 95}, "agility", "NOT_COMPLIANT", "T-drill is a maximal effort"),
    ("LIMITED_INTENSITY", {"max_intensity_percent": 55}, "rower_zone_4", "NOT_COMPLIANT", "zone 4 reach 90%"),
    ("NO_SKATING", {}, "agility", "COMPLIANT", None),
    ("NO_CONTACT", {}, "squat", "COMPLIANT", None),
    ("NO_GAME_PLAY", {}, "squat", "COMPLIANT", None),
    ("REST", {"starts_on": TODAY + timedelta(days=3)}, "squat", "COMPLIANT", None),
    (
        "REST",
        {"starts_on": TODAY - timedelta(days=9), "ends_on": TODAY - timedelta(days=1)},
        "squat",
        "COMPLIANT",
        None,
    ),
]


def _swaps(report: dict[str, Any]) -> list[str]:
    swaps = []
    for one in report["substitutions"]:
        if one["replacedExercise"] is not None:
            swaps.append(f"{one['replacedExercise']['name']} -> {one['replacementExercise']['name']}")
        else:
            swaps.append(f"{one['replacedEquipment']} -> {one['replacementEquipment']}")
    if report["heartRateZoneCap"] is not None:
        swaps.append(f"zone cap {report['heartRateZoneCap']}")
    return swaps


@pytest.mark.parametrize(("kind", "extra", "workout", "compliance", "detail"), CASES)
async def test_how_each_restriction_adapts_a_workout(
    training: RunningService,
    club: Club,
    library: Library,
    kind: str,
    extra: dict[str, Any],
    workout: str,
    compliance: str,
    detail: str | None,
) -> None:
    # given a player under the restriction (MODERATE unless said)
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
    response = await training.graphql.execute(ASSIGN_ADAPTED, variables, as_=club.trainer)
    # then a workout nobody can adapt is refused with the reason; others are assigned, adapted or not
    if compliance == "NOT_COMPLIANT":
        error = response.error("RESTRICTION_CONFLICT")["extensions"]
        [conflict] = error["conflicts"]
        assert conflict["restriction"] == kind
        assert detail is not None
        assert detail in conflict["reason"]
        [player] = error["notCompliant"]
        assert player["playerId"] == str(player_id)
        return
    [assigned] = response.ok()["assignWorkout"]["players"]
    report = assigned["compliance"]
    assert report["status"] == compliance
    if compliance == "COMPLIANT":
        assert (report["loadFactor"], report["restFactor"], report["substitutions"]) == (1.0, 1.0, [])
    elif compliance == "EXEMPT":
        assert detail is not None
        assert any(reason.startswith(detail) for reason in report["reasons"])
    else:
        assert (report["loadFactor"], report["restFactor"]) == (0.6, 1.5)
        assert _swaps(report) == [detail]


SEVERITIES = [("MILD", 0.8, 1.2, 80.0, 144), ("MODERATE", 0.6, 1.5, 60.0, 180), ("SEVERE", 0.3, 2.0, 30.0, 240)]


@pytest.mark.parametrize(("severity", "load", "rest", "load_kg", "rest_seconds"), SEVERITIES)
async def test_severity_scales_the_players_load_and_rest(
    training: RunningService,
    club: Club,
    library: Library,
    severity: str,
    load: float,
    rest: float,
    load_kg: float,
    rest_seconds: int,
) -> None:
    # given a player kept off lower-body load, and a squat day (3 x 5 at 100 kg, 120 s rest) at 100 %
    player_id = await _new_player(training, club)
    await deliver(training, restriction_event(club, player_id, "NO_LOWER_BODY_LOAD", severity=severity.lower()))
    variables = {"input": {"workoutId": str(library.squat.id), "startsOn": str(TODAY), "playerIds": [str(player_id)]}}
    # when it is assigned
    [assigned] = (await training.graphql.execute(ASSIGN_ADAPTED, variables, as_=club.trainer)).ok()["assignWorkout"][
        "players"
    ]
    # then load and rest are scaled by the severity, and the squat is swapped for the bench press
    assert (assigned["compliance"]["loadFactor"], assigned["compliance"]["restFactor"]) == (load, rest)
    [exercise] = assigned["prescription"]["exercises"]
    assert exercise["exercise"]["name"] == "Bench Press"
    assert exercise["sets"] == [{"loadKg": load_kg, "restSeconds": rest_seconds}] * 3


async def test_a_complete_restriction_exempts_and_an_intensity_limit_caps_the_load(
    training: RunningService, club: Club, library: Library
) -> None:
    # given one player under a COMPLETE upper-body restriction, another limited to 50 % (MILD)
    exempt, limited = await _new_player(training, club), await _new_player(training, club)
    await deliver(training, restriction_event(club, exempt, "NO_UPPER_BODY_LOAD", severity="complete"))
    await deliver(
        training, restriction_event(club, limited, "LIMITED_INTENSITY", max_intensity_percent=50, severity="mild")
    )
    variables = {
        "input": {
            "workoutId": str(library.bench.id),
            "startsOn": str(TODAY),
            "playerIds": [str(exempt), str(limited)],
            "loadModifiers": [{"playerId": str(limited), "percent": 80}],
        }
    }
    # when the bench day is assigned to both (the second at 80 %)
    players = (await training.graphql.execute(ASSIGN_ADAPTED, variables, as_=club.trainer)).ok()["assignWorkout"][
        "players"
    ]
    by_status = {player["compliance"]["status"]: player for player in players}
    # then the first is exempt, and the second lifts 50 % of the prescription: 80 % x 0.62, not 80 % x 0.8
    assert set(by_status) == {"EXEMPT", "PARTIALLY_COMPLIANT"}
    partial = by_status["PARTIALLY_COMPLIANT"]
    assert (partial["compliance"]["loadFactor"], partial["compliance"]["restFactor"]) == (0.62, 1.2)
    assert partial["prescription"]["exercises"][0]["sets"][0] == {"loadKg": 49.5, "restSeconds": 144}


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
    return [conflict["reason"] for row in player["assignedWorkouts"] for conflict in row["restrictionConflicts"]]


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
    assert len(refused.error("CONFLICT")["extensions"]["clashes"]) == 3
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
                    "onConflict": "KEEP_BOTH",
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
    # then only today's workout is flagged, and the player is exempt from it
    variables = {"reps": [{"__typename": "Player", "id": str(player_id)}]}
    [player] = (await training.graphql.execute(RESTRICTIONS, variables, as_=club.trainer)).ok()["_entities"]
    rows = player["assignedWorkouts"]
    assert [len(row["restrictionConflicts"]) for row in rows] == [0, 1]
    assert [row["compliance"]["status"] for row in rows] == ["COMPLIANT", "EXEMPT"]
    assert not any(row["flaggedByRestriction"] for row in rows)
