"""The user service's tables."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    ForeignKey,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.auth.principal import Role
from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables
from shared.plans import include_plan_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
include_plan_table(Base.metadata)  # the club's plan, kept from payment's events: what teams and players may be added


class TeamCategory(StrEnum):
    YOUTH = "youth"
    JUNIOR = "junior"
    SENIOR = "senior"
    RECREATIONAL = "recreational"


class Position(StrEnum):
    CENTER = "center"
    LEFT_WING = "left_wing"
    RIGHT_WING = "right_wing"
    DEFENSE = "defense"
    GOALIE = "goalie"


class Handedness(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class ParentRelationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GUARDIAN = "guardian"
    OTHER = "other"


class Organization(IdMixin, TimestampMixin, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Stockholm")
    primary_color: Mapped[str | None] = mapped_column(String(7))


class Team(IdMixin, TimestampMixin, Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[TeamCategory] = mapped_column(pg_enum(TeamCategory, "team_category"))
    age_group: Mapped[str | None] = mapped_column(String(40))


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), unique=True)
    """Stored lowercased, so the unique constraint is case-insensitive."""
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    roles: Mapped[list[Role]] = mapped_column(ARRAY(pg_enum(Role, "user_role")), default=list)
    is_active: Mapped[bool] = mapped_column(default=True)


class TeamStaff(TimestampMixin, Base):
    """A staff member's role on one team (coach, trainer, medical staff, ...)."""

    __tablename__ = "team_staff"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[Role] = mapped_column(pg_enum(Role, "user_role"))


class Player(IdMixin, TimestampMixin, Base):
    """A roster entry; `user_id` links the player's own account when they have one."""

    __tablename__ = "players"
    __table_args__ = (
        UniqueConstraint("team_id", "jersey_number"),
        CheckConstraint("jersey_number BETWEEN 0 AND 99", name="jersey_number_range"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date]
    jersey_number: Mapped[int | None] = mapped_column(SmallInteger)
    position: Mapped[Position] = mapped_column(pg_enum(Position, "player_position"))
    shoots: Mapped[Handedness] = mapped_column(pg_enum(Handedness, "handedness"))
    height_cm: Mapped[int | None] = mapped_column(SmallInteger)
    weight_kg: Mapped[int | None] = mapped_column(SmallInteger)
    is_active: Mapped[bool] = mapped_column(default=True)


class ParentLink(TimestampMixin, Base):
    __tablename__ = "parent_links"

    parent_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    player_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("players.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relationship: Mapped[ParentRelationship] = mapped_column(pg_enum(ParentRelationship, "parent_relationship"))
    is_primary_contact: Mapped[bool] = mapped_column(default=False)
