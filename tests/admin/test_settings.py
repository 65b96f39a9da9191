"""Organization settings through GraphQL over HTTP: typed values, defaults, the cache, who may write."""

from __future__ import annotations

from typing import Any

from subgraphs.admin import service as admin_service
from subgraphs.admin.events import ORGANIZATION_SETTING_CHANGED
from tests.admin.conftest import Club
from tests.admin.factories import outbox
from tests.support.principals import platform_admin
from tests.support.services import RunningService
from tests.support.statements import count_statements

SETTINGS = """
query Settings($organizationId: ID) {
  organizationSettings(organizationId: $organizationId) {
    key valueType value defaultValue isDefault allowedValues minimum maximum updatedAt description
  }
}
"""
SETTING = """
query Setting($key: String!) { organizationSetting(key: $key) { key value isDefault } }
"""
SET = """
mutation Set($key: String!, $value: JSON!, $organizationId: ID) {
  setOrganizationSetting(key: $key, value: $value, organizationId: $organizationId) {
    key value isDefault updatedAt
  }
}
"""
RESET = "mutation Reset($key: String!) { resetOrganizationSetting(key: $key) { key value isDefault } }"


async def _values(admin: RunningService, caller: Any) -> dict[str, Any]:
    settings = (await admin.graphql.execute(SETTINGS, as_=caller)).ok()["organizationSettings"]
    return {setting["key"]: setting["value"] for setting in settings}


async def test_every_member_reads_the_settings_with_defaults(admin: RunningService, club: Club) -> None:
    settings = (await admin.graphql.execute(SETTINGS, as_=club.player)).ok()["organizationSettings"]
    by_key = {setting["key"]: setting for setting in settings}
    assert by_key["season_start_month"] == {
        "key": "season_start_month",
        "valueType": "INTEGER",
        "value": 8,
        "defaultValue": 8,
        "isDefault": True,
        "allowedValues": None,
        "minimum": 1,
        "maximum": 12,
        "updatedAt": None,
        "description": by_key["season_start_month"]["description"],
    }
    assert by_key["week_start_day"]["allowedValues"][0] == "monday"
    assert {"locale", "default_practice_minutes", "time_format", "wellness_reminders"} <= set(by_key)
    assert all(setting["description"] for setting in settings)


async def test_a_write_is_visible_at_once_through_the_cache(admin: RunningService, club: Club) -> None:
    # given the settings were read, so the cache holds them
    assert (await _values(admin, club.coach))["default_practice_minutes"] == 90
    with count_statements(admin.engine) as cached_read:
        assert (await _values(admin, club.player))["default_practice_minutes"] == 90
    assert cached_read.count == 0  # served from the cache
    # when the club administrator changes two settings
    changed = (
        await admin.graphql.execute(SET, {"key": "default_practice_minutes", "value": 75}, as_=club.club_admin)
    ).ok()["setOrganizationSetting"]
    assert (changed["value"], changed["isDefault"]) == (75, False)
    assert changed["updatedAt"] is not None
    await admin.graphql.execute(SET, {"key": "week_start_day", "value": " Sunday "}, as_=club.club_admin)
    # then the next read, by anyone in the club, sees the new values
    values = await _values(admin, club.coach)
    assert (values["default_practice_minutes"], values["week_start_day"]) == (75, "sunday")
    single = (await admin.graphql.execute(SETTING, {"key": "week_start_day"}, as_=club.player)).ok()
    assert single["organizationSetting"] == {"key": "week_start_day", "value": "sunday", "isDefault": False}
    # and a reset is visible at once too
    reset = (await admin.graphql.execute(RESET, {"key": "default_practice_minutes"}, as_=club.club_admin)).ok()
    assert reset["resetOrganizationSetting"] == {
        "key": "default_practice_minutes",
        "value": 90,
        "isDefault": True,
    }
    assert (await _values(admin, club.player))["default_practice_minutes"] == 90
    # another club is untouched
    assert (await _values(admin, club.other_club_admin))["week_start_day"] == "monday"
    events = await outbox(admin, ORGANIZATION_SETTING_CHANGED)
    assert [(event["key"], event["value"], event["is_default"]) for event in events] == [
        ("default_practice_minutes", 75, False),
        ("week_start_day", "sunday", False),
        ("default_practice_minutes", 90, True),
    ]


async def test_values_are_checked_per_setting(admin: RunningService, club: Club) -> None:
    for key, value in (
        ("season_start_month", 13),
        ("season_start_month", 0),
        ("season_start_month", "8"),
        ("season_start_month", True),
        ("season_start_month", 7.5),
        ("default_practice_minutes", 5),
        ("locale", "swedish"),
        ("locale", ""),
        ("week_start_day", "funday"),
        ("time_format", 24),
        ("wellness_reminders", "yes"),
        ("measurement_system", {"system": "metric"}),
    ):
        response = await admin.graphql.execute(SET, {"key": key, "value": value}, as_=club.club_admin)
        assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "value", (key, value)
    unknown = await admin.graphql.execute(SET, {"key": "favourite_colour", "value": "red"}, as_=club.club_admin)
    assert unknown.error("BAD_USER_INPUT")["extensions"]["field"] == "key"
    unknown_read = await admin.graphql.execute(SETTING, {"key": "nope"}, as_=club.coach)
    assert unknown_read.error("BAD_USER_INPUT")["extensions"]["field"] == "key"
    accepted = await admin.graphql.execute(SET, {"key": "locale", "value": "sv-SE"}, as_=club.club_admin)
    assert accepted.ok()["setOrganizationSetting"]["value"] == "sv-SE"
    assert (await _values(admin, club.coach))["season_start_month"] == 8  # nothing half-written


async def test_who_may_read_and_write_settings(admin: RunningService, club: Club) -> None:
    for caller in (club.coach, club.player):
        response = await admin.graphql.execute(SET, {"key": "locale", "value": "fi-FI"}, as_=caller)
        assert response.codes == ["FORBIDDEN"]
    other = await admin.graphql.execute(
        SET,
        {"key": "locale", "value": "fi-FI", "organizationId": str(club.organization_id)},
        as_=club.other_club_admin,
    )
    assert other.codes == ["FORBIDDEN"]
    peek = await admin.graphql.execute(
        SETTINGS, {"organizationId": str(club.organization_id)}, as_=club.other_club_admin
    )
    assert peek.codes == ["FORBIDDEN"]
    # the platform administrator names the organization
    unnamed = await admin.graphql.execute(SETTINGS, as_=platform_admin())
    assert unnamed.error("BAD_USER_INPUT")["extensions"]["field"] == "organizationId"
    named = await admin.graphql.execute(
        SET,
        {"key": "locale", "value": "fi-FI", "organizationId": str(club.organization_id)},
        as_=platform_admin(),
    )
    assert named.ok()["setOrganizationSetting"]["value"] == "fi-FI"
    assert (await _values(admin, club.player))["locale"] == "fi-FI"
    assert (await admin.graphql.execute(SETTINGS)).codes == ["UNAUTHENTICATED"]


async def test_a_read_during_the_write_does_not_leave_stale_values(admin: RunningService, club: Club) -> None:
    # given a club administrator's change that is written but not yet committed
    async with admin.runtime.sessions() as session, session.begin():
        await admin_service.set_organization_setting(
            session, club.club_admin, admin.runtime.cache, key="time_format", value="12h"
        )
        # when someone reads meanwhile, caching the committed (old) values
        assert (await _values(admin, club.coach))["time_format"] == "24h"
    await admin_service.drain_invalidations()
    # then once the change commits, readers see it rather than the cached old value
    assert (await _values(admin, club.player))["time_format"] == "12h"
