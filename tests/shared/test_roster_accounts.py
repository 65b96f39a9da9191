"""The roster copy follows players' accounts as well as their entries: a deactivated account takes the
player off the active roster of the services that keep the copy, reactivating brings them back, removal
(`player.removed`) does the same for the entry, and late or repeated events never undo a newer state.
Changes are made through the user service's GraphQL API and reach the training service's copy over the
event bus."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from hockey_hub.services import subgraph
from shared.auth.principal import Role
from shared.database.kernel import outbox_events
from shared.events import Event
from shared.roster import ROSTER_EVENT_HANDLERS, USER_DEACTIVATED, USER_UPDATED, apply_player_event, roster_entries
from tests.conftest import ServiceFactory
from tests.support.event_flow import carried, processed, published_ids
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import Club, make_club, make_player, make_user

CARRIED = ("player.added", "player.updated", "player.removed", USER_UPDATED, USER_DEACTIVATED)

UPDATE_USER = (
    "mutation Account($id: ID!, $active: Boolean!) { updateUser(id: $id, input: {isActive: $active}) { isActive } }"
)
UPDATE_PLAYER = (
    "mutation Number($id: ID!, $n: Int) { updatePlayer(id: $id, input: {jerseyNumber: $n}) { jerseyNumber } }"
)
REMOVE_PLAYER = "mutation Remove($id: ID!) { removePlayer(id: $id) { isActive } }"


@pytest.fixture
async def user(service: ServiceFactory) -> RunningService:
    return await service("user")


@pytest.fixture
async def training(service: ServiceFactory) -> RunningService:
    return await service("training")


async def _active(training: RunningService, *player_ids: uuid.UUID) -> dict[uuid.UUID, bool]:
    async with training.runtime.sessions() as session:
        return {entry.player_id: entry.is_active for entry in await roster_entries(session, list(player_ids))}


async def _until(training: RunningService, expected: dict[uuid.UUID, bool]) -> None:
    async def reached() -> bool:
        return await _active(training, *expected) == expected

    await eventually(reached)


async def _last_event(user: RunningService, type: str) -> Event:
    async with user.runtime.sessions() as session:
        row = (
            await session.execute(
                select(outbox_events).where(outbox_events.c.type == type).order_by(outbox_events.c.seq.desc()).limit(1)
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


async def _taken_in(training: RunningService, user: RunningService, type: str) -> None:
    """Wait until the training service has consumed the user service's latest event of this type."""
    latest = (await published_ids(user, type))[-1]

    async def done() -> bool:
        return await processed(training, latest)

    await eventually(done)


async def _account(user: RunningService, club: Club, account_id: uuid.UUID, *, active: bool) -> None:
    response = await user.graphql.execute(UPDATE_USER, {"id": str(account_id), "active": active}, as_=club.admin)
    assert response.ok() == {"updateUser": {"isActive": active}}


async def _club_with_players(user: RunningService) -> tuple[Club, Any, uuid.UUID, uuid.UUID]:
    club = await make_club(user)
    account = await make_user(user, organization=club.organization, roles=(Role.PLAYER,), first_name="Oskar")
    player = await make_player(user, organization=club.organization, team=club.team, number=17, account=account)
    teammate = await make_player(user, organization=club.organization, team=club.team, number=9, last_name="Ek")
    return club, account, player.id, teammate.id


async def test_a_deactivated_account_takes_its_player_off_the_active_roster(
    user: RunningService, training: RunningService
) -> None:
    async with carried(user, [training], CARRIED):
        # given a player with an account and a teammate without one, both on the training copy
        club, account, player_id, teammate_id = await _club_with_players(user)
        await _until(training, {player_id: True, teammate_id: True})
        # when the club administrator deactivates the player's account
        await _account(user, club, account.id, active=False)
        # then the copy counts the player inactive, and only them
        await _until(training, {player_id: False, teammate_id: True})
        # when the player's entry changes while the account is off
        number = await user.graphql.execute(UPDATE_PLAYER, {"id": str(player_id), "n": 71}, as_=club.admin)
        assert number.ok() == {"updatePlayer": {"jerseyNumber": 71}}
        await _taken_in(training, user, "player.updated")
        # then the player stays inactive there
        assert await _active(training, player_id) == {player_id: False}
        # when the account is reactivated
        await _account(user, club, account.id, active=True)
        # then the player is back on the active roster
        await _until(training, {player_id: True, teammate_id: True})


async def test_a_late_deactivation_does_not_undo_a_newer_reactivation(
    user: RunningService, training: RunningService
) -> None:
    async with carried(user, [training], CARRIED):
        # given a player whose account was deactivated, then reactivated
        club, account, player_id, _ = await _club_with_players(user)
        await _account(user, club, account.id, active=False)
        await _account(user, club, account.id, active=True)
        await _taken_in(training, user, USER_UPDATED)
        await _until(training, {player_id: True})
    # when the deactivation arrives again, late (a redelivery, and a copy with another id)
    deactivated = await _last_event(user, USER_DEACTIVATED)
    again = Event(
        type=deactivated.type,
        producer=deactivated.producer,
        data=deactivated.data,
        organization_id=deactivated.organization_id,
        occurred_at=deactivated.occurred_at,
    )
    for event in (deactivated, again):
        await training.runtime.bus.publish(event)

    async def taken() -> bool:
        return await processed(training, again.id)

    await eventually(taken)
    # then the newer reactivation stands
    assert await _active(training, player_id) == {player_id: True}


async def test_removed_players_and_other_accounts(user: RunningService, training: RunningService) -> None:
    async with carried(user, [training], CARRIED):
        # given two players, one with an account, and a coach's account
        club, _, player_id, teammate_id = await _club_with_players(user)
        await _until(training, {player_id: True, teammate_id: True})
        # when the teammate is taken off the roster, and the coach's account is deactivated
        removed = await user.graphql.execute(REMOVE_PLAYER, {"id": str(teammate_id)}, as_=club.admin)
        assert removed.ok() == {"removePlayer": {"isActive": False}}
        await _account(user, club, club.coach_user.id, active=False)
        await _taken_in(training, user, USER_DEACTIVATED)
        # then the teammate is inactive on the copy, and the coach's deactivation touched no player
        await _until(training, {player_id: True, teammate_id: False})


@pytest.mark.parametrize("service", ["medical", "training", "calendar", "statistics", "communication"])
def test_every_keeper_of_the_copy_follows_accounts(service: str) -> None:
    handlers = subgraph(service).event_handlers
    assert {USER_UPDATED, USER_DEACTIVATED} <= set(handlers)
    assert ROSTER_EVENT_HANDLERS[USER_DEACTIVATED] is apply_player_event
