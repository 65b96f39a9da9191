"""The admin service's tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, TimestampMixin, new_metadata, utcnow
from shared.database.kernel import include_kernel_tables
from shared.plans import include_plan_table

FLAG_KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
"""Lowercase words of letters, digits and underscores, joined by dots: `training.live_sessions`."""
FLAG_KEY_MAX_LENGTH = 100
FLAG_DESCRIPTION_MAX_LENGTH = 500
ANNOUNCEMENT_TITLE_MAX_LENGTH = 200
ANNOUNCEMENT_BODY_MAX_LENGTH = 4000


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
include_plan_table(Base.metadata)  # each club's plan, kept from payment's events, for the admin console


class FeatureFlag(TimestampMixin, Base):
    """A switchable feature: on or off by default, overridable per organization."""

    __tablename__ = "feature_flags"
    __table_args__ = (CheckConstraint(f"key ~ '{FLAG_KEY_PATTERN}'", name="key_format"),)

    key: Mapped[str] = mapped_column(String(FLAG_KEY_MAX_LENGTH), primary_key=True)
    description: Mapped[str] = mapped_column(String(FLAG_DESCRIPTION_MAX_LENGTH))
    default_enabled: Mapped[bool]
    updated_by_user_id: Mapped[uuid.UUID | None]


class FeatureFlagOverride(TimestampMixin, Base):
    """One organization's own value of a flag."""

    __tablename__ = "feature_flag_overrides"

    flag_key: Mapped[str] = mapped_column(
        ForeignKey("feature_flags.key", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    enabled: Mapped[bool]
    updated_by_user_id: Mapped[uuid.UUID | None]


class OrganizationSetting(TimestampMixin, Base):
    """A value an organization chose for a known setting; unset settings take their default."""

    __tablename__ = "organization_settings"

    organization_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(FLAG_KEY_MAX_LENGTH), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_by_user_id: Mapped[uuid.UUID | None]


class SystemSetting(TimestampMixin, Base):
    """The platform's own value of a known setting: every club's, until the club (a team, a user) sets one."""

    __tablename__ = "system_settings"

    key: Mapped[str] = mapped_column(String(FLAG_KEY_MAX_LENGTH), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_by_user_id: Mapped[uuid.UUID | None]


class MemberSetting(TimestampMixin, Base):
    """A team's or a user's own value of a known setting, within one club (reads filter by the club, so a
    row never reaches another club whatever id it names)."""

    __tablename__ = "member_settings"
    __table_args__ = (CheckConstraint("scope IN ('team', 'user')", name="scope_known"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    """The team's id or the user's id."""
    key: Mapped[str] = mapped_column(String(FLAG_KEY_MAX_LENGTH), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_by_user_id: Mapped[uuid.UUID | None]


class SystemAnnouncement(Base):
    """A message from the platform's operators to everyone signed in, shown between its start and end."""

    __tablename__ = "system_announcements"
    __table_args__ = (CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(ANNOUNCEMENT_TITLE_MAX_LENGTH))
    body: Mapped[str] = mapped_column(String(ANNOUNCEMENT_BODY_MAX_LENGTH))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    created_by_user_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    updated_at: Mapped[datetime | None]
    """When it was last edited; null if never."""
    withdrawn_at: Mapped[datetime | None]
    """Taken down before its end: kept, so the operators' history of what was shown stays whole."""
    withdrawn_by_user_id: Mapped[uuid.UUID | None]
