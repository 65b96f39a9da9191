"""Domain rules of feature flags, organization settings and system health. No GraphQL here."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shared import validation
from shared.auth.principal import Principal
from shared.cache import Cache
from shared.database.integrity import flush
from shared.errors import Conflict, Forbidden, InvalidInput, not_found
from shared.plans import OrganizationPlan, plan_of
from shared.runtime import ServiceRuntime
from shared.settings import SERVICE_PORTS
from subgraphs.admin import events, repository
from subgraphs.admin.catalog import SETTINGS, SettingDefinition, definition
from subgraphs.admin.health import HealthProbe, SystemReport
from subgraphs.admin.models import (
    FLAG_DESCRIPTION_MAX_LENGTH,
    FLAG_KEY_MAX_LENGTH,
    FLAG_KEY_PATTERN,
    FeatureFlag,
    FeatureFlagOverride,
)
from subgraphs.admin.permissions import (
    can_define_feature_flags,
    can_manage_organization,
    can_view_organization,
    can_view_system_health,
)

logger = logging.getLogger(__name__)

SETTINGS_CACHE_SECONDS = 300.0
_FLAG_KEY = re.compile(FLAG_KEY_PATTERN)


def _organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    """The organization a request is about: the caller's own, or one a platform admin names."""
    if organization_id is not None and organization_id != actor.organization_id:
        if not actor.is_platform_admin:
            raise Forbidden("you can only act within your own organization")
        return organization_id
    return actor.require_organization()


# Feature flags -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlagState:
    """A flag as one organization sees it."""

    flag: FeatureFlag
    override: FeatureFlagOverride | None
    organization_id: uuid.UUID | None

    @property
    def enabled(self) -> bool:
        return self.override.enabled if self.override is not None else self.flag.default_enabled


def flag_key(value: str, *, field: str = "key") -> str:
    key = value.strip()
    if len(key) > FLAG_KEY_MAX_LENGTH or not _FLAG_KEY.fullmatch(key):
        raise InvalidInput(
            f"{field} is lowercase words of letters, digits and underscores joined by dots, "
            f"e.g. live_training_sessions (at most {FLAG_KEY_MAX_LENGTH} characters)",
            field=field,
        )
    return key


def _reading_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID | None:
    """Whose effective values to show; a platform admin without an organization sees the defaults."""
    if organization_id is None and actor.organization_id is None and actor.is_platform_admin:
        return None
    return _organization(actor, organization_id)


async def list_feature_flags(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> list[FlagState]:
    organization = _reading_organization(actor, organization_id)
    rows = await repository.flags_with_overrides(session, organization)
    return [FlagState(flag, override, organization) for flag, override in rows]


async def get_feature_flag(
    session: AsyncSession, actor: Principal, key: str, *, organization_id: uuid.UUID | None = None
) -> FlagState:
    organization = _reading_organization(actor, organization_id)
    rows = await repository.flags_with_overrides(session, organization, key=flag_key(key))
    if not rows:
        raise not_found("FeatureFlag", key)
    flag, override = rows[0]
    return FlagState(flag, override, organization)


async def define_feature_flag(
    session: AsyncSession, actor: Principal, *, key: str, description: str, default_enabled: bool
) -> FlagState:
    if not can_define_feature_flags(actor):
        raise Forbidden("only a platform administrator defines feature flags")
    flag = FeatureFlag(
        key=flag_key(key),
        description=validation.text(description, field="description", max_length=FLAG_DESCRIPTION_MAX_LENGTH),
        default_enabled=default_enabled,
        updated_by_user_id=actor.user_id,
    )
    session.add(flag)
    await flush(session, violations={"pk_feature_flags": Conflict("a flag with that key exists", field="key")})
    await events.feature_flag_changed(session, flag, change="defined")
    return FlagState(flag, None, actor.organization_id)


async def update_feature_flag(
    session: AsyncSession, actor: Principal, key: str, changes: Mapping[str, Any]
) -> FlagState:
    if not can_define_feature_flags(actor):
        raise Forbidden("only a platform administrator changes feature flags")
    flag = await repository.flag(session, flag_key(key))
    if flag is None:
        raise not_found("FeatureFlag", key)
    if "description" in changes:
        flag.description = validation.text(
            validation.required(changes, "description"),
            field="description",
            max_length=FLAG_DESCRIPTION_MAX_LENGTH,
        )
    if "default_enabled" in changes:
        flag.default_enabled = bool(validation.required(changes, "default_enabled"))
    flag.updated_by_user_id = actor.user_id
    await session.flush()
    await events.feature_flag_changed(session, flag, change="updated")
    return await get_feature_flag(session, actor, flag.key)


async def set_feature_flag_override(
    session: AsyncSession,
    actor: Principal,
    *,
    key: str,
    enabled: bool,
    organization_id: uuid.UUID | None = None,
) -> FlagState:
    organization = _organization(actor, organization_id)
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator sets the club's feature flags")
    flag = await repository.flag(session, flag_key(key))
    if flag is None:
        raise not_found("FeatureFlag", key)
    override = await repository.upsert_override(
        session, key=flag.key, organization_id=organization, enabled=enabled, user_id=actor.user_id
    )
    await events.feature_flag_changed(
        session, flag, change="override_set", organization_id=organization, enabled=enabled
    )
    return FlagState(flag, override, organization)


async def clear_feature_flag_override(
    session: AsyncSession, actor: Principal, *, key: str, organization_id: uuid.UUID | None = None
) -> FlagState:
    """Back to the default for the organization; clearing an absent override changes nothing."""
    organization = _organization(actor, organization_id)
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator sets the club's feature flags")
    flag = await repository.flag(session, flag_key(key))
    if flag is None:
        raise not_found("FeatureFlag", key)
    if await repository.delete_override(session, key=flag.key, organization_id=organization):
        await events.feature_flag_changed(session, flag, change="override_cleared", organization_id=organization)
    return FlagState(flag, None, organization)


# Organization settings ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettingValue:
    definition: SettingDefinition
    value: Any
    is_default: bool
    updated_at: datetime | None
    fallback: Any
    """The value without the organization's own: the platform's (`setSystemSetting`), else the catalog's."""


_WRITTEN = "admin.organization_settings_written"
"""Session.info: organizations whose settings this transaction changed."""
_pending_invalidations: set[asyncio.Task[None]] = set()
_CACHE_ERRORS = (RedisError, OSError)
"""The cache is optional (health reports it as degrading, not breaking): without it, read the database."""


def _settings_cache_key(organization_id: uuid.UUID) -> str:
    return f"admin:organization-settings:{organization_id}"


async def _stored_settings(
    session: AsyncSession, cache: Cache, organization_id: uuid.UUID
) -> dict[str, tuple[Any, datetime]]:
    """The organization's own values, from the cache when it has them.

    A transaction that changed them reads the database and leaves the cache alone: its values are not
    committed yet, and may never be.
    """
    if organization_id in session.info.get(_WRITTEN, ()):
        return {row.key: (row.value, row.updated_at) for row in await repository.settings_of(session, organization_id)}
    cache_key = _settings_cache_key(organization_id)
    try:
        cached = await cache.get(cache_key)
    except _CACHE_ERRORS:
        logger.warning("cache unavailable; reading organization settings from the database", exc_info=True)
        cached = None
    if cached is not None:
        return {
            key: (entry["value"], datetime.fromisoformat(entry["updated_at"]))
            for key, entry in orjson.loads(cached).items()
        }
    rows = await repository.settings_of(session, organization_id)
    stored = {row.key: (row.value, row.updated_at) for row in rows}
    encoded = orjson.dumps({key: {"value": value, "updated_at": at.isoformat()} for key, (value, at) in stored.items()})
    try:
        await cache.set(cache_key, encoded, ttl_seconds=SETTINGS_CACHE_SECONDS)
    except _CACHE_ERRORS:
        logger.warning("cache unavailable; organization settings not cached", exc_info=True)
    return stored


async def _invalidate(session: AsyncSession, cache: Cache, organization_id: uuid.UUID) -> None:
    """Drop the cached values now, so this request and the next see the write, and again after commit,
    so a concurrent reader that cached the old values while this transaction was open loses them."""
    session.info.setdefault(_WRITTEN, set()).add(organization_id)
    cache_key = _settings_cache_key(organization_id)
    await cache.delete(cache_key)

    def after_commit(committed: Session) -> None:
        committed.info.pop(_WRITTEN, None)
        task = asyncio.get_running_loop().create_task(cache.delete(cache_key))
        _pending_invalidations.add(task)
        task.add_done_callback(_finished_invalidation)

    event.listen(session.sync_session, "after_commit", after_commit, once=True)


async def drain_invalidations() -> None:
    """Wait for the cache deletions scheduled by commits so far (at shutdown, and in tests)."""
    if _pending_invalidations:
        await asyncio.gather(*_pending_invalidations, return_exceptions=True)


def _finished_invalidation(task: asyncio.Task[None]) -> None:
    _pending_invalidations.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.warning("could not drop cached organization settings", exc_info=task.exception())


_SYSTEM_WRITTEN = "admin.system_settings_written"
SYSTEM_SETTINGS_CACHE_KEY = "admin:system-settings"


async def system_values(session: AsyncSession, cache: Cache) -> dict[str, Any]:
    """The platform's own values of settings, every club's fallback; cached like the clubs' own."""
    if session.info.get(_SYSTEM_WRITTEN):
        return await repository.system_values(session)
    try:
        cached = await cache.get(SYSTEM_SETTINGS_CACHE_KEY)
    except _CACHE_ERRORS:
        logger.warning("cache unavailable; reading system settings from the database", exc_info=True)
        cached = None
    if cached is not None:
        values: dict[str, Any] = orjson.loads(cached)
        return values
    values = await repository.system_values(session)
    try:
        await cache.set(SYSTEM_SETTINGS_CACHE_KEY, orjson.dumps(values), ttl_seconds=SETTINGS_CACHE_SECONDS)
    except _CACHE_ERRORS:
        logger.warning("cache unavailable; system settings not cached", exc_info=True)
    return values


async def invalidate_system_values(session: AsyncSession, cache: Cache) -> None:
    """As `_invalidate`, for the platform's values: dropped now and again after commit."""
    session.info[_SYSTEM_WRITTEN] = True
    await cache.delete(SYSTEM_SETTINGS_CACHE_KEY)

    def after_commit(committed: Session) -> None:
        committed.info.pop(_SYSTEM_WRITTEN, None)
        task = asyncio.get_running_loop().create_task(cache.delete(SYSTEM_SETTINGS_CACHE_KEY))
        _pending_invalidations.add(task)
        task.add_done_callback(_finished_invalidation)

    event.listen(session.sync_session, "after_commit", after_commit, once=True)


def _effective(
    stored: Mapping[str, tuple[Any, datetime]], system: Mapping[str, Any], setting: SettingDefinition
) -> SettingValue:
    fallback = system.get(setting.key, setting.default)
    if setting.key in stored:
        value, at = stored[setting.key]
        return SettingValue(setting, value, False, at, fallback)
    return SettingValue(setting, fallback, True, None, fallback)


async def organization_settings(
    session: AsyncSession, actor: Principal, cache: Cache, *, organization_id: uuid.UUID | None = None
) -> list[SettingValue]:
    organization = _organization(actor, organization_id)
    if not can_view_organization(actor, organization):
        raise Forbidden("only members of the organization read its settings")
    stored = await _stored_settings(session, cache, organization)
    system = await system_values(session, cache)
    return [_effective(stored, system, setting) for setting in SETTINGS.values()]


async def organization_setting(
    session: AsyncSession,
    actor: Principal,
    cache: Cache,
    key: str,
    *,
    organization_id: uuid.UUID | None = None,
) -> SettingValue:
    setting = definition(key)
    organization = _organization(actor, organization_id)
    if not can_view_organization(actor, organization):
        raise Forbidden("only members of the organization read its settings")
    stored = await _stored_settings(session, cache, organization)
    return _effective(stored, await system_values(session, cache), setting)


async def set_organization_setting(
    session: AsyncSession,
    actor: Principal,
    cache: Cache,
    *,
    key: str,
    value: Any,
    organization_id: uuid.UUID | None = None,
) -> SettingValue:
    setting = definition(key)
    organization = _organization(actor, organization_id)
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator changes the club's settings")
    checked = setting.validate(value)
    row = await repository.upsert_setting(
        session, organization_id=organization, key=setting.key, value=checked, user_id=actor.user_id
    )
    await _invalidate(session, cache, organization)
    await events.organization_setting_changed(
        session, organization_id=organization, key=setting.key, value=checked, is_default=False
    )
    fallback = (await system_values(session, cache)).get(setting.key, setting.default)
    return SettingValue(setting, row.value, False, row.updated_at, fallback)


async def reset_organization_setting(
    session: AsyncSession,
    actor: Principal,
    cache: Cache,
    *,
    key: str,
    organization_id: uuid.UUID | None = None,
) -> SettingValue:
    setting = definition(key)
    organization = _organization(actor, organization_id)
    if not can_manage_organization(actor, organization):
        raise Forbidden("only a club administrator changes the club's settings")
    fallback = (await system_values(session, cache)).get(setting.key, setting.default)
    if await repository.delete_setting(session, organization_id=organization, key=setting.key):
        await _invalidate(session, cache, organization)
        await events.organization_setting_changed(
            session, organization_id=organization, key=setting.key, value=fallback, is_default=True
        )
    return SettingValue(setting, fallback, True, None, fallback)


# Plans -------------------------------------------------------------------------------------------------


async def organization_plan(
    session: AsyncSession, actor: Principal, *, organization_id: uuid.UUID | None = None
) -> OrganizationPlan:
    """The club's plan as payment last announced it (the default plan before any subscription)."""
    organization = _organization(actor, organization_id)
    if not can_view_organization(actor, organization):
        raise Forbidden("only members of the organization read its plan")
    return await plan_of(session, organization)


# System health -----------------------------------------------------------------------------------------


async def system_health(actor: Principal, runtime: ServiceRuntime, probe: HealthProbe) -> SystemReport:
    """Every service of the platform, asked at once; the admin service answers for itself in process."""
    if not can_view_system_health(actor):
        raise Forbidden("only administrators see the system's health")
    services = {name: runtime.settings.service_url(name) for name in SERVICE_PORTS}
    return await probe.system(runtime, services)
