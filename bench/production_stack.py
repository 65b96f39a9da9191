"""The stack as production runs it, for the load benchmarks: each service and the router in a process of
its own (`hockey-hub serve SERVICE`, `hockey-hub router`), production mode, on this machine's PostgreSQL,
RabbitMQ and Redis, everything throwaway and named after one run id:

- databases `hockey_hub_bench_<run>_<service>`, exchange and queues `hockey-hub-bench-<run>[.<service>]`,
  Redis keys under `hockey-hub-bench-<run>:`, signing keys in the run's temporary folder;
- ports `base` (router) and `base + 1 ...` (the services, in `SERVICES` order);
- `cleanup()` drops all of it; each process runs in its own process group, stopped by its id.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import orjson
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shared.auth.keys import rotate_keys  # noqa: E402
from shared.database.engine import drop_database  # noqa: E402
from shared.settings import SERVICE_PORTS, Mode, Settings  # noqa: E402

HOCKEY_HUB = str(Path(sys.executable).with_name("hockey-hub"))
SERVICES: tuple[str, ...] = tuple(SERVICE_PORTS)
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"
REDIS = "redis://127.0.0.1:6379/0"


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def rss_bytes(pid: int) -> int | None:
    """Resident memory of one process (VmRSS, what psutil's `rss` reads on Linux); None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of one process so far; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


@dataclass
class ProductionStack:
    """One run's services and router; `start()` migrates, optionally seeds, and waits until all are up."""

    folder: Path
    run: str
    base_port: int
    services: tuple[str, ...] = SERVICES
    router: bool = True
    log_level: str = "WARNING"
    extra_env: Mapping[str, str] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    health_data_key: str = field(default_factory=lambda: Fernet.generate_key().decode())
    """Production mode encrypts health data with a configured key: one of the run's own."""

    @property
    def router_url(self) -> str:
        return f"http://127.0.0.1:{self.base_port}"

    def port(self, service: str) -> int:
        return self.base_port + 1 + SERVICES.index(service)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port(service)}"

    @property
    def keys(self) -> Path:
        return self.folder / "keys"

    @property
    def name(self) -> str:
        return f"hockey-hub-bench-{self.run}"

    def ports(self) -> list[int]:
        return ([self.base_port] if self.router else []) + [self.port(s) for s in self.services]

    def settings(self) -> Settings:
        """What the processes read from their environment, for this process's own database work."""
        return Settings(
            mode=Mode.PRODUCTION,
            database_url=f"{POSTGRES}/hockey_hub_bench_{self.run}_{{service}}",
            amqp_url=AMQP,
            amqp_exchange=self.name,
            amqp_queue_prefix=self.name,
            redis_url=REDIS,
            redis_key_prefix=f"{self.name}:",
            jwt_keys_dir=self.keys,
        )

    def environment(self) -> dict[str, str]:
        """Every process's environment: the caller's without any HOCKEY_HUB_* of its own, then the run's."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("HOCKEY_HUB_")}
        env.update(
            {
                "HOCKEY_HUB_MODE": "production",
                "HOCKEY_HUB_DATABASE_URL": f"{POSTGRES}/hockey_hub_bench_{self.run}_{{service}}",
                "HOCKEY_HUB_AMQP_URL": AMQP,
                "HOCKEY_HUB_AMQP_EXCHANGE": self.name,
                "HOCKEY_HUB_AMQP_QUEUE_PREFIX": self.name,
                "HOCKEY_HUB_REDIS_URL": REDIS,
                "HOCKEY_HUB_REDIS_KEY_PREFIX": f"{self.name}:",
                "HOCKEY_HUB_JWT_KEYS_DIR": str(self.keys),
                "HOCKEY_HUB_LOG_LEVEL": self.log_level,
                "HOCKEY_HUB_HEALTH_DATA_KEYS": self.health_data_key,
                "PYTHONUNBUFFERED": "1",
            }
        )
        for service in SERVICES:
            env[f"HOCKEY_HUB_{service.upper()}_URL"] = self.url(service)
            env[f"HOCKEY_HUB_SUBGRAPH_{service.upper()}_URL"] = f"{self.url(service)}/graphql"
        env["HOCKEY_HUB_ROUTER_JWKS_URL"] = f"{self.url('user')}/.well-known/jwks.json"
        env.update(self.extra_env)
        return env

    def _service_environment(self, service: str) -> dict[str, str]:
        env = self.environment()
        if service != "user":  # as in production: only the user service holds the private keys
            del env["HOCKEY_HUB_JWT_KEYS_DIR"]
            env["HOCKEY_HUB_JWKS_URL"] = f"{self.url('user')}/.well-known/jwks.json"
        return env

    def command(self, *args: str) -> None:
        """A one-shot `hockey-hub` command (migrate, demo) with the run's environment."""
        done = subprocess.run([HOCKEY_HUB, *args], env=self.environment(), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"hockey-hub {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")

    def prepare(self, *, demo: bool) -> None:
        busy = [port for port in self.ports() if not port_free(port)]
        if busy:
            raise SystemExit(f"bench: ports in use: {busy} (choose another --base-port)")
        rotate_keys(self.keys)
        (self.folder / "logs").mkdir(exist_ok=True)
        for service in self.services:
            self.command("migrate", service)
        if demo:
            self.command("demo")

    def start(self, name: str, command: list[str], env: Mapping[str, str]) -> Process:
        log_path = self.folder / "logs" / f"{name}.log"
        with log_path.open("wb") as handle:
            popen = subprocess.Popen(
                command, stdout=handle, stderr=subprocess.STDOUT, env=dict(env), start_new_session=True
            )
        process = Process(name, popen, log_path)
        self.processes[name] = process
        return process

    async def launch(self) -> None:
        """Start the services (the user service first: the others fetch its key set) and the router."""
        ordered = sorted(self.services, key=lambda s: s != "user")
        for service in ordered:
            self.start(
                service,
                [HOCKEY_HUB, "serve", service, "--port", str(self.port(service))],
                self._service_environment(service),
            )
        for service in ordered:
            await self.wait_healthy(service, f"{self.url(service)}/health")
        if self.router:
            self.start("router", [HOCKEY_HUB, "router", "--port", str(self.base_port)], self.environment())
            await self.wait_healthy("router", f"{self.router_url}/health")

    async def wait_healthy(self, name: str, url: str, within: float = 90.0) -> None:
        process = self.processes[name]
        deadline = time.monotonic() + within
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if process.popen.poll() is not None:
                    raise RuntimeError(f"{name} exited ({process.popen.returncode}):\n{process.tail()}")
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.get(url, timeout=aiohttp.ClientTimeout(total=5)) as response:
                        if response.status == 200 and _broker_up(await response.read()):
                            return
                await asyncio.sleep(0.3)
        raise RuntimeError(f"{name} was not healthy within {within:.0f} s:\n{process.tail()}")

    def exited(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.popen.poll() is not None]

    def rss(self) -> dict[str, int | None]:
        return {name: rss_bytes(process.pid) for name, process in self.processes.items()}

    def stop(self, grace: float = 15.0) -> None:
        for process in reversed(list(self.processes.values())):
            if process.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)  # the group started for this process alone
        for process in self.processes.values():
            try:
                process.popen.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.popen.wait(5)

    async def cleanup(self) -> None:
        """Drop the run's databases, queues, exchange and Redis keys."""
        settings = self.settings()
        for service in self.services:
            url = settings.database_url_for(service)
            assert url is not None
            with contextlib.suppress(Exception):
                await drop_database(url)
        await delete_broker_objects(self.name, SERVICES)
        await delete_redis_keys(f"{self.name}:")


def _broker_up(body: bytes) -> bool:
    """A service is ready for the benchmarks once it is healthy and connected to RabbitMQ (the router's
    health has no broker)."""
    try:
        checks = orjson.loads(body).get("checks", {})
    except (orjson.JSONDecodeError, AttributeError):
        return True
    broker = checks.get("broker") if isinstance(checks, dict) else None
    return broker is None or bool(broker.get("up"))


async def delete_broker_objects(name: str, queues: Iterable[str]) -> None:
    import aio_pika

    with contextlib.suppress(Exception):
        connection = await aio_pika.connect(AMQP)
        async with connection:
            channel = await connection.channel()
            for queue in queues:
                for suffix in ("", ".dead-letter"):
                    await channel.queue_delete(f"{name}.{queue}{suffix}")
            await channel.exchange_delete(name)


async def delete_redis_keys(prefix: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS)
    try:
        async for key in redis.scan_iter(match=f"{prefix}*"):
            await redis.delete(key)
    finally:
        await redis.aclose()
