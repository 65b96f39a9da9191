"""The club's plan in the admin console (`organizationPlan`): kept from payment's `subscription.changed`
events, readable by the club's members and the platform administrator, the default plan before any."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.events import Event
from shared.plans import DEFAULT_PLAN, SUBSCRIPTION_CHANGED
from tests.admin.conftest import Club
from tests.support.event_flow import processed
from tests.support.services import RunningService
from tests.support.waiting import eventually

PLAN = """
query Plan($organizationId: ID) {
  organizationPlan(organizationId: $organizationId) {
    organization { id } name tier status isDefault features maxTeams maxPlayers maxUsers changedAt
    medical: hasFeature(feature: "medical_tracking")
    video: hasFeature(feature: "VIDEO_ANALYSIS")
  }
}
"""

AT = datetime(2026, 9, 1, 8, tzinfo=UTC)


def _changed(club: Club, *, name: str, tier: str, features: list[str], at: datetime, status: str = "active") -> Event:
    """`subscription.changed` as the payment service publishes it."""
    return Event(
        type=SUBSCRIPTION_CHANGED,
        producer="payment",
        organization_id=club.organization_id,
        occurred_at=at,
        data={
            "status": status,
            "tier": tier,
            "plan": {
                "name": name,
                "tier": tier,
                "features": features,
                "limits": {"max_teams": 4, "max_players": 120, "max_users": None},
            },
        },
    )


async def _deliver(admin: RunningService, event: Event) -> None:
    await admin.runtime.bus.publish(event)

    async def taken() -> bool:
        return await processed(admin, event.id)

    await eventually(taken)


async def _plan(admin: RunningService, club: Club, **variables: Any) -> dict[str, Any]:
    plan: dict[str, Any] = (await admin.graphql.execute(PLAN, variables, as_=club.coach)).ok()["organizationPlan"]
    return plan


async def test_members_see_the_plan_payment_announced(admin: RunningService, club: Club) -> None:
    # given a club on the default plan
    before = await _plan(admin, club)
    assert (before["name"], before["isDefault"], before["status"], before["medical"]) == (
        DEFAULT_PLAN.name,
        True,
        None,
        False,
    )
    # when payment announces its standard subscription
    await _deliver(
        admin, _changed(club, name="Standard (annual)", tier="standard", features=["medical_tracking"], at=AT)
    )
    # then a coach of the club sees the plan, its limits and features
    plan = await _plan(admin, club)
    assert plan == {
        "organization": {"id": str(club.organization_id)},
        "name": "Standard (annual)",
        "tier": "standard",
        "status": "active",
        "isDefault": False,
        "features": ["medical_tracking"],
        "maxTeams": 4,
        "maxPlayers": 120,
        "maxUsers": None,
        "changedAt": AT.isoformat(),
        "medical": True,
        "video": False,
    }
    # and the platform administrator sees it by naming the club
    as_platform = await admin.graphql.execute(PLAN, {"organizationId": str(club.organization_id)}, as_=club.platform)
    assert as_platform.ok()["organizationPlan"]["name"] == "Standard (annual)"


async def test_the_newest_event_wins_whatever_the_order(admin: RunningService, club: Club) -> None:
    newer = _changed(club, name="Premium", tier="premium", features=["video_analysis"], at=AT + timedelta(days=1))
    older = _changed(club, name="Basic", tier="basic", features=[], at=AT)
    # when the newer change arrives before the older one, and again
    for event in (newer, older, newer):
        await _deliver(admin, event)
    # then the newer stands
    plan = await _plan(admin, club)
    assert (plan["name"], plan["video"], plan["changedAt"]) == ("Premium", True, (AT + timedelta(days=1)).isoformat())


async def test_other_clubs_plans_are_forbidden_and_ids_checked(admin: RunningService, club: Club) -> None:
    response = await admin.graphql.execute(
        PLAN, {"organizationId": str(club.organization_id)}, as_=club.other_club_admin
    )
    assert response.codes == ["FORBIDDEN"]
    response = await admin.graphql.execute(PLAN, {"organizationId": "not-an-id"}, as_=club.platform)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "organizationId"
    anonymous = await admin.graphql.execute(PLAN)
    assert anonymous.codes == ["UNAUTHENTICATED"]
