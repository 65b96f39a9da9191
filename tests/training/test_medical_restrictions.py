"""Medical restrictions reach training: the medical service's `restriction.changed` and `injury.*` events,
written by its mutations and relayed over the event bus, flag the players' open workouts that now conflict,
clear the flags when lifted or resolved, and refuse conflicting assignments unless overridden."""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.auth.principal import Principal, Role
from shared.database.kernel import outbox_events, processed_events
from shared.events import Event
from subgraphs.training import content, service
from subgraphs.training.models import (
    ExerciseCategory,
    MuscleGroup,
    PlayerRestriction,
    RestrictionConflict,
    Workout,
    WorkoutKind,
)
from subgraphs.training.restrictions.consumers import EVENT_HANDLERS
from tests.conftest import ServiceFactory
from tests.medical.factories import add_to_roster
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.training.factories import TODAY, Club, make_assignment, make_exercise, make_strength_workout

RECORD_INJURY = """
mutation Record($input: RecordInjuryInput!) { recordInjury(input: $input) { id } }
"""
RESOLVE_INJURY = """
mutation Resolve($id: ID!) { resolveInjury(id: $id, liftRestrictions: true) { status } }
"""
ADD_RESTRICTION = """
mutation Restrict($input: AddRestrictionInput!) { addRestriction(input: $input) { id } }
"""
LIFT_RESTRICTION = "mutation Lift($id: ID!) { liftRestriction(id: $id) { id } }"

PLAYER_TRAINING = """
query Player($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Player {
      trainingRestrictions { kind bodyPart maxIntensityPercent startsOn endsOn expectedReturnOn summary }
      assignedWorkouts {
        workout { name }
        flaggedByRestriction
        restrictionConflicts { reason overridden restriction { kind } }
      }
    }
  }
}
"""
ASSIGN = """
mutation Assign($input: AssignWorkoutInput!) {
  assignWorkout(input: $input) {
    id
    restrictionOverride { reason overriddenAt overriddenBy { id } }
    players {
      id player { id } flaggedByRestriction restrictionConflicts { reason overridden }
      compliance { status loadFactor reasons }
      restrictionOverride { id status reason requestedBy { id } }
    }
  }
}
"""
ASSIGNMENTS = "query { workoutAssignments { id } }"
COMPLETE = "mutation Complete($id: ID!) { completeAssignedWorkout(id: $id, rpe: 6, minutes: 30) { status } }"
DECIDE = """
mutation Decide($id: ID!, $approve: Boolean!, $note: String) {
  decideRestrictionOverride(id: $id, approve: $approve, note: $note) {
    status decisionNote decidedAt decidedBy { id } requestedBy { id }
  }
}
"""
PENDING = "query { restrictionOverrideRequests(status: PENDING) { id reason status } }"
MY_WORKOUTS = """
query Player($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Player { assignedWorkouts { id status skippedReason flaggedByRestriction workout { name } } }
  }
}
"""


@pytest.fixture
async def medical(service: ServiceFactory) -> RunningService:
    return await service("medical")


@dataclasses.dataclass
class Setting:
    club: Club
    medic: Principal
    player_id: uuid.UUID
    teammate_id: uuid.UUID
    lower_body: Workout
    upper_body: Workout


@pytest.fixture
async def setting(training: RunningService, medical: RunningService, club: Club) -> Setting:
    """A senior player with a lower-body and an upper-body workout open this week, a teammate with the
    lower-body one, and the club's medical staff: both players are on the medical service's roster."""
    player_id, teammate_id = club.senior_players[0], club.senior_players[1]
    for one in (player_id, teammate_id):
        await add_to_roster(medical, player_id=one, organization_id=club.organization_id, team_id=club.senior_id)
    squat = await make_exercise(training, by=club.trainer)
    bench = await make_exercise(
        training,
        by=club.trainer,
        name="Bench Press",
        category=ExerciseCategory.STRENGTH,
        muscle_groups=(MuscleGroup.CHEST, MuscleGroup.TRICEPS),
    )
    lower = await make_strength_workout(training, by=club.trainer, exercise=squat, name="Lower body A")
    upper = await make_strength_workout(training, by=club.trainer, exercise=bench, name="Upper body A")
    await make_assignment(training, by=club.trainer, workout=lower, player_ids=(player_id, teammate_id), days=7)
    await make_assignment(training, by=club.trainer, workout=upper, player_ids=(player_id,), days=7)
    medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id, teams=[club.senior_id])
    return Setting(club, medic, player_id, teammate_id, lower, upper)


@contextlib.asynccontextmanager
async def medical_events_reach_training(medical: RunningService, training: RunningService) -> AsyncIterator[None]:
    """With RabbitMQ both services share the broker's exchange. In the embedded mode each test service has
    an in-process bus of its own (`hockey-hub up` gives all services of a process one): this carries the
    medical service's events over to the training service's bus for the test."""
    if training.runtime.settings.amqp_url is not None:
        yield
        return
    carrying = True

    async def carry(event: Event) -> None:
        if carrying:
            await training.runtime.bus.publish(event)

    await medical.runtime.bus.consume(f"test-bridge-{uuid.uuid4().hex[:8]}", list(EVENT_HANDLERS), carry)
    try:
        yield
    finally:
        carrying = False


async def _player(training: RunningService, setting: Setting, player_id: uuid.UUID | None = None) -> dict[str, Any]:
    variables = {"reps": [{"__typename": "Player", "id": str(player_id or setting.player_id)}]}
    response = await training.graphql.execute(PLAYER_TRAINING, variables, as_=setting.club.trainer)
    player: dict[str, Any] = response.ok()["_entities"][0]
    return player


def _flags(player: dict[str, Any]) -> dict[str, list[str]]:
    """Workout name -> the reasons of its conflicts (sorted), for the workouts a restriction touches (adapted,
    exempt or refused; not those accepted by an override)."""
    return {
        row["workout"]["name"]: sorted(conflict["reason"] for conflict in row["restrictionConflicts"])
        for row in player["assignedWorkouts"]
        if any(not conflict["overridden"] for conflict in row["restrictionConflicts"])
    }


async def _until_flags(
    training: RunningService, setting: Setting, expected: dict[str, list[str]], *, kinds: set[str] | None = None
) -> dict[str, Any]:
    """Poll until the player's flags (and, if given, the kinds of their restrictions) are as expected. One
    request reads restrictions and flags in separate statements, so both are waited for."""

    async def probe() -> dict[str, Any] | None:
        player = await _player(training, setting)
        seen = {row["kind"] for row in player["trainingRestrictions"]}
        return player if _flags(player) == expected and (kinds is None or seen == kinds) else None

    return await eventually(probe)


async def _medical(medical: RunningService, setting: Setting, query: str, variables: dict[str, Any]) -> Any:
    return (await medical.graphql.execute(query, variables, as_=setting.medic)).ok()


async def _restrict(medical: RunningService, setting: Setting, **values: Any) -> str:
    data = await _medical(medical, setting, ADD_RESTRICTION, {"input": {"playerId": str(setting.player_id), **values}})
    restriction_id: str = data["addRestriction"]["id"]
    return restriction_id


async def test_a_restriction_flags_the_open_workouts_it_forbids_until_lifted(
    training: RunningService, medical: RunningService, setting: Setting
) -> None:
    ends_on = TODAY + timedelta(days=14)
    async with medical_events_reach_training(medical, training):
        # when the medical staff keep the player off lower-body load for two weeks, protecting the knee
        restriction_id = await _restrict(
            medical, setting, kind="NO_LOWER_BODY_LOAD", bodyPart="KNEE", endsOn=str(ends_on), reason="ACL sprain"
        )
        # then the lower-body workout is flagged with a reason the trainer can read; the upper-body one not
        reason = f"Player restricted from lower-body load (knee) until {ends_on}: Back Squat loads the lower body"
        player = await _until_flags(training, setting, {"Lower body A": [reason]}, kinds={"NO_LOWER_BODY_LOAD"})
        # and the trainer sees the restriction itself, without the medical reason behind it
        assert player["trainingRestrictions"] == [
            {
                "kind": "NO_LOWER_BODY_LOAD",
                "bodyPart": "knee",
                "maxIntensityPercent": None,
                "startsOn": str(TODAY),
                "endsOn": str(ends_on),
                "expectedReturnOn": None,
                "summary": f"Player restricted from lower-body load (knee) until {ends_on}",
            }
        ]
        assert "ACL" not in str(player)
        # and the teammate's part of the same assignment is not flagged
        assert _flags(await _player(training, setting, setting.teammate_id)) == {}
        # when the restriction is lifted, the flag goes
        await _medical(medical, setting, LIFT_RESTRICTION, {"id": restriction_id})
        player = await _until_flags(training, setting, {}, kinds=set())
    assert player["trainingRestrictions"] == []


async def test_an_active_injury_makes_the_player_unavailable_until_it_resolves(
    training: RunningService, medical: RunningService, setting: Setting
) -> None:
    occurred_on, back_on = TODAY - timedelta(days=1), TODAY + timedelta(days=10)
    async with medical_events_reach_training(medical, training):
        # when the medical staff record an active injury, with a rest order tied to it
        data = await _medical(
            medical,
            setting,
            RECORD_INJURY,
            {
                "input": {
                    "playerId": str(setting.player_id),
                    "bodyPart": "SHOULDER",
                    "diagnosis": "AC joint separation",
                    "severity": "MODERATE",
                    "occurredOn": str(occurred_on),
                    "expectedReturnOn": str(back_on),
                    "notes": "Sling for a week",
                }
            },
        )
        injury_id = data["recordInjury"]["id"]
        await _restrict(medical, setting, kind="REST", injuryId=injury_id)
        # then every open workout of the player is flagged, for the injury and for the rest order
        unavailable = f"Player unavailable (injured) since {occurred_on}, expected back {back_on}: no workouts"
        rest = "Player on rest until lifted: no workouts"
        both = sorted([unavailable, rest])
        player = await _until_flags(
            training, setting, {"Lower body A": both, "Upper body A": both}, kinds={"UNAVAILABLE", "REST"}
        )
        assert "AC joint" not in str(player)
        assert "Sling" not in str(player)
        # when the injury resolves and its restrictions are lifted, every flag goes
        await _medical(medical, setting, RESOLVE_INJURY, {"id": injury_id})
        player = await _until_flags(training, setting, {}, kinds=set())
    assert player["trainingRestrictions"] == []


def _assign(setting: Setting, workout: Workout, **values: Any) -> dict[str, Any]:
    return {
        "input": {
            "workoutId": str(workout.id),
            "startsOn": str(TODAY + timedelta(days=1)),
            "playerIds": [str(setting.player_id), str(setting.teammate_id)],
            "onConflict": "KEEP_BOTH",
            **values,
        }
    }


async def _agility(training: RunningService, setting: Setting) -> Workout:
    async with training.runtime.sessions() as session, session.begin():
        return await service.create_workout(
            session,
            setting.club.trainer,
            name="Quick feet",
            kind=WorkoutKind.AGILITY,
            draft=content.WorkoutContent(drills=(content.AgilityDrill(name="T-drill", target_seconds=9.5, reps=4),)),
        )


async def test_an_unadaptable_assignment_needs_an_override_the_medical_staff_approve(
    training: RunningService, medical: RunningService, setting: Setting
) -> None:
    trainer, medic = setting.club.trainer, setting.medic
    agility = await _agility(training, setting)
    async with medical_events_reach_training(medical, training):
        # given the player is limited to 55 % intensity (MODERATE), as training knows
        await _restrict(medical, setting, kind="LIMITED_INTENSITY", maxIntensityPercent=55, severity="MODERATE")
        reason = "Player limited to 55% intensity until lifted: strength work at 100% load"
        await _until_flags(training, setting, {"Lower body A": [reason], "Upper body A": [reason]})
    before = len((await training.graphql.execute(ASSIGNMENTS, as_=trainer)).ok()["workoutAssignments"])

    # when the trainer gives the player and a teammate maximal agility drills, it is refused: nothing adapts
    # drills, the error names the restriction and what could not be adapted, and nothing is assigned
    refused = await training.graphql.execute(ASSIGN, _assign(setting, agility), as_=trainer)
    error = refused.error("RESTRICTION_CONFLICT")
    assert error["extensions"]["field"] == "overrideRestriction"
    [conflict] = error["extensions"]["conflicts"]
    assert (conflict["playerId"], conflict["restriction"], conflict["severity"]) == (
        str(setting.player_id),
        "LIMITED_INTENSITY",
        "MODERATE",
    )
    [unadaptable] = error["extensions"]["notCompliant"]
    assert "agility drills are maximal efforts" in unadaptable["reasons"][-1]
    after = (await training.graphql.execute(ASSIGNMENTS, as_=trainer)).ok()["workoutAssignments"]
    assert len(after) == before

    # when a strength workout is assigned instead, it is adapted without any override: the load capped at 55 %
    adapted = (await training.graphql.execute(ASSIGN, _assign(setting, setting.lower_body), as_=trainer)).ok()
    players = {row["player"]["id"]: row for row in adapted["assignWorkout"]["players"]}
    assert players[str(setting.player_id)]["compliance"]["status"] == "PARTIALLY_COMPLIANT"
    assert players[str(setting.player_id)]["compliance"]["loadFactor"] == 0.55
    assert players[str(setting.teammate_id)]["compliance"]["status"] == "COMPLIANT"
    assert adapted["assignWorkout"]["restrictionOverride"] is None

    # when the trainer asks for an override, the drills are assigned, the request recorded and pending
    override = _assign(setting, agility, overrideRestriction={"reason": "Reaction work at walking pace"})
    assigned = (await training.graphql.execute(ASSIGN, override, as_=trainer)).ok()["assignWorkout"]
    assert assigned["restrictionOverride"]["reason"] == "Reaction work at walking pace"
    players = {row["player"]["id"]: row for row in assigned["players"]}
    mine, teammate = players[str(setting.player_id)], players[str(setting.teammate_id)]
    assert mine["compliance"]["status"] == "NOT_COMPLIANT"
    assert mine["restrictionOverride"]["status"] == "PENDING"
    assert mine["restrictionOverride"]["requestedBy"] == {"id": str(trainer.user_id)}
    assert mine["flaggedByRestriction"]
    assert (teammate["restrictionOverride"], teammate["flaggedByRestriction"]) == (None, False)
    pending = (await training.graphql.execute(PENDING, as_=medic)).ok()["restrictionOverrideRequests"]
    assert [row["id"] for row in pending] == [mine["restrictionOverride"]["id"]]

    # then the player cannot record it until the medical staff approve; the teammate can
    player = principal(Role.PLAYER, organization_id=setting.club.organization_id, player_id=setting.player_id)
    blocked = await training.graphql.execute(COMPLETE, {"id": mine["id"]}, as_=player)
    assert "awaits the medical staff" in blocked.error("CONFLICT")["message"]
    (await training.graphql.execute(COMPLETE, {"id": teammate["id"]}, as_=trainer)).ok()

    # and only the medical staff decide: not the trainer
    request_id = mine["restrictionOverride"]["id"]
    by_trainer = await training.graphql.execute(DECIDE, {"id": request_id, "approve": True}, as_=trainer)
    assert by_trainer.codes == ["FORBIDDEN"]
    approved = (
        await training.graphql.execute(
            DECIDE, {"id": request_id, "approve": True, "note": "Walking pace only"}, as_=medic
        )
    ).ok()["decideRestrictionOverride"]
    assert (approved["status"], approved["decisionNote"], approved["decidedBy"]) == (
        "APPROVED",
        "Walking pace only",
        {"id": str(medic.user_id)},
    )
    again = await training.graphql.execute(DECIDE, {"id": request_id, "approve": False}, as_=medic)
    assert again.error("CONFLICT")["message"] == "the override was already approved"
    done = await training.graphql.execute(COMPLETE, {"id": mine["id"]}, as_=player)
    assert done.ok()["completeAssignedWorkout"]["status"] == "COMPLETED"

    # when another override is rejected, the player's workout is skipped with the medical staff's note
    second = (await training.graphql.execute(ASSIGN, override, as_=trainer)).ok()["assignWorkout"]
    [rejected_part] = [row for row in second["players"] if row["player"]["id"] == str(setting.player_id)]
    rejected = await training.graphql.execute(
        DECIDE,
        {"id": rejected_part["restrictionOverride"]["id"], "approve": False, "note": "Not this week"},
        as_=medic,
    )
    assert rejected.ok()["decideRestrictionOverride"]["status"] == "REJECTED"
    variables = {"reps": [{"__typename": "Player", "id": str(setting.player_id)}]}
    [entity] = (await training.graphql.execute(MY_WORKOUTS, variables, as_=trainer)).ok()["_entities"]
    [skipped] = [row for row in entity["assignedWorkouts"] if row["id"] == rejected_part["id"]]
    assert (skipped["status"], skipped["skippedReason"]) == (
        "SKIPPED",
        "Override rejected by the medical staff: Not this week",
    )
    refused_again = await training.graphql.execute(COMPLETE, {"id": rejected_part["id"]}, as_=player)
    assert "needs the medical staff" in refused_again.error("CONFLICT")["message"]

    # and an empty override reason is bad input
    blank = await training.graphql.execute(
        ASSIGN, _assign(setting, agility, overrideRestriction={"reason": "  "}), as_=trainer
    )
    assert blank.error("BAD_USER_INPUT")["extensions"]["field"] == "overrideRestriction.reason"


async def _outbox(medical: RunningService, event_type: str) -> list[Event]:
    async with medical.runtime.sessions() as session:
        rows = await session.execute(
            select(outbox_events).where(outbox_events.c.type == event_type).order_by(outbox_events.c.seq)
        )
        return [
            Event(
                id=row.id,
                type=row.type,
                producer=row.producer,
                occurred_at=row.occurred_at,
                organization_id=row.organization_id,
                data=row.data,
            )
            for row in rows
        ]


async def _count(training: RunningService, statement: Any) -> int:
    async with training.runtime.sessions() as session:
        return int(await session.scalar(statement) or 0)


async def _flag_times(training: RunningService) -> list[tuple[uuid.UUID, datetime]]:
    async with training.runtime.sessions() as session:
        rows = await session.execute(select(RestrictionConflict.restriction_id, RestrictionConflict.flagged_at))
        return sorted((row[0], row[1]) for row in rows)


async def _has_restriction(training: RunningService, restriction_id: str) -> bool:
    statement = (
        select(func.count()).select_from(PlayerRestriction).where(PlayerRestriction.id == uuid.UUID(restriction_id))
    )
    return await _count(training, statement) == 1


async def test_redelivered_and_late_events_change_nothing(
    training: RunningService, medical: RunningService, setting: Setting
) -> None:
    ends_on = TODAY + timedelta(days=5)
    reason = f"Player restricted from upper-body load (shoulder) until {ends_on}: Bench Press loads the upper body"
    async with medical_events_reach_training(medical, training):
        restriction_id = await _restrict(
            medical, setting, kind="NO_UPPER_BODY_LOAD", bodyPart="SHOULDER", endsOn=str(ends_on)
        )
        await _until_flags(training, setting, {"Upper body A": [reason]})
        [added] = await _outbox(medical, "restriction.changed")
        flagged = await _flag_times(training)
        # when the broker delivers the same event again (and then another event, to know it was handled)
        await training.runtime.bus.publish(added)
        marker = await _restrict(medical, setting, kind="NO_CONTACT")
        await eventually(lambda: _has_restriction(training, marker))
        # then it was applied once: one processed record, the one flag as it was
        processed = select(func.count()).select_from(processed_events).where(processed_events.c.event_id == added.id)
        assert await _count(training, processed) == 1
        assert await _flag_times(training) == flagged
        # when the restriction is lifted, and only then an older copy of the "added" event arrives late
        await _medical(medical, setting, LIFT_RESTRICTION, {"id": restriction_id})
        await _until_flags(training, setting, {}, kinds={"NO_CONTACT"})
        late = dataclasses.replace(added, id=uuid.uuid4())
        await training.runtime.bus.publish(late)
        late_seen = select(func.count()).select_from(processed_events).where(processed_events.c.event_id == late.id)
        await eventually(lambda: _count(training, late_seen))
    # then the newer "lifted" state stands
    player = await _player(training, setting)
    assert _flags(player) == {}
    assert [row["kind"] for row in player["trainingRestrictions"]] == ["NO_CONTACT"]
