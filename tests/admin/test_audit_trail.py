"""The audit trail of every service through the admin service's `auditTrail`: each service answers for
its own database at `GET /audit`, the admin merges them newest first; platform administrators read every
club, a club administrator their own; filters by who, what and when."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from hockey_hub.services import create_app
from shared.database.kernel import audit_entries
from shared.settings import SERVICE_PORTS
from tests.admin.conftest import Club
from tests.admin.servers import admin_pointed_at, serving
from tests.support.graphql import GraphQLClient
from tests.support.services import RunningService, ServicePool

AUDIT_TRAIL = """
query AuditTrail($filter: AuditTrailFilter, $limit: Int! = 100) {
  auditTrail(filter: $filter, limit: $limit) {
    entries { service id occurredAt actorUserId organizationId action entityType entityId details }
    unansweredServices
  }
}
"""

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def add_entry(
    engine: AsyncEngine,
    *,
    organization_id: uuid.UUID,
    action: str,
    at: datetime,
    actor_user_id: uuid.UUID | None = None,
) -> uuid.UUID:
    entry_id = uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            insert(audit_entries).values(
                id=entry_id,
                occurred_at=at,
                actor_user_id=actor_user_id,
                organization_id=organization_id,
                action=action,
                entity_type="Team",
                entity_id="t1",
                details={"name": "Otters"},
            )
        )
    return entry_id


@dataclass
class Trails:
    client: GraphQLClient
    admin_engine: AsyncEngine
    user_engine: AsyncEngine


@pytest.fixture
async def trails(admin: RunningService, services: ServicePool) -> AsyncIterator[Trails]:
    """The admin service and the user service on a real port; every other service is unreachable."""
    settings = admin.runtime.settings
    user_app = create_app("user", settings)
    async with serving(user_app) as user_url, admin_pointed_at(settings, {"user": user_url}, services) as client:
        yield Trails(client, admin.engine, user_app.state.runtime.engine)


async def test_platform_admin_reads_every_service_merged_newest_first(trails: Trails, club: Club) -> None:
    # given entries of one club in the admin and the user services
    org = club.organization_id
    oldest = await add_entry(trails.user_engine, organization_id=org, action="createTeam", at=NOON)
    middle = await add_entry(
        trails.admin_engine, organization_id=org, action="setOrganizationSetting", at=NOON + timedelta(minutes=1)
    )
    newest = await add_entry(
        trails.user_engine, organization_id=org, action="renameTeam", at=NOON + timedelta(minutes=2)
    )
    # when the platform administrator reads the club's trail
    trail = (
        await trails.client.execute(AUDIT_TRAIL, {"filter": {"organizationId": str(org)}}, as_=club.platform)
    ).ok()["auditTrail"]
    # then both services' entries come merged, newest first, each naming its service
    assert [(entry["id"], entry["service"]) for entry in trail["entries"]] == [
        (str(newest), "user"),
        (str(middle), "admin"),
        (str(oldest), "user"),
    ]
    assert trail["entries"][0]["details"] == {"name": "Otters"}
    # and the services that did not answer are named, not silently left out
    assert sorted(trail["unansweredServices"]) == sorted(set(SERVICE_PORTS) - {"admin", "user"})


async def test_filters_by_who_what_when_service_and_limit(trails: Trails, club: Club) -> None:
    org, who = club.organization_id, uuid.uuid4()
    mine = await add_entry(trails.user_engine, organization_id=org, action="renameTeam", at=NOON, actor_user_id=who)
    await add_entry(trails.user_engine, organization_id=org, action="renameTeam", at=NOON + timedelta(hours=1))
    await add_entry(trails.admin_engine, organization_id=org, action="renameTeam", at=NOON - timedelta(hours=1))
    later = await add_entry(trails.user_engine, organization_id=org, action="createTeam", at=NOON + timedelta(hours=2))

    async def ids(limit: int = 100, **filter: object) -> list[str]:
        variables = {"filter": {"organizationId": str(org), **filter}, "limit": limit}
        body = (await trails.client.execute(AUDIT_TRAIL, variables, as_=club.platform)).ok()
        return [entry["id"] for entry in body["auditTrail"]["entries"]]

    assert await ids(actorUserId=str(who)) == [str(mine)]
    assert await ids(action="createTeam") == [str(later)]
    assert len(await ids(action="renameTeam")) == 3
    assert len(await ids(action="renameTeam", service="user")) == 2
    window = await ids(since=NOON.isoformat(), until=(NOON + timedelta(hours=2)).isoformat())
    assert len(window) == 2  # since is inclusive, until exclusive
    assert await ids(limit=1) == [str(later)]


async def test_a_club_admin_reads_only_their_own_club(trails: Trails, club: Club) -> None:
    # given entries of the club and of another club, in the user service
    own = await add_entry(trails.user_engine, organization_id=club.organization_id, action="renameTeam", at=NOON)
    other = club.other_club_admin.organization_id
    assert other is not None
    await add_entry(trails.user_engine, organization_id=other, action="renameTeam", at=NOON)
    # when the club administrator reads the trail, then only their club's entries come back
    trail = (await trails.client.execute(AUDIT_TRAIL, {"filter": {"service": "user"}}, as_=club.club_admin)).ok()
    assert [entry["id"] for entry in trail["auditTrail"]["entries"]] == [str(own)]
    # and asking for another club is refused
    refused = await trails.client.execute(AUDIT_TRAIL, {"filter": {"organizationId": str(other)}}, as_=club.club_admin)
    assert refused.codes == ["FORBIDDEN"]


async def test_other_roles_cannot_read_it_and_bad_filters_are_named(trails: Trails, club: Club) -> None:
    for caller in (club.coach, club.player):
        assert (await trails.client.execute(AUDIT_TRAIL, as_=caller)).codes == ["FORBIDDEN"]
    unknown = await trails.client.execute(AUDIT_TRAIL, {"filter": {"service": "rinks"}}, as_=club.platform)
    assert unknown.error("BAD_USER_INPUT")["extensions"]["field"] == "filter.service"
    too_many = await trails.client.execute(AUDIT_TRAIL, {"limit": 10_000}, as_=club.platform)
    assert too_many.error("BAD_USER_INPUT")["extensions"]["field"] == "limit"
    backwards = {"since": NOON.isoformat(), "until": (NOON - timedelta(days=1)).isoformat()}
    reversed_window = await trails.client.execute(AUDIT_TRAIL, {"filter": backwards}, as_=club.platform)
    assert reversed_window.error("BAD_USER_INPUT")["extensions"]["field"] == "until"


async def test_each_service_answers_for_its_own_trail_to_administrators_only(admin: RunningService, club: Club) -> None:
    await add_entry(admin.engine, organization_id=club.organization_id, action="defineFeatureFlag", at=NOON)
    anonymous = await admin.http.get("/audit")
    assert anonymous.status_code == 401
    token = {"Authorization": f"Bearer {admin.graphql.token(club.coach)}"}
    assert (await admin.http.get("/audit", headers=token)).json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    token = {"Authorization": f"Bearer {admin.graphql.token(club.club_admin)}"}
    bad = await admin.http.get("/audit", params={"since": "yesterday"}, headers=token)
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "since"}
    answer = (await admin.http.get("/audit", headers=token)).json()
    assert answer["service"] == "admin"
    assert [entry["action"] for entry in answer["entries"]] == ["defineFeatureFlag"]
