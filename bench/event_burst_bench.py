"""Event burst: 10,000 events at once through RabbitMQ, consumed by real service processes; none may be
lost and none applied twice.

    .venv/bin/python bench/event_burst_bench.py                      # 10,000 player.added, via the outbox
    .venv/bin/python bench/event_burst_bench.py --events 1000 --via bus

Runs on this machine's PostgreSQL, RabbitMQ and Redis, with the services as production runs them
(`bench/production_stack.py`: `hockey-hub serve`, production mode, throwaway databases, exchange and
queues): the user service (the producer) and the consumers (default medical and training, which keep a
roster copy fed by `player.added`).

- `--via outbox` (default): the burst is written as the user service writes events, into its outbox
  table, here all in one transaction (as one big import would), and the user service's relay publishes
  it (publisher confirms) while the consumers drain their queues;
- `--via bus`: this process publishes the burst on the exchange itself, as a producer's relay would
  (persistent messages, publisher confirms).

Each event adds a distinct player of one new club. Checked per consumer, after its queue is drained:
`processed_events` has exactly one row per event id of the burst, `roster_players` exactly one row per
player, the queue and its dead-letter queue are empty, and (outbox) every outbox row is marked
published. Redeliveries the consumers saw (and skipped by event id) and failed handler attempts are
counted from their logs. Reported: time to publish, time to drain (from the commit, or the first
publish, to the last event applied), events/s; bench/results/event-burst-latest.{md,json}. Exits 1 when
an event is lost or doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.production_stack import AMQP, ProductionStack  # noqa: E402
from shared.database import create_engine  # noqa: E402
from shared.database.kernel import outbox_events, processed_events  # noqa: E402
from shared.events.envelope import Event  # noqa: E402
from shared.roster import PLAYER_ADDED, roster_players  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PRODUCER = "user"
INSERT_CHUNK = 2000
"""Outbox rows per INSERT statement (all in one transaction)."""


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def burst(count: int, organization: uuid.UUID) -> list[Event]:
    """`player.added` for `count` new players of one club, spread over 25 teams, shaped as the user
    service writes it."""
    teams = [uuid.uuid4() for _ in range(25)]
    return [
        Event(
            type=PLAYER_ADDED,
            producer=PRODUCER,
            organization_id=organization,
            data={
                "player_id": str(uuid.uuid4()),
                "team_id": str(teams[index % len(teams)]),
                "user_id": None,
                "first_name": f"Burst{index}",
                "last_name": "Player",
                "birth_date": "2008-01-01",
                "jersey_number": 1 + index % 98,
                "position": "CENTER",
                "is_active": True,
            },
        )
        for index in range(count)
    ]


async def write_outbox(engine: AsyncEngine, events: list[Event]) -> None:
    """What `record_event` writes, for the whole burst, committed at once."""
    async with engine.begin() as connection:
        for start in range(0, len(events), INSERT_CHUNK):
            await connection.execute(
                insert(outbox_events),
                [
                    {
                        "id": event.id,
                        "type": event.type,
                        "producer": event.producer,
                        "occurred_at": event.occurred_at,
                        "organization_id": event.organization_id,
                        "data": dict(event.data),
                    }
                    for event in events[start : start + INSERT_CHUNK]
                ],
            )


async def publish_on_bus(stack: ProductionStack, events: list[Event], concurrency: int) -> float:
    """Publish as a relay does (persistent, confirmed), `concurrency` confirmations outstanding; seconds."""
    from shared.events.rabbitmq import RabbitMQBus

    bus = RabbitMQBus(AMQP, exchange=stack.name, queue_prefix=stack.name)
    await bus.start()
    try:
        started = time.perf_counter()
        for start in range(0, len(events), concurrency):
            await asyncio.gather(*(bus.publish(event) for event in events[start : start + concurrency]))
        return time.perf_counter() - started
    finally:
        await bus.close()


@dataclass
class Drained:
    """One consumer's view of the burst once its count stopped moving (or reached the burst)."""

    service: str
    processed: int
    roster_rows: int
    seconds: float | None
    """From the start of the burst to the moment its last event was applied; None if it never was."""


async def count_effects(engine: AsyncEngine, ids: list[uuid.UUID], organization: uuid.UUID) -> tuple[int, int]:
    async with engine.connect() as connection:
        processed = await connection.scalar(
            select(func.count()).select_from(processed_events).where(processed_events.c.event_id.in_(ids))
        )
        roster = await connection.scalar(
            select(func.count()).select_from(roster_players).where(roster_players.c.organization_id == organization)
        )
    return int(processed or 0), int(roster or 0)


async def unpublished(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(
            select(func.count()).select_from(outbox_events).where(outbox_events.c.published_at.is_(None))
        )
    return int(count or 0)


async def wait_published(engine: AsyncEngine, deadline: float) -> None:
    while time.perf_counter() < deadline:
        if not await unpublished(engine):
            return
        await asyncio.sleep(0.1)


async def wait_drained(
    service: str,
    engine: AsyncEngine,
    ids: list[uuid.UUID],
    organization: uuid.UUID,
    started: float,
    *,
    within: float,
    poll: float = 0.25,
) -> Drained:
    """Poll the consumer's database until every event is applied, or its count stands still for 20 s."""
    deadline = started + within
    last_change, last = time.perf_counter(), (-1, -1)
    while True:
        counts = await count_effects(engine, ids, organization)
        now = time.perf_counter()
        if counts[0] >= len(ids):
            await asyncio.sleep(2.0)  # anything doubled would land after the last one: look again
            processed, roster = await count_effects(engine, ids, organization)
            return Drained(service, processed, roster, round(now - started, 2))
        if counts != last:
            last, last_change = counts, now
        if now > deadline or now - last_change > 20:
            return Drained(service, counts[0], counts[1], None)
        await asyncio.sleep(poll)


async def queue_depths(stack: ProductionStack, services: list[str]) -> dict[str, dict[str, int]]:
    import aio_pika

    depths: dict[str, dict[str, int]] = {}
    connection = await aio_pika.connect(AMQP)
    async with connection:
        channel = await connection.channel()
        for service in services:
            depths[service] = {}
            for suffix in ("", ".dead-letter"):
                queue = await channel.declare_queue(f"{stack.name}.{service}{suffix}", passive=True)
                depths[service][suffix.lstrip(".") or "queue"] = int(queue.declaration_result.message_count or 0)
    return depths


def log_counts(stack: ProductionStack, service: str) -> dict[str, int]:
    text = stack.processes[service].tail(50_000_000)
    return {
        "redeliveries_skipped": text.count("duplicate event skipped"),
        "handler_failures": text.count("event handler failed"),
    }


async def run(args: argparse.Namespace, stack: ProductionStack) -> dict[str, Any]:
    log(f"migrating {', '.join(stack.services)} ({stack.name})")
    await asyncio.to_thread(stack.prepare, demo=False)
    await stack.launch()  # healthy means connected to RabbitMQ, with the consumers' queues bound
    log("services up: " + ", ".join(f"{s} {stack.port(s)}" for s in stack.services))
    settings = stack.settings()
    engines: dict[str, AsyncEngine] = {}
    for service in stack.services:
        url = settings.database_url_for(service)
        assert url is not None
        engines[service] = create_engine(url, pool_size=2)
    consumers = [service for service in stack.services if service != PRODUCER]
    organization = uuid.uuid4()
    events = burst(args.events, organization)
    ids = [event.id for event in events]
    report: dict[str, Any] = {"events": args.events, "via": args.via, "consumers": consumers}
    try:
        log(f"burst: {args.events} player.added via {args.via}")
        if args.via == "outbox":
            written = time.perf_counter()
            await write_outbox(engines[PRODUCER], events)
            started = time.perf_counter()
            report["write_s"] = round(started - written, 2)
            drains = asyncio.gather(
                *(wait_drained(s, engines[s], ids, organization, started, within=args.timeout) for s in consumers)
            )
            await wait_published(engines[PRODUCER], started + args.timeout)
            report["publish_s"] = round(time.perf_counter() - started, 2)
            report["unpublished"] = await unpublished(engines[PRODUCER])
            drained: list[Drained] = list(await drains)
        else:
            started = time.perf_counter()
            drains = asyncio.gather(
                *(wait_drained(s, engines[s], ids, organization, started, within=args.timeout) for s in consumers)
            )
            report["publish_s"] = round(await publish_on_bus(stack, events, args.concurrency), 2)
            report["unpublished"] = 0
            drained = list(await drains)
        report["queues"] = await queue_depths(stack, consumers)
    finally:
        for engine in engines.values():
            await engine.dispose()
    report["publish_rate"] = round(args.events / report["publish_s"], 1) if report["publish_s"] else None
    per_consumer: dict[str, Any] = {}
    for entry in drained:
        queues = report["queues"][entry.service]
        per_consumer[entry.service] = {
            "processed": entry.processed,
            "roster_rows": entry.roster_rows,
            "drain_s": entry.seconds,
            "rate": round(args.events / entry.seconds, 1) if entry.seconds else None,
            "lost": args.events - entry.processed,
            "doubled": max(0, entry.roster_rows - args.events) + max(0, entry.processed - args.events),
            "ok": entry.processed == args.events
            and entry.roster_rows == args.events
            and queues["queue"] == 0
            and queues["dead-letter"] == 0,
            **log_counts(stack, entry.service),
        }
    report["per_consumer"] = per_consumer
    seconds = [c["drain_s"] for c in per_consumer.values()]
    report["drain_s"] = max(seconds) if seconds and None not in seconds else None
    report["ok"] = report["unpublished"] == 0 and all(c["ok"] for c in per_consumer.values())
    return report


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Event burst: {report['events']:,} events through RabbitMQ (via {report['via']})",
        "",
        f"Started {report['started']}; consumers {', '.join(report['consumers'])} as their own processes "
        "(`hockey-hub serve`, production mode), on this machine's PostgreSQL and RabbitMQ.",
        "",
        f"**Verdict: {'PASS' if report['ok'] else 'FAIL'}**: every event applied exactly once by every consumer, "
        "queues and dead-letter queues empty" + (", outbox fully published" if report["via"] == "outbox" else "") + ".",
        "",
    ]
    if report["via"] == "outbox":
        lines.append(
            f"Outbox: {report['events']:,} rows written in one transaction in {report['write_s']} s; "
            f"the user service's relay published them all {report['publish_s']} s after the commit "
            f"({report['publish_rate']} events/s); unpublished left: {report['unpublished']}."
        )
    else:
        lines.append(
            f"Published on the exchange by the benchmark in {report['publish_s']} s ({report['publish_rate']} "
            "events/s, persistent, publisher confirms)."
        )
    lines += [
        "",
        "| consumer | applied | roster rows | lost | doubled | drained in s | events/s | queue left | dead letters "
        "| redeliveries skipped | handler failures | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for service, entry in report["per_consumer"].items():
        queues = report["queues"][service]
        lines.append(
            f"| {service} | {entry['processed']:,} | {entry['roster_rows']:,} | {entry['lost']} | {entry['doubled']} "
            f"| {entry['drain_s']} | {entry['rate']} | {queues['queue']} | {queues['dead-letter']} "
            f"| {entry['redeliveries_skipped']} | {entry['handler_failures']} | {'yes' if entry['ok'] else '**no**'} |"
        )
    lines += [
        "",
        f"Time to drain (start of the burst to the last event applied by the slowest consumer): {report['drain_s']} s.",
        "",
    ]
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> int:
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    folder = Path(tempfile.mkdtemp(prefix="hockey-hub-event-burst-"))
    stack = ProductionStack(
        folder=folder,
        run=uuid.uuid4().hex[:8],
        base_port=args.base_port,
        services=(PRODUCER, *args.consumers.split(",")),
        router=False,
        log_level="INFO",  # the consumers log each redelivery they skip
    )
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        report = await run(args, stack)
    finally:
        stack.stop()
        await stack.cleanup()
        if args.keep:
            log(f"kept {folder} (logs/)")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    report["started"] = started
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "event-burst-latest.json").write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    (RESULTS / "event-burst-latest.md").write_text(markdown(report))
    summary = ", ".join(
        f"{service} {entry['processed']}/{args.events} in {entry['drain_s']} s ({entry['rate']}/s)"
        for service, entry in report["per_consumer"].items()
    )
    log(f"{'PASS' if report['ok'] else 'FAIL'}: published in {report['publish_s']} s; {summary}")
    log("wrote bench/results/event-burst-latest.md")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000, help="events in the burst (default 10,000)")
    parser.add_argument("--via", choices=["outbox", "bus"], default="outbox", help="how the burst is produced")
    parser.add_argument(
        "--consumers", default="medical,training", help="consuming services, comma separated (default medical,training)"
    )
    parser.add_argument("--concurrency", type=int, default=100, help="--via bus: confirmations outstanding at once")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the drain (default 600)")
    parser.add_argument("--base-port", type=int, default=3450, help="the services take the ports after this one")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with every process's log")
    sys.exit(asyncio.run(main(parser.parse_args())))
