"""The demo's flags and the demo club's settings, read back through GraphQL as its people."""

from __future__ import annotations

from shared.auth.principal import Principal
from shared.demo import demo_club
from subgraphs.admin.demo import load_demo
from tests.support.services import RunningService

READ = """
query Demo {
  featureFlags { key enabled defaultEnabled override { enabled } }
  organizationSettings { key value isDefault }
}
"""
RESOLVED = """
query Resolved($key: String!, $teamId: ID) { resolvedSetting(key: $key, teamId: $teamId) { value scope } }
"""
NOTICES = "query Notices { systemAnnouncements { title } }"


async def test_the_demo_reads_back_as_its_people(admin: RunningService) -> None:
    club = demo_club()
    async with admin.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is True
    async with admin.runtime.sessions() as session, session.begin():
        assert await load_demo(session, club) is False
    coach = club.person("coach@lynx.example")
    as_coach = Principal(
        user_id=coach.id,
        organization_id=club.organization_id,
        roles=frozenset(coach.roles),
        team_ids=frozenset(coach.team_ids),
    )
    data = (await admin.graphql.execute(READ, as_=as_coach)).ok()
    flags = {flag["key"]: flag for flag in data["featureFlags"]}
    assert {"live_training_sessions", "advanced_analytics", "parent_payments"} <= set(flags)
    # the club turned on analytics and payments, which are off by default, and kept live sessions on
    assert (flags["advanced_analytics"]["defaultEnabled"], flags["advanced_analytics"]["enabled"]) == (
        False,
        True,
    )
    assert flags["parent_payments"]["enabled"] is True
    assert flags["live_training_sessions"] == {
        "key": "live_training_sessions",
        "enabled": True,
        "defaultEnabled": True,
        "override": None,
    }
    settings = {setting["key"]: setting for setting in data["organizationSettings"]}
    assert settings["season_start_month"] == {
        "key": "season_start_month",
        "value": club.season_start.month,
        "isDefault": False,
    }
    assert settings["locale"]["value"] == "sv-SE"
    assert settings["measurement_system"] == {
        "key": "measurement_system",
        "value": "metric",
        "isDefault": True,
    }
    # the senior team's own practice length wins over the club's for its coach, and everyone sees the notice
    [team_id] = coach.team_ids
    resolved = await admin.graphql.execute(
        RESOLVED, {"key": "default_practice_minutes", "teamId": str(team_id)}, as_=as_coach
    )
    assert resolved.ok()["resolvedSetting"] == {"value": 60, "scope": "TEAM"}
    notices = (await admin.graphql.execute(NOTICES, as_=as_coach)).ok()["systemAnnouncements"]
    assert [notice["title"] for notice in notices] == ["Scheduled maintenance"]
