"""The audit trail of every service, read through the admin service: each service answers `GET /audit`
for its own database (shared/audit_trail.py) and this merges their answers, newest first.

The caller's own token goes with each request, so every service applies the same rule for itself:
platform administrators read all clubs, a club administrator their own club. Nobody can alter the trail.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp

from shared.audit_trail import AuditFilter, checked, read_audit_trail, scoped
from shared.auth.principal import Principal
from shared.errors import InvalidInput
from shared.runtime import ServiceRuntime
from shared.settings import SERVICE_PORTS
from subgraphs.admin.health import HealthProbe

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    service: str
    id: uuid.UUID
    occurred_at: datetime
    actor_user_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    action: str
    entity_type: str | None
    entity_id: str | None
    request_id: str | None
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditTrailReport:
    entries: tuple[AuditRecord, ...]
    unanswered: tuple[str, ...]
    """Services that did not answer; their entries are missing from `entries`."""


async def audit_trail(
    actor: Principal,
    runtime: ServiceRuntime,
    probe: HealthProbe,
    wanted: AuditFilter,
    *,
    service: str | None,
    authorization: str,
) -> AuditTrailReport:
    wanted = scoped(actor, checked(wanted))
    if service is not None and service not in SERVICE_PORTS:
        raise InvalidInput(f"there is no service {service}", field="filter.service")
    names = [service] if service is not None else list(SERVICE_PORTS)
    answers = await asyncio.gather(*(_ask(name, runtime, probe, wanted, authorization) for name in names))
    entries = sorted(
        (entry for answer in answers if answer is not None for entry in answer),
        key=lambda entry: (entry.occurred_at, entry.id),
        reverse=True,
    )
    unanswered = tuple(name for name, answer in zip(names, answers, strict=True) if answer is None)
    return AuditTrailReport(tuple(entries[: wanted.limit]), unanswered)


async def _ask(
    name: str, runtime: ServiceRuntime, probe: HealthProbe, wanted: AuditFilter, authorization: str
) -> list[AuditRecord] | None:
    """One service's entries; None when it gave no usable answer (it is named in `unanswered`)."""
    if name == runtime.service:
        return [_record(name, raw) for raw in await read_audit_trail(runtime.engine, wanted)]
    url = runtime.settings.service_url(name).rstrip("/") + "/audit"
    try:
        status, body = await probe.get_json(url, params=wanted.as_params(), headers={"Authorization": authorization})
        if status != 200 or not isinstance(body, dict):
            raise ValueError(f"HTTP {status}")
        return [_record(name, raw) for raw in body["entries"]]
    except (TimeoutError, aiohttp.ClientError, OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("audit trail unanswered", extra={"service": name, "error": repr(error)[:200]})
        return None


def _record(service: str, raw: dict[str, Any]) -> AuditRecord:
    def identifier(value: Any) -> uuid.UUID | None:
        return uuid.UUID(value) if value else None

    return AuditRecord(
        service=service,
        id=uuid.UUID(raw["id"]),
        occurred_at=datetime.fromisoformat(raw["occurredAt"]),
        actor_user_id=identifier(raw.get("actorUserId")),
        organization_id=identifier(raw.get("organizationId")),
        action=str(raw["action"]),
        entity_type=raw.get("entityType"),
        entity_id=raw.get("entityId"),
        request_id=raw.get("requestId"),
        details=raw.get("details") or {},
    )
