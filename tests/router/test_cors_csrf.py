"""Browsers at the router: an allow-list of origins (preflights and actual responses), and CSRF prevention,
which refuses the "simple" requests a cross-site form, image or `no-cors` fetch could send."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from router.app import create_router_app
from router.settings import RouterSettings
from shared.settings import Mode
from tests.router.club.harness import Club, fresh_data, running_club

APP = "https://app.hockeyhub.example"
EVIL = "https://evil.example"
QUERY = '{ team(id: "t1") { name } }'


@pytest.fixture(scope="module")
async def club(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Club]:
    async with running_club(tmp_path_factory.mktemp("club-cors"), cors_origins={APP}, csrf_prevention=True) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(club: Club) -> Iterator[None]:
    with fresh_data():
        club.clear()
        yield


def preflight(origin: str, method: str = "POST", headers: str = "content-type, authorization") -> dict[str, str]:
    return {"origin": origin, "access-control-request-method": method, "access-control-request-headers": headers}


async def test_a_preflight_from_an_allowed_origin_is_answered(club: Club) -> None:
    response = await club.router.options("/graphql", headers=preflight(APP))
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == APP
    assert set(response.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    assert {"authorization", "content-type"} <= set(response.headers["access-control-allow-headers"].split(", "))
    assert response.headers["access-control-max-age"] == "600"
    assert "access-control-allow-credentials" not in response.headers
    assert "origin" in response.headers["vary"].lower()


@pytest.mark.parametrize(
    "asked",
    [
        preflight(EVIL),
        preflight(APP, method="DELETE"),
        preflight(APP, headers="content-type, x-evil"),
        preflight("https://app.hockeyhub.example.evil.example"),
    ],
)
async def test_a_preflight_outside_the_allow_list_is_refused(club: Club, asked: dict[str, str]) -> None:
    response = await club.router.options("/graphql", headers=asked)
    assert response.status_code == 403
    assert not [name for name in response.headers if name.startswith("access-control-allow")]
    assert response.json()["errors"][0]["extensions"]["code"] == "CORS_REFUSED"


async def test_responses_to_an_allowed_origin_say_so_and_expose_the_rate_limit_headers(club: Club) -> None:
    response = await club.router.post("/graphql", json={"query": QUERY}, headers={"origin": APP})
    assert response.json() == {"data": {"team": {"name": "Lynx"}}}
    assert response.headers["access-control-allow-origin"] == APP
    exposed = response.headers["access-control-expose-headers"].split(", ")
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after"} <= set(exposed)


async def test_responses_to_another_origin_carry_no_permission(club: Club) -> None:
    # the browser then hides the answer from the other site's page
    response = await club.router.post("/graphql", json={"query": QUERY}, headers={"origin": EVIL})
    assert "access-control-allow-origin" not in response.headers
    assert "origin" in response.headers["vary"].lower()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", '{"query": "{ team(id: \\"t1\\") { name } }"}'),
        ("application/x-www-form-urlencoded", "query=%7B%20players%20%7B%20name%20%7D%20%7D"),
        (
            "multipart/form-data; boundary=x",
            '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ a }\r\n--x--',
        ),
        (None, '{"query": "{ players { name } }"}'),
    ],
)
async def test_simple_posts_are_refused_as_possible_forgeries(club: Club, content_type: str | None, body: str) -> None:
    # given a POST a cross-site form (or a no-cors fetch) could send, without a preflight
    headers = {"content-type": content_type} if content_type else {}
    response = await club.router.post("/graphql", content=body.encode(), headers={**headers, "origin": EVIL})
    # then it is refused before anything runs
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_REFUSED"
    assert all(not log for log in club.requests.values())


async def test_a_get_needs_a_header_only_a_preflighted_request_can_carry(club: Club) -> None:
    # given a GET, which an <img> or a link can send cross-site
    refused = await club.router.get("/graphql", params={"query": QUERY})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF_REFUSED"
    # when it carries a header browsers preflight, it is answered
    for header in ("apollo-require-preflight", "x-apollo-operation-name", "x-hockey-hub-csrf"):
        answered = await club.router.get("/graphql", params={"query": QUERY}, headers={header: "1"})
        assert answered.json() == {"data": {"team": {"name": "Lynx"}}}


async def test_json_posts_pass(club: Club) -> None:
    response = await club.router.post("/graphql", json={"query": QUERY})
    assert response.json() == {"data": {"team": {"name": "Lynx"}}}


async def test_graphiql_is_still_served_to_a_browser(club: Club) -> None:
    page = await club.router.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "GraphiQL" in page.text


def test_credentials_need_listed_origins() -> None:
    with pytest.raises(ValueError, match="credentials"):
        create_router_app(RouterSettings(cors_origins={"*"}, cors_credentials=True))


async def test_with_credentials_the_origin_is_echoed(tmp_path: Path) -> None:
    with fresh_data():
        async with running_club(tmp_path, cors_origins={APP}, cors_credentials=True) as club:
            response = await club.router.options("/graphql", headers=preflight(APP))
            assert response.headers["access-control-allow-origin"] == APP
            assert response.headers["access-control-allow-credentials"] == "true"


def test_csrf_prevention_is_on_in_production_and_off_in_development() -> None:
    assert RouterSettings(mode=Mode.PRODUCTION).csrf_prevention_enabled
    assert not RouterSettings().csrf_prevention_enabled
    assert RouterSettings(csrf_prevention=True).csrf_prevention_enabled
