"""Events the admin service publishes: services that cache flag values drop them on `feature_flag.changed`."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import record_event
from subgraphs.admin.models import FeatureFlag

PRODUCER = "admin"

FEATURE_FLAG_CHANGED = "feature_flag.changed"
ORGANIZATION_SETTING_CHANGED = "organization_setting.changed"


async def feature_flag_changed(
    session: AsyncSession,
    flag: FeatureFlag,
    *,
    change: str,
    organization_id: uuid.UUID | None = None,
    enabled: bool | None = None,
) -> None:
    """`change` is defined, updated, override_set or override_cleared; `enabled` is the value now in
    effect for `organization_id` (or the default, for a change to the flag itself)."""
    await record_event(
        session,
        producer=PRODUCER,
        type=FEATURE_FLAG_CHANGED,
        data={
            "key": flag.key,
            "change": change,
            "default_enabled": flag.default_enabled,
            "organization_id": organization_id,
            "enabled": flag.default_enabled if enabled is None else enabled,
        },
        organization_id=organization_id,
    )


async def organization_setting_changed(
    session: AsyncSession, *, organization_id: uuid.UUID, key: str, value: Any, is_default: bool
) -> None:
    await record_event(
        session,
        producer=PRODUCER,
        type=ORGANIZATION_SETTING_CHANGED,
        data={"key": key, "value": value, "is_default": is_default},
        organization_id=organization_id,
    )
