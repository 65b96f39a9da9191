"""The identity tables, on the user service's `Base`. No secret is stored as given: passwords as argon2id
hashes, opaque tokens (refresh, invitation, password reset) as SHA-256 digests, emails of failed sign-ins
as digests too."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy import Uuid as SqlUuid
from sqlalchemy.orm import Mapped, mapped_column

from shared.auth.principal import Role
from shared.database import TimestampMixin, pg_enum, utcnow
from subgraphs.user.models import Base, ParentRelationship

DIGEST_BYTES = 32


class Revocation(StrEnum):
    """Why a sign-in session ended before it expired."""

    LOGOUT = "logout"
    REVOKED = "revoked"
    """By an administrator of the user's club, or by the user for their other devices."""
    TOKEN_REUSE = "token_reuse"
    """A refresh token was used twice: someone else holds a copy, so the whole session ends."""
    PASSWORD_CHANGE = "password_change"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_INACTIVE = "account_inactive"


class Credential(TimestampMixin, Base):
    """A user's password. Kept apart from `users` so that no query loading people loads hashes."""

    __tablename__ = "credentials"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    """The argon2 encoded hash: algorithm, parameters, salt and digest."""
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignInSession(Base):
    """One sign-in on one device: the family of refresh tokens rotated from it. Its id is the `sid` of
    every access token issued in it, so revoking it lets verifiers refuse those tokens too."""

    __tablename__ = "sign_in_sessions"
    __table_args__ = (CheckConstraint("(revoked_at IS NULL) = (revoked_reason IS NULL)", name="revocation_has_reason"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    """When its newest refresh token expires; each refresh moves it on."""
    user_agent: Mapped[str | None] = mapped_column(String(300))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[Revocation | None] = mapped_column(pg_enum(Revocation, "session_revocation"))


class RefreshToken(Base):
    """One refresh token of a session. A used one stays, so that its second use is recognised as theft."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[bytes] = mapped_column(LargeBinary(DIGEST_BYTES), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sign_in_sessions.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    """When it was exchanged for the next one; it never works again."""


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"

    token_hash: Mapped[bytes] = mapped_column(LargeBinary(DIGEST_BYTES), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Invitation(TimestampMixin, Base):
    """A club's invitation of one email, with what the account gets on acceptance. One per club and email:
    inviting again replaces the token, so only the newest link works."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("organization_id", "email"),
        CheckConstraint("(team_id IS NULL) OR (team_role IS NOT NULL)", name="team_has_role"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(DIGEST_BYTES), unique=True)
    roles: Mapped[list[Role]] = mapped_column(ARRAY(pg_enum(Role, "user_role")))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    team_role: Mapped[Role | None] = mapped_column(pg_enum(Role, "user_role"))
    player_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("players.id", ondelete="SET NULL"))
    """The roster entry that becomes the new account's own player record."""
    child_player_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(SqlUuid()), default=list)
    """Players the new account is linked to as a parent or guardian."""
    relationship: Mapped[ParentRelationship | None] = mapped_column(pg_enum(ParentRelationship, "parent_relationship"))
    invited_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class LoginThrottle(Base):
    """Failed sign-ins per email, known or not: an unknown email locks like a real one, so the lockout
    tells an attacker nothing about which accounts exist."""

    __tablename__ = "login_throttles"

    email_digest: Mapped[bytes] = mapped_column(LargeBinary(DIGEST_BYTES), primary_key=True)
    failures: Mapped[int] = mapped_column(SmallInteger, default=0)
    """Attempts since the last lockout or success, the one in progress included."""
    lockouts: Mapped[int] = mapped_column(SmallInteger, default=0)
    """Lockouts since the last success: each one lasts twice as long as the one before."""
    locked_until: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
