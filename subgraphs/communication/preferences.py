"""Notification preferences: per kind and channel (in-app, email, push), quiet hours in the person's time
zone (their own, else their club's, else UTC), and a daily digest instead of one email or push each.
`plan` applies them to new notifications: a muted in-app notification arrives already read, and an email
or a push is queued for now, for the end of the quiet hours, or for the next digest (sent by
`email_delivery.py` and `push_delivery.py`); an urgent one (a medical alert) goes now whatever the hour."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from shared import validation
from shared.auth.principal import Principal
from shared.database import utcnow
from shared.errors import InvalidInput, Unauthenticated
from subgraphs.communication import preferences_repository, push_repository
from subgraphs.communication.models import (
    DigestFrequency,
    EmailDelivery,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationSettings,
    PushDelivery,
)

DEFAULT_TIME_ZONE = "UTC"
"""For a person with no time zone of their own whose club's zone this service has not heard of."""
DEFAULT_DIGEST_HOUR = 7


@dataclass(frozen=True, slots=True)
class Preferences:
    user_id: uuid.UUID
    email: str | None
    time_zone: str
    quiet_hours_start: time | None
    quiet_hours_end: time | None
    digest: DigestFrequency
    digest_hour: int
    choices: dict[tuple[NotificationKind, NotificationChannel], bool] = field(default_factory=dict)

    def enabled(self, kind: NotificationKind, channel: NotificationChannel) -> bool:
        return self.choices.get((kind, channel), True)


def _me(actor: Principal) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthenticated("sign in to choose how you are notified")
    return actor.user_id


def _preferences(user_id: uuid.UUID, row: NotificationSettings | None, club_zone: str) -> Preferences:
    return Preferences(
        user_id=user_id,
        email=row.email if row else None,
        time_zone=(row.time_zone if row else None) or club_zone,
        quiet_hours_start=row.quiet_hours_start if row else None,
        quiet_hours_end=row.quiet_hours_end if row else None,
        digest=DigestFrequency(row.digest) if row else DigestFrequency.OFF,
        digest_hour=row.digest_hour if row else DEFAULT_DIGEST_HOUR,
    )


async def load(
    session: AsyncSession, user_ids: Sequence[uuid.UUID], *, organization_id: uuid.UUID | None = None
) -> dict[uuid.UUID, Preferences]:
    """The preferences of people of one club (the club's time zone for those with none of their own);
    defaults for those who chose nothing."""
    ids = list(dict.fromkeys(user_ids))
    club_zone = (
        await preferences_repository.organization_time_zone(session, organization_id) if organization_id else None
    )
    rows = {row.user_id: row for row in await preferences_repository.settings_of(session, ids)}
    found = {user: _preferences(user, rows.get(user), club_zone or DEFAULT_TIME_ZONE) for user in ids}
    for choice in await preferences_repository.preferences_of(session, ids):
        with_kind = (NotificationKind(choice.kind), NotificationChannel(choice.channel))
        found[choice.user_id].choices[with_kind] = choice.enabled
    return found


async def my_preferences(session: AsyncSession, actor: Principal) -> Preferences:
    me = _me(actor)
    return (await load(session, [me], organization_id=actor.organization_id))[me]


async def update_preferences(
    session: AsyncSession,
    actor: Principal,
    *,
    time_zone: str | None,
    quiet_hours_start: time | None,
    quiet_hours_end: time | None,
    digest: DigestFrequency,
    digest_hour: int,
    choices: Sequence[tuple[NotificationKind, NotificationChannel, bool]],
) -> Preferences:
    """Replace the caller's settings and set the channel choices given (others stay). Emails go to the
    address the caller signed in with."""
    me = _me(actor)
    zone = validation.time_zone(time_zone, field="timeZone") if time_zone else None
    for value, name in ((quiet_hours_start, "quietHoursStart"), (quiet_hours_end, "quietHoursEnd")):
        if value is not None and value.tzinfo is not None:
            raise InvalidInput("quiet hours are on the person's own clock: a time without an offset", field=name)
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        raise InvalidInput("quiet hours need a start and an end", field="quietHoursEnd")
    if quiet_hours_start is not None and quiet_hours_start == quiet_hours_end:
        raise InvalidInput("quiet hours end at another time than they start", field="quietHoursEnd")
    hour = validation.integer(digest_hour, field="digestHour", minimum=0, maximum=23)
    await preferences_repository.save_settings(
        session,
        {
            "user_id": me,
            "email": actor.email,
            "time_zone": zone,
            "quiet_hours_start": quiet_hours_start,
            "quiet_hours_end": quiet_hours_end,
            "digest": digest.value,
            "digest_hour": hour,
            "updated_at": utcnow(),
        },
    )
    unique = {(kind, channel): enabled for kind, channel, enabled in choices}
    await preferences_repository.save_preferences(
        session, me, [(kind.value, channel.value, enabled) for (kind, channel), enabled in unique.items()]
    )
    return await my_preferences(session, actor)


# Applying them -----------------------------------------------------------------------------------------


def _next_local(now: datetime, zone: ZoneInfo, at: time) -> datetime:
    """The next moment (after now) the person's clock shows `at`."""
    local = now.astimezone(zone)
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate.astimezone(UTC)


def quiet_until(preferences: Preferences, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if they are in them now; None otherwise."""
    start, end = preferences.quiet_hours_start, preferences.quiet_hours_end
    if start is None or end is None:
        return None
    zone = ZoneInfo(preferences.time_zone)
    clock = now.astimezone(zone).time().replace(tzinfo=None)
    quiet = start <= clock < end if start < end else (clock >= start or clock < end)
    return _next_local(now, zone, end) if quiet else None


def next_digest(preferences: Preferences, now: datetime) -> datetime:
    return _next_local(now, ZoneInfo(preferences.time_zone), time(preferences.digest_hour))


@dataclass(frozen=True, slots=True)
class Plan:
    muted: set[uuid.UUID]
    """Recipients who turned this kind off in the app: their notification arrives read."""
    push: set[uuid.UUID]
    """Recipients who want it pushed (told to the push sender through the event)."""


async def plan(session: AsyncSession, user_ids: Sequence[uuid.UUID], kind: NotificationKind) -> Plan:
    found = await load(session, user_ids)
    return Plan(
        muted={user for user, p in found.items() if not p.enabled(kind, NotificationChannel.IN_APP)},
        push={user for user, p in found.items() if p.enabled(kind, NotificationChannel.PUSH)},
    )


def when(preferences: Preferences, now: datetime, *, urgent: bool = False) -> tuple[datetime, bool]:
    """When an email or a push goes out, and whether in the digest: in the next digest for those who
    chose one, else at the end of the quiet hours, else now. Urgent ones go now."""
    if urgent:
        return now, False
    if preferences.digest is DigestFrequency.DAILY:
        return next_digest(preferences, now), True
    return quiet_until(preferences, now) or now, False


async def _recipients(session: AsyncSession, notifications: Sequence[Notification]) -> dict[uuid.UUID, Preferences]:
    found: dict[uuid.UUID, Preferences] = {}
    for organization_id in dict.fromkeys(notification.organization_id for notification in notifications):
        users = [
            notification.user_id for notification in notifications if notification.organization_id == organization_id
        ]
        found |= await load(session, users, organization_id=organization_id)
    return found


async def queue_emails(
    session: AsyncSession, notifications: Sequence[Notification], now: datetime, *, urgent: bool = False
) -> None:
    """An email for each notification whose recipient wants this kind by email and has an address: now,
    after their quiet hours, or in their next digest."""
    if not notifications:
        return
    found = await _recipients(session, notifications)
    deliveries = []
    for notification in notifications:
        person = found[notification.user_id]
        if person.email is None or not person.enabled(notification.kind, NotificationChannel.EMAIL):
            continue
        due, in_digest = when(person, now, urgent=urgent)
        deliveries.append(
            EmailDelivery(
                notification_id=notification.id,
                user_id=notification.user_id,
                address=person.email,
                due_at=due,
                in_digest=in_digest,
            )
        )
    await preferences_repository.add_deliveries(session, deliveries)


async def queue_pushes(
    session: AsyncSession, notifications: Sequence[Notification], now: datetime, *, urgent: bool = False
) -> bool:
    """A push to each device of each recipient who wants this kind pushed, timed as emails are; whether
    one is due now (the push sender is woken)."""
    if not notifications:
        return False
    found = await _recipients(session, notifications)
    wanted = [
        notification
        for notification in notifications
        if found[notification.user_id].enabled(notification.kind, NotificationChannel.PUSH)
    ]
    devices = await push_repository.subscription_ids_of(session, [n.user_id for n in wanted])
    deliveries = []
    for notification in wanted:
        due, in_digest = when(found[notification.user_id], now, urgent=urgent)
        deliveries += [
            PushDelivery(
                notification_id=notification.id,
                subscription_id=device,
                due_at=due,
                in_digest=in_digest,
                urgent=urgent,
            )
            for device in devices.get(notification.user_id, [])
        ]
    await preferences_repository.add_deliveries(session, deliveries)
    return any(delivery.due_at <= now for delivery in deliveries)
