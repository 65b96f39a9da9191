"""Rules the scheduling services share: limits, input checks, what a change returns."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal, Role
from shared.errors import InvalidInput
from subgraphs.calendar import repository
from subgraphs.calendar.models import (
    AttendeeRole,
    BookingStatus,
    CalendarEvent,
    CalendarResource,
    Visibility,
)
from subgraphs.calendar.permissions import can_manage_resources
from subgraphs.calendar.service.common import aware
from subgraphs.calendar.service.conflicts import SchedulingWarning, Span
from subgraphs.calendar.service.occurrences import Occurrence, of_row, series_times

MAX_EVENT_LENGTH = timedelta(days=14)
"""Longer than any camp or tournament trip: a longer event is a typo in a date."""
MAX_ATTENDEES = 300
MAX_REMINDERS = 5
MAX_REMINDER_MINUTES = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class EventResult:
    occurrence: Occurrence
    warnings: list[SchedulingWarning] = field(default_factory=list)

    @property
    def event(self) -> CalendarEvent:
        return self.occurrence.row


def event_times(
    starts_at: datetime, ends_at: datetime, *, start_field: str = "startsAt", end_field: str = "endsAt"
) -> tuple[datetime, datetime]:
    starts_at, ends_at = aware(starts_at, field=start_field), aware(ends_at, field=end_field)
    if ends_at <= starts_at:
        raise InvalidInput(f"{end_field} must be after {start_field}", field=end_field)
    if ends_at - starts_at > MAX_EVENT_LENGTH:
        raise InvalidInput(f"an event lasts at most {MAX_EVENT_LENGTH.days} days", field=end_field)
    return starts_at, ends_at


def attendee_id_list(user_ids: Iterable[uuid.UUID], *, field: str) -> list[uuid.UUID]:
    unique = list(dict.fromkeys(user_ids))
    if len(unique) > MAX_ATTENDEES:
        raise InvalidInput(f"an event has at most {MAX_ATTENDEES} attendees", field=field)
    return unique


def reminder_list(minutes: Sequence[int] | None) -> list[int] | None:
    """Minutes before the start, distinct and largest first; null keeps the defaults of the kind."""
    if minutes is None:
        return None
    if len(minutes) > MAX_REMINDERS:
        raise InvalidInput(f"at most {MAX_REMINDERS} reminders", field="reminderMinutes")
    for value in minutes:
        validation.integer(value, field="reminderMinutes", minimum=0, maximum=MAX_REMINDER_MINUTES)
    return sorted(set(minutes), reverse=True)


def visibility_of(visibility: Visibility, roles: Sequence[str] | None) -> tuple[Visibility, list[str] | None]:
    if visibility is Visibility.ROLES:
        if not roles:
            raise InvalidInput("name the roles that may see a role-restricted event", field="visibleToRoles")
        known = {role.value for role in Role}
        unknown = [role for role in roles if role not in known]
        if unknown:
            raise InvalidInput(f"unknown roles {unknown}; use e.g. coach, medical_staff", field="visibleToRoles")
        return visibility, sorted(set(roles))
    return visibility, None


def booking_status(actor: Principal, resource: CalendarResource | None) -> BookingStatus | None:
    """A resource that needs approval is held as pending, unless its manager books it themselves."""
    if resource is None:
        return None
    if resource.requires_approval and not can_manage_resources(actor, resource.organization_id):
        return BookingStatus.PENDING
    return BookingStatus.CONFIRMED


def spans(row: CalendarEvent, exceptions: Sequence[CalendarEvent]) -> list[Span]:
    return series_times(row, exceptions) if row.recurrence_rule else [(row.starts_at, row.ends_at)]


async def attendee_ids(session: AsyncSession, event_id: uuid.UUID) -> list[uuid.UUID]:
    return [row.user_id for row in await repository.attendees_of_events(session, [event_id])]


def invited_role(role: AttendeeRole) -> AttendeeRole:
    if role is AttendeeRole.ORGANIZER:
        raise InvalidInput("the organizer is whoever schedules the event", field="attendees")
    return role


def detail_changes(changes: Mapping[str, Any], row: CalendarEvent) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = validation.text(validation.required(changes, "title"), field="title", max_length=200)
    if "description" in changes:
        values["description"] = validation.optional_text(changes["description"], field="description", max_length=5000)
    if "kind" in changes:
        values["kind"] = validation.required(changes, "kind")
    if "team_id" in changes:
        values["team_id"] = changes["team_id"]
    if "location" in changes:
        values["location"] = validation.optional_text(changes["location"], field="location", max_length=200)
    if "reminder_minutes" in changes:
        values["reminder_minutes"] = reminder_list(changes["reminder_minutes"])
    if "visibility" in changes or "visible_to_roles" in changes:
        shown, roles = visibility_of(
            changes.get("visibility") or row.visibility, changes.get("visible_to_roles", row.visible_to_roles)
        )
        values["visibility"], values["visible_to_roles"] = shown, roles
    return values


def shown_after(found: Occurrence, row: CalendarEvent) -> Occurrence:
    """What a change returns: the occurrence it was asked about, as it is now (or the changed row)."""
    if row.recurrence_rule is not None and found.original_starts_at is not None:
        if found.original_starts_at == row.starts_at or row.id != found.row.id:
            return Occurrence(row, row.starts_at, row.ends_at, row.starts_at)
        duration = row.ends_at - row.starts_at
        return Occurrence(row, found.original_starts_at, found.original_starts_at + duration, found.original_starts_at)
    return of_row(row)
