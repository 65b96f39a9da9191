"""Router benchmark: our federation router against Apollo Gateway and Hive Gateway, one command.

    .venv/bin/python bench/router_bench.py            # the whole run, about 6-8 minutes
    .venv/bin/python bench/router_bench.py --quick    # 5 s per target, to try the harness

What it does (see bench/README.md for the why):

1. starts the real stack (`hockey-hub up --demo`, embedded PostgreSQL, in a temporary data folder),
   grows the senior team to 50 players through `addPlayer` (as the club admin), and builds the
   operation mix (`bench/mix.py`) from the demo club's ids;
2. starts the subgraph stand-in (`bench/standin.py`) in record mode in front of the real subgraphs, and
   our router, Hive Gateway and Apollo Gateway on a copy of schema/supergraph.graphql whose subgraph
   URLs point at the stand-in; sends every request of the mix through each (recording what the
   subgraphs answer for each gateway's own subgraph requests), then switches the stand-in to replay;
3. checks that every gateway answers every request of the mix with the same data as our router over
   the real stack, first while recording and again on the replayed subgraphs;
4. (a) router alone: wrk, the same mix, fixed concurrency and duration, warm-up first, for each target;
   the target pinned to CPU 0, wrk and the stand-in to CPU 1;
5. the router's own time per request in process (`bench/inprocess.py`), with a cProfile of the mix,
   and a cProfile of the router over HTTP under wrk (`bench/profile_http.py`);
6. (b) end to end: the same mix over the real nine subgraphs, for the router inside `hockey-hub up`
   (as shipped: one process with the subgraphs), our router as its own process, Hive and Apollo;
7. prints the summary and writes bench/results/router-bench-<time>.{json,md} (and latest.*).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import ensure_wrk, run_wrk, write_script  # noqa: E402
from bench.mix import MIX, Context, Variant, build_variants, share, weighted_sequence  # noqa: E402

BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
NODE_DIR = CACHE / "node"
RESULTS = BENCH / "results"
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
PYTHON = sys.executable
HOCKEY_HUB = str(Path(sys.executable).with_name("hockey-hub"))
SERVICES = ("user", "communication", "calendar", "training", "medical", "planning", "statistics", "payment", "admin")
SERVICE_PORTS = {name: 3001 + index for index, name in enumerate(SERVICES)}
ROSTER_SIZE = 50
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


# --------------------------------------------------------------------------------------------- processes


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


class Processes:
    """Every process the benchmark starts, each in its own session (process group), stopped by its id."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.running: dict[str, Process] = {}

    def start(
        self, name: str, command: list[str], *, env: Mapping[str, str], cwd: Path | None = None, cpus: str | None = None
    ) -> Process:
        if cpus is not None:
            command = ["taskset", "-c", cpus, *command]
        log_path = self.folder / f"{name}.log"
        handle = log_path.open("wb")
        popen = subprocess.Popen(
            command, stdout=handle, stderr=subprocess.STDOUT, env=dict(env), cwd=cwd, start_new_session=True
        )
        handle.close()
        process = Process(name, popen, log_path)
        self.running[name] = process
        return process

    def stop(self, name: str, *, grace: float = 15.0) -> None:
        process = self.running.pop(name, None)
        if process is None or process.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # the group this benchmark created for it
        try:
            process.popen.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.popen.wait(5)

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name)


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants (Node's threads are in the process's own)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        times[int(entry)] = int(fields[11]) + int(fields[12])
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += times.get(current, 0)
        stack += children.get(current, [])
    return total / ticks


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ------------------------------------------------------------------------------------------------- HTTP


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    raw: bytes


def post(url: str, body: bytes, token: str | None = None, timeout: float = 30.0) -> Answer:
    headers = {"content-type": "application/json", "accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        parsed = {"errors": [{"message": f"not JSON: {raw[:200]!r}"}]}
    return Answer(status, parsed if isinstance(parsed, dict) else {"errors": [{"message": "not an object"}]}, raw)


def graphql(url: str, query: str, variables: Mapping[str, Any] | None = None, token: str | None = None) -> Any:
    answer = post(url, orjson.dumps({"query": query, "variables": dict(variables or {})}), token)
    if answer.status != 200 or answer.body.get("errors"):
        raise RuntimeError(f"{url}: HTTP {answer.status} {answer.raw[:500]!r}")
    return answer.body["data"]


def wait_until(check: Any, what: str, timeout: float, process: Process | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.popen.poll() is not None:
            raise SystemExit(f"bench: {what} exited (code {process.popen.returncode}):\n{process.tail()}")
        with contextlib.suppress(OSError, urllib.error.URLError, ConnectionError, RuntimeError):
            if check():
                return
        time.sleep(0.2)
    raise SystemExit(
        f"bench: {what} did not become ready in {timeout:.0f} s" + (f":\n{process.tail()}" if process else "")
    )


def graphql_ready(url: str) -> bool:
    return post(url, b'{"query":"{ __typename }"}', timeout=5).status == 200


# --------------------------------------------------------------------------------------------- node setup


def node_stamp() -> str:
    return hashlib.sha256((BENCH / "gateways" / "package.json").read_bytes()).hexdigest()


def start_npm_install() -> subprocess.Popen[bytes] | None:
    """Install the gateways into bench/.cache/node unless the cached install matches package.json."""
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    for script in ("apollo-gateway.mjs", "gateway.config.mjs"):
        shutil.copyfile(BENCH / "gateways" / script, NODE_DIR / script)
    stamp = NODE_DIR / ".installed"
    if stamp.exists() and stamp.read_text() == node_stamp() and (NODE_DIR / "node_modules" / ".bin").exists():
        return None
    if shutil.which("npm") is None:
        raise SystemExit("bench: npm (Node 20) is needed for the reference gateways")
    shutil.copyfile(BENCH / "gateways" / "package.json", NODE_DIR / "package.json")
    handle = (NODE_DIR / "npm-install.log").open("wb")
    return subprocess.Popen(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def finish_npm_install(installing: subprocess.Popen[bytes] | None) -> None:
    if installing is None:
        return
    log("waiting for npm install of @apollo/gateway, @apollo/server, @graphql-hive/gateway ...")
    if installing.wait(600) != 0:
        raise SystemExit(f"bench: npm install failed:\n{(NODE_DIR / 'npm-install.log').read_text()[-3000:]}")
    (NODE_DIR / ".installed").write_text(node_stamp())


def node_versions() -> dict[str, str]:
    versions = {"node": subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()}
    for package in ("@apollo/gateway", "@apollo/server", "@graphql-hive/gateway", "graphql"):
        with contextlib.suppress(OSError, ValueError):
            meta = json.loads((NODE_DIR / "node_modules" / package / "package.json").read_text())
            versions[package] = meta["version"]
    return versions


# ---------------------------------------------------------------------------------------------- the stack


def supergraph_with_urls(urls: Mapping[str, str], path: Path) -> Path:
    text = SUPERGRAPH.read_text()

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return f'@join__graph(name: "{name}", url: "{urls[name]}")'

    rewritten, count = re.subn(r'@join__graph\(name: "([^"]+)", url: "[^"]*"\)', replace, text)
    if count != len(urls):
        raise SystemExit(f"bench: expected {len(urls)} join__graph URLs in the supergraph, found {count}")
    path.write_text(rewritten)
    return path


FIRST_NAMES = ("Oskar", "Liam", "Elias", "Hugo", "Viktor", "Noah", "Emil", "Axel", "Leo", "Anton", "Isak", "Filip")
LAST_NAMES = ("Berg", "Strand", "Nyberg", "Lund", "Ek", "Sjöberg", "Holmgren", "Dahl", "Wallin", "Forsberg")
POSITIONS = ("CENTER", "LEFT_WING", "RIGHT_WING", "DEFENSE", "DEFENSE", "GOALIE")

ADD_PLAYER = """mutation AddPlayer($input: AddPlayerInput!) { addPlayer(input: $input) { id jerseyNumber } }"""


def grow_roster(router: str, admin: str, team_id: str) -> list[str]:
    """Add players to the team until it has ROSTER_SIZE; the ids of those added."""
    players = graphql(
        router, "query($id: ID!) { team(id: $id) { players { id jerseyNumber } } }", {"id": team_id}, admin
    )
    players = players["team"]["players"]
    taken = {p["jerseyNumber"] for p in players}
    free = [number for number in range(1, 100) if number not in taken]
    added: list[str] = []
    for index in range(ROSTER_SIZE - len(players)):
        position = POSITIONS[index % len(POSITIONS)]
        player = {
            "firstName": FIRST_NAMES[index % len(FIRST_NAMES)],
            "lastName": LAST_NAMES[(index * 7) % len(LAST_NAMES)],
            "birthDate": date(1994 + index % 12, 1 + index % 12, 1 + index % 27).isoformat(),
            "position": position,
            "shoots": "LEFT" if index % 3 else "RIGHT",
            "teamId": team_id,
            "jerseyNumber": free[index],
        }
        added.append(graphql(router, ADD_PLAYER, {"input": player}, admin)["addPlayer"]["id"])
    return added


def discover(router: str, coach: str, added: list[str]) -> Context:
    today = datetime.now(UTC).date()
    found = graphql(router, "{ teams { id name } seasons { id startDate endDate } }", None, coach)
    teams = found["teams"]
    team = next((t for t in teams if t["name"] == "Lynx Senior"), teams[0])
    seasons = found["seasons"]
    season = next(
        (s for s in seasons if s["startDate"] <= today.isoformat() <= s["endDate"]), seasons[-1] if seasons else None
    )
    if season is None:
        raise SystemExit("bench: the demo club has no season")
    roster = graphql(router, "query($id: ID!) { team(id: $id) { players { id } } }", {"id": team["id"]}, coach)
    demo_players = [p["id"] for p in roster["team"]["players"] if p["id"] not in set(added)]
    context = Context(team["id"], season["id"], demo_players, "", "ACCEPTED", today)
    start, end = context.schedule_range()
    events = graphql(
        router,
        "query($from: DateTime!, $to: DateTime!, $teamId: ID) { calendarEvents(from: $from, to: $to, teamId: $teamId) "
        "{ id myRsvp } }",
        {"from": start, "to": end, "teamId": team["id"]},
        coach,
    )["calendarEvents"]
    if not events:
        raise SystemExit("bench: the senior team has no events in the schedule window")
    chosen = next((e for e in events if e["myRsvp"]), events[0])
    context.event_id, context.event_rsvp = chosen["id"], chosen["myRsvp"] or "ACCEPTED"
    return context


# ------------------------------------------------------------------------------------------- correctness


def first_difference(got: Any, want: Any, path: str = "data") -> str | None:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want:
            if key not in got:
                return f"{path}.{key} missing"
            found = first_difference(got[key], want[key], f"{path}.{key}")
            if found:
                return found
        extra = set(got) - set(want)
        return f"{path}: extra keys {sorted(extra)}" if extra else None
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return f"{path}: {len(got)} items, expected {len(want)}"
        for index, (a, b) in enumerate(zip(got, want, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if got == want else f"{path}: {str(got)[:80]} != {str(want)[:80]}"


def key_order(value: Any) -> Any:
    """The response's shape with its key order, without the values (JavaScript prints 1.0 as 1: not a
    difference of data or of order)."""
    if isinstance(value, dict):
        return [(key, key_order(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [key_order(item) for item in value]
    return None


def check_answer(answer: Answer, reference: Answer) -> dict[str, Any]:
    problems: list[str] = []
    if answer.status != 200:
        problems.append(f"HTTP {answer.status}")
    if answer.body.get("errors"):
        problems.append("errors: " + "; ".join(str(e.get("message"))[:120] for e in answer.body["errors"][:3]))
    difference = first_difference(answer.body.get("data"), reference.body.get("data"))
    if difference:
        problems.append(difference)
    same_order = key_order(answer.body.get("data")) == key_order(reference.body.get("data"))
    return {"ok": not problems, "problems": problems, "same_key_order": same_order, "bytes": len(answer.raw)}


def check_target(
    name: str,
    url: str,
    variants: list[Variant],
    references: Mapping[str, Answer],
    token: str,
    after_each: Callable[[Variant], None] | None = None,
) -> dict[str, Any]:
    results = {}
    for variant in variants:
        results[variant.label] = check_answer(post(url, variant.body, token), references[variant.label])
        if after_each is not None:
            after_each(variant)
    bad = {label: r["problems"] for label, r in results.items() if not r["ok"]}
    if bad:
        log(f"  {name}: {len(bad)} of {len(variants)} requests differ: {json.dumps(bad)[:600]}")
    else:
        order = all(r["same_key_order"] for r in results.values())
        log(
            f"  {name}: all {len(variants)} requests give the same data as the reference"
            + ("" if order else " (some with another key order)")
        )
    return {"ok": not bad, "requests": results}


# ------------------------------------------------------------------------------------------------- runs


@dataclass
class Target:
    name: str
    label: str
    url: str
    process: Process | None
    """None: the router inside `hockey-hub up` (its process is the stack's)."""
    notes: str = ""


@dataclass
class Settings:
    warmup: float
    duration: float
    connections: int
    pin: bool
    rounds: int
    tokens: int
    extra: dict[str, Any] = field(default_factory=dict)


def measure(
    target: Target,
    script: Path,
    settings: Settings,
    *,
    load_cpus: str | None,
    standin: Process | None,
    standin_port: int | None = None,
    stack_pid: int | None = None,
) -> dict[str, Any]:
    rounds = []
    for _ in range(settings.rounds):
        run_wrk(target.url, script, seconds=settings.warmup, connections=settings.connections, cpus=load_cpus)
        measured_pid = target.process.pid if target.process else stack_pid
        assert measured_pid is not None
        cpu_before = cpu_seconds(measured_pid)
        standin_before = cpu_seconds(standin.pid) if standin else 0.0
        # end to end, a separate gateway: the stack's process (the nine subgraphs) is known load, not "other"
        subgraphs_pid = stack_pid if target.process is not None else None
        subgraphs_before = cpu_seconds(subgraphs_pid) if subgraphs_pid else 0.0
        machine_before = machine_busy()
        wrk_before = children_cpu()
        load_before = os.getloadavg()[0]
        sub_before = _standin_requests(standin_port)
        result = run_wrk(
            target.url, script, seconds=settings.duration, connections=settings.connections, cpus=load_cpus
        )
        wrk_cpu = children_cpu() - wrk_before
        sub_after = _standin_requests(standin_port)
        machine_after = machine_busy()
        cpu = cpu_seconds(measured_pid) - cpu_before
        standin_cpu = (cpu_seconds(standin.pid) - standin_before) if standin else 0.0
        subgraphs_cpu = (cpu_seconds(subgraphs_pid) - subgraphs_before) if subgraphs_pid else 0.0
        busy = machine_after[0] - machine_before[0]
        foreign = max(0.0, busy - cpu - standin_cpu - wrk_cpu - subgraphs_cpu)
        row = result.as_dict()
        row.update(
            {
                "target_cpu_s": round(cpu, 2),
                "target_cpu_ms_per_request": round(cpu / result.requests * 1000, 3) if result.requests else None,
                "target_cores_used": round(cpu / result.duration_s, 2) if result.duration_s else None,
                "standin_cpu_s": round(standin_cpu, 2),
                "wrk_cpu_s": round(wrk_cpu, 2),
                "other_processes_cores": round(foreign / result.duration_s, 2) if result.duration_s else None,
                "loadavg_1m_before": round(load_before, 2),
            }
        )
        if subgraphs_pid and result.requests:
            row["subgraphs_process_cpu_ms_per_request"] = round(subgraphs_cpu / result.requests * 1000, 3)
        if sub_before is not None and sub_after is not None and result.requests:
            row["subgraph_requests_per_request"] = round((sub_after[0] - sub_before[0]) / result.requests, 2)
            row["standin_misses"] = sub_after[1] - sub_before[1]
        rounds.append(row)
        log(
            f"  {target.label:<34} {row['rps']:>8.1f} req/s  p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms  "
            f"errors {row['errors']}  cpu {row['target_cpu_ms_per_request']} ms/req  "
            f"(other load {row['other_processes_cores']} cores)"
        )
        time.sleep(1.0)
    chosen = sorted(rounds, key=lambda r: r["rps"])[len(rounds) // 2]  # the median round
    summary = dict(chosen)
    summary["target"] = target.name
    summary["label"] = target.label
    summary["notes"] = target.notes
    if len(rounds) > 1:
        summary["rounds_rps"] = [r["rps"] for r in rounds]
    return summary


def _standin_requests(port: int | None) -> tuple[int, int] | None:
    """(answered, missed) so far by the stand-in."""
    if port is None:
        return None
    stats = standin_stats(port)
    return sum(stats["hits"].values()) + sum(stats["misses"].values()), sum(stats["misses"].values())


def standin_stats(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__standin/stats", timeout=10) as response:
        stats: dict[str, Any] = json.loads(response.read())
    return stats


def standin_control(port: int, action: str, body: bytes = b"") -> Any:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/__standin/{action}", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


# ---------------------------------------------------------------------------------------------- reporting


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# Router benchmark, {report['started']}", ""]
    env = report["environment"]
    lines += [
        f"Machine: {env['cpus']} CPUs ({env['cpu_model']}), {env['python']}, Node {env['node'].get('node')}; "
        f"gateways: @apollo/gateway {env['node'].get('@apollo/gateway')} + @apollo/server "
        f"{env['node'].get('@apollo/server')}, @graphql-hive/gateway {env['node'].get('@graphql-hive/gateway')}.",
        f"Load: wrk, {report['settings']['connections']} connections, {report['settings']['warmup_s']:g} s warm-up "
        f"then {report['settings']['duration_s']:g} s per target, {report['settings']['tokens']} user tokens in "
        f"rotation; {report['settings']['pinning']}.",
        "",
        "## Operation mix",
        "",
        "| operation | weight | share of requests | variants | what |",
        "|---|---:|---:|---:|---|",
    ]
    for op in report["mix"]["operations"]:
        lines.append(f"| {op['name']} | {op['weight']} | {op['share']:.0%} | {op['variants']} | {op['what']} |")

    def table(rows: list[dict[str, Any]], extra: tuple[tuple[str, str], ...]) -> list[str]:
        head = "| target | req/s | p50 ms | p90 ms | p99 ms | errors | CPU ms/req | cores used | other load |"
        rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        for title, _ in extra:
            head += f" {title} |"
            rule += "---:|"
        out = [head, rule]
        for row in rows:
            line = (
                f"| {row['label']} | {row['rps']:.1f} | {row['p50_ms']:.2f} | {row['p90_ms']:.2f} "
                f"| {row['p99_ms']:.2f} "
                f"| {row['errors']} | {row['target_cpu_ms_per_request']} | {row['target_cores_used']} "
                f"| {row['other_processes_cores']} |"
            )
            for _, key in extra:
                line += f" {row.get(key, '')} |"
            out.append(line)
        return out

    lines += ["", "## (a) Router alone (subgraphs replayed by the stand-in)", ""]
    lines += table(report["router_alone"]["results"], (("subgraph req/req", "subgraph_requests_per_request"),))
    ratios = report["router_alone"]["ratios"]
    goals = report["router_alone"]["goals"]
    spread = [
        f"{row['label']} " + " / ".join(f"{r['rps']:.0f}" for r in row["rounds"])
        for row in report["router_alone"]["results"]
        if row.get("rounds")
    ]
    if spread:
        lines += ["", "Each target's median round is shown; req/s of every round: " + "; ".join(spread) + "."]
    lines += [
        "",
        f"Throughput ours/Hive **{ratios['rps_ours_over_hive']}x** (goal >= 2x: {goals['2x_hive']}), "
        f"ours/Apollo **{ratios['rps_ours_over_apollo']}x** (goal >= 3x: {goals['3x_apollo']}); "
        f"p99 ours/Hive {ratios['p99_ours_over_hive']}, ours/Apollo {ratios['p99_ours_over_apollo']} "
        f"(goal: lower than both: {goals['p99_lower_than_both']}).",
    ]
    per_op = report.get("per_operation")
    if per_op:
        lines += [
            "",
            f"### (a) per operation ({per_op['seconds']:g} s each, alone, same tokens and concurrency)",
            "",
            "| operation | ours req/s | Hive req/s | Apollo req/s | ours/Hive | ours/Apollo "
            "| p99 ms ours / Hive / Apollo | subgraph req/req ours / Hive / Apollo |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for name, row in per_op["operations"].items():
            o, h, a = row["ours"], row["hive"], row["apollo"]
            lines.append(
                f"| {name} | {o['rps']:.0f} | {h['rps']:.0f} | {a['rps']:.0f} | {row['rps_ours_over_hive']} "
                f"| {row['rps_ours_over_apollo']} | {o['p99_ms']:.1f} / {h['p99_ms']:.1f} / {a['p99_ms']:.1f} "
                f"| {o['subgraph_requests_per_request']} / {h['subgraph_requests_per_request']} / "
                f"{a['subgraph_requests_per_request']} |"
            )
    if report.get("end_to_end"):
        lines += ["", "## (b) End to end (the real nine subgraphs, embedded PostgreSQL)", ""]
        lines += table(
            report["end_to_end"]["results"],
            (("subgraphs' process CPU ms/req", "subgraphs_process_cpu_ms_per_request"),),
        )
        lines += ["", report["end_to_end"]["note"]]
    unloaded = report.get("end_to_end_unloaded")
    if unloaded:
        lines += [
            "",
            "### (b) one request at a time, and what the subgraphs take for it",
            "",
            f"{unloaded['what']}; the subgraph fetches are our router's, timed by the stand-in while recording "
            "(one client request at a time; fetches the plan runs in parallel share the subgraphs' one process, "
            "so their times overlap and each includes the others' work).",
            "",
            "| operation | ms through the router | response bytes | subgraph fetches (ms each) |",
            "|---|---:|---:|---|",
        ]
        for name, row in unloaded["operations"].items():
            fetched = ", ".join(f"{f['subgraph']} {f['ms']:.1f}" for f in row.get("subgraph_fetches", []))
            lines.append(f"| {name} | {row['median_ms']} | {row['response_bytes']} | {fetched} |")
    inproc = report.get("in_process")
    if inproc:
        mix = inproc["mix"]
        lines += [
            "",
            "## The router's own time per warm request (in process, subgraphs answered at once)",
            "",
            f"Mix: median **{mix['median_us'] / 1000:.3f} ms**, mean {mix['mean_us'] / 1000:.3f} ms, "
            f"p99 {mix['p99_us'] / 1000:.3f} ms over {mix['requests']} requests (goal: under 1 ms).",
            "",
            "| operation | median ms | p99 ms | subgraph fetches | fetch encode+decode ms | plan execution "
            "(merge, representations) ms | shaping ms | values in the response | shaping ns/value "
            "| response orjson.dumps ms (not in handle) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in inproc["operations"].items():
            lines.append(
                f"| {name} | {row['median_us'] / 1000:.3f} | {row['p99_us'] / 1000:.3f} | {row['subgraph_fetches']} "
                f"| {row['fetch_encode_decode_us'] / 1000:.3f} | {row['execute_other_us'] / 1000:.3f} "
                f"| {row['shape_us'] / 1000:.3f} | {row['response_values']} | {row['shape_ns_per_value']} "
                f"| {row['response_dumps_us'] / 1000:.3f} |"
            )
        if inproc.get("profile"):
            lines += [
                "",
                "Own time per request by area (cProfile of the mix in process; cProfile inflates Python "
                "calls, so read it as proportions):",
                "",
                "| area | µs/request |",
                "|---|---:|",
            ]
            for area, value in inproc["profile"]["by_area_us_per_request"].items():
                lines.append(f"| {area} | {value} |")
    http = report.get("http_profile")
    if http:
        lines += [
            "",
            "## The router over HTTP under load, by area (cProfile, own time)",
            "",
            f"{http['requests']} requests at {http['rps_under_profiler']} req/s under the profiler "
            f"(profiled total {http['profiled_ms_per_request']} ms/request).",
            "",
            "| area | ms/request | share |",
            "|---|---:|---:|",
        ]
        for area, row in http["areas"].items():
            lines.append(f"| {area} | {row['ms_per_request']} | {row['share']:.0%} |")
    lines += ["", "## Correctness before timing", ""]
    for phase, checked in report["correctness"].items():
        verdicts = ", ".join(f"{name}: {'same data' if c['ok'] else 'DIFFERS'}" for name, c in checked.items())
        lines.append(f"- {phase}: {verdicts}")
    lines += ["", f"Stand-in: {report['router_alone']['standin']}", ""]
    return "\n".join(lines) + "\n"


def print_summary(report: dict[str, Any]) -> None:
    print()
    print("=" * 100)
    for title, section in (("(a) router alone, replayed subgraphs", "router_alone"), ("(b) end to end", "end_to_end")):
        if not report.get(section):
            continue
        print(title)
        print(f"  {'target':<36}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'CPU ms/req':>12}")
        for row in report[section]["results"]:
            print(
                f"  {row['label']:<36}{row['rps']:>9.1f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['errors']:>8}"
                f"{row['target_cpu_ms_per_request']!s:>12}"
            )
    ratios = report["router_alone"]["ratios"]
    print(
        f"  ours/Hive {ratios['rps_ours_over_hive']}x, ours/Apollo {ratios['rps_ours_over_apollo']}x throughput; "
        f"goals: {report['router_alone']['goals']}"
    )
    if report.get("in_process"):
        mix = report["in_process"]["mix"]
        print(f"in process: median {mix['median_us'] / 1000:.3f} ms, p99 {mix['p99_us'] / 1000:.3f} ms per request")
        for name, row in report["in_process"]["operations"].items():
            print(
                f"  {name:<20} median {row['median_us'] / 1000:.3f} ms  p99 {row['p99_us'] / 1000:.3f} ms  "
                f"({row['subgraph_fetches']} fetches)"
            )
    print("=" * 100)


# ------------------------------------------------------------------------------------------------- main


def base_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "HOCKEY_HUB_SUBGRAPH_",
                "HOCKEY_HUB_ROUTER_",
                "HOCKEY_HUB_DATABASE",
                "HOCKEY_HUB_AMQP",
                "HOCKEY_HUB_REDIS",
                "HOCKEY_HUB_JWT",
                "HOCKEY_HUB_MODE",
            )
        )
    }
    env.update({"HOCKEY_HUB_DATA_DIR": str(data_dir), "HOCKEY_HUB_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"})
    return env


@contextlib.contextmanager
def workspace(keep: bool) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="hockey-hub-bench-"))
    try:
        yield folder
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="router benchmark: ours against Apollo Gateway and Hive Gateway")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured per target (default 20)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per target (default 5)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="(a): measured runs per target, interleaved, the median kept (default 3)"
    )
    parser.add_argument("--tokens", type=int, default=64, help="distinct user tokens in rotation (default 64)")
    parser.add_argument("--port-offset", type=int, default=100, help="for hockey-hub up (default 100: 3100-3109)")
    parser.add_argument("--port-base", type=int, default=4700, help="first of the benchmark's own ports")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the target and the load to separate CPUs")
    parser.add_argument("--skip-e2e", action="store_true", help="skip (b), the end-to-end runs")
    parser.add_argument("--e2e-ours-only", action="store_true", help="(b) for our router only")
    parser.add_argument("--skip-profile", action="store_true", help="skip the cProfile runs")
    parser.add_argument("--skip-per-operation", action="store_true", help="skip (a) per operation")
    parser.add_argument("--op-duration", type=float, default=3.0, help="seconds per operation and target (default 3)")
    parser.add_argument("--quick", action="store_true", help="5 s per target, 2 s warm-up: to try the harness")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, data)")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.op_duration, args.rounds = 5.0, 2.0, 2.0, 1

    ensure_wrk(log)
    if shutil.which("node") is None:
        raise SystemExit("bench: Node 20 is needed for the reference gateways")
    cpus = os.cpu_count() or 1
    pin = not args.no_pin and cpus >= 2 and shutil.which("taskset") is not None
    target_cpus, load_cpus = ("0", "1") if pin else (None, None)
    settings = Settings(args.warmup, args.duration, args.connections, pin, args.rounds, args.tokens)

    base = args.port_base
    ports = {
        "standin": base,
        "ours": base + 1,
        "hive": base + 2,
        "apollo": base + 3,
        "profile": base + 4,
        "e2e-ours": base + 11,
        "e2e-hive": base + 12,
        "e2e-apollo": base + 13,
    }
    stack_ports = [3000 + args.port_offset] + [port + args.port_offset for port in SERVICE_PORTS.values()]
    busy = [port for port in [*ports.values(), *stack_ports] if not port_free(port)]
    if busy:
        raise SystemExit(f"bench: ports in use: {busy} (choose --port-base / --port-offset)")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report: dict[str, Any] = {"started": stamp, "correctness": {}}

    with workspace(args.keep) as folder:
        log(f"workspace {folder}")
        processes = Processes(folder)
        installing = start_npm_install()
        try:
            run(args, settings, report, folder, processes, installing, ports, target_cpus, load_cpus, pin)
        finally:
            processes.stop_all()
            if installing is not None and installing.poll() is None:
                installing.terminate()

    json_path = RESULTS / f"router-bench-{stamp}.json"
    md_path = RESULTS / f"router-bench-{stamp}.md"
    json_path.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    md_path.write_text(markdown(report))
    shutil.copyfile(json_path, RESULTS / "latest.json")
    shutil.copyfile(md_path, RESULTS / "latest.md")
    print_summary(report)
    log(f"wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}")
    return 0


def run(
    args: argparse.Namespace,
    settings: Settings,
    report: dict[str, Any],
    folder: Path,
    processes: Processes,
    installing: subprocess.Popen[bytes] | None,
    ports: dict[str, int],
    target_cpus: str | None,
    load_cpus: str | None,
    pin: bool,
) -> None:
    data_dir = folder / "data"
    data_dir.mkdir()
    env = base_env(data_dir)
    offset = args.port_offset
    stack_router = f"http://127.0.0.1:{3000 + offset}/graphql"
    real_urls = {name: f"http://127.0.0.1:{port + offset}/graphql" for name, port in SERVICE_PORTS.items()}

    # 1. the real stack, the 50-player roster, the mix
    log(f"starting hockey-hub up --demo --port-offset {offset} (embedded PostgreSQL in {data_dir})")
    stack = processes.start("stack", [HOCKEY_HUB, "up", "--demo", "--port-offset", str(offset)], env=env)
    wait_until(lambda: graphql_ready(stack_router), "hockey-hub up", 240, stack)
    for name, url in real_urls.items():
        wait_until(lambda url=url: graphql_ready(url), f"subgraph {name}", 60, stack)
    tokens_run = subprocess.run(
        [PYTHON, str(BENCH / "tokens.py"), "coach@lynx.example", str(max(1, settings.tokens)), "--minutes", "180"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    coach_tokens = [line for line in tokens_run.stdout.split() if line.count(".") == 2]
    admin_run = subprocess.run(
        [HOCKEY_HUB, "dev-token", "admin@lynx.example", "--minutes", "180"], env=env, capture_output=True, text=True
    )
    admin = admin_run.stdout.strip().splitlines()[-1] if admin_run.stdout.strip() else ""
    if not coach_tokens or not admin:
        raise SystemExit(f"bench: could not make tokens: {tokens_run.stderr[-1500:]} {admin_run.stderr[-1500:]}")
    coach = coach_tokens[0]
    log(f"stack ready; {len(coach_tokens)} coach tokens; growing the senior team to {ROSTER_SIZE} players")
    team = discover(stack_router, coach, [])
    added = grow_roster(stack_router, admin, team.team_id)
    context = discover(stack_router, coach, added)
    roster = graphql(
        stack_router, "query($id: ID!) { team(id: $id) { players { id } } }", {"id": context.team_id}, coach
    )
    log(
        f"  team {context.team_id}: {len(roster['team']['players'])} players ({len(added)} added); "
        f"season {context.season_id}; RSVP event {context.event_id} ({context.event_rsvp})"
    )
    variants = build_variants(context)
    sequence = weighted_sequence(variants)
    shares = share(variants, sequence)
    report["mix"] = {
        "operations": [
            {
                "name": op.name,
                "weight": op.weight,
                "share": round(shares.get(op.name, 0.0), 3),
                "variants": sum(1 for v in variants if v.operation == op.name),
                "what": op.what,
                "document": str(op.document.relative_to(ROOT)),
            }
            for op in MIX
        ],
        "roster_players": len(roster["team"]["players"]),
        "sequence_length": len(sequence),
    }
    spec_path = folder / "variants.json"
    spec_path.write_bytes(
        orjson.dumps(
            {
                "variants": [
                    {"operation": v.operation, "label": v.label, "body": orjson.loads(v.body)} for v in variants
                ],
                "sequence": sequence,
                "token": coach,
            }
        )
    )

    # references: our router over the real stack (the mutation is idempotent: the same RSVP again)
    references: dict[str, Answer] = {}
    unloaded: dict[str, list[float]] = {}
    for variant in variants:
        for _ in range(5):
            started = time.perf_counter()
            answer = post(stack_router, variant.body, coach)
            unloaded.setdefault(variant.operation, []).append((time.perf_counter() - started) * 1000)
        if answer.status != 200 or answer.body.get("errors") or answer.body.get("data") is None:
            raise SystemExit(f"bench: {variant.label} fails on the real stack: {answer.raw[:800]!r}")
        references[variant.label] = answer
    log(f"references: {len(references)} requests answered by the real stack without errors")
    report["end_to_end_unloaded"] = {
        "what": "one request at a time through the router inside hockey-hub up, median of 5 per variant",
        "operations": {
            name: {
                "median_ms": round(statistics.median(times), 1),
                "response_bytes": max(len(references[v.label].raw) for v in variants if v.operation == name),
            }
            for name, times in unloaded.items()
        },
    }

    # 2. the stand-in, recording; the three targets in front of it
    standin_port = ports["standin"]
    standin = processes.start(
        "standin",
        [
            PYTHON,
            str(BENCH / "standin.py"),
            "--port",
            str(standin_port),
            "--mode",
            "record",
            *[f"--upstream={name}={url}" for name, url in real_urls.items()],
        ],
        env=env,
        cpus=load_cpus,
    )
    wait_until(lambda: standin_stats(standin_port)["mode"] == "record", "stand-in", 30, standin)
    standin_supergraph = supergraph_with_urls(
        {name: f"http://127.0.0.1:{standin_port}/{name}/graphql" for name in SERVICES},
        folder / "supergraph-standin.graphql",
    )
    finish_npm_install(installing)
    report["environment"] = environment()
    node_env = {**env, "NODE_ENV": "production"}
    targets = start_targets(processes, standin_supergraph, ports, "", env, node_env, target_cpus)

    log("recording: every request of the mix through each target, the stand-in forwarding to the real subgraphs")
    standin_control(standin_port, "forwards")
    fetches: dict[str, list[dict[str, Any]]] = {}

    def note_fetches(variant: Variant) -> None:
        fetches.setdefault(variant.operation, standin_control(standin_port, "forwards"))

    recorded_checks = {}
    for target in targets:
        hook = note_fetches if target.name == "ours" else None
        recorded_checks[target.name] = check_target(target.label, target.url, variants, references, coach, hook)
        standin_control(standin_port, "forwards")
    report["correctness"]["while recording (stand-in forwarding to the real stack)"] = recorded_checks
    for name, row in report["end_to_end_unloaded"]["operations"].items():
        row["subgraph_fetches"] = [
            {"subgraph": f["subgraph"], "ms": f["ms"], "response_bytes": f["response_bytes"]}
            for f in fetches.get(name, [])
        ]
    standin_control(standin_port, "mode", b"replay")
    recording = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{standin_port}/__standin/recording").read())
    recording_path = RESULTS / "recording.json"
    recording_path.write_bytes(orjson.dumps(recording))
    (folder / "recording.json").write_bytes(orjson.dumps(recording))
    log(f"recorded {len(recording)} distinct subgraph requests; replaying from now on")
    standin_control(standin_port, "reset-stats")
    report["correctness"]["on the replayed subgraphs"] = {
        t.name: check_target(t.label, t.url, variants, references, coach) for t in targets
    }
    check_stats = standin_stats(standin_port)
    if check_stats["misses"]:
        log(f"  stand-in misses while checking: {check_stats['misses']} e.g. {check_stats['missed_samples'][:1]}")
    standin_control(standin_port, "reset-stats")

    # 4. (a) router alone
    log(
        f"(a) router alone: {settings.warmup:g} s warm-up + {settings.duration:g} s at {settings.connections} "
        f"connections per target{'; targets on CPU 0, wrk and stand-in on CPU 1' if pin else ''}"
    )
    # rounds interleave the targets (ours, Hive, Apollo, ours, ...) so that the machine's other load falls
    # on all of them alike; each target's median round (by req/s) is kept
    one_round = Settings(settings.warmup, settings.duration, settings.connections, settings.pin, 1, settings.tokens)
    scripts = {
        target.name: write_script(folder / f"wrk-{target.name}.lua", variants, sequence, coach_tokens, "/graphql")
        for target in targets
    }
    rounds: dict[str, list[dict[str, Any]]] = {target.name: [] for target in targets}
    for index in range(settings.rounds):
        if settings.rounds > 1:
            log(f"  round {index + 1} of {settings.rounds}")
        for target in targets:
            rounds[target.name].append(
                measure(
                    target,
                    scripts[target.name],
                    one_round,
                    load_cpus=load_cpus,
                    standin=standin,
                    standin_port=standin_port,
                )
            )
    alone: list[dict[str, Any]] = []
    for target in targets:
        rows = sorted(rounds[target.name], key=lambda row: row["rps"])
        chosen = dict(rows[len(rows) // 2])
        if len(rows) > 1:
            chosen["rounds"] = [
                {key: row[key] for key in ("rps", "p50_ms", "p99_ms", "errors", "target_cpu_ms_per_request")}
                for row in rounds[target.name]
            ]
        alone.append(chosen)
    if not args.skip_per_operation:
        report["per_operation"] = per_operation(
            targets, variants, coach_tokens, folder, settings, args.op_duration, load_cpus, standin_port
        )
    by_name = {row["target"]: row for row in alone}
    ours, hive, apollo = by_name["ours"], by_name["hive"], by_name["apollo"]
    ratios = {
        "rps_ours_over_hive": ratio(ours["rps"], hive["rps"]),
        "rps_ours_over_apollo": ratio(ours["rps"], apollo["rps"]),
        "p99_ours_over_hive": ratio(ours["p99_ms"], hive["p99_ms"]),
        "p99_ours_over_apollo": ratio(ours["p99_ms"], apollo["p99_ms"]),
        "cpu_per_request_ours_over_hive": ratio(ours["target_cpu_ms_per_request"], hive["target_cpu_ms_per_request"]),
        "cpu_per_request_ours_over_apollo": ratio(
            ours["target_cpu_ms_per_request"], apollo["target_cpu_ms_per_request"]
        ),
    }
    goals = {
        "2x_hive": "met" if (ratios["rps_ours_over_hive"] or 0) >= 2 else "not met",
        "3x_apollo": "met" if (ratios["rps_ours_over_apollo"] or 0) >= 3 else "not met",
        "p99_lower_than_both": "met" if ours["p99_ms"] < min(hive["p99_ms"], apollo["p99_ms"]) else "not met",
    }
    final_stats = standin_stats(standin_port)
    report["router_alone"] = {
        "results": alone,
        "ratios": ratios,
        "goals": goals,
        "standin": {
            "recorded_requests": final_stats["recorded"],
            "misses_during_runs": final_stats["misses"],
            "canonical_key_hits": final_stats["canonical_hits"],
        },
    }
    for target in targets:
        if target.process is not None:
            processes.stop(target.process.name)

    # 5. the router's own time per request, and the profiles
    log("in process: RouterEngine.handle with recorded subgraph answers (warm-up, then every request 300 times)")
    inproc_out = folder / "inprocess.json"
    profile_out = RESULTS / "inprocess.prof"
    command = [
        PYTHON,
        str(BENCH / "inprocess.py"),
        "--supergraph",
        str(standin_supergraph),
        "--recording",
        str(folder / "recording.json"),
        "--variants",
        str(spec_path),
        "--out",
        str(inproc_out),
    ]
    if not args.skip_profile:
        command += ["--profile", str(profile_out)]
    if target_cpus:
        command = ["taskset", "-c", target_cpus, *command]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if finished.returncode != 0:
        raise SystemExit(f"bench: in-process run failed:\n{finished.stdout[-2000:]}{finished.stderr[-3000:]}")
    report["in_process"] = json.loads(inproc_out.read_text())
    mix = report["in_process"]["mix"]
    log(f"  median {mix['median_us']:.0f} µs, p99 {mix['p99_us']:.0f} µs per request of the mix")

    if not args.skip_profile:
        report["http_profile"] = http_profile(
            processes,
            standin_supergraph,
            ports["profile"],
            folder,
            variants,
            sequence,
            coach_tokens,
            settings,
            env,
            target_cpus,
            load_cpus,
        )

    # 6. (b) end to end
    if not args.skip_e2e:
        report["end_to_end"] = end_to_end(
            args,
            processes,
            folder,
            variants,
            sequence,
            coach_tokens,
            coach,
            references,
            real_urls,
            ports,
            env,
            stack,
            stack_router,
            settings,
            report,
        )
    report["settings"] = {
        "warmup_s": settings.warmup,
        "duration_s": settings.duration,
        "connections": settings.connections,
        "rounds": settings.rounds,
        "tokens": len(coach_tokens),
        "load_generator": "wrk 4.1 (one thread), Lua script with the mix (bench/loadgen.py)",
        "pinning": (
            "(a): target on CPU 0, wrk and stand-in on CPU 1; (b): nothing pinned" if pin else "nothing pinned"
        ),
    }


def per_operation(
    targets: list[Target],
    variants: list[Variant],
    tokens: list[str],
    folder: Path,
    settings: Settings,
    seconds: float,
    load_cpus: str | None,
    standin_port: int,
) -> dict[str, Any]:
    """Each operation alone (its variants in turn, the same token rotation), for each target."""
    log(f"(a) per operation: {seconds:g} s each (after 1 s of warm-up), every target")
    table: dict[str, dict[str, Any]] = {}
    for operation in MIX:
        subset = [v for v in variants if v.operation == operation.name]
        row: dict[str, Any] = {}
        for target in targets:
            script = write_script(
                folder / f"wrk-op-{operation.name}-{target.name}.lua",
                subset,
                list(range(len(subset))),
                tokens,
                "/graphql",
            )
            run_wrk(target.url, script, seconds=1, connections=settings.connections, cpus=load_cpus)
            before = _standin_requests(standin_port)
            result = run_wrk(target.url, script, seconds=seconds, connections=settings.connections, cpus=load_cpus)
            after = _standin_requests(standin_port)
            row[target.name] = {
                "rps": result.rps,
                "p50_ms": result.p50_ms,
                "p99_ms": result.p99_ms,
                "errors": result.errors,
                "subgraph_requests_per_request": round((after[0] - before[0]) / result.requests, 2)
                if before and after and result.requests
                else None,
            }
        row["rps_ours_over_hive"] = ratio(row["ours"]["rps"], row["hive"]["rps"])
        row["rps_ours_over_apollo"] = ratio(row["ours"]["rps"], row["apollo"]["rps"])
        table[operation.name] = row
        log(
            f"  {operation.name:<18} ours {row['ours']['rps']:>7.1f}  hive {row['hive']['rps']:>7.1f}  "
            f"apollo {row['apollo']['rps']:>7.1f} req/s  (ours/hive {row['rps_ours_over_hive']}x, "
            f"ours/apollo {row['rps_ours_over_apollo']}x)"
        )
    return {"seconds": seconds, "operations": table}


def environment() -> dict[str, Any]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import aiohttp
    import graphql as graphql_core
    import uvicorn
    import uvloop

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": f"CPython {platform.python_version()}",
        "python_packages": {
            "uvicorn": uvicorn.__version__,
            "uvloop": getattr(uvloop, "__version__", "?"),
            "aiohttp": aiohttp.__version__,
            "graphql-core": graphql_core.__version__,
            "orjson": orjson.__version__,
        },
        "node": node_versions(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip(),
        "kernel": platform.release(),
    }


def start_targets(
    processes: Processes,
    supergraph: Path,
    ports: Mapping[str, int],
    prefix: str,
    env: Mapping[str, str],
    node_env: Mapping[str, str],
    cpus: str | None,
) -> list[Target]:
    """Our router, Hive Gateway and Apollo Gateway on `supergraph`; waits until each answers."""
    key = f"{prefix}ours" if prefix else "ours"
    ours = processes.start(
        f"{prefix}ours",
        [HOCKEY_HUB, "router", "--supergraph", str(supergraph), "--port", str(ports[key])],
        env=env,
        cpus=cpus,
    )
    hive = processes.start(
        f"{prefix}hive",
        [
            str(NODE_DIR / "node_modules" / ".bin" / "hive-gateway"),
            "supergraph",
            str(supergraph),
            "--port",
            str(ports[f"{prefix}hive" if prefix else "hive"]),
            "--host",
            "127.0.0.1",
        ],
        env=node_env,
        cwd=NODE_DIR,
        cpus=cpus,
    )
    apollo = processes.start(
        f"{prefix}apollo",
        ["node", "apollo-gateway.mjs", str(supergraph), str(ports[f"{prefix}apollo" if prefix else "apollo"])],
        env=node_env,
        cwd=NODE_DIR,
        cpus=cpus,
    )
    suffix = " (own process)" if prefix else ""
    targets = [
        Target("ours", f"ours (hockey-hub router){suffix}", f"http://127.0.0.1:{ports[key]}/graphql", ours),
        Target(
            "hive", "Hive Gateway", f"http://127.0.0.1:{ports[f'{prefix}hive' if prefix else 'hive']}/graphql", hive
        ),
        Target(
            "apollo",
            "Apollo Gateway",
            f"http://127.0.0.1:{ports[f'{prefix}apollo' if prefix else 'apollo']}/graphql",
            apollo,
        ),
    ]
    for target in targets:
        assert target.process is not None
        wait_until(lambda t=target: graphql_ready(t.url), target.label, 90, target.process)
    log("  targets ready: " + ", ".join(f"{t.label} {t.url}" for t in targets))
    return targets


def http_profile(
    processes: Processes,
    supergraph: Path,
    port: int,
    folder: Path,
    variants: list[Variant],
    sequence: list[int],
    tokens: list[str],
    settings: Settings,
    env: Mapping[str, str],
    target_cpus: str | None,
    load_cpus: str | None,
) -> dict[str, Any]:
    seconds = min(10.0, settings.duration)
    log(f"profile: our router over HTTP under cProfile, {seconds:g} s of the mix")
    out = RESULTS / "http.prof"
    process = processes.start(
        "profile",
        [
            PYTHON,
            str(BENCH / "profile_http.py"),
            "--supergraph",
            str(supergraph),
            "--port",
            str(port),
            "--out",
            str(out),
        ],
        env=env,
        cpus=target_cpus,
    )
    url = f"http://127.0.0.1:{port}/graphql"
    wait_until(lambda: graphql_ready(url), "profiled router", 60, process)
    script = write_script(folder / "wrk-profile.lua", variants, sequence, tokens, "/graphql")
    run_wrk(url, script, seconds=min(3.0, settings.warmup), connections=settings.connections, cpus=load_cpus)
    os.kill(process.pid, signal.SIGUSR1)
    result = run_wrk(url, script, seconds=seconds, connections=settings.connections, cpus=load_cpus)
    os.kill(process.pid, signal.SIGUSR2)
    process.popen.wait(120)
    processes.running.pop("profile", None)
    areas = json.loads(out.with_suffix(".areas.json").read_text())
    total = sum(areas.values())
    per_request = {
        area: {"ms_per_request": round(value / result.requests * 1000, 3), "share": round(value / total, 3)}
        for area, value in areas.items()
    }
    log(
        f"  {result.rps:.0f} req/s under the profiler; profiled {total / result.requests * 1000:.2f} ms/request; "
        f"top: " + ", ".join(f"{a} {v['share']:.0%}" for a, v in list(per_request.items())[:5])
    )
    return {
        "requests": result.requests,
        "rps_under_profiler": result.rps,
        "profiled_ms_per_request": round(total / result.requests * 1000, 3),
        "areas": per_request,
        "files": [str(out.relative_to(ROOT)), str(out.with_suffix(".txt").relative_to(ROOT))],
    }


def end_to_end(
    args: argparse.Namespace,
    processes: Processes,
    folder: Path,
    variants: list[Variant],
    sequence: list[int],
    tokens: list[str],
    coach: str,
    references: Mapping[str, Answer],
    real_urls: Mapping[str, str],
    ports: Mapping[str, int],
    env: Mapping[str, str],
    stack: Process,
    stack_router: str,
    settings: Settings,
    report: dict[str, Any],
) -> dict[str, Any]:
    log("(b) end to end over the real subgraphs (nothing pinned)")
    real_supergraph = supergraph_with_urls(real_urls, folder / "supergraph-real.graphql")
    targets = [
        Target(
            "ours-up",
            "ours (inside hockey-hub up)",
            stack_router,
            None,
            "router and the nine subgraphs share one process and event loop, as `hockey-hub up` runs them",
        )
    ]
    if not args.e2e_ours_only:
        node_env = {**env, "NODE_ENV": "production"}
        targets += start_targets(processes, real_supergraph, ports, "e2e-", env, node_env, None)
    report["correctness"]["end to end"] = {
        t.name: check_target(t.label, t.url, variants, references, coach) for t in targets
    }
    unpinned = Settings(settings.warmup, settings.duration, settings.connections, False, 1, settings.tokens)
    results = []
    for target in targets:
        script = write_script(folder / f"wrk-e2e-{target.name}.lua", variants, sequence, tokens, "/graphql")
        results.append(measure(target, script, unpinned, load_cpus=None, standin=None, stack_pid=stack.pid))
    for target in targets:
        if target.process is not None:
            processes.stop(target.process.name)
    by_name = {row["target"]: row for row in results}
    note = (
        "CPU ms/req is the target's own process; for 'ours (inside hockey-hub up)' that process is the whole "
        "stack (router and the nine subgraphs; PostgreSQL runs as separate daemonised processes and counts as "
        "other load), for the others the gateway alone, with the subgraphs' process shown in its own column. "
        "The subgraphs' single Python process (one core) is the bottleneck here, so the gateways differ far "
        "less than in (a)."
    )
    out: dict[str, Any] = {"results": results, "note": note}
    if "ours" in by_name and "hive" in by_name and "apollo" in by_name:
        out["ratios"] = {
            "rps_ours_over_hive": ratio(by_name["ours"]["rps"], by_name["hive"]["rps"]),
            "rps_ours_over_apollo": ratio(by_name["ours"]["rps"], by_name["apollo"]["rps"]),
        }
    return out


if __name__ == "__main__":
    sys.exit(main())
