"""Input checks the calendar's services share: the acting organization and time ranges."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from shared.auth.principal import Principal
from shared.errors import Forbidden, InvalidInput

MAX_WINDOW = timedelta(days=370)
"""The longest range one calendar read may ask for."""


def aware(value: datetime, *, field: str) -> datetime:
    """An instant with an offset, in UTC (as it is stored and read back); a bare wall-clock time is
    ambiguous across time zones."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{field} must carry a time zone offset, e.g. 2026-01-15T17:00:00+01:00", field=field)
    return value.astimezone(UTC)


def window(starts: datetime, ends: datetime) -> tuple[datetime, datetime]:
    """A read range: both ends with an offset, in order, at most MAX_WINDOW long."""
    starts, ends = aware(starts, field="from"), aware(ends, field="to")
    if ends <= starts:
        raise InvalidInput("to must be after from", field="to")
    if ends - starts > MAX_WINDOW:
        raise InvalidInput(f"the range may span at most {MAX_WINDOW.days} days", field="to")
    return starts, ends


def acting_organization(actor: Principal, organization_id: uuid.UUID | None) -> uuid.UUID:
    if organization_id is not None and organization_id != actor.organization_id:
        if not actor.is_platform_admin:
            raise Forbidden("you can only act within your own organization")
        return organization_id
    return actor.require_organization()
