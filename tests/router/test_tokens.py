"""Bearer tokens at the router: verified against the key set, every forgery refused with 401 before any
subgraph is called; the key set is refetched on rotation, but a flood of unknown keys cannot make the
router hammer the user service."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from shared.auth.keys import Keyring, generate_key_pair
from shared.auth.principal import Role
from shared.auth.tokens import TokenIssuer
from tests.router.club import data
from tests.router.club.harness import AUDIENCE, ISSUER, KEYRING, TOKENS, Club, fresh_data, running_club
from tests.support.principals import principal

QUERY = "{ captain { name } }"


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[Club]:
    with fresh_data():
        async with running_club(tmp_path) as running:
            yield running


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def valid_token() -> str:
    return TOKENS.issue(principal(Role.COACH, organization_id=uuid.uuid4()))


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def signed(claims: dict[str, Any], *, keyring: Keyring = KEYRING, kid: str | None = None) -> str:
    assert keyring.signing is not None
    return jwt.encode(
        claims, keyring.signing.private_key, algorithm="RS256", headers={"kid": kid or keyring.signing.kid}
    )


def coach_token(issuer: TokenIssuer) -> str:
    return issuer.issue(principal(Role.COACH, organization_id=None))


def public_pem() -> bytes:
    key = KEYRING.public_keys[next(iter(KEYRING.public_keys))]
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def forged_alg_none() -> str:
    head = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": next(iter(KEYRING.public_keys))}).encode())
    body = b64(json.dumps({**claims_of(valid_token()), "roles": ["admin"]}).encode())
    return f"{head}.{body}."


def forged_hs256_with_the_public_key() -> str:
    # the classic confusion: a verifier that trusts the header's alg would use the public key as HMAC secret
    import hashlib
    import hmac

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": next(iter(KEYRING.public_keys))}).encode())
    body = b64(json.dumps({**claims_of(valid_token()), "roles": ["admin"]}).encode())
    signature = hmac.new(public_pem(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


def expired() -> str:
    return TOKENS.issue(principal(Role.COACH, organization_id=None), lifetime=timedelta(minutes=-5))


def not_yet_valid() -> str:
    later = datetime.now(UTC) + timedelta(minutes=10)
    return signed({**claims_of(valid_token()), "nbf": int(later.timestamp()), "iat": int(later.timestamp())})


def other_issuer() -> str:
    return TokenIssuer(KEYRING, issuer="someone-else", audience=AUDIENCE).issue(
        principal(Role.COACH, organization_id=None)
    )


def other_audience() -> str:
    return TokenIssuer(KEYRING, issuer=ISSUER, audience="another-app").issue(
        principal(Role.COACH, organization_id=None)
    )


def unknown_key() -> str:
    pair = generate_key_pair()
    stranger = Keyring.from_pems(pair.public_pem, pair.private_pem)
    return TokenIssuer(stranger, issuer=ISSUER, audience=AUDIENCE).issue(principal(Role.ADMIN, organization_id=None))


def tampered() -> str:
    head, body, signature = valid_token().split(".")
    changed = b64(json.dumps({**claims_of(valid_token()), "roles": ["admin"]}).encode())
    assert changed != body
    return f"{head}.{changed}.{signature}"


def without_expiry() -> str:
    claims = claims_of(valid_token())
    del claims["exp"]
    return signed(claims)


def not_a_jwt() -> str:
    return "definitely-not-a-token"


FORGERIES: dict[str, Callable[[], str]] = {
    "alg none": forged_alg_none,
    "HS256 signed with the public key": forged_hs256_with_the_public_key,
    "expired": expired,
    "not yet valid": not_yet_valid,
    "another issuer": other_issuer,
    "another audience": other_audience,
    "an unknown key": unknown_key,
    "a tampered payload": tampered,
    "no expiry": without_expiry,
    "not a JWT": not_a_jwt,
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
async def test_a_forged_or_stale_token_is_refused_with_401(club: Club, forgery: str) -> None:
    response = await club.query(QUERY, headers={"authorization": f"Bearer {FORGERIES[forgery]()}"})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert "data" not in body
    assert all(not log for log in club.requests.values())


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "token abc"])
async def test_an_authorization_header_that_is_not_a_bearer_token_is_refused(club: Club, header: str) -> None:
    response = await club.query(QUERY, headers={"authorization": header})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_valid_token_passes(club: Club) -> None:
    response = await club.query(QUERY, headers={"authorization": f"Bearer {valid_token()}"})
    assert response.status_code == 200
    assert response.json() == {"data": {"captain": {"name": data.PLAYERS[next(iter(data.PLAYERS))]["name"]}}}


async def test_a_rotated_key_is_fetched_once_and_the_previous_key_still_verifies(club: Club) -> None:
    assert club.key_set is not None
    old_token = valid_token()
    assert (await club.query(QUERY, headers={"authorization": f"Bearer {old_token}"})).status_code == 200
    fetched = club.key_set.fetches
    # when the identity service rotates: a new signing key, the old one still published
    pair = generate_key_pair()
    rotated = Keyring.from_pems(pair.public_pem, pair.private_pem)
    club.key_set.keyring = Keyring({**KEYRING.public_keys, **rotated.public_keys}, rotated.signing)
    await asyncio.sleep(0.6)  # past the router's minimum refetch interval (0.5 s in the harness)
    new_token = TokenIssuer(rotated, issuer=ISSUER, audience=AUDIENCE).issue(
        principal(Role.COACH, organization_id=None)
    )
    # then tokens of both keys pass, with one fetch of the key set between them
    for token in (new_token, old_token, new_token):
        assert (await club.query(QUERY, headers={"authorization": f"Bearer {token}"})).status_code == 200
    assert club.key_set.fetches == fetched + 1


async def test_a_flood_of_unknown_keys_costs_at_most_one_fetch_per_interval(club: Club) -> None:
    assert club.key_set is not None
    await club.query(QUERY, headers={"authorization": f"Bearer {valid_token()}"})
    await asyncio.sleep(0.6)
    fetched = club.key_set.fetches
    forged = [unknown_key() for _ in range(3)]
    started = time.monotonic()
    responses = await asyncio.gather(
        *(club.query(QUERY, headers={"authorization": f"Bearer {forged[n % 3]}"}) for n in range(40))
    )
    intervals = (time.monotonic() - started) // 0.5  # the harness refetches at most every 0.5 s
    assert {response.status_code for response in responses} == {401}
    # one fetch for the whole flood (a slow machine may see the interval pass, and one more per interval)
    assert fetched + 1 <= club.key_set.fetches <= fetched + 1 + intervals


async def test_a_retired_key_is_refused_even_for_a_token_verified_before(club: Club) -> None:
    assert club.key_set is not None
    old_token = valid_token()
    assert (await club.query(QUERY, headers={"authorization": f"Bearer {old_token}"})).status_code == 200
    # when the identity service stops publishing the old key (it was compromised, say)
    pair = generate_key_pair()
    replacement = Keyring.from_pems(pair.public_pem, pair.private_pem)
    club.key_set.keyring = replacement
    await asyncio.sleep(0.6)
    new_token = coach_token(TokenIssuer(replacement, issuer=ISSUER, audience=AUDIENCE))
    assert (await club.query(QUERY, headers={"authorization": f"Bearer {new_token}"})).status_code == 200
    # then the router, having fetched the new set, no longer accepts the old key's token it had remembered
    assert (await club.query(QUERY, headers={"authorization": f"Bearer {old_token}"})).status_code == 401
