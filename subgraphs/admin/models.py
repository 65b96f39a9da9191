"""The admin service's tables."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, TimestampMixin, new_metadata
from shared.database.kernel import include_kernel_tables
from shared.plans import include_plan_table

FLAG_KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
"""Lowercase words of letters, digits and underscores, joined by dots: `training.live_sessions`."""
FLAG_KEY_MAX_LENGTH = 100
FLAG_DESCRIPTION_MAX_LENGTH = 500


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
