"""What authentication and authorization cost the router per request, once the key set is cached.

    .venv/bin/python bench/auth_bench.py [--iterations 20000]

Measures, in this process and on the real supergraph:
- token verification: `Authenticator.caller(...)` for a coach's bearer token (JWT parse, RS256
  signature check, claims, principal), with the key set fetched once from a local JWKS server first:
  for a token the router has verified before (the usual case: a client reuses its token for 15
  minutes) and for tokens it sees for the first time;
- the authorization check of a prepared operation (`access.allows` over its guarded fields) for a caller
  who may see everything, and the lookup of the cached variant for one who may not.
Prints median, p99 and mean in microseconds; the goal for verification is under 200 µs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from router.auth.authenticate import Authenticator  # noqa: E402
from router.auth.rules import Access  # noqa: E402
from router.engine import RouterEngine  # noqa: E402
from router.executor.fetch import SubgraphClient  # noqa: E402
from router.federation.model import load_federated_schema  # noqa: E402
from router.settings import DEFAULT_SUPERGRAPH, RouterSettings  # noqa: E402
from shared.auth.keys import Keyring, generate_key_pair  # noqa: E402
from shared.auth.principal import Principal, Role  # noqa: E402
from shared.auth.scopes import scopes_for  # noqa: E402
from shared.auth.tokens import TokenIssuer  # noqa: E402

ROSTER = (ROOT / "bench" / "operations" / "TeamRosterLoad.graphql").read_text()


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"median {statistics.median(ordered):7.1f} µs   p99 {p99:7.1f} µs   mean {statistics.fmean(ordered):7.1f} µs"


async def timed(iterations: int, call: object) -> list[float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter_ns()
        await call()  # type: ignore[operator]
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


async def main(iterations: int) -> None:
    pair = generate_key_pair()
    keyring = Keyring.from_pems(pair.public_pem, pair.private_pem)

    async def key_set(_request: web.Request) -> web.Response:
        return web.json_response(keyring.jwks())

    app = web.Application()
    app.router.add_get("/.well-known/jwks.json", key_set)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    settings = RouterSettings(jwks_url=f"http://127.0.0.1:{port}/.well-known/jwks.json")
    authenticator = Authenticator(settings)
    coach = Principal(uuid.uuid4(), uuid.uuid4(), frozenset({Role.COACH}), frozenset({uuid.uuid4()}))
    token = TokenIssuer(keyring, issuer=settings.jwt_issuer, audience=settings.jwt_audience).issue(coach)
    header = f"Bearer {token}"
    await authenticator.caller(header)  # fetches the key set once
    for _ in range(1000):  # warm-up
        await authenticator.caller(header)
    verification = await timed(iterations, lambda: authenticator.caller(header))
    issuer = TokenIssuer(keyring, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    fresh = iter([f"Bearer {issuer.issue(coach)}" for _ in range(min(iterations, 3000))])
    first_sight = await timed(min(iterations, 3000), lambda: authenticator.caller(next(fresh)))
    await runner.cleanup()

    schema = load_federated_schema(DEFAULT_SUPERGRAPH.read_text())
    engine = RouterEngine(schema, SubgraphClient({graph.name: graph.url for graph in schema.graphs.values()}))
    prepared = engine.prepare(ROSTER, None)
    assert not prepared.errors, prepared.errors
    labels: frozenset[str] = frozenset()
    medic = Access(True, scopes_for({Role.MEDICAL_STAFF, Role.CLUB_ADMIN, Role.COACH}))
    coach_access = Access(True, scopes_for(coach.roles))

    async def check(access: Access) -> None:
        engine._authorized(prepared, access, labels)

    engine._authorized(prepared, coach_access, labels)  # plans the coach's variant once
    allowed = await timed(iterations, lambda: check(medic))
    filtered = await timed(iterations, lambda: check(coach_access))

    print(f"token verification, a token seen before:              {summary(verification)}")
    print(f"token verification, a token seen for the first time:  {summary(first_sight)}")
    print(f"authorization, {len(prepared.guards)} guarded fields, all allowed: {summary(allowed)}")
    print(f"authorization, cached variant for a coach:            {summary(filtered)}")
    goal = statistics.median(first_sight) < 200
    print(f"goal (verification under 200 µs, even for a new token): {'met' if goal else 'NOT met'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20000)
    asyncio.run(main(parser.parse_args().iterations))
