"""Signing in and out: login, refresh-token rotation with theft detection, logout and revocation.

A sign-in session is a family of refresh tokens. Each refresh token works once and is exchanged for the
next; presenting one that was already exchanged means two parties hold the session, so the whole family
ends (RFC 9700, 4.14.2) and a `user.sessions_revoked` event tells verifiers to refuse its access tokens.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.auth.tokens import TokenIssuer
from shared.database import utcnow
from shared.errors import DomainError, Forbidden, NotFound, Unauthenticated, not_found
from subgraphs.user import events
from subgraphs.user import repository as user_repository
from subgraphs.user import service as user_service
from subgraphs.user.identity import passwords, repository, throttle, tokens
from subgraphs.user.identity.independent import IndependentWrites
from subgraphs.user.identity.models import RefreshToken, Revocation, SignInSession
from subgraphs.user.identity.tokens import TokenKind
from subgraphs.user.models import User
from subgraphs.user.permissions import can_manage_organization

logger = logging.getLogger(__name__)

REFRESH_TOKEN_LIFETIME = timedelta(days=7)
USER_AGENT_MAX_LENGTH = 300

WRONG_CREDENTIALS = "email or password is wrong"
"""The one answer to every failed login: unknown email, wrong password, no password yet, inactive account.
A locked email answers TOO_MANY_ATTEMPTS instead, known or not, so that tells nothing either."""
INVALID_REFRESH_TOKEN = "the refresh token is invalid, expired or revoked; sign in again"


@dataclass(frozen=True, slots=True)
class SignIn:
    """What a client keeps after signing in: a short access token and the refresh token behind it."""

    user_id: uuid.UUID
    session: SignInSession
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime


def _refused(admission: throttle.Admission, now: datetime) -> DomainError:
    return admission.refusal(now) or Unauthenticated(WRONG_CREDENTIALS)


@dataclass(frozen=True, slots=True)
class Attempt:
    """A counted password attempt and what it is checked against, read in the attempt's own transaction."""

    admission: throttle.Admission
    user_id: uuid.UUID | None
    password_hash: str | None
    """None when the password is not checked against a real hash: locked, unknown, inactive, no password."""


async def attempt_password(writes: IndependentWrites, email: str) -> Attempt:
    """Counts a password attempt for the email (committed at once) and reads the account's hash.

    Everything the check needs is read here, in the short transaction of its own, so the slow hash check
    runs holding no database connection, and no request holds its own connection while it waits for
    this one (enough sign-ins at once would otherwise take every connection and wait for each other).
    """
    address = email.strip().lower()
    now = utcnow()
    async with writes.transaction() as side:
        admission = throttle.admit(await repository.throttle_for_update(side, tokens.email_digest(address), now), now)
        if not admission.allowed or len(address) > 254:
            return Attempt(admission, None, None)
        user = await user_repository.user_by_email(side, address)
        if user is None or not user.is_active:
            return Attempt(admission, None, None)
        credential = await repository.credential(side, user.id)
        return Attempt(admission, user.id, credential.password_hash if credential else None)


async def clear_attempts(session: AsyncSession, email: str) -> None:
    """Forgets the email's failed attempts, in the caller's transaction: only a success clears them."""
    await repository.clear_throttle(session, tokens.email_digest(email))


async def login(
    session: AsyncSession,
    *,
    writes: IndependentWrites,
    issuer: TokenIssuer,
    email: str,
    password: str,
    user_agent: str | None = None,
) -> SignIn:
    address = email.strip().lower()
    attempt = await attempt_password(writes, address)
    now = utcnow()
    if not attempt.admission.allowed:
        logger.info("login refused: locked", extra={"retry_after": attempt.admission.retry_after_seconds(now)})
        raise _refused(attempt.admission, now)
    # Verified even without a hash (against a dummy one), so that no answer comes sooner than another.
    if not await passwords.verify_password(attempt.password_hash, password):
        logger.info("login refused", extra={"user_id": str(attempt.user_id) if attempt.user_id else None})
        raise _refused(attempt.admission, now)
    assert attempt.user_id is not None
    assert attempt.password_hash is not None
    users = await user_repository.users_by_ids(session, [attempt.user_id])
    if not users or not users[0].is_active:  # deactivated while the password was being checked
        raise _refused(attempt.admission, now)
    user = users[0]
    if passwords.needs_rehash(attempt.password_hash):
        upgraded = await passwords.hash_password(password)
        await repository.replace_password_hash(
            session, user.id, old=attempt.password_hash, new=upgraded, now=now, changed=False
        )
    signed_in = await open_session(session, issuer, user, user_agent=user_agent)
    await clear_attempts(session, address)
    return signed_in


async def open_session(
    session: AsyncSession, issuer: TokenIssuer, user: User, *, user_agent: str | None = None
) -> SignIn:
    """A new sign-in session for an active user who proved who they are, with its first token pair."""
    now = utcnow()
    family = SignInSession(
        id=uuid.uuid4(),
        user_id=user.id,
        created_at=now,
        last_used_at=now,
        expires_at=now + REFRESH_TOKEN_LIFETIME,
        user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH] or None,
    )
    refresh_token = tokens.new_token(TokenKind.REFRESH)
    await repository.add(
        session,
        family,
        RefreshToken(
            token_hash=tokens.digest(refresh_token), session_id=family.id, issued_at=now, expires_at=family.expires_at
        ),
    )
    return await _signed_in(session, issuer, user, family, refresh_token)


async def _signed_in(
    session: AsyncSession, issuer: TokenIssuer, user: User, family: SignInSession, refresh_token: str
) -> SignIn:
    principal = await user_service.principal_for_email(session, user.email)
    access_token = issuer.issue(principal, session_id=str(family.id))
    expires = jwt.decode(access_token, options={"verify_signature": False})["exp"]
    return SignIn(
        user_id=user.id,
        session=family,
        access_token=access_token,
        access_token_expires_at=datetime.fromtimestamp(expires, UTC),
        refresh_token=refresh_token,
        refresh_token_expires_at=family.expires_at,
    )


async def refresh(
    session: AsyncSession, *, writes: IndependentWrites, issuer: TokenIssuer, refresh_token: str
) -> SignIn:
    """A new token pair for a refresh token, which stops working; a second use ends its session."""
    token_hash = tokens.digest_of(refresh_token, TokenKind.REFRESH)
    if token_hash is None:
        raise Unauthenticated(INVALID_REFRESH_TOKEN)
    now = utcnow()
    # Checked in a transaction of its own first, before this request holds a connection (see
    # `attempt_password`): a replayed token's session ends there, committed whatever happens next.
    if not await _exchangeable(writes, token_hash, now):
        raise Unauthenticated(INVALID_REFRESH_TOKEN)
    session_id = await repository.use_refresh_token(session, token_hash, now)
    if session_id is None:
        # Exchanged by a concurrent request meanwhile: a replay too. Rare enough to check holding a connection.
        await _exchangeable(writes, token_hash, now)
        raise Unauthenticated(INVALID_REFRESH_TOKEN)
    family = await repository.sign_in_session(session, session_id, for_update=True)
    if family is None or family.revoked_at is not None:
        raise Unauthenticated(INVALID_REFRESH_TOKEN)
    users = await user_repository.users_by_ids(session, [family.user_id])
    if not users or not users[0].is_active:
        raise Unauthenticated(INVALID_REFRESH_TOKEN)
    family.last_used_at = now
    family.expires_at = now + REFRESH_TOKEN_LIFETIME
    next_token = tokens.new_token(TokenKind.REFRESH)
    await repository.add(
        session,
        RefreshToken(
            token_hash=tokens.digest(next_token), session_id=family.id, issued_at=now, expires_at=family.expires_at
        ),
    )
    return await _signed_in(session, issuer, users[0], family, next_token)


async def _exchangeable(writes: IndependentWrites, token_hash: bytes, now: datetime) -> bool:
    """Whether the refresh token is known, unused and unexpired. One that was exchanged already is being
    replayed: its whole session is revoked here, in a transaction of its own."""
    async with writes.transaction() as side:
        token = await repository.refresh_token(side, token_hash)
        if token is None:
            return False
        if token.used_at is None:
            return token.expires_at > now
        family = await repository.sign_in_session(side, token.session_id, for_update=True)
        if family is None or family.revoked_at is not None:
            return False
        users = await user_repository.users_by_ids(side, [family.user_id])
        logger.warning(
            "refresh token replayed; its session is revoked",
            extra={"user_id": str(family.user_id), "session_id": str(family.id)},
        )
        await revoke(side, users[0], reason=Revocation.TOKEN_REUSE, now=now, only=[family.id])
        return False


async def revoke(
    session: AsyncSession,
    user: User,
    *,
    reason: Revocation,
    now: datetime | None = None,
    only: list[uuid.UUID] | None = None,
    keep: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Ends sessions of the user and announces it; the ids ended."""
    now = now or utcnow()
    ended = await repository.revoke_sessions(session, user_id=user.id, reason=reason, now=now, only=only, keep=keep)
    if ended:
        await events.sessions_revoked(session, user, session_ids=ended, revoked_at=now, reason=reason.value)
    return ended


def session_id_of(actor: Principal) -> uuid.UUID | None:
    """The sign-in session of the caller's access token (development tokens have none)."""
    if actor.session_id is None:
        return None
    try:
        return uuid.UUID(actor.session_id)
    except ValueError:
        return None


async def logout(session: AsyncSession, actor: Principal, *, refresh_token: str | None = None) -> bool:
    """Ends the caller's current session, or the one of a refresh token of theirs; whether one ended."""
    me = await user_service.me(session, actor)
    target = session_id_of(actor)
    if refresh_token is not None:
        token_hash = tokens.digest_of(refresh_token, TokenKind.REFRESH)
        token = await repository.refresh_token(session, token_hash) if token_hash else None
        target = token.session_id if token else None
    if target is None:
        return False
    return bool(await revoke(session, me, reason=Revocation.LOGOUT, only=[target]))


def _may_revoke(actor: Principal, user: User) -> bool:
    return actor.user_id == user.id or can_manage_organization(actor, user.organization_id)


async def revoke_user_sessions(session: AsyncSession, actor: Principal, user_id: uuid.UUID) -> int:
    """Signs a user out everywhere: the user themselves, a club administrator of theirs, a platform admin."""
    user = await user_service.get_user(session, actor, user_id)
    if not _may_revoke(actor, user):
        raise Forbidden("only a club administrator signs other people out")
    return len(await revoke(session, user, reason=Revocation.REVOKED))


async def revoke_session(session: AsyncSession, actor: Principal, session_id: uuid.UUID) -> SignInSession:
    family = await repository.sign_in_session(session, session_id)
    if family is None:
        raise not_found("SignInSession", session_id)
    try:
        user = await user_service.get_user(session, actor, family.user_id)
    except NotFound:
        raise not_found("SignInSession", session_id) from None
    if not _may_revoke(actor, user):
        raise Forbidden("only a club administrator signs other people out")
    await revoke(session, user, reason=Revocation.REVOKED, only=[family.id])
    await session.refresh(family)
    return family


async def my_sessions(session: AsyncSession, actor: Principal) -> list[SignInSession]:
    me = await user_service.me(session, actor)
    return await repository.active_sessions(session, me.id, utcnow())
