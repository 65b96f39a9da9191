"""SIGTERM to `hockey-hub serve`: the process stops cleanly, its outbox relay finishes the batch in flight,
and the next run resumes where it stopped, sending nothing twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aio_pika
import httpx
import pytest
from aio_pika.abc import AbstractQueue
from sqlalchemy import func, select

from hockey_hub.database import migrate_service
from shared.database import create_engine, create_sessionmaker
from shared.database.embedded import embedded_server
from shared.database.engine import drop_database
from shared.database.kernel import outbox_events
from shared.events.envelope import Event
from shared.events.outbox import record_event
from shared.events.relay import BATCH_SIZE
from tests.support.backend import AMQP_URL, POSTGRES_URL, REDIS_URL, SuiteEnvironment
from tests.support.tcp_proxy import TcpProxy, free_port

HOCKEY_HUB = [sys.executable, "-m", "hockey_hub.cli"]
TOTAL = 5 * BATCH_SIZE


@pytest.fixture
async def database(environment: SuiteEnvironment, migrated: SuiteEnvironment) -> AsyncIterator[str]:
    """A user database of this test's own (no other service relays its outbox), on the suite's server."""
    name = f"hockey_hub_test_{environment.run_id}_sigterm_{uuid.uuid4().hex[:6]}"
    if environment.uses_servers:
        url = f"{POSTGRES_URL}/{name}"
    else:
        url = (await embedded_server(environment.settings.data_dir)).url(name)
    await migrate_service(environment.settings.model_copy(update={"database_urls": {"user": url}}), "user")
    try:
        yield url
    finally:
        await drop_database(url)


class SlowProxy(TcpProxy):
    """RabbitMQ a few milliseconds away: each publisher confirm takes a while, so a batch takes a second
    and a SIGTERM lands inside one."""

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                await asyncio.sleep(0.005)
                sink.write(data)
                await sink.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(sink)
            sink.transport.abort()


def _environment(
    environment: SuiteEnvironment, data_dir: Path, database: str, names: str, amqp_port: int
) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HOCKEY_HUB_")}
    env.update(
        {
            "HOCKEY_HUB_DATA_DIR": str(data_dir),
            "HOCKEY_HUB_LOG_JSON": "true",
            "HOCKEY_HUB_USER_DATABASE_URL": database,
            "HOCKEY_HUB_OUTBOX_POLL_SECONDS": "0.2",
        }
    )
    if environment.uses_servers:
        env.update(
            {
                "HOCKEY_HUB_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{amqp_port}/",
                "HOCKEY_HUB_AMQP_EXCHANGE": names,
                "HOCKEY_HUB_AMQP_QUEUE_PREFIX": names,
                "HOCKEY_HUB_REDIS_URL": REDIS_URL,
                "HOCKEY_HUB_REDIS_KEY_PREFIX": names + ":",
            }
        )
    return env


def _text(log: Path) -> str:
    return log.read_text()


@asynccontextmanager
async def _serving(env: dict[str, str], log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`hockey-hub serve user` until the block ends with a SIGTERM, which must stop it cleanly."""
    port = free_port()
    with log.open("w") as output:
        process = await asyncio.create_subprocess_exec(
            *HOCKEY_HUB, "serve", "user", "--port", str(port), env=env, stdout=output, stderr=output
        )
    try:
        await asyncio.wait_for(_healthy(process, port, log), timeout=60)
        yield process
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down, then ends by the signal it caught (as a process manager expects)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0, _text(log)[-3000:]
        assert "Application shutdown complete" in _text(log)
        assert "Traceback" not in _text(log)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _healthy(process: asyncio.subprocess.Process, port: int, log: Path) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            assert process.returncode is None, f"serve exited early:\n{_text(log)[-3000:]}"
            try:
                if (await http.get(f"http://127.0.0.1:{port}/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)


@asynccontextmanager
async def _listener(exchange_name: str) -> AsyncIterator[AbstractQueue | None]:
    """A queue that receives every probe event the service publishes (None without RabbitMQ)."""
    if exchange_name == "":
        yield None
        return
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, "probe.#")
        try:
            yield queue
        finally:
            for suffix in ("", ".dead-letter"):  # the service's own queue, declared by `serve`
                await channel.queue_delete(f"{exchange_name}.user{suffix}")
            await exchange.delete()


async def _received(queue: AbstractQueue, ids: list[uuid.UUID]) -> None:
    """Take every message waiting in the queue, adding its event id to `ids`."""
    while (message := await queue.get(fail=False)) is not None:
        await message.ack()
        ids.append(Event.from_json(message.body).id)


async def test_sigterm_lets_the_relay_finish_its_batch_and_the_next_run_resumes_without_duplicates(
    environment: SuiteEnvironment, database: str, tmp_path: Path
) -> None:
    names = f"hockey-hub-test-{environment.run_id}-sigterm-{uuid.uuid4().hex[:6]}"
    broker = SlowProxy("127.0.0.1", 5672)
    await broker.restore()
    env = _environment(environment, tmp_path / "data", database, names, broker.port)
    engine = create_engine(database, pool_size=1)
    sessions = create_sessionmaker(engine)

    async def published() -> int:
        async with sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(outbox_events).where(outbox_events.c.published_at.is_not(None))
            )
        return int(count or 0)

    received: list[uuid.UUID] = []
    try:
        async with _listener(names if environment.uses_servers else "") as queue:
            async with _serving(env, tmp_path / "first-run.log"):
                # given many events committed to the service's outbox
                async with sessions() as session, session.begin():
                    for number in range(TOTAL):
                        await record_event(
                            session, producer="user", type="probe.sigterm", data={"n": number}, organization_id=None
                        )
                # when SIGTERM arrives while the relay publishes them (the block's end sends it)
                if queue is not None:
                    while not received:
                        await _received(queue, received)
                        await asyncio.sleep(0.01)
            # then the process stopped cleanly, and what it published is exactly what it marked published
            stopped_at = await published()
            if queue is not None:
                await asyncio.sleep(0.5)
                await _received(queue, received)
                assert 0 < stopped_at < TOTAL
                assert len(received) == stopped_at

            # when the service runs again, then the relay resumes where it stopped
            async with _serving(env, tmp_path / "second-run.log"):
                for _ in range(300):
                    if await published() == TOTAL:
                        break
                    await asyncio.sleep(0.1)
            assert await published() == TOTAL
            # and every event went out exactly once
            if queue is not None:
                await asyncio.sleep(0.5)
                await _received(queue, received)
                assert len(received) == len(set(received)) == TOTAL
    finally:
        await broker.cut()
        await engine.dispose()
