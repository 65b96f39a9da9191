"""GET /metrics on a service: operations, latencies and errors by operation name and code, the outbox
backlog and the event queue depth, in the Prometheus text format (parsed here as Prometheus would)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import insert

from shared.auth.principal import Role
from shared.database.kernel import outbox_events
from shared.events import Event, EventBus, RetryPolicy
from shared.metrics import QueueDepth
from shared.settings import Mode
from tests.conftest import ServiceFactory
from tests.support.backend import SuiteEnvironment
from tests.support.dead_letters import own_bus
from tests.support.principals import principal
from tests.support.services import RunningService, issuer_for, running_service
from tests.support.waiting import eventually

FLAGS = "query MetricsProbeFlags { featureFlags { key } }"
DEAD_LETTERS = "query MetricsProbeDeadLetters { deadLetters { service } }"
QUEUE = "metrics-probe"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
async def admin(service: ServiceFactory) -> RunningService:
    return await service("admin")


async def scrape(service: RunningService) -> Samples:
    response = await service.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_operations_are_counted_with_their_latency_by_service_and_name(admin: RunningService) -> None:
    # given the counters as they are
    before = await scrape(admin)
    club_admin = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    # when a named operation runs twice
    for _ in range(2):
        (await admin.graphql.execute(FLAGS, as_=club_admin)).ok()
    # then its count and latency observations moved by two, under the admin service
    after = await scrape(admin)
    labels = {"service": "admin", "operation": "MetricsProbeFlags"}
    requests = "hockey_hub_graphql_requests_total"
    latency = "hockey_hub_graphql_request_duration_seconds_count"
    assert value(after, requests, **labels) - value(before, requests, **labels) == 2
    assert value(after, latency, **labels) - value(before, latency, **labels) == 2
    assert value(after, "hockey_hub_graphql_request_duration_seconds_sum", **labels) > 0


async def test_errors_are_counted_by_the_code_the_client_got(admin: RunningService) -> None:
    # given a coach, who may not read the dead-letter queues
    coach = principal(Role.COACH, organization_id=uuid.uuid4())
    before = await scrape(admin)
    # when the coach asks for them
    response = await admin.graphql.execute(DEAD_LETTERS, as_=coach)
    # then the error counted carries the client's code
    assert response.codes == ["FORBIDDEN"]
    after = await scrape(admin)
    labels = {"service": "admin", "operation": "MetricsProbeDeadLetters", "code": "FORBIDDEN"}
    errors = "hockey_hub_graphql_errors_total"
    assert value(after, errors, **labels) - value(before, errors, **labels) == 1


async def test_the_outbox_backlog_counts_unpublished_events_at_scrape_time(admin: RunningService) -> None:
    # given a relay that is paused, and two events committed to the outbox
    relay = admin.runtime.relay
    assert relay is not None
    await relay.stop()
    try:
        async with admin.engine.begin() as connection:
            for _ in range(2):
                event = Event(type="metrics.probed", producer="admin", data={})
                await connection.execute(
                    insert(outbox_events).values(
                        id=event.id, type=event.type, producer="admin", occurred_at=event.occurred_at, data={}
                    )
                )
        # when Prometheus scrapes, then the backlog shows them
        assert value(await scrape(admin), "hockey_hub_outbox_backlog", service="admin") == 2
    finally:
        relay.start()
        relay.wake()
    # and once the relay has published them, the backlog is empty again
    await eventually(
        lambda: _is_zero(admin, "hockey_hub_outbox_backlog"),
    )


async def _is_zero(service: RunningService, name: str) -> bool:
    return value(await scrape(service), name, service=service.name) == 0


async def test_the_event_queue_depth_of_a_consuming_service_is_exposed(admin: RunningService) -> None:
    # the admin service consumes its own queue; a readable depth is never -1
    samples = await scrape(admin)
    assert ("hockey_hub_event_queue_depth", frozenset({("service", "admin")})) in samples
    assert value(samples, "hockey_hub_event_queue_depth", service="admin") >= 0


@pytest.fixture
async def bus(environment: SuiteEnvironment) -> AsyncIterator[EventBus]:
    async with own_bus(environment, RetryPolicy(max_attempts=1), [QUEUE]) as bus:
        yield bus


async def test_the_queue_depth_grows_while_a_consumer_is_stuck_and_drains_after(bus: EventBus) -> None:
    assert isinstance(bus, QueueDepth)
    # given a queue nobody consumes yet: no depth to tell
    assert await bus.queue_depth(QUEUE) is None
    # and a consumer stuck on its first event
    released = asyncio.Event()
    handled: list[uuid.UUID] = []

    async def stuck(event: Event) -> None:
        await released.wait()
        handled.append(event.id)

    await bus.consume(QUEUE, ["probe.#"], stuck)
    # when more events arrive than it can take at once (RabbitMQ hands it 16 before they wait ready)
    for _ in range(24):
        await bus.publish(Event(type="probe.sent", producer="admin", data={}))
    # then they show as waiting
    assert await eventually(lambda: _positive(bus, QUEUE)) > 0
    # and once the consumer is unstuck, the queue drains to nothing
    released.set()
    await eventually(lambda: _handled_all(handled, 24))
    assert await bus.queue_depth(QUEUE) == 0


async def _positive(bus: QueueDepth, queue: str) -> int | None:
    depth = await bus.queue_depth(queue)
    return depth if depth else None


async def _handled_all(handled: list[uuid.UUID], count: int) -> bool:
    return len(handled) == count


async def test_a_metrics_token_is_asked_for_as_a_bearer_token(environment: SuiteEnvironment) -> None:
    # given a service whose metrics are behind a token
    settings = environment.settings.model_copy(update={"metrics_token": SecretStr("scrape-secret")})
    async with running_service("admin", settings, issuer_for(environment)) as admin:
        # when Prometheus scrapes without it, or with another one, then it is refused with a bearer challenge
        for headers in ({}, {"authorization": "Bearer another-secret"}, {"authorization": "Basic scrape-secret"}):
            refused = await admin.http.get("/metrics", headers=headers)
            assert refused.status_code == 401, headers
            assert refused.headers["www-authenticate"].startswith("Bearer ")
            assert "hockey_hub_" not in refused.text
        # and with it, it reads the metrics
        scraped = await admin.http.get("/metrics", headers={"authorization": "Bearer scrape-secret"})
        assert scraped.status_code == 200
        assert "hockey_hub_outbox_backlog" in scraped.text


async def test_production_mode_closes_the_metrics_unless_a_token_or_public_access_is_configured(
    environment: SuiteEnvironment,
) -> None:
    # given a service in production mode with no metrics token
    settings = environment.settings.model_copy(update={"mode": Mode.PRODUCTION})
    async with running_service("admin", settings, issuer_for(environment)) as admin:
        # then its metrics are refused to anyone, with what to configure
        refused = await admin.http.get("/metrics", headers={"authorization": "Bearer anything"})
        assert refused.status_code == 403
        assert "HOCKEY_HUB_METRICS_TOKEN" in refused.text
        assert "hockey_hub_" not in refused.text
    # and opened on purpose, they are served to anyone
    opened = settings.model_copy(update={"metrics_public": True})
    async with running_service("admin", opened, issuer_for(environment)) as admin:
        assert (await admin.http.get("/metrics")).status_code == 200
