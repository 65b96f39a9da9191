"""All SQL of the admin service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import utcnow
from subgraphs.admin.models import (
    FeatureFlag,
    FeatureFlagOverride,
    MemberSetting,
    OrganizationSetting,
    SystemAnnouncement,
    SystemSetting,
)

# Feature flags -----------------------------------------------------------------------------------------


async def flags_with_overrides(
    session: AsyncSession, organization_id: uuid.UUID | None, *, key: str | None = None
) -> list[tuple[FeatureFlag, FeatureFlagOverride | None]]:
    """Every flag (or one) with the organization's override, if any, in one statement."""
    query = (
        select(FeatureFlag, FeatureFlagOverride)
        .outerjoin(
            FeatureFlagOverride,
            and_(
                FeatureFlagOverride.flag_key == FeatureFlag.key,
                FeatureFlagOverride.organization_id == organization_id,
            ),
        )
        .order_by(FeatureFlag.key)
    )
    if key is not None:
        query = query.where(FeatureFlag.key == key)
    rows = await session.execute(query)
    return [(flag, override) for flag, override in rows]


async def flag(session: AsyncSession, key: str) -> FeatureFlag | None:
    return await session.get(FeatureFlag, key)


async def upsert_override(
    session: AsyncSession, *, key: str, organization_id: uuid.UUID, enabled: bool, user_id: uuid.UUID | None
) -> FeatureFlagOverride:
    """Set the organization's value atomically, whether or not it had one."""
    now = utcnow()
    statement = insert(FeatureFlagOverride).values(
        flag_key=key,
        organization_id=organization_id,
        enabled=enabled,
        updated_by_user_id=user_id,
        created_at=now,
        updated_at=now,
    )
    result = await session.scalars(
        statement.on_conflict_do_update(
            index_elements=[FeatureFlagOverride.flag_key, FeatureFlagOverride.organization_id],
            set_={"enabled": enabled, "updated_by_user_id": user_id, "updated_at": now},
        ).returning(FeatureFlagOverride),
        execution_options={"populate_existing": True},
    )
    return result.one()


async def delete_override(session: AsyncSession, *, key: str, organization_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(FeatureFlagOverride)
        .where(FeatureFlagOverride.flag_key == key, FeatureFlagOverride.organization_id == organization_id)
        .returning(FeatureFlagOverride.flag_key)
    )
    return result.first() is not None


# Organization settings ---------------------------------------------------------------------------------


async def settings_of(session: AsyncSession, organization_id: uuid.UUID) -> list[OrganizationSetting]:
    return list(
        await session.scalars(select(OrganizationSetting).where(OrganizationSetting.organization_id == organization_id))
    )


async def upsert_setting(
    session: AsyncSession, *, organization_id: uuid.UUID, key: str, value: Any, user_id: uuid.UUID | None
) -> OrganizationSetting:
    now = utcnow()
    statement = insert(OrganizationSetting).values(
        organization_id=organization_id,
        key=key,
        value=value,
        updated_by_user_id=user_id,
        created_at=now,
        updated_at=now,
    )
    result = await session.scalars(
        statement.on_conflict_do_update(
            index_elements=[OrganizationSetting.organization_id, OrganizationSetting.key],
            set_={"value": statement.excluded.value, "updated_by_user_id": user_id, "updated_at": now},
        ).returning(OrganizationSetting),
        execution_options={"populate_existing": True},
    )
    return result.one()


async def delete_setting(session: AsyncSession, *, organization_id: uuid.UUID, key: str) -> bool:
    result = await session.execute(
        delete(OrganizationSetting)
        .where(OrganizationSetting.organization_id == organization_id, OrganizationSetting.key == key)
        .returning(OrganizationSetting.key)
    )
    return result.first() is not None


# Settings at the system, team and user scopes -------------------------------------------------------------


async def upsert_system_setting(
    session: AsyncSession, *, key: str, value: Any, user_id: uuid.UUID | None
) -> SystemSetting:
    now = utcnow()
    statement = insert(SystemSetting).values(
        key=key, value=value, updated_by_user_id=user_id, created_at=now, updated_at=now
    )
    result = await session.scalars(
        statement.on_conflict_do_update(
            index_elements=[SystemSetting.key],
            set_={"value": statement.excluded.value, "updated_by_user_id": user_id, "updated_at": now},
        ).returning(SystemSetting),
        execution_options={"populate_existing": True},
    )
    return result.one()


async def upsert_member_setting(
    session: AsyncSession,
    *,
    scope: str,
    subject_id: uuid.UUID,
    organization_id: uuid.UUID,
    key: str,
    value: Any,
    user_id: uuid.UUID | None,
) -> MemberSetting:
    now = utcnow()
    statement = insert(MemberSetting).values(
        scope=scope,
        subject_id=subject_id,
        organization_id=organization_id,
        key=key,
        value=value,
        updated_by_user_id=user_id,
        created_at=now,
        updated_at=now,
    )
    result = await session.scalars(
        statement.on_conflict_do_update(
            index_elements=[
                MemberSetting.organization_id,
                MemberSetting.scope,
                MemberSetting.subject_id,
                MemberSetting.key,
            ],
            set_={"value": statement.excluded.value, "updated_by_user_id": user_id, "updated_at": now},
        ).returning(MemberSetting),
        execution_options={"populate_existing": True},
    )
    return result.one()


async def delete_system_setting(session: AsyncSession, key: str) -> bool:
    result = await session.execute(delete(SystemSetting).where(SystemSetting.key == key).returning(SystemSetting.key))
    return result.first() is not None


async def delete_member_setting(
    session: AsyncSession, *, scope: str, subject_id: uuid.UUID, organization_id: uuid.UUID, key: str
) -> bool:
    result = await session.execute(
        delete(MemberSetting)
        .where(
            MemberSetting.organization_id == organization_id,
            MemberSetting.scope == scope,
            MemberSetting.subject_id == subject_id,
            MemberSetting.key == key,
        )
        .returning(MemberSetting.key)
    )
    return result.first() is not None


async def system_values(session: AsyncSession) -> dict[str, Any]:
    rows = await session.execute(select(SystemSetting.key, SystemSetting.value))
    return {row.key: row.value for row in rows}


async def member_settings_for(
    session: AsyncSession,
    *,
    key: str,
    organization_id: uuid.UUID,
    team_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
) -> list[MemberSetting]:
    """The team's and the user's own values of `key`, within the club (one query for both)."""
    subjects = [(scope, subject) for scope, subject in (("team", team_id), ("user", user_id)) if subject is not None]
    if not subjects:
        return []
    result = await session.scalars(
        select(MemberSetting).where(
            MemberSetting.key == key,
            MemberSetting.organization_id == organization_id,
            or_(
                *(
                    and_(MemberSetting.scope == scope, MemberSetting.subject_id == subject)
                    for scope, subject in subjects
                )
            ),
        )
    )
    return list(result)


# System announcements ---------------------------------------------------------------------------------------


async def add_announcement(session: AsyncSession, announcement: SystemAnnouncement) -> SystemAnnouncement:
    session.add(announcement)
    await session.flush()
    return announcement


async def announcements(session: AsyncSession, *, showing_at: datetime | None) -> list[SystemAnnouncement]:
    """Those showing at `showing_at` (not withdrawn, started, not ended), or every one when it is None;
    newest first."""
    statement = select(SystemAnnouncement).order_by(SystemAnnouncement.starts_at.desc(), SystemAnnouncement.id)
    if showing_at is not None:
        statement = statement.where(
            SystemAnnouncement.withdrawn_at.is_(None),
            SystemAnnouncement.starts_at <= showing_at,
            or_(SystemAnnouncement.ends_at.is_(None), SystemAnnouncement.ends_at > showing_at),
        )
    return list(await session.scalars(statement))


async def announcement_for_update(session: AsyncSession, announcement_id: uuid.UUID) -> SystemAnnouncement | None:
    return await session.scalar(
        select(SystemAnnouncement).where(SystemAnnouncement.id == announcement_id).with_for_update()
    )
