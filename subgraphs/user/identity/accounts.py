"""Passwords of accounts: changing one (with the current password) and resetting a forgotten one.

A reset link is a single-use token that works for an hour. Asking for one answers the same whether the
email has an account or not; when it does, the token goes out in a `user.password_reset_requested`
event, which the communication service turns into a notification. Changing or resetting a password
ends the sessions that knew the old one: all others on a change, every one on a reset.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import Conflict, InvalidInput
from subgraphs.user import events
from subgraphs.user import repository as user_repository
from subgraphs.user import service as user_service
from subgraphs.user.identity import passwords, repository, sessions, tokens
from subgraphs.user.identity.independent import IndependentWrites
from subgraphs.user.identity.models import PasswordResetToken, Revocation
from subgraphs.user.identity.tokens import TokenKind

logger = logging.getLogger(__name__)

RESET_TOKEN_LIFETIME = timedelta(hours=1)
RESET_REQUEST_INTERVAL = timedelta(minutes=1)
"""A second request within this time sends nothing: nobody's inbox can be flooded through us."""
INVALID_RESET_TOKEN = "the reset link is invalid, used or expired; ask for a new one"
WRONG_CURRENT_PASSWORD = "the current password is wrong"


async def change_password(
    session: AsyncSession,
    actor: Principal,
    *,
    writes: IndependentWrites,
    current_password: str,
    new_password: str,
) -> bool:
    # Read beside the request, like the attempt below: no request waits for a second connection holding one.
    async with writes.transaction() as side:
        me = await user_service.me(side, actor)
    chosen = passwords.check_policy(new_password, email=me.email, field="newPassword")
    # The current password is guessed through here as through login, so it counts towards the same lockout.
    attempt = await sessions.attempt_password(writes, me.email)
    now = utcnow()
    checked = attempt.admission.allowed and await passwords.verify_password(attempt.password_hash, current_password)
    if not checked or attempt.user_id != me.id:
        # While locked the password is not checked; the lockout's own error says how long to wait.
        raise attempt.admission.refusal(now, field="currentPassword") or InvalidInput(
            WRONG_CURRENT_PASSWORD, field="currentPassword"
        )
    assert attempt.password_hash is not None
    if passwords.normalize(current_password) == chosen:
        raise InvalidInput("the new password must differ from the current one", field="newPassword")
    hashed = await passwords.hash_password(chosen)
    if not await repository.replace_password_hash(
        session, me.id, old=attempt.password_hash, new=hashed, now=now, changed=True
    ):
        raise Conflict("the password was changed at the same time; sign in again", field="currentPassword")
    await repository.discard_reset_tokens(session, me.id)
    await sessions.revoke(session, me, reason=Revocation.PASSWORD_CHANGE, now=now, keep=sessions.session_id_of(actor))
    await sessions.clear_attempts(session, me.email)
    logger.info("password changed", extra={"user_id": str(me.id)})
    return True


async def request_password_reset(session: AsyncSession, *, email: str) -> None:
    """Sends a reset link if the email has an active account; says nothing either way."""
    address = email.strip().lower()
    if len(address) > 254:
        return
    user = await user_repository.user_by_email(session, address)
    if user is None or not user.is_active:
        return
    # Serialises concurrent requests for one account, so at most one link goes out per interval.
    await repository.lock_user(session, user.id)
    now = utcnow()
    newest = await repository.newest_reset_request(session, user.id)
    if newest is not None and now - newest < RESET_REQUEST_INTERVAL:
        return
    await repository.discard_reset_tokens(session, user.id)
    token = tokens.new_token(TokenKind.PASSWORD_RESET)
    expires_at = now + RESET_TOKEN_LIFETIME
    await repository.add(
        session,
        PasswordResetToken(token_hash=tokens.digest(token), user_id=user.id, created_at=now, expires_at=expires_at),
    )
    await events.password_reset_requested(session, user, token=token, expires_at=expires_at)
    logger.info("password reset requested", extra={"user_id": str(user.id)})


async def reset_password(session: AsyncSession, *, token: str, new_password: str) -> None:
    token_hash = tokens.digest_of(token, TokenKind.PASSWORD_RESET)
    found = await repository.reset_token(session, token_hash) if token_hash else None
    now = utcnow()
    if token_hash is None or found is None or found.used_at is not None or found.expires_at <= now:
        raise InvalidInput(INVALID_RESET_TOKEN, field="token")
    users = await user_repository.users_by_ids(session, [found.user_id])
    if not users or not users[0].is_active:
        raise InvalidInput(INVALID_RESET_TOKEN, field="token")
    user = users[0]
    # The policy is checked before the token is spent, so a refused password leaves the link working.
    hashed = await passwords.hash_password(passwords.check_policy(new_password, email=user.email, field="newPassword"))
    if await repository.use_reset_token(session, token_hash, now) is None:
        raise InvalidInput(INVALID_RESET_TOKEN, field="token")
    await repository.set_password(session, user.id, hashed, now)
    await repository.discard_reset_tokens(session, user.id)
    await sessions.revoke(session, user, reason=Revocation.PASSWORD_RESET, now=now)
    # Whoever reads the account's email owns it: a lockout from guesses at the old password ends here.
    await sessions.clear_attempts(session, user.email)
    logger.info("password reset", extra={"user_id": str(user.id)})
