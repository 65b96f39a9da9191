"""Settings at four scopes, resolved most specific first (user, team, organization, system, then the
catalog's default), and the platform's announcements to everyone signed in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.cache import Cache
from shared.database import utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from subgraphs.admin import repository, service
from subgraphs.admin.catalog import SettingDefinition, definition
from subgraphs.admin.models import (
    ANNOUNCEMENT_BODY_MAX_LENGTH,
    ANNOUNCEMENT_TITLE_MAX_LENGTH,
    SystemAnnouncement,
)


class SettingScope(StrEnum):
    USER = "user"
    TEAM = "team"
    ORGANIZATION = "organization"
    SYSTEM = "system"
    DEFAULT = "default"
    """No scope set one: the catalog's default."""


@dataclass(frozen=True, slots=True)
class ScopedValue:
    definition: SettingDefinition
    value: Any
    scope: SettingScope


def _is_club_admin(actor: Principal) -> bool:
    return actor.has_role(Role.CLUB_ADMIN)


def _check_team_reader(actor: Principal, team_id: uuid.UUID | None) -> None:
    if team_id is not None and not (actor.in_team(team_id) or _is_club_admin(actor)):
        raise Forbidden("only the team's members look at its settings", field="teamId")


def _may_set_team(actor: Principal, team_id: uuid.UUID) -> bool:
    return _is_club_admin(actor) or (actor.has_role(Role.COACH, Role.ASSISTANT_COACH) and actor.in_team(team_id))


async def set_system_setting(
    session: AsyncSession, actor: Principal, cache: Cache, *, key: str, value: Any
) -> ScopedValue:
    """The value every club gets until it (or a team, or a user) sets its own (platform administrators)."""
    if not actor.is_platform_admin:
        raise Forbidden("only platform administrators change the system's settings")
    setting = definition(key)
    row = await repository.upsert_system_setting(
        session, key=setting.key, value=setting.validate(value), user_id=actor.user_id
    )
    await service.invalidate_system_values(session, cache)
    return ScopedValue(setting, row.value, SettingScope.SYSTEM)


async def set_team_setting(
    session: AsyncSession, actor: Principal, *, team_id: uuid.UUID, key: str, value: Any
) -> ScopedValue:
    """A team's own value: set by a club administrator, or by the team's coaches."""
    organization = actor.require_organization()
    if not _may_set_team(actor, team_id):
        raise Forbidden("only the club's administrators and the team's coaches change a team's settings")
    setting = definition(key)
    row = await repository.upsert_member_setting(
        session,
        scope=SettingScope.TEAM,
        subject_id=team_id,
        organization_id=organization,
        key=setting.key,
        value=setting.validate(value),
        user_id=actor.user_id,
    )
    return ScopedValue(setting, row.value, SettingScope.TEAM)


async def set_my_setting(session: AsyncSession, actor: Principal, *, key: str, value: Any) -> ScopedValue:
    """The caller's own value, which wins over every other scope for them."""
    organization = actor.require_organization()
    if actor.user_id is None:
        raise Forbidden("only a signed-in user has settings of their own")
    setting = definition(key)
    row = await repository.upsert_member_setting(
        session,
        scope=SettingScope.USER,
        subject_id=actor.user_id,
        organization_id=organization,
        key=setting.key,
        value=setting.validate(value),
        user_id=actor.user_id,
    )
    return ScopedValue(setting, row.value, SettingScope.USER)


async def reset_system_setting(session: AsyncSession, actor: Principal, cache: Cache, *, key: str) -> ScopedValue:
    """Drop the platform's value: clubs without their own get the catalog's default again."""
    if not actor.is_platform_admin:
        raise Forbidden("only platform administrators change the system's settings")
    setting = definition(key)
    if await repository.delete_system_setting(session, setting.key):
        await service.invalidate_system_values(session, cache)
    return ScopedValue(setting, setting.default, SettingScope.DEFAULT)


async def reset_team_setting(
    session: AsyncSession, actor: Principal, cache: Cache, *, team_id: uuid.UUID, key: str
) -> ScopedValue:
    """Drop a team's own value; answers what the team now gets (the club's, the platform's or the default)."""
    organization = actor.require_organization()
    if not _may_set_team(actor, team_id):
        raise Forbidden("only the club's administrators and the team's coaches change a team's settings")
    setting = definition(key)
    await repository.delete_member_setting(
        session, scope=SettingScope.TEAM, subject_id=team_id, organization_id=organization, key=setting.key
    )
    return await _resolve(session, actor, cache, setting, organization=organization, team_id=team_id, user_id=None)


async def reset_my_setting(
    session: AsyncSession, actor: Principal, cache: Cache, *, key: str, team_id: uuid.UUID | None
) -> ScopedValue:
    """Drop the caller's own value; answers what they now get, in `team_id` when given."""
    organization = actor.require_organization()
    if actor.user_id is None:
        raise Forbidden("only a signed-in user has settings of their own")
    _check_team_reader(actor, team_id)
    setting = definition(key)
    await repository.delete_member_setting(
        session, scope=SettingScope.USER, subject_id=actor.user_id, organization_id=organization, key=setting.key
    )
    return await _resolve(session, actor, cache, setting, organization=organization, team_id=team_id, user_id=None)


async def resolved_setting(
    session: AsyncSession,
    actor: Principal,
    cache: Cache,
    *,
    key: str,
    team_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
) -> ScopedValue:
    """The value in effect for a user in a team of the caller's club: the user's own, else the team's, else
    the club's, else the system's, else the default. `user_id` is the caller unless a club admin names one."""
    setting = definition(key)
    organization = actor.require_organization()
    user_id = user_id or actor.user_id
    if user_id != actor.user_id and not _is_club_admin(actor):
        raise Forbidden("only a club administrator looks at another member's settings", field="userId")
    _check_team_reader(actor, team_id)
    return await _resolve(session, actor, cache, setting, organization=organization, team_id=team_id, user_id=user_id)


async def _resolve(
    session: AsyncSession,
    actor: Principal,
    cache: Cache,
    setting: SettingDefinition,
    *,
    organization: uuid.UUID,
    team_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
) -> ScopedValue:
    own = {
        row.scope: row
        for row in await repository.member_settings_for(
            session, key=setting.key, organization_id=organization, team_id=team_id, user_id=user_id
        )
    }
    for scope in (SettingScope.USER, SettingScope.TEAM):
        if scope in own:
            return ScopedValue(setting, own[scope].value, scope)
    club = await service.organization_setting(session, actor, cache, setting.key, organization_id=organization)
    if not club.is_default:
        return ScopedValue(setting, club.value, SettingScope.ORGANIZATION)
    system = await service.system_values(session, cache)
    if setting.key in system:
        return ScopedValue(setting, system[setting.key], SettingScope.SYSTEM)
    return ScopedValue(setting, setting.default, SettingScope.DEFAULT)


# System announcements ---------------------------------------------------------------------------------------


class AnnouncementStatus(StrEnum):
    SCHEDULED = "scheduled"
    SHOWING = "showing"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


def announcement_status(announcement: SystemAnnouncement, at: datetime) -> AnnouncementStatus:
    if announcement.withdrawn_at is not None:
        return AnnouncementStatus.WITHDRAWN
    if announcement.starts_at > at:
        return AnnouncementStatus.SCHEDULED
    if announcement.ends_at is not None and announcement.ends_at <= at:
        return AnnouncementStatus.ENDED
    return AnnouncementStatus.SHOWING


def _require_operator(actor: Principal) -> None:
    if not actor.is_platform_admin:
        raise Forbidden("only platform administrators make system announcements")


def _window(starts_at: datetime, ends_at: datetime | None) -> None:
    if starts_at.tzinfo is None:
        raise InvalidInput("startsAt needs a time zone offset", field="input.startsAt")
    if ends_at is not None:
        validation.time_range(starts_at, ends_at, field="input.endsAt")


async def create_announcement(
    session: AsyncSession,
    actor: Principal,
    *,
    title: str,
    body: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> SystemAnnouncement:
    _require_operator(actor)
    starts = starts_at or utcnow()
    _window(starts, ends_at)
    return await repository.add_announcement(
        session,
        SystemAnnouncement(
            id=uuid.uuid4(),
            title=validation.text(title, field="input.title", max_length=ANNOUNCEMENT_TITLE_MAX_LENGTH),
            body=validation.text(body, field="input.body", max_length=ANNOUNCEMENT_BODY_MAX_LENGTH),
            starts_at=starts,
            ends_at=ends_at,
            created_by_user_id=actor.user_id,
        ),
    )


@dataclass(frozen=True, slots=True)
class AnnouncementChanges:
    """What an edit gives; None leaves a field as it is, except `ends_at` when `clear_end` is set."""

    title: str | None = None
    body: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    clear_end: bool = False


async def update_announcement(
    session: AsyncSession, actor: Principal, announcement_id: uuid.UUID, changes: AnnouncementChanges
) -> SystemAnnouncement:
    """Correct or reschedule an announcement; one already withdrawn stays down."""
    _require_operator(actor)
    announcement = await repository.announcement_for_update(session, announcement_id)
    if announcement is None:
        raise not_found("SystemAnnouncement", announcement_id)
    if announcement.withdrawn_at is not None:
        raise Conflict("the announcement was withdrawn; make a new one", field="id")
    starts = changes.starts_at or announcement.starts_at
    ends = None if changes.clear_end else (changes.ends_at or announcement.ends_at)
    _window(starts, ends)
    if changes.title is not None:
        announcement.title = validation.text(
            changes.title, field="input.title", max_length=ANNOUNCEMENT_TITLE_MAX_LENGTH
        )
    if changes.body is not None:
        announcement.body = validation.text(changes.body, field="input.body", max_length=ANNOUNCEMENT_BODY_MAX_LENGTH)
    announcement.starts_at, announcement.ends_at = starts, ends
    announcement.updated_at = utcnow()
    await session.flush()
    return announcement


async def withdraw_announcement(
    session: AsyncSession, actor: Principal, announcement_id: uuid.UUID
) -> SystemAnnouncement:
    """Take an announcement down now (or cancel a scheduled one). Withdrawing twice changes nothing."""
    _require_operator(actor)
    announcement = await repository.announcement_for_update(session, announcement_id)
    if announcement is None:
        raise not_found("SystemAnnouncement", announcement_id)
    if announcement.withdrawn_at is None:
        announcement.withdrawn_at = utcnow()
        announcement.withdrawn_by_user_id = actor.user_id
        await session.flush()
    return announcement


async def announcements(session: AsyncSession, actor: Principal, *, include_inactive: bool) -> list[SystemAnnouncement]:
    """What is showing now, newest first, for everyone signed in; every announcement, scheduled, ended and
    withdrawn ones too, for the platform's administrators who ask."""
    if not actor.is_authenticated:
        raise Forbidden("sign in to read announcements")
    if include_inactive and not actor.is_platform_admin:
        raise Forbidden("only platform administrators list announcements that are not showing", field="includeInactive")
    return await repository.announcements(session, showing_at=None if include_inactive else utcnow())
