"""A restriction arriving after a workout was assigned re-assesses it; one no adaptation makes safe needs an
override requested by the training staff and decided by the medical staff, and who sees the requests."""

from __future__ import annotations

from typing import Any

import pytest

from shared.auth.principal import Role
from subgraphs.training import content, service
from subgraphs.training.models import Workout, WorkoutKind
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.training.factories import Club, make_assignment
from tests.training.test_restriction_rules import deliver, restriction_event

WORKOUTS = """
query Player($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Player {
      assignedWorkouts { id flaggedByRestriction compliance { status reasons } restrictionOverride { status } }
    }
  }
}
"""
REQUEST = """
mutation Request($id: ID!, $reason: String!) {
  requestRestrictionOverride(id: $id, reason: $reason) { id status reason requestedBy { id } }
}
"""
REQUESTS = "query { restrictionOverrideRequests { id status } }"
DECIDE = "mutation Decide($id: ID!) { decideRestrictionOverride(id: $id, approve: true) { status } }"


@pytest.fixture
async def drills(training: RunningService, club: Club) -> Workout:
    async with training.runtime.sessions() as session, session.begin():
        return await service.create_workout(
            session,
            club.trainer,
            name="Quick feet",
            kind=WorkoutKind.AGILITY,
            draft=content.WorkoutContent(drills=(content.AgilityDrill(name="T-drill", target_seconds=9.5, reps=4),)),
        )


async def test_a_later_restriction_needs_a_requested_and_approved_override(
    training: RunningService, club: Club, drills: Workout
) -> None:
    player_id, trainer = club.senior_players[0], club.trainer
    await make_assignment(training, by=trainer, workout=drills, player_ids=(player_id,), days=3)
    reps = {"reps": [{"__typename": "Player", "id": str(player_id)}]}

    async def workout() -> dict[str, Any]:
        [entity] = (await training.graphql.execute(WORKOUTS, reps, as_=club.trainer)).ok()["_entities"]
        [row] = entity["assignedWorkouts"]
        return dict(row)

    assert (await workout())["compliance"]["status"] == "COMPLIANT"
    # when the player is kept off lower-body load, the drills cannot be adapted: flagged, not compliant
    await deliver(training, restriction_event(club, player_id, "NO_LOWER_BODY_LOAD", severity="mild"))
    row = await workout()
    assert row["compliance"]["status"] == "NOT_COMPLIANT"
    assert row["flaggedByRestriction"] is True
    # then a coach may not request an override of another club's workout, nor a player, nor without a reason
    stranger = principal(Role.PHYSICAL_TRAINER, organization_id=club.senior_id)
    assert (await training.graphql.execute(REQUEST, {"id": row["id"], "reason": "x"}, as_=stranger)).codes == [
        "NOT_FOUND"
    ]
    as_player = await training.graphql.execute(REQUEST, {"id": row["id"], "reason": "x"}, as_=club.player(player_id))
    assert as_player.codes == ["FORBIDDEN"]
    blank = await training.graphql.execute(REQUEST, {"id": row["id"], "reason": " "}, as_=club.trainer)
    assert blank.error("BAD_USER_INPUT")["extensions"]["field"] == "reason"
    # when the trainer requests it, it is pending, once only
    requested = (
        await training.graphql.execute(REQUEST, {"id": row["id"], "reason": "Seated reaction drills"}, as_=trainer)
    ).ok()["requestRestrictionOverride"]
    assert (requested["status"], requested["requestedBy"]) == ("PENDING", {"id": str(trainer.user_id)})
    twice = await training.graphql.execute(REQUEST, {"id": row["id"], "reason": "Again"}, as_=club.trainer)
    assert twice.codes == ["CONFLICT"]
    # and the coaching and medical staff see the request; the player and the equipment manager do not
    medic = principal(Role.MEDICAL_STAFF, organization_id=club.organization_id)
    for viewer in (club.trainer, medic, club.staff(Role.ASSISTANT_COACH)):
        listed = (await training.graphql.execute(REQUESTS, as_=viewer)).ok()["restrictionOverrideRequests"]
        assert listed == [{"id": requested["id"], "status": "PENDING"}]
    for outsider in (club.player(player_id), club.staff(Role.EQUIPMENT_MANAGER)):
        assert (await training.graphql.execute(REQUESTS, as_=outsider)).codes == ["FORBIDDEN"]
    # when the medical staff approve, the flag goes
    (await training.graphql.execute(DECIDE, {"id": requested["id"]}, as_=medic)).ok()
    row = await workout()
    assert (row["flaggedByRestriction"], row["restrictionOverride"]) == (False, {"status": "APPROVED"})
    # and a workout that is compliant needs no override
    await deliver(training, restriction_event(club, club.senior_players[1], "NO_UPPER_BODY_LOAD", severity="severe"))
    await make_assignment(training, by=club.trainer, workout=drills, player_ids=(club.senior_players[1],))
    reps = {"reps": [{"__typename": "Player", "id": str(club.senior_players[1])}]}
    [entity] = (await training.graphql.execute(WORKOUTS, reps, as_=club.trainer)).ok()["_entities"]
    [other] = entity["assignedWorkouts"]
    assert other["compliance"]["status"] == "COMPLIANT"
    needless = await training.graphql.execute(REQUEST, {"id": other["id"], "reason": "Just in case"}, as_=club.trainer)
    assert needless.codes == ["CONFLICT"]
