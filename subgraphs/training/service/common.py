"""What every part of the training service's domain rules shares: the day, and whose records."""

from __future__ import annotations

import uuid
from datetime import date

from shared.auth.principal import Principal
from shared.errors import Forbidden
from subgraphs.training.permissions import can_write_training

MAX_LISTED_DAYS = 366


def today() -> date:
    return date.today()  # noqa: DTZ011 (a calendar day, as the club plans it)


def organization_of(actor: Principal) -> uuid.UUID | None:
    """The club whose records a caller reads: their own (every club for the platform administrator)."""
    if actor.is_platform_admin:
        return None
    if actor.organization_id is None:
        raise Forbidden("you belong to no organization")
    return actor.organization_id


def writing_organization(actor: Principal) -> uuid.UUID:
    organization = actor.require_organization()
    if not can_write_training(actor, organization):
        raise Forbidden("only physical trainers, coaches and club administrators plan training")
    return organization
