"""System health against real services on local ports: healthy, unreachable, unhealthy, hung."""

from __future__ import annotations

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hockey_hub.services import create_app
from shared.settings import SERVICE_PORTS
from subgraphs.admin.health import HealthProbe, ServiceStatus
from tests.admin.conftest import Club
from tests.admin.servers import admin_pointed_at, closed_port_url, serving, silent_server
from tests.support.services import RunningService, ServicePool

SYSTEM_HEALTH = """
query Health {
  systemHealth {
    status checkedAt
    services { name status responseTimeMs url detail checks { name up kind required latencyMs detail } }
  }
}
"""


async def test_running_services_are_healthy_and_the_others_unreachable(
    admin: RunningService, services: ServicePool, club: Club
) -> None:
    # given the user service really serving on a local port, and nothing where the others should be
    settings = admin.runtime.settings
    async with (
        serving(create_app("user", settings)) as user_url,
        admin_pointed_at(settings, {"user": user_url}, services) as client,
    ):
        # when the platform administrator asks for the system's health
        report = (await client.execute(SYSTEM_HEALTH, as_=club.platform)).ok()["systemHealth"]
        as_club_admin = (await client.execute(SYSTEM_HEALTH, as_=club.club_admin)).ok()["systemHealth"]
    by_name = {service["name"]: service for service in report["services"]}
    # then every service is reported, in port order
    assert list(by_name) == list(SERVICE_PORTS)
    # the user service and the admin service itself are healthy, with their dependencies up
    for name in ("user", "admin"):
        assert by_name[name]["status"] == "HEALTHY", by_name[name]
        assert by_name[name]["responseTimeMs"] > 0
        assert {check["name"]: check["up"] for check in by_name[name]["checks"]} == {
            "database": True,
            "broker": True,
            "cache": True,
            "pubsub": True,
        }
    assert by_name["user"]["url"] == f"{user_url}/health"
    database = next(check for check in by_name["user"]["checks"] if check["name"] == "database")
    assert database["required"] is True
    assert database["kind"] in ("postgresql", "embedded-postgresql")
    # the rest are unreachable, without a response time, and the system as a whole is degraded
    for name in set(SERVICE_PORTS) - {"user", "admin"}:
        assert by_name[name]["status"] == "UNREACHABLE"
        assert by_name[name]["responseTimeMs"] is None
        assert by_name[name]["checks"] == []
        assert by_name[name]["detail"]
    assert report["status"] == "DEGRADED"
    # a club administrator sees the same statuses but not the platform's addresses or errors
    assert [s["status"] for s in as_club_admin["services"]] == [s["status"] for s in report["services"]]
    assert {s["url"] for s in as_club_admin["services"]} == {None}
    assert {s["detail"] for s in as_club_admin["services"]} == {None}


async def test_only_administrators_see_system_health(admin: RunningService, club: Club) -> None:
    for caller in (club.coach, club.player):
        response = await admin.graphql.execute(SYSTEM_HEALTH, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    assert (await admin.graphql.execute(SYSTEM_HEALTH)).codes == ["UNAUTHENTICATED"]


def _answering(status_code: int, body: bytes) -> Starlette:
    async def health(request: Request) -> Response:
        return Response(body, status_code=status_code, media_type="application/json")

    return Starlette(routes=[Route("/health", health)])


async def test_answers_are_classified(admin: RunningService) -> None:
    degraded = orjson.dumps(
        {
            "service": "calendar",
            "status": "degraded",
            "checks": {
                "database": {"up": True, "kind": "postgresql", "required": True, "latencyMs": 1.5},
                "cache": {"up": False, "kind": "redis", "required": False, "detail": "ConnectionError"},
            },
        }
    )
    down = orjson.dumps(
        {"service": "medical", "status": "unhealthy", "checks": {"database": {"up": False, "required": True}}}
    )
    probe = HealthProbe(timeout_seconds=0.5)
    try:
        async with (
            serving(_answering(200, degraded)) as degraded_url,
            serving(_answering(503, down)) as down_url,
            serving(_answering(200, b"<html>hello</html>")) as html_url,
            serving(_answering(404, b'{"detail": "Not Found"}')) as missing_url,
            silent_server() as hung_url,
        ):
            report = await probe.system(
                admin.runtime,
                {
                    "calendar": degraded_url,
                    "medical": down_url,
                    "planning": html_url,
                    "statistics": missing_url,
                    "training": hung_url,
                    "payment": closed_port_url(),
                },
            )
    finally:
        await probe.close()
    statuses = {service.name: service.status for service in report.services}
    assert statuses == {
        "calendar": ServiceStatus.DEGRADED,
        "medical": ServiceStatus.UNHEALTHY,
        "planning": ServiceStatus.UNHEALTHY,
        "statistics": ServiceStatus.UNHEALTHY,
        "training": ServiceStatus.UNREACHABLE,
        "payment": ServiceStatus.UNREACHABLE,
    }
    calendar = next(service for service in report.services if service.name == "calendar")
    assert [(c.name, c.up, c.latency_ms) for c in calendar.checks] == [
        ("database", True, 1.5),
        ("cache", False, None),
    ]
    assert report.status is ServiceStatus.DEGRADED
    hung = next(service for service in report.services if service.name == "training")
    assert hung.detail is not None
    assert "timeout" in hung.detail


async def test_nothing_serving_is_unhealthy(admin: RunningService) -> None:
    probe = HealthProbe(timeout_seconds=0.5)
    try:
        report = await probe.system(admin.runtime, {"user": closed_port_url(), "calendar": closed_port_url()})
    finally:
        await probe.close()
    assert report.status is ServiceStatus.UNHEALTHY
