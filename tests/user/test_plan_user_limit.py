"""The plan's `max_users` (active accounts in the club), enforced wherever the user service adds an active
account: inviting a new or inactive account, accepting the invitation, creating a user directly, and
reactivating one. Each refusal is PLAN_LIMIT_REACHED, saying the limit and how to upgrade."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.plans import SUBSCRIPTION_CHANGED
from subgraphs.payment.models import PlanTier
from tests.conftest import ServiceFactory
from tests.payment.factories import PLATFORM_ADMIN, make_plan
from tests.support.event_flow import carried
from tests.support.graphql import GraphQLResponse
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import Club
from tests.user.identity_factories import ACCEPT, INVITE, PASSWORD

USAGE = "query { organization { plan { name limits { maxUsers } usage { users } } } }"
CHANGE_PLAN = """
mutation ChangePlan($input: ChangeOrganizationPlanInput!) {
  changeOrganizationPlan(input: $input) { id plan { name } }
}
"""
CREATE_USER = "mutation Create($input: CreateUserInput!) { createUser(input: $input) { id } }"
SET_ACTIVE = "mutation Active($id: ID!, $on: Boolean!) { updateUser(id: $id, input: {isActive: $on}) { isActive } }"


@pytest.fixture
async def payment(service: ServiceFactory) -> RunningService:
    return await service("payment")


async def _plan(user: RunningService, club: Club) -> dict[str, Any]:
    plan: dict[str, Any] = (await user.graphql.execute(USAGE, as_=club.admin)).ok()["organization"]["plan"]
    return plan


async def _on_plan_with_room_for(user: RunningService, payment: RunningService, club: Club, extra: int) -> int:
    """Put the club on a plan allowing `extra` active accounts beyond those it has; returns the limit."""
    used = (await _plan(user, club))["usage"]["users"]
    plan = await make_plan(
        payment, tier=PlanTier.BASIC, price=4_900, features=(), max_users=used + extra, max_teams=5, max_players=50
    )
    async with carried(payment, [user], [SUBSCRIPTION_CHANGED]):
        response = await payment.graphql.execute(
            CHANGE_PLAN,
            {"input": {"organizationId": str(club.organization.id), "planId": str(plan.id)}},
            as_=PLATFORM_ADMIN,
        )
        response.ok()

        async def arrived() -> bool:
            return bool((await _plan(user, club))["name"] == plan.name)

        await eventually(arrived)
    return int(used + extra)


def _email() -> str:
    return f"seat-{uuid.uuid4().hex[:8]}@club.example"


async def _invite(user: RunningService, club: Club) -> GraphQLResponse:
    fields = {"email": _email(), "roles": ["COACH"], "firstName": "Maja", "lastName": "Holm"}
    return await user.graphql.execute(INVITE, {"input": fields}, as_=club.admin)


def _refused(response: GraphQLResponse, maximum: int) -> None:
    assert response.data is None
    error = response.error("PLAN_LIMIT_REACHED")
    assert (error["extensions"]["limit"], error["extensions"]["maximum"]) == ("max_users", maximum)
    assert f"at most {maximum} users" in error["message"]
    assert "upgrade the plan" in error["message"]


async def test_a_full_club_cannot_invite_create_or_let_an_invitation_be_accepted(
    user: RunningService, payment: RunningService, club: Club
) -> None:
    # given a plan with room for one more active account, and an invitation sent while there was room
    maximum = await _on_plan_with_room_for(user, payment, club, 1)
    token = (await _invite(user, club)).ok()["inviteUser"]["token"]
    # when the last place is taken by a user created directly
    created = await user.graphql.execute(
        CREATE_USER,
        {"input": {"email": _email(), "firstName": "Ola", "lastName": "Lind", "roles": ["COACH"]}},
        as_=club.admin,
    )
    created.ok()
    # then another user cannot be created, nor anyone invited
    again = await user.graphql.execute(
        CREATE_USER,
        {"input": {"email": _email(), "firstName": "Per", "lastName": "Ek", "roles": ["COACH"]}},
        as_=club.admin,
    )
    _refused(again, maximum)
    _refused(await _invite(user, club), maximum)
    # and the earlier invitation cannot be accepted, and stays usable
    _refused(await user.graphql.execute(ACCEPT, {"input": {"token": token, "password": PASSWORD}}), maximum)
    assert (await _plan(user, club))["usage"]["users"] == maximum
    # when an account is deactivated, then the invitation is accepted into the freed place
    freed = await user.graphql.execute(
        SET_ACTIVE, {"id": created.ok()["createUser"]["id"], "on": False}, as_=club.admin
    )
    assert freed.ok()["updateUser"] == {"isActive": False}
    (await user.graphql.execute(ACCEPT, {"input": {"token": token, "password": PASSWORD}})).ok()
    assert (await _plan(user, club))["usage"]["users"] == maximum


async def test_reactivating_an_account_needs_a_free_place(
    user: RunningService, payment: RunningService, club: Club
) -> None:
    # given a full club whose coach was deactivated, and the freed place taken by a new user
    maximum = await _on_plan_with_room_for(user, payment, club, 0)
    coach = str(club.coach_user.id)
    (await user.graphql.execute(SET_ACTIVE, {"id": coach, "on": False}, as_=club.admin)).ok()
    newcomer = {"email": _email(), "firstName": "Ola", "lastName": "Lind", "roles": ["COACH"]}
    (await user.graphql.execute(CREATE_USER, {"input": newcomer}, as_=club.admin)).ok()
    # when the coach is reactivated, then it is refused, and the coach stays inactive
    _refused(await user.graphql.execute(SET_ACTIVE, {"id": coach, "on": True}, as_=club.admin), maximum)
    assert (await _plan(user, club))["usage"]["users"] == maximum
    # and an active account's other changes still go through at the limit
    renamed = await user.graphql.execute(
        'mutation Rename($id: ID!) { updateUser(id: $id, input: {firstName: "Kim", isActive: true}) { firstName } }',
        {"id": str(club.admin.user_id)},
        as_=club.admin,
    )
    assert renamed.ok()["updateUser"] == {"firstName": "Kim"}
