"""A club's plan, from payment to the user and admin services: a plan change made through payment's API
goes out as `subscription.changed`, the user service keeps the plan and refuses teams and players beyond
its limits (PLAN_LIMIT_REACHED), and the admin service shows it. Late, repeated and older events change
nothing a newer one wrote."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.database.kernel import outbox_events, processed_events
from shared.events import Event
from shared.plans import DEFAULT_PLAN, SUBSCRIPTION_CHANGED, PlanLimit
from subgraphs.payment.models import BillingPlan, PlanFeature, PlanTier
from tests.conftest import ServiceFactory
from tests.payment.factories import PLATFORM_ADMIN, make_plan
from tests.support.event_flow import carried, processed
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import Club, make_player

PLAN = """
query Plan {
  organization {
    plan {
      name tier status isDefault features
      limits { maxTeams maxPlayers maxUsers }
      usage { teams players users }
    }
  }
}
"""

ADMIN_PLAN = """
query AdminPlan($organizationId: ID) {
  organizationPlan(organizationId: $organizationId) {
    organization { id } name tier status isDefault features maxTeams maxPlayers maxUsers changedAt
    video: hasFeature(feature: "video_analysis")
  }
}
"""

CHANGE_PLAN = """
mutation ChangePlan($input: ChangeOrganizationPlanInput!) {
  changeOrganizationPlan(input: $input) { id status plan { name } }
}
"""

CREATE_TEAM = """
mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { id name } }
"""

ADD_PLAYER = """
mutation AddPlayer($input: AddPlayerInput!) { addPlayer(input: $input) { id } }
"""


@pytest.fixture
async def payment(service: ServiceFactory) -> RunningService:
    return await service("payment")


@pytest.fixture
async def admin(service: ServiceFactory) -> RunningService:
    return await service("admin")


def _player_input(number: int) -> dict[str, Any]:
    return {
        "firstName": "Nora",
        "lastName": f"Holm {number}",
        "birthDate": "2004-03-09",
        "position": "DEFENSE",
        "shoots": "LEFT",
        "jerseyNumber": number,
    }


async def _basic(payment: RunningService) -> BillingPlan:
    """A one-team plan with room for two players."""
    return await make_plan(
        payment, tier=PlanTier.BASIC, price=4_900, features=(), max_users=25, max_teams=1, max_players=2
    )


async def _premium(payment: RunningService) -> BillingPlan:
    return await make_plan(
        payment,
        tier=PlanTier.PREMIUM,
        price=29_900,
        features=(PlanFeature.MEDICAL_TRACKING, PlanFeature.VIDEO_ANALYSIS),
        max_users=300,
        max_teams=12,
        max_players=None,
    )


async def _change_plan(payment: RunningService, club: Club, plan: BillingPlan) -> None:
    response = await payment.graphql.execute(
        CHANGE_PLAN,
        {"input": {"organizationId": str(club.organization.id), "planId": str(plan.id)}},
        as_=PLATFORM_ADMIN,
    )
    assert response.ok()["changeOrganizationPlan"]["plan"] == {"name": plan.name}


async def _plan(user: RunningService, club: Club) -> dict[str, Any]:
    plan: dict[str, Any] = (await user.graphql.execute(PLAN, as_=club.admin)).ok()["organization"]["plan"]
    return plan


async def _plan_named(user: RunningService, club: Club, name: str) -> dict[str, Any]:
    async def arrived() -> dict[str, Any] | None:
        plan = await _plan(user, club)
        return plan if plan["name"] == name else None

    return await eventually(arrived)


async def _admin_plan(admin: RunningService, club: Club) -> dict[str, Any]:
    plan: dict[str, Any] = (await admin.graphql.execute(ADMIN_PLAN, as_=club.admin)).ok()["organizationPlan"]
    return plan


async def _latest_event(payment: RunningService) -> Event:
    """The newest `subscription.changed` payment wrote, as consumers receive it."""
    async with payment.engine.connect() as connection:
        row = (
            await connection.execute(
                select(outbox_events)
                .where(outbox_events.c.type == SUBSCRIPTION_CHANGED)
                .order_by(outbox_events.c.seq.desc())
                .limit(1)
            )
        ).one()
    return Event(
        id=row.id,
        type=row.type,
        producer=row.producer,
        data=dict(row.data),
        organization_id=row.organization_id,
        occurred_at=row.occurred_at,
    )


async def _times_processed(running: RunningService, event_id: uuid.UUID) -> int:
    async with running.runtime.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(processed_events).where(processed_events.c.event_id == event_id)
        )
    return int(count or 0)


async def _deliver(event: Event, *consumers: RunningService) -> None:
    """Publish as the broker would redeliver it, and wait until every consumer has taken it in."""
    await consumers[0].runtime.bus.publish(event)
    if consumers[0].runtime.settings.amqp_url is None:  # each embedded service has its own bus
        for other in consumers[1:]:
            await other.runtime.bus.publish(event)
    for consumer in consumers:

        async def taken(consumer: RunningService = consumer) -> bool:
            return await processed(consumer, event.id)

        await eventually(taken)


async def test_a_club_without_a_subscription_has_the_default_plan(
    user: RunningService, admin: RunningService, club: Club
) -> None:
    # given a club payment never announced a subscription for
    # when its administrator looks at the plan, here and in the admin console
    plan = await _plan(user, club)
    overview = await _admin_plan(admin, club)
    # then it is the documented default plan, with the club's usage
    assert plan == {
        "name": DEFAULT_PLAN.name,
        "tier": None,
        "status": None,
        "isDefault": True,
        "features": [],
        "limits": {
            "maxTeams": DEFAULT_PLAN.limit(PlanLimit.TEAMS),
            "maxPlayers": DEFAULT_PLAN.limit(PlanLimit.PLAYERS),
            "maxUsers": DEFAULT_PLAN.limit(PlanLimit.USERS),
        },
        "usage": {"teams": 1, "players": 0, "users": 2},
    }
    assert overview["isDefault"] is True
    assert (overview["name"], overview["maxTeams"], overview["changedAt"]) == (DEFAULT_PLAN.name, 4, None)
    assert overview["organization"] == {"id": str(club.organization.id)}


async def test_a_plan_change_reaches_both_services_and_its_limits_are_enforced(
    user: RunningService, payment: RunningService, admin: RunningService, club: Club
) -> None:
    # given a one-team plan for two players, and a premium plan
    basic, premium = await _basic(payment), await _premium(payment)
    async with carried(payment, [user, admin], [SUBSCRIPTION_CHANGED]):
        # when a platform administrator puts the club on the basic plan through payment's API
        await _change_plan(payment, club, basic)
        # then the user service holds the plan, with its limits and the club's usage
        plan = await _plan_named(user, club, basic.name)
        assert (plan["tier"], plan["status"], plan["isDefault"]) == ("basic", "active", False)
        assert plan["limits"] == {"maxTeams": 1, "maxPlayers": 2, "maxUsers": 25}
        assert plan["usage"]["teams"] == 1
        # and the admin console shows it too

        async def in_admin() -> dict[str, Any] | None:
            overview = await _admin_plan(admin, club)
            return overview if overview["name"] == basic.name else None

        overview = await eventually(in_admin)
        assert (overview["tier"], overview["maxTeams"], overview["maxPlayers"], overview["video"]) == (
            "basic",
            1,
            2,
            False,
        )

        # when the club administrator adds a second team
        refused = await user.graphql.execute(
            CREATE_TEAM, {"input": {"name": "Lynx U16", "category": "YOUTH"}}, as_=club.admin
        )
        # then it is refused, naming the limit and the plan
        error = refused.error("PLAN_LIMIT_REACHED")
        assert refused.data is None
        assert error["extensions"]["limit"] == "max_teams"
        assert error["extensions"]["plan"] == basic.name
        assert error["extensions"]["maximum"] == 1
        assert basic.name in error["message"]

        # when two players join the roster, and a third is added
        for number in (4, 5):
            added = await user.graphql.execute(
                ADD_PLAYER, {"input": {**_player_input(number), "teamId": str(club.team.id)}}, as_=club.admin
            )
            added.ok()
        third = await user.graphql.execute(
            ADD_PLAYER, {"input": {**_player_input(6), "teamId": str(club.team.id)}}, as_=club.admin
        )
        # then the third is refused the same way
        assert third.error("PLAN_LIMIT_REACHED")["extensions"]["limit"] == "max_players"
        assert (await _plan(user, club))["usage"] == {"teams": 1, "players": 2, "users": 2}

        # when the club is upgraded to the premium plan
        await _change_plan(payment, club, premium)
        upgraded = await _plan_named(user, club, premium.name)
        assert upgraded["limits"] == {"maxTeams": 12, "maxPlayers": None, "maxUsers": 300}
        assert upgraded["features"] == ["medical_tracking", "video_analysis"]
        # then the team and the player are welcome
        (
            await user.graphql.execute(
                CREATE_TEAM, {"input": {"name": "Lynx U16", "category": "YOUTH"}}, as_=club.admin
            )
        ).ok()
        (
            await user.graphql.execute(
                ADD_PLAYER, {"input": {**_player_input(6), "teamId": str(club.team.id)}}, as_=club.admin
            )
        ).ok()
        overview = await eventually(in_admin_named(admin, club, premium.name))
        assert overview["video"] is True


def in_admin_named(admin: RunningService, club: Club, name: str) -> Any:
    async def probe() -> dict[str, Any] | None:
        overview = await _admin_plan(admin, club)
        return overview if overview["name"] == name else None

    return probe


async def test_an_older_event_arriving_late_does_not_win(
    user: RunningService, payment: RunningService, admin: RunningService, club: Club
) -> None:
    # given the club on the premium plan, which both services know
    basic, premium = await _basic(payment), await _premium(payment)
    async with carried(payment, [user, admin], [SUBSCRIPTION_CHANGED]):
        await _change_plan(payment, club, premium)
        await _plan_named(user, club, premium.name)
        await eventually(in_admin_named(admin, club, premium.name))
    current = await _latest_event(payment)
    # when an event from before it, putting the club on the basic plan, arrives only now
    stale_data: Mapping[str, Any] = {
        **current.data,
        "plan_id": str(basic.id),
        "tier": "basic",
        "plan": {
            "name": basic.name,
            "tier": "basic",
            "features": [],
            "limits": {"max_teams": 1, "max_players": 2, "max_users": 25},
        },
    }
    stale = Event(
        type=SUBSCRIPTION_CHANGED,
        producer="payment",
        data=stale_data,
        organization_id=club.organization.id,
        occurred_at=current.occurred_at - timedelta(minutes=5),
    )
    await _deliver(stale, user, admin)
    # then both services keep the newer premium plan
    assert (await _plan(user, club))["name"] == premium.name
    assert (await _admin_plan(admin, club))["name"] == premium.name
    # and a second team is still allowed
    (await user.graphql.execute(CREATE_TEAM, {"input": {"name": "Lynx B", "category": "SENIOR"}}, as_=club.admin)).ok()


async def test_a_redelivered_event_takes_effect_once(
    user: RunningService, payment: RunningService, admin: RunningService, club: Club
) -> None:
    # given the club moved to the basic plan, then to premium
    basic, premium = await _basic(payment), await _premium(payment)
    async with carried(payment, [user, admin], [SUBSCRIPTION_CHANGED]):
        await _change_plan(payment, club, basic)
        await _plan_named(user, club, basic.name)
        await eventually(in_admin_named(admin, club, basic.name))
        first = await _latest_event(payment)
        await _change_plan(payment, club, premium)
        await _plan_named(user, club, premium.name)
        await eventually(in_admin_named(admin, club, premium.name))
    changed_at = (await _admin_plan(admin, club))["changedAt"]
    latest = await _latest_event(payment)
    # when the broker delivers both events again
    for event in (first, latest):
        await user.runtime.bus.publish(event)
        if user.runtime.settings.amqp_url is None:
            await admin.runtime.bus.publish(event)
    # (a fresh event after them shows the redeliveries were consumed before it)
    marker = Event(type=SUBSCRIPTION_CHANGED, producer="payment", data={}, organization_id=club.organization.id)
    await _deliver(marker, user, admin)
    # then each was taken in once, and the club stays on the premium plan of the newer one
    for consumer in (user, admin):
        assert [await _times_processed(consumer, event.id) for event in (first, latest)] == [1, 1]
    assert (await _plan(user, club))["name"] == premium.name
    assert (await _admin_plan(admin, club))["changedAt"] == changed_at


async def test_a_canceled_subscription_falls_back_to_the_default_plan(
    user: RunningService, payment: RunningService, admin: RunningService, club: Club
) -> None:
    # given the club on the premium plan
    premium = await _premium(payment)
    async with carried(payment, [user, admin], [SUBSCRIPTION_CHANGED]):
        await _change_plan(payment, club, premium)
        await _plan_named(user, club, premium.name)
    current = await _latest_event(payment)
    # when payment announces the subscription canceled
    canceled = Event(
        type=SUBSCRIPTION_CHANGED,
        producer="payment",
        data={**current.data, "status": "canceled", "previous_status": "active"},
        organization_id=club.organization.id,
    )
    await _deliver(canceled, user, admin)
    # then the default plan applies again, and the status says why
    plan = await _plan(user, club)
    assert (plan["name"], plan["isDefault"], plan["status"]) == (DEFAULT_PLAN.name, True, "canceled")
    assert plan["features"] == []
    overview = await _admin_plan(admin, club)
    assert (overview["isDefault"], overview["status"], overview["video"]) == (True, "canceled", False)


async def test_a_removed_player_frees_a_place(user: RunningService, payment: RunningService, club: Club) -> None:
    # given the club on the basic plan with its two players
    basic = await _basic(payment)
    async with carried(payment, [user], [SUBSCRIPTION_CHANGED]):
        await _change_plan(payment, club, basic)
        await _plan_named(user, club, basic.name)
    first = await make_player(user, organization=club.organization, team=club.team, number=7)
    await make_player(user, organization=club.organization, team=club.team, number=8, last_name="Sund")
    refused = await user.graphql.execute(ADD_PLAYER, {"input": _player_input(9)}, as_=club.admin)
    assert refused.error("PLAN_LIMIT_REACHED")["extensions"]["maximum"] == 2
    # when one of them is taken off the roster
    removed = await user.graphql.execute(
        "mutation Remove($id: ID!) { removePlayer(id: $id) { isActive } }", {"id": str(first.id)}, as_=club.admin
    )
    assert removed.ok() == {"removePlayer": {"isActive": False}}
    # then a new player takes the place
    (await user.graphql.execute(ADD_PLAYER, {"input": _player_input(9)}, as_=club.admin)).ok()
    assert (await _plan(user, club))["usage"]["players"] == 2


async def test_two_additions_racing_for_the_last_place_get_one_each(
    user: RunningService, payment: RunningService, club: Club
) -> None:
    # given the club on a two-team plan with one team
    two_teams = await make_plan(payment, tier=PlanTier.BASIC, price=4_900, features=(), max_teams=2, max_players=30)
    async with carried(payment, [user], [SUBSCRIPTION_CHANGED]):
        await _change_plan(payment, club, two_teams)
        await _plan_named(user, club, two_teams.name)
    # when two administrators create a team at the same moment
    responses = await asyncio.gather(
        *(
            user.graphql.execute(CREATE_TEAM, {"input": {"name": name, "category": "JUNIOR"}}, as_=club.admin)
            for name in ("Lynx J18", "Lynx J20")
        )
    )
    # then one is created and the other refused: the club never passes its plan
    assert sorted(str(response.codes) for response in responses) == ["['PLAN_LIMIT_REACHED']", "[]"]
    assert (await _plan(user, club))["usage"]["teams"] == 2


ORGANIZATION_ENTITY = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Organization { id plan { name usage { teams } } } }
}
"""


async def test_the_plan_resolves_on_organization_entities(user: RunningService, club: Club) -> None:
    representations = [{"__typename": "Organization", "id": str(club.organization.id)}]
    data = (await user.graphql.execute(ORGANIZATION_ENTITY, {"representations": representations}, as_=club.coach)).ok()
    assert data["_entities"] == [
        {"id": str(club.organization.id), "plan": {"name": DEFAULT_PLAN.name, "usage": {"teams": 1}}}
    ]
