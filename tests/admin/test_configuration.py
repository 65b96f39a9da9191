"""Settings at four scopes resolved most specific first (user, team, club, system, default), and the
platform's announcements to everyone signed in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from shared.auth.principal import Principal, Role
from tests.admin.conftest import Club
from tests.support.principals import principal
from tests.support.services import RunningService

KEY = "default_practice_minutes"  # 90 by default

RESOLVED = """
query Resolved($key: String!, $teamId: ID, $userId: ID) {
  resolvedSetting(key: $key, teamId: $teamId, userId: $userId) { key value scope defaultValue }
}
"""
SET_SYSTEM = (
    "mutation System($key: String!, $value: JSON!) { setSystemSetting(key: $key, value: $value) { value scope } }"
)
SET_CLUB = """
mutation Club($key: String!, $value: JSON!) { setOrganizationSetting(key: $key, value: $value) { value } }
"""
SET_TEAM = """
mutation Team($teamId: ID!, $key: String!, $value: JSON!) {
  setTeamSetting(teamId: $teamId, key: $key, value: $value) { value scope }
}
"""
SET_MINE = "mutation Mine($key: String!, $value: JSON!) { setMySetting(key: $key, value: $value) { value scope } }"
ANNOUNCE = """
mutation Announce($input: CreateSystemAnnouncementInput!) {
  createSystemAnnouncement(input: $input) { id title body startsAt endsAt }
}
"""
ANNOUNCEMENTS = "query Announcements { systemAnnouncements { id title } }"


async def test_the_most_specific_scope_wins(admin: RunningService, club: Club) -> None:
    team, other_team = uuid.uuid4(), uuid.uuid4()
    coach = principal(Role.COACH, organization_id=club.organization_id, teams=[team])
    player = principal(Role.PLAYER, organization_id=club.organization_id, teams=[team])

    async def resolved(as_: Principal = coach, team_id: uuid.UUID | None = team, **more: str) -> tuple[object, str]:
        variables = {"key": KEY, "teamId": str(team_id) if team_id else None, **more}
        data = (await admin.graphql.execute(RESOLVED, variables, as_=as_)).ok()["resolvedSetting"]
        assert data["defaultValue"] == 90
        return data["value"], data["scope"]

    # nothing set: the default
    assert await resolved() == (90, "DEFAULT")
    # the platform's value beats the default
    (await admin.graphql.execute(SET_SYSTEM, {"key": KEY, "value": 100}, as_=club.platform)).ok()
    assert await resolved() == (100, "SYSTEM")
    # the club's beats the platform's, for this club only
    (await admin.graphql.execute(SET_CLUB, {"key": KEY, "value": 80}, as_=club.club_admin)).ok()
    assert await resolved() == (80, "ORGANIZATION")
    assert await resolved(club.other_club_admin, None) == (100, "SYSTEM")
    # the team's beats the club's, for that team only
    team_value = await admin.graphql.execute(SET_TEAM, {"teamId": str(team), "key": KEY, "value": 70}, as_=coach)
    assert team_value.ok()["setTeamSetting"] == {"value": 70, "scope": "TEAM"}
    assert await resolved() == (70, "TEAM")
    assert await resolved(club.club_admin, other_team) == (80, "ORGANIZATION")
    # the user's own beats the team's, for that user only
    (await admin.graphql.execute(SET_MINE, {"key": KEY, "value": 60}, as_=player)).ok()
    assert await resolved(player) == (60, "USER")
    assert await resolved() == (70, "TEAM")
    # and a club administrator sees what a member gets
    assert await resolved(club.club_admin, team, userId=str(player.user_id)) == (60, "USER")


async def test_who_may_set_and_read_each_scope(admin: RunningService, club: Club) -> None:
    team = uuid.uuid4()
    coach = principal(Role.COACH, organization_id=club.organization_id, teams=[team])
    set_team = {"teamId": str(team), "key": KEY, "value": 70}
    assert (await admin.graphql.execute(SET_SYSTEM, {"key": KEY, "value": 70}, as_=club.club_admin)).codes == [
        "FORBIDDEN"
    ]
    assert (await admin.graphql.execute(SET_TEAM, set_team, as_=club.player)).codes == ["FORBIDDEN"]
    assert (await admin.graphql.execute(SET_TEAM, set_team, as_=club.coach)).codes == ["FORBIDDEN"]  # not his team
    (await admin.graphql.execute(SET_TEAM, set_team, as_=coach)).ok()
    # a value another club writes under the team's id stays that club's: this club's team is untouched
    elsewhere = await admin.graphql.execute(SET_TEAM, {**set_team, "value": 30}, as_=club.other_club_admin)
    assert elsewhere.ok()["setTeamSetting"] == {"value": 30, "scope": "TEAM"}
    seen = await admin.graphql.execute(RESOLVED, {"key": KEY, "teamId": str(team)}, as_=coach)
    assert seen.ok()["resolvedSetting"]["value"] == 70
    # members read their own teams and themselves only
    peek = {"key": KEY, "teamId": str(team)}
    assert (await admin.graphql.execute(RESOLVED, peek, as_=club.player)).codes == ["FORBIDDEN"]
    someone = {"key": KEY, "userId": str(coach.user_id)}
    assert (await admin.graphql.execute(RESOLVED, someone, as_=club.player)).codes == ["FORBIDDEN"]
    # and values are checked against the setting's rules
    wrong = await admin.graphql.execute(SET_MINE, {"key": KEY, "value": 5}, as_=club.player)
    assert wrong.error("BAD_USER_INPUT")["extensions"]["field"] == "value"
    unknown = await admin.graphql.execute(RESOLVED, {"key": "shoe_size"}, as_=club.player)
    assert unknown.error("BAD_USER_INPUT")["extensions"]["field"] == "key"


async def test_announcements_show_between_their_start_and_end_to_everyone_signed_in(
    admin: RunningService, club: Club
) -> None:
    now = datetime.now(UTC)
    showing = {"title": "Maintenance tonight", "body": "The platform is down 02:00-02:30 UTC."}
    over = {
        "title": "Old news",
        "body": "Done.",
        "startsAt": (now - timedelta(days=2)).isoformat(),
        "endsAt": (now - timedelta(days=1)).isoformat(),
    }
    later = {"title": "Next season", "body": "Soon.", "startsAt": (now + timedelta(days=1)).isoformat()}
    created = []
    for announcement in (showing, over, later):
        answer = await admin.graphql.execute(ANNOUNCE, {"input": announcement}, as_=club.platform)
        created.append(answer.ok()["createSystemAnnouncement"])
    for reader in (club.player, club.coach, club.other_club_admin):
        listed = (await admin.graphql.execute(ANNOUNCEMENTS, as_=reader)).ok()["systemAnnouncements"]
        assert listed == [{"id": created[0]["id"], "title": "Maintenance tonight"}]
    assert (await admin.graphql.execute(ANNOUNCEMENTS)).codes == ["UNAUTHENTICATED"]
    refused = await admin.graphql.execute(ANNOUNCE, {"input": showing}, as_=club.club_admin)
    assert refused.codes == ["FORBIDDEN"]
    backwards = {**showing, "startsAt": now.isoformat(), "endsAt": (now - timedelta(hours=1)).isoformat()}
    bad = await admin.graphql.execute(ANNOUNCE, {"input": backwards}, as_=club.platform)
    assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "input.endsAt"
    empty = await admin.graphql.execute(ANNOUNCE, {"input": {**showing, "title": " "}}, as_=club.platform)
    assert empty.error("BAD_USER_INPUT")["extensions"]["field"] == "input.title"


ORGANIZATION_SETTING = """
query ClubSetting($key: String!) { organizationSetting(key: $key) { value defaultValue isDefault } }
"""
RESET_CLUB = "mutation Reset($key: String!) { resetOrganizationSetting(key: $key) { value isDefault } }"


async def test_the_platforms_value_is_every_clubs_fallback(admin: RunningService, club: Club) -> None:
    # given a club reading its setting once (so it is cached), then the platform changing its value
    before = (await admin.graphql.execute(ORGANIZATION_SETTING, {"key": KEY}, as_=club.club_admin)).ok()
    assert before["organizationSetting"] == {"value": 90, "defaultValue": 90, "isDefault": True}
    (await admin.graphql.execute(SET_SYSTEM, {"key": KEY, "value": 100}, as_=club.platform)).ok()
    # then the club's settings show the platform's value as theirs and as the default, at once
    after = (await admin.graphql.execute(ORGANIZATION_SETTING, {"key": KEY}, as_=club.club_admin)).ok()
    assert after["organizationSetting"] == {"value": 100, "defaultValue": 100, "isDefault": True}
    # and a club that sets its own, then resets it, falls back to the platform's value
    (await admin.graphql.execute(SET_CLUB, {"key": KEY, "value": 80}, as_=club.club_admin)).ok()
    reset = (await admin.graphql.execute(RESET_CLUB, {"key": KEY}, as_=club.club_admin)).ok()
    assert reset["resetOrganizationSetting"] == {"value": 100, "isDefault": True}


RESET_SYSTEM = "mutation ResetSystem($key: String!) { resetSystemSetting(key: $key) { value scope } }"
RESET_TEAM = """
mutation ResetTeam($teamId: ID!, $key: String!) { resetTeamSetting(teamId: $teamId, key: $key) { value scope } }
"""
RESET_MINE = """
mutation ResetMine($key: String!, $teamId: ID) { resetMySetting(key: $key, teamId: $teamId) { value scope } }
"""


async def test_a_reset_falls_back_to_the_next_scope(admin: RunningService, club: Club) -> None:
    team = uuid.uuid4()
    coach = principal(Role.COACH, organization_id=club.organization_id, teams=[team])
    player = principal(Role.PLAYER, organization_id=club.organization_id, teams=[team])
    # given a value at every scope
    (await admin.graphql.execute(SET_SYSTEM, {"key": KEY, "value": 100}, as_=club.platform)).ok()
    (await admin.graphql.execute(SET_CLUB, {"key": KEY, "value": 80}, as_=club.club_admin)).ok()
    (await admin.graphql.execute(SET_TEAM, {"teamId": str(team), "key": KEY, "value": 70}, as_=coach)).ok()
    (await admin.graphql.execute(SET_MINE, {"key": KEY, "value": 60}, as_=player)).ok()

    async def resolved(as_: Principal) -> tuple[object, str]:
        data = await admin.graphql.execute(RESOLVED, {"key": KEY, "teamId": str(team)}, as_=as_)
        answer = data.ok()["resolvedSetting"]
        return answer["value"], answer["scope"]

    # when the player drops their own, they get the team's (and the answer says so)
    mine = await admin.graphql.execute(RESET_MINE, {"key": KEY, "teamId": str(team)}, as_=player)
    assert mine.ok()["resetMySetting"] == {"value": 70, "scope": "TEAM"}
    assert await resolved(player) == (70, "TEAM")
    # a player may not drop the team's; its coach may, and the team gets the club's
    assert (await admin.graphql.execute(RESET_TEAM, {"teamId": str(team), "key": KEY}, as_=player)).codes == [
        "FORBIDDEN"
    ]
    dropped = await admin.graphql.execute(RESET_TEAM, {"teamId": str(team), "key": KEY}, as_=coach)
    assert dropped.ok()["resetTeamSetting"] == {"value": 80, "scope": "ORGANIZATION"}
    # the club's reset leaves the platform's; the platform's reset (theirs alone) leaves the default
    (await admin.graphql.execute(RESET_CLUB, {"key": KEY}, as_=club.club_admin)).ok()
    assert await resolved(player) == (100, "SYSTEM")
    assert (await admin.graphql.execute(RESET_SYSTEM, {"key": KEY}, as_=club.club_admin)).codes == ["FORBIDDEN"]
    system = await admin.graphql.execute(RESET_SYSTEM, {"key": KEY}, as_=club.platform)
    assert system.ok()["resetSystemSetting"] == {"value": 90, "scope": "DEFAULT"}
    assert await resolved(coach) == (90, "DEFAULT")
    # and resetting what is not set changes nothing
    again = await admin.graphql.execute(RESET_MINE, {"key": KEY}, as_=player)
    assert again.ok()["resetMySetting"] == {"value": 90, "scope": "DEFAULT"}
    unknown = await admin.graphql.execute(RESET_MINE, {"key": "shoe_size"}, as_=player)
    assert unknown.error("BAD_USER_INPUT")["extensions"]["field"] == "key"


EDIT = """
mutation Edit($id: ID!, $input: UpdateSystemAnnouncementInput!) {
  updateSystemAnnouncement(id: $id, input: $input) { id title body startsAt endsAt updatedAt status }
}
"""
WITHDRAW = "mutation Withdraw($id: ID!) { withdrawSystemAnnouncement(id: $id) { id status withdrawnAt } }"
EVERY_ANNOUNCEMENT = "query Every { systemAnnouncements(includeInactive: true) { id status } }"


async def test_an_announcement_is_corrected_rescheduled_and_withdrawn(admin: RunningService, club: Club) -> None:
    now = datetime.now(UTC)
    made = await admin.graphql.execute(
        ANNOUNCE, {"input": {"title": "Maintenance", "body": "Tonight."}}, as_=club.platform
    )
    announcement = made.ok()["createSystemAnnouncement"]["id"]

    async def showing() -> list[str]:
        listed = (await admin.graphql.execute(ANNOUNCEMENTS, as_=club.player)).ok()["systemAnnouncements"]
        return [item["id"] for item in listed]

    async def every() -> dict[str, str]:
        listed = (await admin.graphql.execute(EVERY_ANNOUNCEMENT, as_=club.platform)).ok()["systemAnnouncements"]
        return {item["id"]: item["status"] for item in listed}

    # a correction of the body keeps it showing, marked as edited
    corrected = await admin.graphql.execute(
        EDIT, {"id": announcement, "input": {"body": "Tonight, 02:00-02:30 UTC."}}, as_=club.platform
    )
    edited = corrected.ok()["updateSystemAnnouncement"]
    assert (edited["title"], edited["body"], edited["status"]) == (
        "Maintenance",
        "Tonight, 02:00-02:30 UTC.",
        "SHOWING",
    )
    assert edited["updatedAt"] is not None
    assert await showing() == [announcement]
    # moved to tomorrow, it leaves the members' list and stays in the operators' one as scheduled
    tomorrow = {"startsAt": (now + timedelta(days=1)).isoformat(), "endsAt": (now + timedelta(days=2)).isoformat()}
    moved = await admin.graphql.execute(EDIT, {"id": announcement, "input": tomorrow}, as_=club.platform)
    assert moved.ok()["updateSystemAnnouncement"]["status"] == "SCHEDULED"
    assert await showing() == []
    assert (await every())[announcement] == "SCHEDULED"
    # an end before the start, a cleared title and another club's administrator are refused
    backwards = {"endsAt": now.isoformat()}
    bad = await admin.graphql.execute(EDIT, {"id": announcement, "input": backwards}, as_=club.platform)
    assert bad.error("BAD_USER_INPUT")["extensions"]["field"] == "input.endsAt"
    cleared = await admin.graphql.execute(EDIT, {"id": announcement, "input": {"title": None}}, as_=club.platform)
    assert cleared.error("BAD_USER_INPUT")["extensions"]["field"] == "input.title"
    assert (await admin.graphql.execute(EDIT, {"id": announcement, "input": {}}, as_=club.club_admin)).codes == [
        "FORBIDDEN"
    ]
    assert (await admin.graphql.execute(EVERY_ANNOUNCEMENT, as_=club.club_admin)).codes == ["FORBIDDEN"]
    # brought back to now with no end, it shows again
    back = {"startsAt": now.isoformat(), "endsAt": None}
    restored = await admin.graphql.execute(EDIT, {"id": announcement, "input": back}, as_=club.platform)
    assert restored.ok()["updateSystemAnnouncement"]["endsAt"] is None
    assert await showing() == [announcement]
    # withdrawn, it is gone for members, kept for the operators, and no longer editable
    withdrawn = (await admin.graphql.execute(WITHDRAW, {"id": announcement}, as_=club.platform)).ok()
    assert withdrawn["withdrawSystemAnnouncement"]["status"] == "WITHDRAWN"
    assert await showing() == []
    assert (await every())[announcement] == "WITHDRAWN"
    twice = (await admin.graphql.execute(WITHDRAW, {"id": announcement}, as_=club.platform)).ok()
    assert twice == withdrawn
    late = await admin.graphql.execute(EDIT, {"id": announcement, "input": {"body": "x"}}, as_=club.platform)
    assert late.codes == ["CONFLICT"]
    missing = await admin.graphql.execute(WITHDRAW, {"id": str(uuid.uuid4())}, as_=club.platform)
    assert missing.codes == ["NOT_FOUND"]
