"""The demo club on its plan: payment's demo subscription reaches the user service as `subscription.changed`
and the club, as the demo seeds it, stays within every limit of that plan."""

from __future__ import annotations

import pytest

from shared.auth.principal import Role
from shared.demo import demo_club
from shared.plans import SUBSCRIPTION_CHANGED
from subgraphs.payment.demo import load_demo as load_payment_demo
from subgraphs.user.demo import load_demo as load_user_demo
from tests.conftest import ServiceFactory
from tests.support.event_flow import carried
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.waiting import eventually

PLAN = """
query Plan {
  organization { plan { name tier isDefault limits { maxTeams maxPlayers maxUsers } usage { teams players users } } }
}
"""


@pytest.fixture
async def payment(service: ServiceFactory) -> RunningService:
    return await service("payment")


async def test_the_demo_club_is_on_the_standard_plan_and_within_it(
    user: RunningService, payment: RunningService
) -> None:
    # given the demo club at the user service, and its billing loaded while events flow
    club = demo_club()
    async with user.runtime.sessions() as session, session.begin():
        assert await load_user_demo(session, club) is True
    admin = club.person("admin@lynx.example")
    as_admin = principal(Role.CLUB_ADMIN, organization_id=club.organization_id, user_id=admin.id)
    async with carried(payment, [user], [SUBSCRIPTION_CHANGED]):
        async with payment.runtime.sessions() as session, session.begin():
            assert await load_payment_demo(session, club) is True

        # when the demo's subscription changes have arrived
        async def on_standard() -> dict[str, object] | None:
            plan: dict[str, object] = (await user.graphql.execute(PLAN, as_=as_admin)).ok()["organization"]["plan"]
            return plan if plan["name"] == "Standard (annual)" else None

        plan = await eventually(on_standard)
    # then the club is on the standard annual plan, and uses less than it allows
    assert (plan["tier"], plan["isDefault"]) == ("standard", False)
    limits, usage = plan["limits"], plan["usage"]
    assert isinstance(limits, dict)
    assert isinstance(usage, dict)
    assert limits == {"maxTeams": 4, "maxPlayers": 120, "maxUsers": 350}
    assert usage["teams"] == len(club.teams) == 2
    assert usage["players"] == len(club.players)
    assert usage["teams"] < limits["maxTeams"]
    assert usage["players"] < limits["maxPlayers"]
    assert usage["users"] < limits["maxUsers"]
