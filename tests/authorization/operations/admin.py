"""The admin service's operations: feature flags, organization settings, system health.

Fields that take an optional `organizationId` are asked about this club by name: the platform
administrator must name one, and another club's people try this one.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.authorization.cases import Case, Operation, Variables
from tests.authorization.table import Caller

DEMO_FLAG = "advanced_analytics"
SETTING = "default_practice_minutes"
FLAG = "{ key enabled defaultEnabled }"
OVERRIDE = (
    f"mutation Override($key: String!, $enabled: Boolean!, $organizationId: ID) {{ setFeatureFlagOverride("
    f"key: $key, enabled: $enabled, organizationId: $organizationId) {FLAG} }}"
)
DEFINE = f"mutation Define($input: DefineFeatureFlagInput!) {{ defineFeatureFlag(input: $input) {FLAG} }}"


def _flag_input() -> Variables:
    return {"key": f"matrix_{uuid.uuid4().hex[:10]}", "description": "A flag the matrix defines."}


async def _club(case: Case) -> Variables:
    return {"organizationId": case.organization_id}


async def _flag(case: Case) -> Variables:
    return {"key": DEMO_FLAG, "organizationId": case.organization_id}


async def _setting(case: Case) -> Variables:
    return {"key": SETTING, "organizationId": case.organization_id}


async def _define(case: Case) -> Variables:
    return {"input": _flag_input()}


async def _update_flag(case: Case) -> Variables:
    made = await case.setup("admin", DEFINE, {"input": _flag_input()}, as_=Caller.PLATFORM_ADMIN)
    return {"key": made["defineFeatureFlag"]["key"], "input": {"description": "Still an experiment."}}


async def _override(case: Case) -> Variables:
    # the demo club already turns this flag on: the write is real, the outcome unchanged
    return {"key": DEMO_FLAG, "enabled": True, "organizationId": case.organization_id}


async def _clear(case: Case) -> Variables:
    await case.setup("admin", OVERRIDE, await _override(case), as_=Caller.PLATFORM_ADMIN)
    return {"key": DEMO_FLAG, "organizationId": case.organization_id}


async def _set_setting(case: Case) -> Variables:
    return {"key": SETTING, "value": 90, "organizationId": case.organization_id}


def _listed(data: Any) -> bool:
    """Dead letters are an answer even when there are none: a list, where a refusal has none."""
    return isinstance(data, dict) and any(isinstance(value, list) for value in data.values())


def _health(data: Any) -> bool:
    return isinstance(data, dict) and bool(data.get("systemHealth", {}).get("services"))


async def _team(case: Case) -> Variables:
    return {"teamId": case.team_id}


async def _announcement(case: Case) -> Variables:
    made = await case.setup(
        "admin",
        'mutation Announce { createSystemAnnouncement(input: {title: "Maintenance", body: "Tonight."}) { id } }',
        {},
        as_=Caller.PLATFORM_ADMIN,
    )
    return {"id": made["createSystemAnnouncement"]["id"]}


def _trail(data: Any) -> bool:
    """An audit trail is an answer even when the club's is empty: its list of entries."""
    return isinstance(data, dict) and isinstance((data.get("auditTrail") or {}).get("entries"), list)


OPERATIONS = {
    "Query.featureFlags": Operation(
        f"query Flags($organizationId: ID) {{ featureFlags(organizationId: $organizationId) {FLAG} }}", _club
    ),
    "Query.featureFlag": Operation(
        f"query Flag($key: String!, $organizationId: ID) {{ featureFlag(key: $key, organizationId: $organizationId) "
        f"{FLAG} }}",
        _flag,
    ),
    "Query.organizationSettings": Operation(
        "query Settings($organizationId: ID) { organizationSettings(organizationId: $organizationId) { key value } }",
        _club,
    ),
    "Query.organizationSetting": Operation(
        "query Setting($key: String!, $organizationId: ID) { organizationSetting(key: $key, organizationId: "
        "$organizationId) { key value } }",
        _setting,
    ),
    "Query.organizationPlan": Operation(
        "query Plan($organizationId: ID) { organizationPlan(organizationId: $organizationId) { name maxTeams } }",
        _club,
    ),
    "Query.systemHealth": Operation(
        "query Health { systemHealth { status services { name status } } }", substance=_health
    ),
    "Query.deadLetters": Operation("query Dead { deadLetters { eventId type attempts } }", substance=_listed),
    "Query.auditTrail": Operation(
        'query Trail($organizationId: ID) { auditTrail(filter: {organizationId: $organizationId, service: "admin"}) '
        "{ entries { service action } } }",
        _club,
        substance=_trail,
    ),
    "Query.resolvedSetting": Operation('query Resolved { resolvedSetting(key: "locale") { key value scope } }'),
    "Query.systemAnnouncements": Operation(
        "query Announcements { systemAnnouncements { id title } }", substance=_listed
    ),
    "Mutation.setSystemSetting": Operation(
        'mutation System { setSystemSetting(key: "locale", value: "sv-SE") { value scope } }'
    ),
    "Mutation.setTeamSetting": Operation(
        'mutation Team($teamId: ID!) { setTeamSetting(teamId: $teamId, key: "time_format", value: "12h") '
        "{ value scope } }",
        _team,
    ),
    "Mutation.setMySetting": Operation(
        'mutation Mine { setMySetting(key: "measurement_system", value: "imperial") { value scope } }'
    ),
    "Mutation.createSystemAnnouncement": Operation(
        'mutation Announce { createSystemAnnouncement(input: {title: "Maintenance", body: "Tonight."}) { id title } }'
    ),
    "Mutation.updateSystemAnnouncement": Operation(
        'mutation Reword($id: ID!) { updateSystemAnnouncement(id: $id, input: {body: "Tonight, 02:00."}) { id body } }',
        _announcement,
    ),
    "Mutation.withdrawSystemAnnouncement": Operation(
        "mutation Withdraw($id: ID!) { withdrawSystemAnnouncement(id: $id) { id status } }", _announcement
    ),
    "Mutation.resetSystemSetting": Operation('mutation System { resetSystemSetting(key: "locale") { value scope } }'),
    "Mutation.resetTeamSetting": Operation(
        'mutation Team($teamId: ID!) { resetTeamSetting(teamId: $teamId, key: "time_format") { value scope } }',
        _team,
    ),
    "Mutation.resetMySetting": Operation('mutation Mine { resetMySetting(key: "measurement_system") { value scope } }'),
    "Mutation.replayDeadLetters": Operation(
        'mutation Replay { replayDeadLetters(service: "training", eventIds: []) }', substance=_listed
    ),
    "Mutation.defineFeatureFlag": Operation(DEFINE, _define),
    "Mutation.updateFeatureFlag": Operation(
        f"mutation Describe($key: String!, $input: UpdateFeatureFlagInput!) {{ updateFeatureFlag(key: $key, "
        f"input: $input) {FLAG} }}",
        _update_flag,
    ),
    "Mutation.setFeatureFlagOverride": Operation(OVERRIDE, _override),
    "Mutation.clearFeatureFlagOverride": Operation(
        f"mutation Clear($key: String!, $organizationId: ID) {{ clearFeatureFlagOverride(key: $key, organizationId: "
        f"$organizationId) {FLAG} }}",
        _clear,
    ),
    "Mutation.setOrganizationSetting": Operation(
        "mutation Set($key: String!, $value: JSON!, $organizationId: ID) { setOrganizationSetting(key: $key, "
        "value: $value, organizationId: $organizationId) { key value } }",
        _set_setting,
    ),
    "Mutation.resetOrganizationSetting": Operation(
        "mutation Reset($key: String!, $organizationId: ID) { resetOrganizationSetting(key: $key, organizationId: "
        "$organizationId) { key value } }",
        _setting,
    ),
}
