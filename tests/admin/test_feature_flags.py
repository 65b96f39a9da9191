"""Feature flags through GraphQL over HTTP: defined by the platform, overridden per club."""

from __future__ import annotations

import asyncio

from subgraphs.admin.events import FEATURE_FLAG_CHANGED
from tests.admin.conftest import Club
from tests.admin.factories import define_flag, outbox
from tests.support.services import RunningService
from tests.support.statements import count_statements

DEFINE = """
mutation Define($input: DefineFeatureFlagInput!) {
  defineFeatureFlag(input: $input) { key description defaultEnabled enabled override { enabled } }
}
"""
UPDATE = """
mutation Update($key: String!, $input: UpdateFeatureFlagInput!) {
  updateFeatureFlag(key: $key, input: $input) { key description defaultEnabled enabled }
}
"""
FLAGS = """
query Flags($organizationId: ID) {
  featureFlags(organizationId: $organizationId) {
    key defaultEnabled enabled override { enabled organization { id } updatedAt }
  }
}
"""
FLAG = "query Flag($key: String!) { featureFlag(key: $key) { key enabled defaultEnabled } }"
SET = """
mutation Set($key: String!, $enabled: Boolean!, $organizationId: ID) {
  setFeatureFlagOverride(key: $key, enabled: $enabled, organizationId: $organizationId) {
    key enabled override { enabled organization { id } }
  }
}
"""
CLEAR = """
mutation Clear($key: String!, $organizationId: ID) {
  clearFeatureFlagOverride(key: $key, organizationId: $organizationId) { key enabled override { enabled } }
}
"""


async def test_a_club_overrides_a_flag_for_itself_only(admin: RunningService, club: Club) -> None:
    # given the platform defines a flag that is off by default
    defined = (
        await admin.graphql.execute(
            DEFINE,
            {"input": {"key": "advanced_analytics", "description": " Load trends and KPI reports "}},
            as_=club.platform,
        )
    ).ok()["defineFeatureFlag"]
    assert defined == {
        "key": "advanced_analytics",
        "description": "Load trends and KPI reports",
        "defaultEnabled": False,
        "enabled": False,
        "override": None,
    }
    # when the club administrator turns it on for their club
    turned_on = (
        await admin.graphql.execute(SET, {"key": "advanced_analytics", "enabled": True}, as_=club.club_admin)
    ).ok()["setFeatureFlagOverride"]
    assert turned_on["enabled"] is True
    assert turned_on["override"] == {"enabled": True, "organization": {"id": str(club.organization_id)}}
    # then everyone in the club sees it on, and another club still sees the default
    for caller in (club.coach, club.player):
        seen = (await admin.graphql.execute(FLAG, {"key": "advanced_analytics"}, as_=caller)).ok()
        assert seen["featureFlag"]["enabled"] is True
    elsewhere = (await admin.graphql.execute(FLAGS, as_=club.other_club_admin)).ok()["featureFlags"]
    assert [(flag["key"], flag["enabled"], flag["override"]) for flag in elsewhere] == [
        ("advanced_analytics", False, None)
    ]
    # when the club clears its override, the default applies again
    cleared = (await admin.graphql.execute(CLEAR, {"key": "advanced_analytics"}, as_=club.club_admin)).ok()[
        "clearFeatureFlagOverride"
    ]
    assert (cleared["enabled"], cleared["override"]) == (False, None)
    # and each change was published
    changes = [
        (event["change"], event["organization_id"], event["enabled"])
        for event in await outbox(admin, FEATURE_FLAG_CHANGED)
    ]
    assert changes == [
        ("defined", None, False),
        ("override_set", str(club.organization_id), True),
        ("override_cleared", str(club.organization_id), False),
    ]


async def test_the_platform_admin_changes_defaults_and_any_clubs_override(admin: RunningService, club: Club) -> None:
    await define_flag(admin, key="parent_payments")
    updated = (
        await admin.graphql.execute(
            UPDATE, {"key": "parent_payments", "input": {"defaultEnabled": True}}, as_=club.platform
        )
    ).ok()["updateFeatureFlag"]
    assert (updated["defaultEnabled"], updated["enabled"], updated["description"]) == (
        True,
        True,
        "A feature",
    )
    set_for_club = await admin.graphql.execute(
        SET,
        {"key": "parent_payments", "enabled": False, "organizationId": str(club.organization_id)},
        as_=club.platform,
    )
    assert set_for_club.ok()["setFeatureFlagOverride"]["enabled"] is False
    as_platform = (
        await admin.graphql.execute(FLAGS, {"organizationId": str(club.organization_id)}, as_=club.platform)
    ).ok()["featureFlags"]
    assert [flag["enabled"] for flag in as_platform] == [False]
    # without an organization the platform admin sees the defaults
    assert (await admin.graphql.execute(FLAGS, as_=club.platform)).ok()["featureFlags"][0]["enabled"] is True
    # and nobody can clear a description
    cleared = await admin.graphql.execute(
        UPDATE, {"key": "parent_payments", "input": {"description": None}}, as_=club.platform
    )
    assert cleared.error("BAD_USER_INPUT")["extensions"]["field"] == "description"


async def test_who_may_change_flags(admin: RunningService, club: Club) -> None:
    await define_flag(admin, key="live_training_sessions", default_enabled=True)
    define = await admin.graphql.execute(DEFINE, {"input": {"key": "mine", "description": "x"}}, as_=club.club_admin)
    assert define.codes == ["FORBIDDEN"]
    update = await admin.graphql.execute(
        UPDATE, {"key": "live_training_sessions", "input": {"defaultEnabled": False}}, as_=club.club_admin
    )
    assert update.codes == ["FORBIDDEN"]
    for caller in (club.coach, club.player):
        response = await admin.graphql.execute(SET, {"key": "live_training_sessions", "enabled": False}, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    other_club = await admin.graphql.execute(
        SET,
        {"key": "live_training_sessions", "enabled": False, "organizationId": str(club.organization_id)},
        as_=club.other_club_admin,
    )
    assert other_club.codes == ["FORBIDDEN"]
    peek = await admin.graphql.execute(
        FLAGS, {"organizationId": str(club.other_club_admin.organization_id)}, as_=club.coach
    )
    assert peek.codes == ["FORBIDDEN"]
    assert (await admin.graphql.execute(FLAGS)).codes == ["UNAUTHENTICATED"]


async def test_flag_input_errors_are_typed(admin: RunningService, club: Club) -> None:
    await define_flag(admin, key="chat.read_receipts")
    for key in ("Live", "a..b", "1abc", "trailing.", "with space", "x" * 101, ""):
        response = await admin.graphql.execute(DEFINE, {"input": {"key": key, "description": "x"}}, as_=club.platform)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "key", key
    empty = await admin.graphql.execute(DEFINE, {"input": {"key": "ok", "description": " "}}, as_=club.platform)
    assert empty.error("BAD_USER_INPUT")["extensions"]["field"] == "description"
    duplicate = await admin.graphql.execute(
        DEFINE, {"input": {"key": "chat.read_receipts", "description": "again"}}, as_=club.platform
    )
    assert duplicate.error("CONFLICT")["extensions"]["field"] == "key"
    unknown = await admin.graphql.execute(FLAG, {"key": "no_such_flag"}, as_=club.coach)
    assert unknown.codes == ["NOT_FOUND"]
    unknown_set = await admin.graphql.execute(SET, {"key": "no_such_flag", "enabled": True}, as_=club.club_admin)
    assert unknown_set.codes == ["NOT_FOUND"]
    bad_org = await admin.graphql.execute(FLAGS, {"organizationId": "nope"}, as_=club.platform)
    assert bad_org.error("BAD_USER_INPUT")["extensions"]["field"] == "organizationId"


async def test_concurrent_overrides_settle_on_one_row(admin: RunningService, club: Club) -> None:
    await define_flag(admin, key="calendar.ice_time_requests")
    responses = await asyncio.gather(
        *(
            admin.graphql.execute(
                SET, {"key": "calendar.ice_time_requests", "enabled": n % 2 == 0}, as_=club.club_admin
            )
            for n in range(6)
        )
    )
    assert all(not response.errors for response in responses)
    flags = (await admin.graphql.execute(FLAGS, as_=club.coach)).ok()["featureFlags"]
    assert flags[0]["override"]["enabled"] in (True, False)


async def test_listing_flags_is_one_statement(admin: RunningService, club: Club) -> None:
    for n in range(12):
        await define_flag(admin, key=f"feature_{n:02d}")
        if n % 3 == 0:
            response = await admin.graphql.execute(
                SET, {"key": f"feature_{n:02d}", "enabled": True}, as_=club.club_admin
            )
            response.ok()
    with count_statements(admin.engine) as log:
        flags = (await admin.graphql.execute(FLAGS, as_=club.coach)).ok()["featureFlags"]
    assert [flag["key"] for flag in flags] == [f"feature_{n:02d}" for n in range(12)]
    assert [flag["enabled"] for flag in flags] == [n % 3 == 0 for n in range(12)]
    assert log.count == 1
