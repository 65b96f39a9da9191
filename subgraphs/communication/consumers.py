"""Events of other services that become notifications here."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import utcnow
from shared.events import Event
from shared.events.consumer import DomainHandler
from subgraphs.communication import service
from subgraphs.communication.models import NotificationKind

logger = logging.getLogger(__name__)

PASSWORD_RESET_REQUESTED = "user.password_reset_requested"
"""From the user service: someone asked for a password-reset link of an account."""

RESET_PASSWORD_PATH = "/reset-password"


async def password_reset_requested(session: AsyncSession, event: Event) -> None:
    """Delivers the reset link to the account's owner, and to nobody else."""
    data = event.data
    user_id = uuid.UUID(str(data["user_id"]))
    expires_at = datetime.fromisoformat(str(data["expires_at"]))
    if expires_at <= utcnow():
        logger.info("expired password-reset link not delivered", extra={"event_id": str(event.id)})
        return
    name = str(data.get("first_name") or "").strip()
    await service.create_notifications(
        session,
        organization_id=event.organization_id,
        user_ids=[user_id],
        kind=NotificationKind.SYSTEM,
        title="Reset your Hockey Hub password",
        body=(
            f"{'Hi ' + name + ', s' if name else 'S'}omeone asked to reset the password of {data['email']}. "
            f"Open the link before {expires_at:%Y-%m-%d %H:%M} UTC to choose a new one; it works once. "
            "If it was not you, ignore this: your password stays as it is."
        ),
        link=f"{RESET_PASSWORD_PATH}?token={quote(str(data['token']), safe='')}",
    )


EVENT_HANDLERS: dict[str, DomainHandler] = {PASSWORD_RESET_REQUESTED: password_reset_requested}
