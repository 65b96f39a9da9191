"""Soak: the realistic operation mix through the router at a steady rate for a long time, on the stack as
production runs it; zero errors and no memory growth beyond a bound, or it fails.

    .venv/bin/python bench/soak_bench.py                          # 600 s at 20 requests/s
    .venv/bin/python bench/soak_bench.py --duration 60 --rate 5   # to try the harness

1. starts the nine services and the router as processes of their own in production mode
   (`bench/production_stack.py`: throwaway databases, exchange, queues and Redis keys on this machine's
   servers), migrates and loads the demo club (`hockey-hub demo`);
2. signs tokens for the senior coach (as the user service would, with the run's key), finds the mix's ids
   in the demo club and builds the mix (`bench/mix.py`): the operations the frontend sends, in their
   weights, the RSVP mutation repeating the coach's own answer so no write piles up or collides;
3. sends it open loop at `--rate` requests/s (a request leaves on schedule whether or not earlier ones
   were answered; latency counts from its scheduled time, so a stall shows) for `--duration` seconds;
4. every `--interval` seconds records the requests answered, the errors (HTTP status other than 200,
   GraphQL errors by `extensions.code`, timeouts, refused connections), p50/p99 latency of the interval
   and the resident memory of every process;
5. writes bench/results/soak-latest.{md,json}; exits 1 when the verdict fails: any error, a process that
   died, or a process whose memory over the last minute exceeds that of the first by more than the bound.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.mix import MIX, Context, Variant, build_variants, share, weighted_sequence  # noqa: E402
from bench.production_stack import ProductionStack, cpu_seconds, rss_bytes  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TRUSTED = ROOT / "schema" / "operations"
BENCH_OPERATIONS = ROOT / "bench" / "operations"
COACH = "coach@lynx.example"
MB = 1024 * 1024

# The harness's own look-ups in the demo club; trusted documents like the frontend's (production refuses
# any other document), written beside them in the run's trusted folder.
SETUP_DOCUMENTS = {
    "SoakTeamsAndSeasons": "query SoakTeamsAndSeasons { teams { id name } seasons { id startDate endDate } }",
    "SoakTeamPlayers": "query SoakTeamPlayers($id: ID!) { team(id: $id) { players { id } } }",
    "SoakTeamEvents": (
        "query SoakTeamEvents($from: DateTime!, $to: DateTime!, $teamId: ID) "
        "{ calendarEvents(from: $from, to: $to, teamId: $teamId) { id myRsvp } }"
    ),
}


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------- setup


def trusted_folder(folder: Path) -> Path:
    """The frontend's documents, the benchmark's roster-with-load and the harness's look-ups."""
    trusted = folder / "trusted"
    shutil.copytree(TRUSTED, trusted / "frontend")
    (trusted / "bench").mkdir()
    for document in BENCH_OPERATIONS.glob("*.graphql"):
        shutil.copyfile(document, trusted / "bench" / document.name)
    for name, text in SETUP_DOCUMENTS.items():
        (trusted / "bench" / f"{name}.graphql").write_text(text + "\n")
    return trusted


def router_limits(rate: float) -> dict[str, str]:
    """Rate limits stay on (each request still checks its buckets in Redis), with budgets the soak's one
    coach cannot exhaust at this rate: it stands in for many users."""
    per_window = str(max(1000, int(rate * 60 * 4)))
    return {
        "HOCKEY_HUB_ROUTER_RATE_LIMIT_QUERIES": per_window,
        "HOCKEY_HUB_ROUTER_RATE_LIMIT_MUTATIONS": per_window,
        "HOCKEY_HUB_ROUTER_RATE_LIMIT_COST": str(max(200_000, int(rate * 60 * 10_000 * 4))),
    }


async def coach_tokens(stack: ProductionStack, count: int, lifetime: timedelta) -> list[str]:
    """What the user service signs at sign-in, `count` times (each its own `jti`)."""
    from hockey_hub.database import service_engine
    from shared.auth.keys import KeyringFile
    from shared.auth.tokens import TokenIssuer
    from shared.database import create_sessionmaker
    from subgraphs.user.service import principal_for_email

    settings = stack.settings()
    async with service_engine(settings, "user") as engine, create_sessionmaker(engine)() as session:
        principal = await principal_for_email(session, COACH)
    issuer = TokenIssuer(KeyringFile(settings), issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    return [issuer.issue(principal, lifetime=lifetime) for _ in range(count)]


async def graphql(http: aiohttp.ClientSession, url: str, token: str, name: str, variables: dict[str, Any]) -> Any:
    body = {"query": SETUP_DOCUMENTS[name], "variables": variables, "operationName": name}
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    async with http.post(url, data=orjson.dumps(body), headers=headers) as response:
        answer = orjson.loads(await response.read())
    if response.status != 200 or answer.get("errors"):
        raise RuntimeError(f"{name}: HTTP {response.status} {answer}")
    return answer["data"]


async def discover(http: aiohttp.ClientSession, url: str, token: str) -> Context:
    """The mix's ids in the demo club: the senior team, the current season, players, an answered event."""
    today = datetime.now(UTC).date()
    found = await graphql(http, url, token, "SoakTeamsAndSeasons", {})
    team = next((t for t in found["teams"] if t["name"] == "Lynx Senior"), found["teams"][0])
    seasons = found["seasons"]
    season = next((s for s in seasons if s["startDate"] <= today.isoformat() <= s["endDate"]), None)
    season = season or (seasons[-1] if seasons else None)
    if season is None:
        raise RuntimeError("the demo club has no season")
    roster = await graphql(http, url, token, "SoakTeamPlayers", {"id": team["id"]})
    context = Context(team["id"], season["id"], [p["id"] for p in roster["team"]["players"]], "", "ACCEPTED", today)
    start, end = context.schedule_range()
    events = (await graphql(http, url, token, "SoakTeamEvents", {"from": start, "to": end, "teamId": team["id"]}))[
        "calendarEvents"
    ]
    if not events:
        raise RuntimeError("the senior team has no events in the schedule window")
    chosen = next((e for e in events if e["myRsvp"]), events[0])
    context.event_id, context.event_rsvp = chosen["id"], chosen["myRsvp"] or "ACCEPTED"
    return context


# -------------------------------------------------------------------------------------------------- load


@dataclass
class Tally:
    """What was answered since the last sample (and, in `Recorder.total`, since the start)."""

    requests: int = 0
    errors: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)

    def add(self, latency_ms: float, codes: list[str]) -> None:
        self.requests += 1
        self.latencies_ms.append(latency_ms)
        if codes:
            self.errors += 1
            self.codes.update(codes)


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)


@dataclass
class Recorder:
    interval: Tally = field(default_factory=Tally)
    total: Tally = field(default_factory=Tally)
    examples: dict[str, str] = field(default_factory=dict)
    by_operation: Counter[str] = field(default_factory=Counter)
    errors_by_operation: Counter[str] = field(default_factory=Counter)

    def record(self, operation: str, latency_ms: float, codes: list[str], example: str) -> None:
        self.interval.add(latency_ms, codes)
        self.total.add(latency_ms, codes)
        self.by_operation[operation] += 1
        if codes:
            self.errors_by_operation[operation] += 1
            for code in codes:
                self.examples.setdefault(code, f"{operation}: {example[:300]}")

    def take(self) -> Tally:
        taken, self.interval = self.interval, Tally()
        return taken


def error_codes(status: int, raw: bytes) -> tuple[list[str], str]:
    """The request's error codes (none when it succeeded) and a piece of the answer to show."""
    codes: list[str] = [] if status == 200 else [f"HTTP_{status}"]
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return [*codes, "NOT_JSON"], raw[:300].decode(errors="replace")
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        codes += sorted({str((e.get("extensions") or {}).get("code", "NO_CODE")) for e in errors})
    elif not codes and not (isinstance(body, dict) and body.get("data")):
        codes.append("NO_DATA")
    return codes, raw[:300].decode(errors="replace")


class Load:
    """The mix at a steady rate, open loop, over many tokens of the same coach."""

    def __init__(
        self,
        url: str,
        variants: list[Variant],
        sequence: list[int],
        tokens: list[str],
        *,
        timeout: float,
        max_in_flight: int,
    ):
        self.url = url
        self.variants = variants
        self.sequence = sequence
        self.tokens = tokens
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.max_in_flight = max_in_flight
        self.recorder = Recorder()
        self.in_flight: set[asyncio.Task[None]] = set()

    async def one(self, http: aiohttp.ClientSession, number: int, scheduled: float) -> None:
        variant = self.variants[self.sequence[number % len(self.sequence)]]
        headers = {
            "authorization": f"Bearer {self.tokens[number % len(self.tokens)]}",
            "content-type": "application/json",
        }
        try:
            async with http.post(self.url, data=variant.body, headers=headers, timeout=self.timeout) as response:
                raw, status = await response.read(), response.status
            codes, example = error_codes(status, raw)
        except TimeoutError:
            codes, example = ["CLIENT_TIMEOUT"], f"no answer within {self.timeout.total} s"
        except aiohttp.ClientError as error:
            codes, example = ["CONNECTION_ERROR"], repr(error)
        latency_ms = (time.perf_counter() - scheduled) * 1000
        self.recorder.record(variant.operation, latency_ms, codes, example)

    async def run(self, rate: float, duration: float) -> None:
        connector = aiohttp.TCPConnector(limit=self.max_in_flight, keepalive_timeout=60)
        async with aiohttp.ClientSession(connector=connector) as http:
            start = time.perf_counter()
            number = 0
            while (scheduled := start + number / rate) < start + duration:
                if (delay := scheduled - time.perf_counter()) > 0:
                    await asyncio.sleep(delay)
                if len(self.in_flight) >= self.max_in_flight:
                    # the stack has fallen this far behind: a request that never left is an error too
                    self.recorder.record("(not sent)", 0.0, ["CLIENT_IN_FLIGHT_LIMIT"], f"{self.max_in_flight} waiting")
                else:
                    task = asyncio.create_task(self.one(http, number, scheduled))
                    self.in_flight.add(task)
                    task.add_done_callback(self.in_flight.discard)
                number += 1
            if self.in_flight:
                await asyncio.wait(self.in_flight)


# ------------------------------------------------------------------------------------------------ report


@dataclass
class Sample:
    at_s: float
    requests: int
    errors: int
    codes: dict[str, int]
    p50_ms: float | None
    p99_ms: float | None
    rss_mb: dict[str, float | None]


def memory_verdict(samples: list[Sample], window_s: float, bound_pct: float, bound_mb: float) -> dict[str, Any]:
    """Per process: median RSS over the first window against the median over the last. A process fails
    when it grew by more than the smaller of `bound_pct` % of its first-window size and `bound_mb`."""
    end = samples[-1].at_s if samples else 0.0
    verdict: dict[str, Any] = {}
    for name in samples[0].rss_mb if samples else {}:
        first = [s.rss_mb[name] for s in samples if s.at_s <= window_s and s.rss_mb.get(name) is not None]
        last = [s.rss_mb[name] for s in samples if s.at_s >= end - window_s and s.rss_mb.get(name) is not None]
        if not first or not last:
            verdict[name] = {"ok": False, "why": "no memory samples (did it die?)"}
            continue
        first_mb = statistics.median(v for v in first if v is not None)
        last_mb = statistics.median(v for v in last if v is not None)
        limit = min(first_mb * bound_pct / 100, bound_mb)
        growth = last_mb - first_mb
        verdict[name] = {
            "first_mb": round(first_mb, 1),
            "last_mb": round(last_mb, 1),
            "max_mb": round(max(s.rss_mb[name] or 0.0 for s in samples), 1),
            "growth_mb": round(growth, 1),
            "growth_pct": round(100 * growth / first_mb, 1),
            "limit_mb": round(limit, 1),
            "ok": growth <= limit,
        }
    return verdict


def markdown(report: dict[str, Any]) -> str:
    totals, verdict, settings = report["totals"], report["verdict"], report["settings"]
    names = list(report["memory"])
    lines = [
        f"# Soak: {settings['duration_s']:.0f} s at {settings['rate']:g} requests/s through the router",
        "",
        f"Started {report['started']} at commit {report['commit']}; {report['machine']}. The nine services and the "
        "router as processes of their own, production mode, on this machine's PostgreSQL, RabbitMQ and Redis; "
        "the demo club; the mix of `bench/mix.py` open loop over "
        f"{settings['tokens']} tokens of {COACH}, samples every {settings['interval_s']:g} s.",
        "",
        f"**Verdict: {'PASS' if verdict['ok'] else 'FAIL'}**: errors {totals['errors']} (allowed 0); "
        f"processes that died: {', '.join(verdict['died']) or 'none'}; memory growth over the bound: "
        f"{', '.join(verdict['memory_over']) or 'none'} (first vs last {verdict['window_s']:g} s, bound the smaller "
        f"of {settings['rss_growth_pct']:g} % and {settings['rss_growth_mb']:g} MB).",
        "",
        "## Totals",
        "",
        "| requests | req/s | errors | p50 ms | p99 ms | max ms |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {totals['requests']} | {totals['rate']} | {totals['errors']} | {totals['p50_ms']} | {totals['p99_ms']} "
        f"| {totals['max_ms']} |",
        "",
    ]
    if totals["codes"]:
        lines += ["| error code | count | first seen |", "|---|---:|---|"]
        for code, count in totals["codes"].items():
            example = report["examples"].get(code, "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {code} | {count} | `{example}` |")
        lines.append("")
    lines += ["| operation | requests | errors |", "|---|---:|---:|"]
    for operation, count in report["by_operation"].items():
        lines.append(f"| {operation} | {count} | {report['errors_by_operation'].get(operation, 0)} |")
    lines += [
        "",
        "## Memory (RSS, MB) and CPU",
        "",
        "| process | first | last | max | growth | limit | CPU s | CPU ms/req | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, memory in report["memory"].items():
        cpu = report["cpu_s"].get(name)
        per = round(1000 * cpu / totals["requests"], 2) if cpu is not None and totals["requests"] else None
        if "first_mb" not in memory:
            lines.append(f"| {name} | | | | | | {cpu} | {per} | no: {memory['why']} |")
            continue
        lines.append(
            f"| {name} | {memory['first_mb']} | {memory['last_mb']} | {memory['max_mb']} | "
            f"{memory['growth_mb']:+} ({memory['growth_pct']:+} %) | {memory['limit_mb']} | {cpu} | {per} | "
            f"{'yes' if memory['ok'] else '**no**'} |"
        )
    lines += [
        "",
        "## Over time",
        "",
        "| t s | requests | errors | p50 ms | p99 ms | " + " | ".join(names) + " |",
        "|---:|---:|---:|---:|---:|" + "---:|" * len(names),
    ]
    for sample in report["samples"]:
        rss = " | ".join("" if sample["rss_mb"].get(n) is None else f"{sample['rss_mb'][n]:.0f}" for n in names)
        codes = f" ({', '.join(f'{c} {n}' for c, n in sample['codes'].items())})" if sample["codes"] else ""
        p50, p99 = ("" if v is None else v for v in (sample["p50_ms"], sample["p99_ms"]))
        lines.append(
            f"| {sample['at_s']:.0f} | {sample['requests']} | {sample['errors']}{codes} | {p50} | {p99} | {rss} |"
        )
    lines += ["", "Mix shares: " + ", ".join(f"{k} {v:.0%}" for k, v in report["mix_share"].items()), ""]
    return "\n".join(lines)


def commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True)
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def machine() -> str:
    import os
    import platform

    return f"{os.cpu_count()} CPUs, CPython {platform.python_version()}"


# -------------------------------------------------------------------------------------------------- main


async def soak(args: argparse.Namespace, stack: ProductionStack) -> dict[str, Any]:
    began = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    log(f"migrating and loading the demo club ({stack.name})")
    await asyncio.to_thread(stack.prepare, demo=True)
    await stack.launch()
    log(f"stack up: router {stack.router_url}, services on {stack.base_port + 1}-{stack.base_port + 9}")
    tokens = await coach_tokens(stack, args.tokens, timedelta(seconds=args.duration + 1800))
    url = f"{stack.router_url}/graphql"
    async with aiohttp.ClientSession() as http:
        context = await discover(http, url, tokens[0])
    variants = build_variants(context)
    sequence = weighted_sequence(variants)
    load = Load(url, variants, sequence, tokens, timeout=args.timeout, max_in_flight=args.max_in_flight)

    samples: list[Sample] = []
    pids = {name: process.pid for name, process in stack.processes.items()}
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()

    def sample() -> Sample:
        taken = load.recorder.take()
        rss = {name: rss_bytes(pid) for name, pid in pids.items()}
        return Sample(
            at_s=round(time.perf_counter() - started, 1),
            requests=taken.requests,
            errors=taken.errors,
            codes=dict(taken.codes),
            p50_ms=percentile(taken.latencies_ms, 50),
            p99_ms=percentile(taken.latencies_ms, 99),
            rss_mb={name: None if value is None else round(value / MB, 1) for name, value in rss.items()},
        )

    async def sampler() -> None:
        while True:
            await asyncio.sleep(args.interval)
            taken = sample()
            samples.append(taken)
            rss = sum(v or 0 for v in taken.rss_mb.values())
            log(
                f"t={taken.at_s:5.0f}s requests {taken.requests} errors {taken.errors} p50 {taken.p50_ms} ms "
                f"p99 {taken.p99_ms} ms in flight {len(load.in_flight)} RSS total {rss:.0f} MB"
                + (f" {taken.codes}" if taken.codes else "")
            )

    samples.append(sample())  # t=0: memory before the load
    log(f"soak: {args.duration:.0f} s at {args.rate:g} requests/s")
    sampling = asyncio.create_task(sampler())
    try:
        await load.run(args.rate, args.duration)
    finally:
        sampling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampling
    if load.recorder.interval.requests:
        samples.append(sample())
    elapsed = time.perf_counter() - started
    cpu = {
        name: round(after - before, 1)
        for name, pid in pids.items()
        if (before := cpu_before[name]) is not None and (after := cpu_seconds(pid)) is not None
    }
    died = stack.exited()
    total = load.recorder.total
    window = min(args.window, args.duration / 3)
    memory = memory_verdict(samples[1:], window, args.rss_growth_pct, args.rss_growth_mb)
    memory_over = [name for name, entry in memory.items() if not entry["ok"]]
    return {
        "started": began,
        "commit": commit(),
        "machine": machine(),
        "settings": {
            "rate": args.rate,
            "duration_s": args.duration,
            "interval_s": args.interval,
            "tokens": args.tokens,
            "timeout_s": args.timeout,
            "max_in_flight": args.max_in_flight,
            "rss_growth_pct": args.rss_growth_pct,
            "rss_growth_mb": args.rss_growth_mb,
        },
        "verdict": {
            "ok": total.errors == 0 and not died and not memory_over,
            "died": died,
            "memory_over": memory_over,
            "window_s": window,
        },
        "totals": {
            "requests": total.requests,
            "rate": round(total.requests / elapsed, 1),
            "errors": total.errors,
            "codes": dict(total.codes.most_common()),
            "p50_ms": percentile(total.latencies_ms, 50),
            "p99_ms": percentile(total.latencies_ms, 99),
            "max_ms": round(max(total.latencies_ms, default=0.0), 1),
        },
        "examples": load.recorder.examples,
        "by_operation": dict(load.recorder.by_operation.most_common()),
        "errors_by_operation": dict(load.recorder.errors_by_operation),
        "memory": memory,
        "cpu_s": cpu,
        "samples": [sample.__dict__ for sample in samples],
        "mix_share": share(variants, sequence),
        "mix": [operation.name for operation in MIX],
    }


async def main(args: argparse.Namespace) -> int:
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    folder = Path(tempfile.mkdtemp(prefix="hockey-hub-soak-"))
    stack = ProductionStack(
        folder=folder,
        run=uuid.uuid4().hex[:8],
        base_port=args.base_port,
        extra_env={"HOCKEY_HUB_ROUTER_TRUSTED_DOCUMENTS": str(trusted_folder(folder)), **router_limits(args.rate)},
    )
    try:
        report = await soak(args, stack)
    finally:
        stack.stop()
        await stack.cleanup()
        if args.keep:
            log(f"kept {folder} (logs/)")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "soak-latest.json").write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    (RESULTS / "soak-latest.md").write_text(markdown(report))
    totals = report["totals"]
    log(
        f"{'PASS' if report['verdict']['ok'] else 'FAIL'}: {totals['requests']} requests, {totals['errors']} errors "
        f"{totals['codes'] or ''}, p50 {totals['p50_ms']} ms, p99 {totals['p99_ms']} ms; "
        f"memory over the bound: {report['verdict']['memory_over'] or 'none'}; wrote bench/results/soak-latest.md"
    )
    return 0 if report["verdict"]["ok"] else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (default 20)")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load (default 600)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples (default 10)")
    parser.add_argument("--tokens", type=int, default=16, help="distinct coach tokens in rotation (default 16)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as lost")
    parser.add_argument(
        "--max-in-flight", type=int, default=64, help="requests waiting at once before new ones count as errors"
    )
    parser.add_argument(
        "--window", type=float, default=60.0, help="seconds at the start and the end compared for memory (default 60)"
    )
    parser.add_argument("--rss-growth-pct", type=float, default=20.0, help="memory bound, %% of the first window")
    parser.add_argument("--rss-growth-mb", type=float, default=50.0, help="memory bound, MB (the smaller applies)")
    parser.add_argument("--base-port", type=int, default=3400, help="router port; the services take the next nine")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with every process's log")
    sys.exit(asyncio.run(main(parser.parse_args())))
