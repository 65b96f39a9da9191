"""What every service does over HTTP: health, bearer tokens, coded and masked errors, request ids."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import jwt
import pytest
import strawberry
from strawberry.scalars import JSON

from shared.app import Subgraph
from shared.auth.keys import Keyring, generate_key_pair
from shared.auth.principal import Role
from shared.auth.tokens import TokenIssuer
from shared.errors import Conflict
from shared.graphql import Ctx, build_schema, mutation
from shared.graphql.context import actor
from subgraphs.user.models import Base
from tests.conftest import ServiceFactory
from tests.support.backend import SuiteEnvironment
from tests.support.principals import principal
from tests.support.services import RunningService, issuer_for
from tests.support.tcp_proxy import TcpProxy

TEAMS = "query Teams { teams { id } }"


@pytest.fixture
async def user(service: ServiceFactory) -> RunningService:
    return await service("user")


async def test_health_is_healthy_with_every_dependency(user: RunningService, environment: SuiteEnvironment) -> None:
    response = await user.http.get("/health")
    body = response.json()
    assert response.status_code == 200
    assert body["service"] == "user"
    assert body["status"] == "healthy"
    expected = {"database": "postgresql", "broker": "rabbitmq", "cache": "redis", "pubsub": "redis"}
    if not environment.uses_servers:
        expected = {
            "database": "embedded-postgresql",
            "broker": "in-process",
            "cache": "memory",
            "pubsub": "memory",
        }
    assert {name: check["kind"] for name, check in body["checks"].items()} == expected
    assert all(check["up"] for check in body["checks"].values())


async def test_health_is_503_when_the_database_is_unreachable(
    environment: SuiteEnvironment, migrated: SuiteEnvironment
) -> None:
    if not environment.uses_servers:
        pytest.skip("cutting the database needs a PostgreSQL server reached over TCP")
    from tests.support.services import running_service

    proxy = TcpProxy("127.0.0.1", 5432)
    await proxy.restore()
    url = environment.settings.database_url_for("user") or ""
    settings = environment.settings.model_copy(
        update={"database_urls": {"user": url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")}}
    )
    async with running_service("user", settings, issuer_for(environment)) as user:
        assert (await user.http.get("/health")).status_code == 200
        await proxy.cut()
        response = await user.http.get("/health")
        assert response.status_code == 503
        assert response.json()["checks"]["database"]["up"] is False
        # and a request that needs the database fails cleanly, with a code and no internals
        club_admin = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
        failed = await user.graphql.execute(TEAMS, as_=club_admin)
        assert failed.codes == ["SERVICE_UNAVAILABLE"]
        assert "5432" not in str(failed.body)
        assert "Traceback" not in str(failed.body)
        # when the database is back, the service recovers without a restart (pool pre-ping)
        await proxy.restore()
        assert (await user.http.get("/health")).status_code == 200
        assert (await user.graphql.execute(TEAMS, as_=club_admin)).ok() == {"teams": []}
        await proxy.cut()


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda good, keys: "not.a.jwt", id="malformed"),
        pytest.param(lambda good, keys: good(lifetime=timedelta(seconds=-60)), id="expired"),
        pytest.param(lambda good, keys: _resign(good(), keys, algorithm="none"), id="alg-none"),
        pytest.param(lambda good, keys: _resign(good(), keys, algorithm="HS256"), id="hs256-with-public-key"),
        pytest.param(lambda good, keys: _resign(good(), keys, issuer="someone-else"), id="wrong-issuer"),
        pytest.param(lambda good, keys: _resign(good(), keys, audience="another-api"), id="wrong-audience"),
        pytest.param(lambda good, keys: _other_key(good()), id="unknown-key"),
        pytest.param(lambda good, keys: _tamper(good()), id="tampered-payload"),
    ],
)
async def test_a_bad_token_is_401_unauthenticated(
    user: RunningService, environment: SuiteEnvironment, forge: object
) -> None:
    subject = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())

    def good(lifetime: timedelta | None = None) -> str:
        return issuer_for(environment).issue(subject, lifetime=lifetime)

    token = forge(good, environment.keys)  # type: ignore[operator]
    response = await user.http.post("/graphql", json={"query": TEAMS}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == ["UNAUTHENTICATED"]


def _resign(token: str, keys: object, *, algorithm: str = "RS256", **changes: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    header = jwt.get_unverified_header(token)
    claims.update({"iss" if key == "issuer" else "aud": value for key, value in changes.items()})
    if algorithm == "none":
        return jwt.encode(claims, None, algorithm="none", headers={"kid": header["kid"]})  # type: ignore[arg-type]
    if algorithm == "HS256":  # the classic confusion attack: the public key used as an HMAC secret
        public = keys.public_pem.encode()  # type: ignore[attr-defined]
        return _hs256(claims, public, header["kid"])
    return jwt.encode(claims, keys.private_pem, algorithm="RS256", headers={"kid": header["kid"]})  # type: ignore[attr-defined]


def _hs256(claims: dict[str, object], secret: bytes, kid: str) -> str:
    import base64
    import hashlib
    import hmac
    import json

    def b64(raw: bytes) -> bytes:
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64(json.dumps(claims, default=str).encode())
    signature = b64(hmac.new(secret, head + b"." + body, hashlib.sha256).digest())
    return (head + b"." + body + b"." + signature).decode()


def _other_key(token: str) -> str:
    other = generate_key_pair()
    claims = jwt.decode(token, options={"verify_signature": False})
    keyring = Keyring.from_pems(other.public_pem, other.private_pem)
    return TokenIssuer(keyring, issuer=claims["iss"], audience=claims["aud"]).issue(
        principal(Role.ADMIN, organization_id=None)
    )


def _tamper(token: str) -> str:
    import base64
    import json

    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["roles"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{head}.{forged}.{signature}"


async def test_a_request_id_is_returned_and_a_sane_one_is_kept(user: RunningService) -> None:
    given = await user.http.get("/health", headers={"X-Request-Id": "router-abc123"})
    assert given.headers["x-request-id"] == "router-abc123"
    made = await user.http.get("/health")
    assert len(made.headers["x-request-id"]) == 32


# A tiny schema on the user service's database, to reach the kernel's error and transaction paths.


@strawberry.type
class Probe:
    id: strawberry.ID


@strawberry.input
class ProbeNote:
    text: str
    secret_token: str | None = strawberry.UNSET
    pinned: bool | None = strawberry.UNSET


@strawberry.input
class ProbeInput:
    label: str
    notes: list[ProbeNote] = strawberry.field(default_factory=list)
    comment: str | None = strawberry.UNSET
    extra: JSON | None = strawberry.UNSET


@strawberry.type
class ProbeQuery:
    @strawberry.field
    async def explode(self, info: Ctx) -> str:
        raise RuntimeError("password=hunter2 in SELECT * FROM users")


@strawberry.type
class ProbeMutation:
    @mutation(description="Writes an audit entry and succeeds.")
    async def succeed(self, info: Ctx, name: str) -> Probe:
        actor(info)
        return Probe(id=strawberry.ID(name))

    @mutation(description="Audited with its input's values (the default).")
    async def write(self, info: Ctx, name: str, input: ProbeInput) -> Probe:
        actor(info)
        return Probe(id=strawberry.ID(name))

    @mutation(description="Audited with the names of its input fields only.", audit_input=False)
    async def write_quietly(self, info: Ctx, name: str, input: ProbeInput) -> Probe:
        actor(info)
        return Probe(id=strawberry.ID(name))

    @mutation(description="Writes, then fails with a conflict.")
    async def fail(self, info: Ctx, name: str) -> Probe | None:
        actor(info)
        raise Conflict("that name is taken", field="name")


@pytest.fixture
async def probe(environment: SuiteEnvironment, migrated: SuiteEnvironment) -> AsyncIterator[RunningService]:
    import httpx

    from shared.app import create_subgraph_app
    from tests.support.graphql import GraphQLClient

    schema = build_schema(query=ProbeQuery, mutation=ProbeMutation)
    app = create_subgraph_app(Subgraph(name="user", schema=schema, metadata=Base.metadata), environment.settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe") as http,
    ):
        running = RunningService("user", app, http, GraphQLClient(http, issuer_for(environment)))
        yield running
        await running.truncate()


async def test_an_unexpected_error_is_masked_with_the_request_id(probe: RunningService) -> None:
    response = await probe.graphql.execute("{ explode }", headers={"X-Request-Id": "req-42"})
    error = response.error("INTERNAL_SERVER_ERROR")
    assert error["message"] == "Internal server error"
    assert error["extensions"]["requestId"] == "req-42"
    assert "hunter2" not in str(response.body)
    assert "SELECT" not in str(response.body)


async def test_request_errors_have_codes(probe: RunningService) -> None:
    assert (await probe.graphql.execute("{ explode ")).codes == ["GRAPHQL_PARSE_FAILED"]
    assert (await probe.graphql.execute("{ nothing }")).codes == ["GRAPHQL_VALIDATION_FAILED"]
    missing = await probe.graphql.execute("mutation M($name: String!) { succeed(name: $name) { id } }", {})
    assert missing.codes == ["BAD_USER_INPUT"]


async def test_each_mutation_field_is_its_own_transaction_with_an_audit_entry(probe: RunningService) -> None:
    from sqlalchemy import select

    from shared.database.kernel import audit_entries

    caller = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    response = await probe.graphql.execute(
        'mutation Both { first: succeed(name: "a") { id } second: fail(name: "b") { id } }', as_=caller
    )
    assert response.data == {"first": {"id": "a"}, "second": None}
    assert response.error("CONFLICT")["extensions"]["field"] == "name"
    async with probe.runtime.sessions() as session:
        entries = (await session.execute(select(audit_entries))).all()
    assert [(entry.action, entry.entity_type, entry.entity_id) for entry in entries] == [("succeed", "Probe", "a")]
    assert entries[0].actor_user_id == caller.user_id
    assert entries[0].details["input"] == {"name": "a"}
    assert entries[0].details["operation"] == "Both"


WRITE = """
mutation Write($name: String!, $input: ProbeInput!) {
  loud: write(name: $name, input: $input) { id }
  quiet: writeQuietly(name: $name, input: $input) { id }
}
"""


async def test_the_audit_entry_holds_the_input_or_only_its_field_names(probe: RunningService) -> None:
    from sqlalchemy import select

    from shared.database.kernel import audit_entries

    # given the same input sent to a mutation audited by default and to one declared `audit_input=False`
    caller = principal(Role.CLUB_ADMIN, organization_id=uuid.uuid4())
    given = {
        "label": "knee",
        "notes": [{"text": "torn ligament", "secretToken": "s3cr3t"}, {"text": "MRI booked", "pinned": True}],
        "extra": {"diagnosis": "ACL"},
    }
    response = await probe.graphql.execute(WRITE, {"name": "a", "input": given}, as_=caller)
    assert response.ok() == {"loud": {"id": "a"}, "quiet": {"id": "a"}}
    async with probe.runtime.sessions() as session:
        entries = {row.action: row.details for row in await session.execute(select(audit_entries))}
    # then the default entry records the values given (secrets redacted, unset fields left out)
    assert entries["write"] == {
        "input": {
            "name": "a",
            "input": {
                "label": "knee",
                "notes": [
                    {"text": "torn ligament", "secret_token": "[redacted]"},
                    {"text": "MRI booked", "pinned": True},
                ],
                "extra": {"diagnosis": "ACL"},
            },
        },
        "operation": "Write",
    }
    # and the other only which fields were given, in order, once each: no value, nor a JSON value's keys
    assert entries["writeQuietly"] == {
        "input_fields": [
            "name",
            "input.label",
            "input.notes[].text",
            "input.notes[].secret_token",
            "input.notes[].pinned",
            "input.extra",
        ],
        "operation": "Write",
    }
    for value in ("knee", "torn ligament", "s3cr3t", "MRI", "diagnosis", "ACL"):
        assert value not in str(entries["writeQuietly"])
