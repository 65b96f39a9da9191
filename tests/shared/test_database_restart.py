"""A database restart (every connection dropped, connections refused for a while, then accepted again): the
service reconnects by itself, and a mutation caught in the middle fails cleanly, leaving nothing behind."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import strawberry
from sqlalchemy import select

from shared.app import Subgraph, create_subgraph_app
from shared.audit import record_audit
from shared.auth.principal import Role
from shared.database.kernel import audit_entries
from shared.graphql import Ctx, build_schema, mutation
from shared.graphql.context import actor
from subgraphs.user.models import Base
from tests.support.backend import POSTGRES_URL, SuiteEnvironment
from tests.support.graphql import GraphQLClient
from tests.support.principals import principal
from tests.support.services import RunningService, issuer_for
from tests.support.tcp_proxy import TcpProxy


class Gate:
    """Holds the mutation between its first and its last write, until the test lets it go."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.halfway = asyncio.Event()
        self.go_on = asyncio.Event()


GATE = Gate()


@strawberry.type
class Entry:
    id: strawberry.ID


@strawberry.type
class ProbeQuery:
    @strawberry.field
    async def entries(self, info: Ctx) -> int:
        rows = await info.context.session.execute(select(audit_entries.c.id))
        return len(rows.all())


@strawberry.type
class ProbeMutation:
    @mutation(description="Writes one entry, waits for the test, then writes its audit entry.")
    async def write_in_two_steps(self, info: Ctx, name: str) -> Entry:
        session = info.context.session
        await record_audit(session, actor(info), action="first-step", entity_type="Entry", entity_id=name, details={})
        await session.flush()
        GATE.halfway.set()
        await GATE.go_on.wait()
        return Entry(id=strawberry.ID(name))


WRITE = "mutation Write($name: String!) { writeInTwoSteps(name: $name) { id } }"


@dataclass
class BehindProxy:
    service: RunningService
    proxy: TcpProxy

    async def written(self) -> list[tuple[str, str | None]]:
        """What the database holds, read past the proxy (through the service once it is back)."""
        async with self.service.runtime.sessions() as session:
            rows = await session.execute(select(audit_entries.c.action, audit_entries.c.entity_id))
        return [(row.action, row.entity_id) for row in rows]


@pytest.fixture
async def behind_proxy(environment: SuiteEnvironment, migrated: SuiteEnvironment) -> AsyncIterator[BehindProxy]:
    if not environment.uses_servers:
        pytest.skip("restarting the database needs a PostgreSQL server reached over TCP")
    proxy = TcpProxy("127.0.0.1", int(POSTGRES_URL.rsplit(":", 1)[1]))
    await proxy.restore()
    url = environment.settings.database_url_for("user") or ""
    settings = environment.settings.model_copy(
        update={"database_urls": {"user": url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")}}
    )
    schema = build_schema(query=ProbeQuery, mutation=ProbeMutation)
    app = create_subgraph_app(Subgraph(name="user", schema=schema, metadata=Base.metadata), settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe") as http,
    ):
        running = RunningService("user", app, http, GraphQLClient(http, issuer_for(environment)))
        try:
            yield BehindProxy(running, proxy)
        finally:
            await proxy.restore()
            await running.truncate()
            await proxy.cut()


async def _restart(proxy: TcpProxy, *, down_seconds: float) -> None:
    """Like a database restart: every connection dropped, none accepted for a while, then accepted again."""
    await proxy.cut()
    await asyncio.sleep(down_seconds)
    await proxy.restore()


async def test_a_mutation_in_flight_during_a_restart_fails_cleanly_and_the_next_one_succeeds(
    behind_proxy: BehindProxy,
) -> None:
    GATE.reset()
    caller = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    # given a mutation that has written its first row and holds its transaction open
    first = asyncio.create_task(behind_proxy.service.graphql.execute(WRITE, {"name": "lost"}, as_=caller))
    await asyncio.wait_for(GATE.halfway.wait(), timeout=10)

    # when the database restarts under it, and the mutation goes on while it is down
    await behind_proxy.proxy.cut()
    GATE.go_on.set()
    failed = await asyncio.wait_for(first, timeout=20)

    # then it fails with a code a client can act on (send it again), and no internals
    assert failed.data == {"writeInTwoSteps": None} or failed.data is None
    assert failed.codes == ["SERVICE_UNAVAILABLE"]
    assert "Traceback" not in str(failed.body)
    assert str(behind_proxy.proxy.port) not in str(failed.body)

    # and while the database is down, requests fail the same way rather than hang
    down = await behind_proxy.service.graphql.execute("{ entries }", as_=caller)
    assert down.codes == ["SERVICE_UNAVAILABLE"]

    # when the database accepts connections again
    await behind_proxy.proxy.restore()

    # then the service answers again without a restart of its own, and nothing of the failed mutation was kept
    succeeded = await behind_proxy.service.graphql.execute(WRITE, {"name": "kept"}, as_=caller)
    assert succeeded.ok() == {"writeInTwoSteps": {"id": "kept"}}
    assert sorted(await behind_proxy.written()) == [("first-step", "kept"), ("writeInTwoSteps", "kept")]


async def test_after_a_restart_every_pooled_connection_is_replaced_without_a_failed_request(
    behind_proxy: BehindProxy,
) -> None:
    GATE.reset()
    GATE.go_on.set()
    caller = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    # given a pool holding several idle connections
    answers = await asyncio.gather(*(behind_proxy.service.graphql.execute("{ entries }", as_=caller) for _ in range(4)))
    assert [answer.ok() for answer in answers] == [{"entries": 0}] * 4
    assert behind_proxy.service.engine.pool.checkedin() >= 2  # type: ignore[attr-defined]

    # when the database restarts while nobody is using it
    await _restart(behind_proxy.proxy, down_seconds=0.5)

    # then every request after it succeeds: each dead pooled connection is found by its pre-ping, not a request
    again = await asyncio.gather(
        *(behind_proxy.service.graphql.execute(WRITE, {"name": f"n{i}"}, as_=caller) for i in range(4))
    )
    assert [answer.ok() for answer in again] == [{"writeInTwoSteps": {"id": f"n{i}"}} for i in range(4)]
