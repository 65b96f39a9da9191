"""Keys: the user service publishes its key set, `hockey-hub keys rotate` reaches it without a restart,
and other services verify against the published set, not a header anyone could set."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import jwt
import pytest

from hockey_hub.cli import main
from hockey_hub.services import create_app
from shared.auth.keys import Keyring, KeyringFile, generate_key_pair
from shared.auth.principal import Role
from shared.auth.tokens import TokenIssuer
from shared.settings import Mode, Settings
from tests.router.club.harness import serve
from tests.support.backend import SuiteEnvironment
from tests.support.principals import principal
from tests.support.services import running_service
from tests.support.tcp_proxy import free_port

ME = "{ me { id } }"
TEAMS = "{ teams { id } }"


@contextlib.asynccontextmanager
async def user_service(settings: Settings) -> AsyncIterator[str]:
    """The user service on a real port (so others can fetch its key set); yields its base URL."""
    port = free_port()
    server, task = await serve(create_app("user", settings), port, lifespan="on")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def keys_settings(migrated: SuiteEnvironment, tmp_path: Path) -> Settings:
    """The suite's settings, but with keys in a folder (as in development and in compose)."""
    folder = tmp_path / "keys"
    assert main(["keys", "generate", str(folder)]) == 0
    return migrated.settings.model_copy(
        update={"jwt_public_key": None, "jwt_private_key": None, "jwt_keys_dir": folder}
    )


def kids(document: dict[str, list[dict[str, str]]]) -> list[str]:
    return [key["kid"] for key in document["keys"]]


async def test_rotation_reaches_the_running_user_service_and_the_old_key_keeps_verifying(
    keys_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import httpx

    assert keys_settings.jwt_keys_dir is not None
    async with user_service(keys_settings) as url, httpx.AsyncClient(base_url=url) as http:
        before = (await http.get("/.well-known/jwks.json")).json()
        assert len(before["keys"]) == 1
        assert before["keys"][0]["alg"] == "RS256"
        assert "d" not in before["keys"][0]  # never the private half
        # when the operator rotates
        assert main(["keys", "rotate", "--dir", str(keys_settings.jwt_keys_dir)]) == 0
        new_kid = capsys.readouterr().out.split()[2]
        # then within a second the service publishes both and signs with the new one
        for _ in range(40):
            after = (await http.get("/.well-known/jwks.json")).json()
            if len(after["keys"]) == 2:
                break
            await asyncio.sleep(0.05)
        assert kids(after) == [new_kid, *kids(before)]
        assert main(["keys", "list", "--dir", str(keys_settings.jwt_keys_dir)]) == 0
        listing = capsys.readouterr().out.splitlines()
        assert listing == [f"{new_kid}  signs and verifies", f"{kids(before)[0]}  verifies"]


async def test_services_verify_against_the_published_key_set(
    keys_settings: Settings, migrated: SuiteEnvironment
) -> None:
    organization = uuid.uuid4()
    coach = principal(Role.COACH, organization_id=organization)
    signer = TokenIssuer(
        KeyringFile(keys_settings), issuer=keys_settings.jwt_issuer, audience=keys_settings.jwt_audience
    )
    pair = generate_key_pair()
    stranger = TokenIssuer(
        Keyring.from_pems(pair.public_pem, pair.private_pem),
        issuer=keys_settings.jwt_issuer,
        audience=keys_settings.jwt_audience,
    )
    async with user_service(keys_settings) as url:
        # a service that holds no keys at all, only the user service's key-set URL
        verifying = migrated.settings.model_copy(
            update={"jwt_public_key": None, "jwt_private_key": None, "jwks_url": f"{url}/.well-known/jwks.json"}
        )
        async with running_service("planning", verifying, signer) as planning:
            good = await planning.http.post(
                "/graphql",
                json={"query": "{ seasons { id } }"},
                headers={"authorization": f"Bearer {signer.issue(coach)}"},
            )
            assert good.status_code == 200, good.text
            assert "errors" not in good.json(), good.json()
            forged = await planning.http.post(
                "/graphql",
                json={"query": "{ seasons { id } }"},
                headers={"authorization": f"Bearer {stranger.issue(coach)}"},
            )
            assert forged.status_code == 401
            assert forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_production_refuses_to_start_without_keys() -> None:
    with pytest.raises(ValueError, match="HOCKEY_HUB_JWT_KEYS_DIR"):
        Settings(
            mode=Mode.PRODUCTION,
            database_url="postgresql+asyncpg://x@h/db_{service}",
            amqp_url="amqp://h",
            redis_url="redis://h",
        )


def test_tokens_carry_the_scopes_of_their_roles(keys_settings: Settings) -> None:
    signer = TokenIssuer(KeyringFile(keys_settings), issuer="i", audience="a")
    claims = jwt.decode(
        signer.issue(principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4()), session_id="s-1"),
        options={"verify_signature": False},
    )
    assert set(claims["scope"].split()) == {"role:medical_staff", "health:read", "health:write"}
    assert claims["sid"] == "s-1"
    assert jwt.get_unverified_header(signer.issue(principal(Role.COACH, organization_id=None)))["kid"]
