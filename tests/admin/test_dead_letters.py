"""Dead letters through the admin API: the platform administrator lists the events a service's consumer
gave up on and replays them once their cause is fixed; nobody else may. In RabbitMQ mode admin reads the
broker's dead-letter queues; in embedded mode, the in-process bus it shares with the services."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from shared.database.kernel import audit_entries
from shared.events import EventBus
from shared.settings import SERVICE_PORTS
from tests.admin.conftest import Club
from tests.support.backend import SuiteEnvironment
from tests.support.dead_letters import DrillConsumer, delete_broker_objects, drill, effect_count, isolated_names
from tests.support.services import RunningService, ServicePool, running_service
from tests.support.waiting import eventually

DEAD_LETTERS = """
query DeadLetters($service: String) {
  deadLetters(service: $service) {
    service eventId type producer organization { id } occurredAt attempts lastError deadLetteredAt
  }
}
"""
REPLAY = """
mutation Replay($service: String!, $eventIds: [ID!]) { replayDeadLetters(service: $service, eventIds: $eventIds) }
"""
SERVICE = "training"


@dataclass
class Consuming:
    admin: RunningService
    bus: EventBus
    drills: DrillConsumer


@pytest.fixture
async def consuming(environment: SuiteEnvironment, services: ServicePool) -> AsyncIterator[Consuming]:
    """An admin service of the test's own, and a consumer of the training queue on the same bus: the
    broker (on an exchange and queues of the test's own) or the one in-process bus of `hockey-hub up`."""
    update: dict[str, Any] = {"event_max_attempts": 3, "event_retry_base_seconds": 0.1}
    name = isolated_names(environment)
    if environment.uses_servers:
        update |= {"amqp_exchange": name, "amqp_queue_prefix": name}
    settings = environment.settings.model_copy(update=update)
    try:
        async with running_service("admin", settings, services.issuer) as admin:
            drills = DrillConsumer()
            # The effect lands in admin's database only because it is at hand; a service's own consumer
            # writes to its own.
            await admin.runtime.bus.consume(SERVICE, ["drill.#"], drills.handler(admin.runtime.sessions))
            yield Consuming(admin, admin.runtime.bus, drills)
            await admin.truncate()
    finally:
        if environment.uses_servers:
            await delete_broker_objects(name, SERVICE_PORTS)


async def _dead(consuming: Consuming, count: int) -> list[Any] | None:
    letters = await consuming.bus.dead_letters(SERVICE)
    return letters if len(letters) == count else None


async def test_the_platform_admin_lists_and_replays_a_dead_letter_once_its_cause_is_fixed(
    consuming: Consuming, club: Club
) -> None:
    admin, drills = consuming.admin, consuming.drills
    # given an event the training consumer cannot handle, and one it can
    poison, good = drill(club.organization_id), drill(club.organization_id)
    drills.broken.add(poison.id)
    await consuming.bus.publish(poison)
    await consuming.bus.publish(good)
    await eventually(lambda: _dead(consuming, 1))
    assert await effect_count(admin.runtime.sessions, good.id) == 1

    # when the platform administrator lists the training service's dead letters, and everybody's
    mine = (await admin.graphql.execute(DEAD_LETTERS, {"service": SERVICE}, as_=club.platform)).ok()["deadLetters"]
    everyone = (await admin.graphql.execute(DEAD_LETTERS, as_=club.platform)).ok()["deadLetters"]

    # then both show the poison event, with what went wrong
    assert mine == everyone
    [letter] = mine
    assert letter["service"] == SERVICE
    assert letter["eventId"] == str(poison.id)
    assert letter["type"] == "drill.scheduled"
    assert letter["producer"] == "training"
    assert letter["organization"] == {"id": str(club.organization_id)}
    assert letter["occurredAt"].startswith(poison.occurred_at.isoformat()[:19])
    assert letter["attempts"] == 3
    assert letter["lastError"] == f"RuntimeError: the rink of drill {poison.id} is closed"
    assert letter["deadLetteredAt"] is not None
    # and listing it took nothing away
    assert len(await consuming.bus.dead_letters(SERVICE)) == 1

    # when the cause is fixed and the administrator replays the service's dead letters
    drills.broken.clear()
    replayed = (await admin.graphql.execute(REPLAY, {"service": SERVICE}, as_=club.platform)).ok()

    # then the event takes effect, once, and the dead-letter queue is empty
    assert replayed == {"replayDeadLetters": [str(poison.id)]}

    async def applied() -> bool:
        return await effect_count(admin.runtime.sessions, poison.id) == 1

    await eventually(applied)
    listed = await admin.graphql.execute(DEAD_LETTERS, {"service": SERVICE}, as_=club.platform)
    assert listed.ok() == {"deadLetters": []}
    # and a second replay of the same id finds nothing to replay
    again = await admin.graphql.execute(REPLAY, {"service": SERVICE, "eventIds": [str(poison.id)]}, as_=club.platform)
    assert again.ok() == {"replayDeadLetters": []}
    assert await effect_count(admin.runtime.sessions, poison.id) == 1
    # and each replay is in the audit trail, with who asked and what
    async with admin.runtime.sessions() as session:
        audited = (
            await session.execute(
                select(audit_entries.c.action, audit_entries.c.details).order_by(audit_entries.c.occurred_at)
            )
        ).all()
    replays = [details["input"] for action, details in audited if action == "replayDeadLetters"]
    assert replays == [{"service": SERVICE, "event_ids": None}, {"service": SERVICE, "event_ids": [str(poison.id)]}]


async def test_a_replay_of_named_events_leaves_the_others_dead(consuming: Consuming, club: Club) -> None:
    admin, drills = consuming.admin, consuming.drills
    # given two dead letters
    first, second = drill(), drill()
    drills.broken.update({first.id, second.id})
    await consuming.bus.publish(first)
    await consuming.bus.publish(second)
    await eventually(lambda: _dead(consuming, 2))
    # when only the first is fixed and replayed
    drills.broken.discard(first.id)
    replayed = await admin.graphql.execute(REPLAY, {"service": SERVICE, "eventIds": [str(first.id)]}, as_=club.platform)
    # then it alone takes effect and leaves the dead-letter queue
    assert replayed.ok() == {"replayDeadLetters": [str(first.id)]}

    async def applied() -> bool:
        return await effect_count(admin.runtime.sessions, first.id) == 1

    await eventually(applied)
    listed = (await admin.graphql.execute(DEAD_LETTERS, {"service": SERVICE}, as_=club.platform)).ok()
    assert [letter["eventId"] for letter in listed["deadLetters"]] == [str(second.id)]
    assert await effect_count(admin.runtime.sessions, second.id) == 0


async def test_only_the_platform_admin_sees_or_replays_dead_letters(consuming: Consuming, club: Club) -> None:
    admin, drills = consuming.admin, consuming.drills
    # given a dead letter of the caller's own organization
    poison = drill(club.organization_id)
    drills.broken.add(poison.id)
    await consuming.bus.publish(poison)
    await eventually(lambda: _dead(consuming, 1))
    for caller in (club.club_admin, club.coach, club.player):
        # when anyone else lists or replays dead letters
        listed = await admin.graphql.execute(DEAD_LETTERS, {"service": SERVICE}, as_=caller)
        replayed = await admin.graphql.execute(REPLAY, {"service": SERVICE}, as_=caller)
        # then they are refused, and the dead letter stays where it is
        assert listed.codes == ["FORBIDDEN"]
        assert replayed.codes == ["FORBIDDEN"]
        assert replayed.data is None
    anonymous = await admin.graphql.execute(DEAD_LETTERS)
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert len(await consuming.bus.dead_letters(SERVICE)) == 1


async def test_an_unknown_service_or_event_id_is_bad_input(consuming: Consuming, club: Club) -> None:
    admin = consuming.admin
    listed = await admin.graphql.execute(DEAD_LETTERS, {"service": "zamboni"}, as_=club.platform)
    assert listed.error("BAD_USER_INPUT")["extensions"]["field"] == "service"
    replayed = await admin.graphql.execute(REPLAY, {"service": "zamboni"}, as_=club.platform)
    assert replayed.error("BAD_USER_INPUT")["extensions"]["field"] == "service"
    malformed = await admin.graphql.execute(REPLAY, {"service": SERVICE, "eventIds": ["not-an-id"]}, as_=club.platform)
    assert malformed.error("BAD_USER_INPUT")["extensions"]["field"] == "eventIds"
    unknown = await admin.graphql.execute(
        REPLAY, {"service": SERVICE, "eventIds": [str(uuid.uuid4())]}, as_=club.platform
    )
    assert unknown.ok() == {"replayDeadLetters": []}
