"""All SQL of identity. Single-use tokens are consumed by one conditional UPDATE each, so two requests
racing with the same token never both succeed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.user.identity.models import (
    Credential,
    Invitation,
    LoginThrottle,
    PasswordResetToken,
    RefreshToken,
    Revocation,
    SignInSession,
)
from subgraphs.user.models import User

# Throttles -----------------------------------------------------------------------------------------------


async def throttle_for_update(session: AsyncSession, email_digest: bytes, now: datetime) -> LoginThrottle:
    """The email's throttle, created if new, locked until the transaction ends."""
    await session.execute(
        insert(LoginThrottle)
        .values(email_digest=email_digest, failures=0, lockouts=0, last_attempt_at=now)
        .on_conflict_do_nothing()
    )
    found = await session.scalars(
        select(LoginThrottle).where(LoginThrottle.email_digest == email_digest).with_for_update()
    )
    return found.one()


async def clear_throttle(session: AsyncSession, email_digest: bytes) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.email_digest == email_digest))


async def lock_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Serialises identity changes of one account until the transaction ends."""
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())


# Credentials -------------------------------------------------------------------------------------------


async def credential(session: AsyncSession, user_id: uuid.UUID) -> Credential | None:
    return await session.get(Credential, user_id)


async def set_password(session: AsyncSession, user_id: uuid.UUID, password_hash: str, now: datetime) -> None:
    statement = insert(Credential).values(user_id=user_id, password_hash=password_hash, password_changed_at=now)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Credential.user_id],
            set_={"password_hash": password_hash, "password_changed_at": now, "updated_at": now},
        )
    )


async def replace_password_hash(
    session: AsyncSession, user_id: uuid.UUID, *, old: str, new: str, now: datetime, changed: bool
) -> bool:
    """Swap the hash only if it is still `old`: a password changed meanwhile is never overwritten."""
    values: dict[str, Any] = {"password_hash": new, "updated_at": now}
    if changed:
        values["password_changed_at"] = now
    result = await session.execute(
        update(Credential)
        .where(Credential.user_id == user_id, Credential.password_hash == old)
        .values(**values)
        .returning(Credential.user_id)
    )
    return result.first() is not None


# Sessions and refresh tokens ---------------------------------------------------------------------------


async def add(session: AsyncSession, *records: object) -> None:
    """Insert in the order given (a session before its refresh token)."""
    for record in records:
        session.add(record)
        await session.flush()


async def use_refresh_token(session: AsyncSession, token_hash: bytes, now: datetime) -> uuid.UUID | None:
    """Marks an unused, unexpired refresh token used; its session's id, or None if it was not such a token."""
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.token_hash == token_hash, RefreshToken.used_at.is_(None), RefreshToken.expires_at > now)
        .values(used_at=now)
        .returning(RefreshToken.session_id)
    )
    return result.scalar_one_or_none()


async def refresh_token(session: AsyncSession, token_hash: bytes) -> RefreshToken | None:
    return await session.get(RefreshToken, token_hash)


async def sign_in_session(
    session: AsyncSession, session_id: uuid.UUID, *, for_update: bool = False
) -> SignInSession | None:
    query = select(SignInSession).where(SignInSession.id == session_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def active_sessions(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> list[SignInSession]:
    return list(
        await session.scalars(
            select(SignInSession)
            .where(
                SignInSession.user_id == user_id,
                SignInSession.revoked_at.is_(None),
                SignInSession.expires_at > now,
            )
            .order_by(SignInSession.last_used_at.desc(), SignInSession.id)
        )
    )


async def revoke_sessions(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    reason: Revocation,
    now: datetime,
    only: Sequence[uuid.UUID] | None = None,
    keep: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Ends the user's live sessions (or `only` those of them, or all but `keep`); the ids it ended."""
    statement = update(SignInSession).where(
        SignInSession.user_id == user_id,
        SignInSession.revoked_at.is_(None),
        SignInSession.expires_at > now,
    )
    if only is not None:
        statement = statement.where(SignInSession.id.in_(only))
    if keep is not None:
        statement = statement.where(SignInSession.id != keep)
    result = await session.execute(statement.values(revoked_at=now, revoked_reason=reason).returning(SignInSession.id))
    return sorted(result.scalars())


# Password reset tokens ---------------------------------------------------------------------------------


async def newest_reset_request(session: AsyncSession, user_id: uuid.UUID) -> datetime | None:
    return await session.scalar(
        select(PasswordResetToken.created_at)
        .where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
        .order_by(PasswordResetToken.created_at.desc())
        .limit(1)
    )


async def discard_reset_tokens(session: AsyncSession, user_id: uuid.UUID) -> None:
    """The user's reset links stop working (a newer one was sent, or the password changed)."""
    await session.execute(delete(PasswordResetToken).where(PasswordResetToken.user_id == user_id))


async def reset_token(session: AsyncSession, token_hash: bytes) -> PasswordResetToken | None:
    return await session.get(PasswordResetToken, token_hash)


async def use_reset_token(session: AsyncSession, token_hash: bytes, now: datetime) -> uuid.UUID | None:
    result = await session.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.token_hash == token_hash,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(PasswordResetToken.user_id)
    )
    return result.scalar_one_or_none()


# Invitations -------------------------------------------------------------------------------------------


async def put_invitation(session: AsyncSession, values: dict[str, Any]) -> Invitation:
    """Creates the club's invitation of the email, or replaces it (a new token, terms and expiry)."""
    statement = insert(Invitation).values(**values)
    replaced = {name: statement.excluded[name] for name in values if name not in ("id", "organization_id", "email")}
    result = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Invitation.organization_id, Invitation.email],
            set_={**replaced, "accepted_at": None, "accepted_by_user_id": None, "updated_at": func.now()},
        ).returning(Invitation.id)
    )
    invitation_id = result.scalar_one()
    found = await session.scalars(
        select(Invitation).where(Invitation.id == invitation_id).execution_options(populate_existing=True)
    )
    return found.one()


async def invitation_by_token(session: AsyncSession, token_hash: bytes) -> Invitation | None:
    return (await session.scalars(select(Invitation).where(Invitation.token_hash == token_hash))).first()


async def pending_invitations(session: AsyncSession, organization_id: uuid.UUID, now: datetime) -> list[Invitation]:
    return list(
        await session.scalars(
            select(Invitation)
            .where(
                Invitation.organization_id == organization_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.email)
        )
    )


async def use_invitation(session: AsyncSession, invitation_id: uuid.UUID, token_hash: bytes, now: datetime) -> bool:
    """Marks a pending, unexpired invitation accepted, if its token is still the one given."""
    result = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.token_hash == token_hash,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now)
        .returning(Invitation.id)
    )
    return result.first() is not None
