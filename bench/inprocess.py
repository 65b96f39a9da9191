"""The router's own time per warm request, outside subgraph calls.

`RouterEngine` runs in this process with its `SubgraphClient` replaced by `RecordedClient`, which
answers every fetch from the recording at once (no socket, no waiting). What is timed is
`await engine.handle(request)`: the plan-cache lookup, building each subgraph request, encoding it
(`orjson.dumps`, as the real client does), decoding the recorded answer (`orjson.loads`, as the real
client does), merging entities, and shaping the response. The HTTP layer's work (uvicorn, Starlette,
reading the request body, serialising the response, aiohttp) is not in it; `orjson.dumps` of the
response is timed separately.

    python bench/inprocess.py --supergraph FILE --recording FILE --variants FILE --out FILE [--profile FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from router.engine import GraphQLRequest, RouterEngine  # noqa: E402
from router.executor.fetch import SubgraphClient, SubgraphResult  # noqa: E402
from router.federation.model import load_federated_schema  # noqa: E402


class RecordedClient(SubgraphClient):
    """Answers from the recording, immediately; counts its own time (encode, look up, decode)."""

    def __init__(self, urls: Mapping[str, str], recording: list[dict[str, Any]]):
        super().__init__(urls)
        self.answers: dict[tuple[str, bytes], bytes] = {
            (entry["subgraph"], entry["request"].encode()): entry["response"].encode() for entry in recording
        }
        self.misses = 0
        self.fetches = 0
        self.client_ns = 0

    async def fetch(
        self, service: str, body: dict[str, Any], headers: Mapping[str, str], *, is_mutation: bool
    ) -> SubgraphResult:
        started = time.perf_counter_ns()
        self.fetches += 1
        payload = orjson.dumps(body)
        raw = self.answers.get((service, payload))
        if raw is None:
            self.misses += 1
            result = SubgraphResult(None, [{"message": "no recording", "extensions": {"code": "BENCH_MISS"}}])
        else:
            answer = orjson.loads(raw)
            errors = answer.get("errors") or []
            result = SubgraphResult(answer.get("data"), errors if isinstance(errors, list) else [])
        self.client_ns += time.perf_counter_ns() - started
        return result


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class StageTimer:
    """Wraps the engine's executor and shaper on this instance only, to split the time by stage."""

    def __init__(self, engine: RouterEngine):
        self.execute_ns = 0
        self.shape_ns = 0
        execute, shape = engine.executor.execute, engine.shaper.shape

        async def timed_execute(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter_ns()
            try:
                return await execute(*args, **kwargs)
            finally:
                self.execute_ns += time.perf_counter_ns() - started

        def timed_shape(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter_ns()
            try:
                return shape(*args, **kwargs)
            finally:
                self.shape_ns += time.perf_counter_ns() - started

        engine.executor.execute = timed_execute  # type: ignore[method-assign]
        engine.shaper.shape = timed_shape  # type: ignore[method-assign]


def count_values(value: Any) -> int:
    """How many JSON values a response holds (every object member and list item, recursively)."""
    if isinstance(value, dict):
        return len(value) + sum(count_values(v) for v in value.values())
    if isinstance(value, list):
        return len(value) + sum(count_values(v) for v in value)
    return 0


async def run(
    args: argparse.Namespace, recording: list[dict[str, Any]], spec: dict[str, Any], sdl: str
) -> dict[str, Any]:
    variants: list[dict[str, Any]] = spec["variants"]
    sequence: list[int] = spec["sequence"]
    token: str = spec["token"]
    schema = load_federated_schema(sdl)
    client = RecordedClient({g.name: g.url for g in schema.graphs.values()}, recording)
    engine = RouterEngine(schema, client)
    headers = {"authorization": f"Bearer {token}", "x-request-id": "0" * 32}
    requests = [
        GraphQLRequest(
            v["body"]["query"],
            v["body"]["variables"],
            v["body"]["operationName"],
            headers,
            None,
            frozenset({"query", "mutation"}),
        )
        for v in variants
    ]

    # warm-up: plans cached, shaper collections cached, allocator and caches warm
    for _ in range(args.warmup):
        for request in requests:
            await engine.handle(request)
    client.misses = 0

    # per operation: each variant timed `iterations` times, interleaved so that noise spreads evenly
    per_variant: dict[int, list[float]] = defaultdict(list)
    serialise: dict[int, list[float]] = defaultdict(list)
    fetches: dict[int, int] = {}
    values: dict[int, int] = {}
    client_us: dict[int, list[float]] = defaultdict(list)
    stages = StageTimer(engine)
    stage_totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _ in range(args.iterations):
        for index, request in enumerate(requests):
            before_fetches, before_client = client.fetches, client.client_ns
            before_exec, before_shape = stages.execute_ns, stages.shape_ns
            started = time.perf_counter_ns()
            response = await engine.handle(request)
            elapsed = time.perf_counter_ns() - started
            per_variant[index].append(elapsed / 1000)
            values[index] = count_values(response.body.get("data"))
            fetches[index] = client.fetches - before_fetches
            client_us[index].append((client.client_ns - before_client) / 1000)
            stage_totals[index][0] += stages.execute_ns - before_exec - (client.client_ns - before_client)
            stage_totals[index][1] += stages.shape_ns - before_shape
            started = time.perf_counter_ns()
            orjson.dumps(response.body)
            serialise[index].append((time.perf_counter_ns() - started) / 1000)
            if response.body.get("errors"):
                hint = (
                    " (the engine's subgraph requests are not in the recording: did router/ change since the "
                    "router process that was recorded started?)"
                    if client.misses
                    else ""
                )
                raise SystemExit(
                    f"in-process: {variants[index]['label']} answered errors{hint}: {response.body['errors']}"
                )

    # the mix, in its weighted order: what a request costs on average in this traffic
    mix_us: list[float] = []
    for _ in range(args.mix_rounds):
        for index in sequence:
            started = time.perf_counter_ns()
            await engine.handle(requests[index])
            mix_us.append((time.perf_counter_ns() - started) / 1000)

    by_operation: dict[str, dict[str, Any]] = {}
    for index, variant in enumerate(variants):
        name = variant["operation"]
        row = by_operation.setdefault(
            name,
            {
                "samples": [],
                "serialise": [],
                "client": [],
                "fetches": fetches[index],
                "values": values[index],
                "exec": 0,
                "shape": 0,
            },
        )
        row["samples"] += per_variant[index]
        row["serialise"] += serialise[index]
        row["client"] += client_us[index]
        row["exec"] += stage_totals[index][0]
        row["shape"] += stage_totals[index][1]
    operations = {}
    for name, row in by_operation.items():
        count = len(row["samples"])
        operations[name] = {
            "median_us": round(statistics.median(row["samples"]), 1),
            "p99_us": round(_percentile(row["samples"], 99), 1),
            "subgraph_fetches": row["fetches"],
            "response_values": row["values"],
            "shape_ns_per_value": round(row["shape"] / count / max(1, row["values"])),
            "fetch_encode_decode_us": round(statistics.median(row["client"]), 1),
            "execute_other_us": round(row["exec"] / count / 1000, 1),
            "shape_us": round(row["shape"] / count / 1000, 1),
            "response_dumps_us": round(statistics.median(row["serialise"]), 1),
        }
    result = {
        "what": "await RouterEngine.handle(request), subgraph fetches answered at once from the recording",
        "iterations_per_variant": args.iterations,
        "mix": {
            "requests": len(mix_us),
            "median_us": round(statistics.median(mix_us), 1),
            "mean_us": round(statistics.fmean(mix_us), 1),
            "p99_us": round(_percentile(mix_us, 99), 1),
        },
        "operations": operations,
        "recording_misses": client.misses,
        "plan_cache": {"hits": engine.cache.hits, "misses": engine.cache.misses},
    }

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile_rounds):
            for index in sequence:
                await engine.handle(requests[index])
        profiler.disable()
        profiler.dump_stats(args.profile)
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(30)
        Path(args.profile).with_suffix(".txt").write_text(text.getvalue())
        result["profile"] = {
            "requests": args.profile_rounds * len(sequence),
            "file": str(args.profile),
            "by_area_us_per_request": by_area(stats, args.profile_rounds * len(sequence)),
        }
    return result


AREAS = (
    ("router/planner", "router: planner"),
    ("router/executor/shape", "router: shaping the response"),
    ("router/executor/execute", "router: executing the plan (merge, representations)"),
    ("router/executor/fetch", "router: subgraph client"),
    ("router/engine", "router: engine"),
    ("bench/inprocess", "bench: recorded client"),
    ("graphql/", "graphql-core"),
    ("asyncio", "asyncio"),
)


def area_of(filename: str, function: str) -> str:
    for needle, area in AREAS:
        if needle in filename:
            return area
    if filename == "~":
        if "orjson" in function or "dumps" in function or "loads" in function:
            return "orjson (C)"
        return "builtins (C)"
    return "other Python"


def by_area(stats: pstats.Stats, requests: int) -> dict[str, float]:
    """Own time (tottime) per request, summed by where the code lives."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        totals[area_of(filename, function)] += row[2]
    return {area: round(seconds / requests * 1e6, 1) for area, seconds in sorted(totals.items(), key=lambda i: -i[1])}


def cli() -> int:
    parser = argparse.ArgumentParser(description="the router's in-process time per request")
    parser.add_argument("--supergraph", required=True)
    parser.add_argument("--recording", required=True)
    parser.add_argument("--variants", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--mix-rounds", type=int, default=3)
    parser.add_argument("--profile")
    parser.add_argument("--profile-rounds", type=int, default=2)
    args = parser.parse_args()
    recording = orjson.loads(Path(args.recording).read_bytes())
    spec = orjson.loads(Path(args.variants).read_bytes())
    sdl = Path(args.supergraph).read_text()
    try:
        import uvloop

        result = uvloop.run(run(args, recording, spec, sdl))
    except ImportError:
        result = asyncio.run(run(args, recording, spec, sdl))
    Path(args.out).write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    print(orjson.dumps(result["mix"]).decode())
    return 0


if __name__ == "__main__":
    sys.exit(cli())
