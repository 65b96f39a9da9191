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
from shared.errors import Forbidden, InvalidInput
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
    if not (_is_club_admin(actor) or (actor.has_role(Role.COACH, Role.ASSISTANT_COACH) and actor.in_team(team_id))):
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
    if team_id is not None and not (actor.in_team(team_id) or _is_club_admin(actor)):
        raise Forbidden("only the team's members look at its settings", field="teamId")
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


async def create_announcement(
    session: AsyncSession,
    actor: Principal,
    *,
    title: str,
    body: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> SystemAnnouncement:
    if not actor.is_platform_admin:
        raise Forbidden("only platform administrators make system announcements")
    starts = starts_at or utcnow()
    if starts.tzinfo is None:
        raise InvalidInput("startsAt needs a time zone offset", field="input.startsAt")
    if ends_at is not None:
        validation.time_range(starts, ends_at, field="input.endsAt")
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


async def active_announcements(session: AsyncSession, actor: Principal) -> list[SystemAnnouncement]:
    """What is showing now, newest first, for everyone signed in."""
    if not actor.is_authenticated:
        raise Forbidden("sign in to read announcements")
    return await repository.active_announcements(session, utcnow())
