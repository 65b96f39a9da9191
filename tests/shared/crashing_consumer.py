"""A consumer process that dies in the middle of handling an event, for tests/shared/test_consumer_crash.py.

`python -m tests.shared.crashing_consumer AMQP_URL NAME DATABASE_URL {before-commit,after-commit}` consumes
the queue `training` of exchange and prefix NAME with the platform's RabbitMQ bus and idempotent consumer,
writes the drill's effect, says how far it got on stdout, then hangs until the test kills it: before its
transaction commits, or after the commit but before the broker has the acknowledgement.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.engine import create_engine, create_sessionmaker
from shared.events import Event, RabbitMQBus
from shared.events.consumer import idempotent
from shared.log import configure_logging
from tests.support.dead_letters import DrillConsumer
from tests.support.waiting import eventually

QUEUE = "training"
READY = "consuming"
EFFECT_WRITTEN = "effect written"
COMMITTED = "committed"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _consume(amqp_url: str, name: str, database_url: str, crash: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    sessions = create_sessionmaker(engine)
    bus = RabbitMQBus(amqp_url, exchange=name, queue_prefix=name)
    await bus.start()

    async def connected() -> bool:
        return (await bus.health()).up

    await eventually(connected, within=30)
    drills = DrillConsumer()
    forever = asyncio.Event()

    async def effect_then_die(session: AsyncSession, event: Event) -> None:
        await drills(session, event)
        _say(EFFECT_WRITTEN)
        await forever.wait()

    counted = drills.handler(sessions)

    async def commit_then_die(event: Event) -> None:
        await counted(event)
        _say(COMMITTED)
        await forever.wait()

    if crash == "before-commit":
        await bus.consume(QUEUE, ["drill.#"], idempotent(sessions, {"drill.#": effect_then_die}))
    else:
        await bus.consume(QUEUE, ["drill.#"], commit_then_die)
    _say(READY)
    await forever.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("amqp_url")
    parser.add_argument("name")
    parser.add_argument("database_url")
    parser.add_argument("crash", choices=["before-commit", "after-commit"])
    args = parser.parse_args()
    configure_logging(level="ERROR")
    asyncio.run(_consume(args.amqp_url, args.name, args.database_url, args.crash))


if __name__ == "__main__":
    main()
