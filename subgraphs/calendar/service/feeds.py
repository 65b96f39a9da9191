"""Calendar subscriptions and exports: an iCalendar feed (RFC 5545) per user and per team behind a secret
URL, and a CSV export of a range.

The URL's token is shown once, when the feed is made; only its SHA-256 is stored, so a leaked database
does not leak feeds, and revoking the feed ends it at once. Series go out as one VEVENT with its RRULE in
the series' zone (with its VTIMEZONE), cancelled occurrences as EXDATE (one property), and changed occurrences as their
own VEVENT with the series' UID and a RECURRENCE-ID; single events in UTC.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Principal, Role
from shared.database.models import utcnow
from shared.errors import Forbidden, NotFound, not_found
from subgraphs.calendar import repository
from subgraphs.calendar.models import CalendarEvent, CalendarEventStatus, FeedToken
from subgraphs.calendar.permissions import sees_all_events
from subgraphs.calendar.service.common import acting_organization
from subgraphs.calendar.service.scheduling import list_events
from subgraphs.calendar.service.targets import teams_of_children, teams_seen_by

FEED_PAST = timedelta(days=60)
FEED_FUTURE = timedelta(days=300)
"""What a feed holds around today (single events; a series goes out whole)."""
PRODID = "-//Hockey Hub//Calendar//EN"


@dataclass(frozen=True, slots=True)
class NewFeed:
    feed: FeedToken
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_feed(session: AsyncSession, actor: Principal, *, team_id: uuid.UUID | None = None) -> NewFeed:
    """A feed of the caller's calendar, or of a team's they belong to (or, as staff, any team's)."""
    organization = acting_organization(actor, None)
    if actor.user_id is None:
        raise Forbidden("sign in to subscribe to a calendar")
    teams = await teams_seen_by(session, actor)
    if team_id is not None and not (team_id in teams or sees_all_events(actor, organization)):
        raise Forbidden("only the team's members, their parents and the club's staff subscribe to its calendar")
    token = secrets.token_urlsafe(32)
    feed = FeedToken(
        id=uuid.uuid4(),
        token_hash=_hash(token),
        organization_id=organization,
        user_id=actor.user_id,
        team_id=team_id,
        team_ids=sorted(actor.team_ids),
        child_ids=sorted(actor.children),
        roles=sorted(role.value for role in actor.roles),
        is_staff=sees_all_events(actor, organization),
        created_at=utcnow(),
    )
    session.add(feed)
    await session.flush()
    return NewFeed(feed, token)


async def my_feeds(session: AsyncSession, actor: Principal) -> list[FeedToken]:
    if actor.user_id is None:
        return []
    return await repository.feeds_of_user(session, actor.user_id)


async def revoke_feed(session: AsyncSession, actor: Principal, feed_id: uuid.UUID) -> FeedToken:
    """Its owner (or a club administrator of the club) ends the feed; revoking twice is harmless."""
    feed = await repository.feed(session, feed_id)
    if feed is None or not actor.in_organization(feed.organization_id):
        raise not_found("CalendarFeed", feed_id)
    if feed.user_id != actor.user_id and not (actor.is_platform_admin or actor.has_role(Role.CLUB_ADMIN)):
        raise not_found("CalendarFeed", feed_id)
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        await session.flush()
    return feed


# A feed's access is a snapshot of its owner's when it was made (a calendar app fetches it without signing
# in); these keep it from outliving the access itself. They only ever narrow a feed, so an event that
# arrives late or out of order can at worst take away more than needed (the owner makes a new feed),
# never give back what was taken.


async def _teams_of(session: AsyncSession, feed: FeedToken) -> set[uuid.UUID]:
    """The teams a personal feed shows as its owner's: theirs, and their children's now."""
    return set(feed.team_ids) | await teams_of_children(session, feed.child_ids)


async def _close_team_feeds_outgrown(session: AsyncSession, feeds: Sequence[FeedToken]) -> None:
    """A team's feed its owner made as a member (or a member's parent), not as staff, ends with that tie."""
    for feed in feeds:
        if feed.revoked_at is not None or feed.team_id is None or feed.is_staff:
            continue
        if feed.team_id not in await _teams_of(session, feed):
            feed.revoked_at = utcnow()


async def end_feeds_of(session: AsyncSession, user_id: uuid.UUID) -> None:
    """The person's account was deactivated: every feed they made ends."""
    now = utcnow()
    for feed in await repository.feeds_of_user(session, user_id):
        if feed.revoked_at is None:
            feed.revoked_at = now
    await session.flush()


async def narrow_feeds_to_roles(session: AsyncSession, user_id: uuid.UUID, roles: Collection[str]) -> None:
    """The person's roles changed: their feeds keep only the roles they still have, and the whole club's
    calendar only while those make them staff."""
    known = {role.value: role for role in Role}
    feeds = [feed for feed in await repository.feeds_of_user(session, user_id) if feed.revoked_at is None]
    for feed in feeds:
        kept = [role for role in feed.roles if role in roles and role in known]
        holder = Principal(
            user_id=user_id, organization_id=feed.organization_id, roles=frozenset(known[role] for role in kept)
        )
        feed.roles = kept
        feed.is_staff = feed.is_staff and sees_all_events(holder, feed.organization_id)
    await _close_team_feeds_outgrown(session, feeds)
    await session.flush()


async def leave_team_in_feeds(session: AsyncSession, user_id: uuid.UUID, team_id: uuid.UUID) -> None:
    """The person left a team (as staff or as its player): their feeds no longer show it as theirs."""
    feeds = [feed for feed in await repository.feeds_of_user(session, user_id) if feed.revoked_at is None]
    for feed in feeds:
        feed.team_ids = [team for team in feed.team_ids if team != team_id]
    await _close_team_feeds_outgrown(session, feeds)
    await session.flush()


async def child_changed_team(session: AsyncSession, player_id: uuid.UUID) -> None:
    """A child moved team or left the roster (the roster copy has it already): a team feed their parent
    made for the child's old team ends; the parent's own feeds follow the child by themselves."""
    await _close_team_feeds_outgrown(session, await repository.feeds_following_child(session, player_id))
    await session.flush()


async def unlink_child_in_feeds(session: AsyncSession, parent_id: uuid.UUID, player_id: uuid.UUID) -> None:
    """The parent was unlinked from a child: their feeds no longer follow that child's team."""
    feeds = [feed for feed in await repository.feeds_of_user(session, parent_id) if feed.revoked_at is None]
    for feed in feeds:
        feed.child_ids = [child for child in feed.child_ids if child != player_id]
    await _close_team_feeds_outgrown(session, feeds)
    await session.flush()


async def feed_ics(session: AsyncSession, token: str, *, now: datetime | None = None) -> str:
    """The iCalendar text behind a feed URL; NOT_FOUND for an unknown or revoked token."""
    feed = await repository.feed_by_hash(session, _hash(token))
    if feed is None or feed.revoked_at is not None:
        raise NotFound("no such calendar feed")
    now = now or utcnow()
    if feed.team_id is not None:
        audience = repository.Audience(user_id=None, team_ids=[feed.team_id])
    else:
        audience = repository.Audience(
            user_id=feed.user_id, team_ids=await _teams_of(session, feed), roles=feed.roles, is_staff=feed.is_staff
        )
    rows = await repository.events_in_range(
        session,
        organization_id=feed.organization_id,
        starts_before=now + FEED_FUTURE,
        ends_after=now - FEED_PAST,
        team_id=feed.team_id,
        audience=audience,
    )
    series = [row for row in rows if row.recurrence_rule is not None]
    exceptions = await repository.exceptions_of(session, [row.id for row in series])
    singles = [row for row in rows if row.recurrence_rule is None and row.series_id is None]
    return to_ics(singles, series, exceptions, name="Team calendar" if feed.team_id else "My calendar")


def _uid(event_id: uuid.UUID) -> str:
    return f"{event_id}@hockey-hub"


def _vevent(row: CalendarEvent, uid: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", row.title)
    event.add("categories", [row.kind.value])
    if row.description:
        event.add("description", row.description)
    if row.location:
        event.add("location", row.location)
    event.add("status", "CANCELLED" if row.status is CalendarEventStatus.CANCELLED else "CONFIRMED")
    return event


def to_ics(
    singles: Sequence[CalendarEvent],
    series: Sequence[CalendarEvent],
    exceptions: Sequence[CalendarEvent],
    *,
    name: str,
) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = utcnow().replace(microsecond=0)
    for row in singles:
        event = _vevent(row, _uid(row.id), stamp)
        event.add("dtstart", row.starts_at)
        event.add("dtend", row.ends_at)
        calendar.add_component(event)
    by_series: dict[uuid.UUID, list[CalendarEvent]] = {}
    for exception in exceptions:
        if exception.series_id is not None:
            by_series.setdefault(exception.series_id, []).append(exception)
    for row in series:
        assert row.recurrence_rule is not None
        zone = ZoneInfo(row.time_zone)
        event = _vevent(row, _uid(row.id), stamp)
        event.add("dtstart", row.starts_at.astimezone(zone))
        event.add("dtend", row.ends_at.astimezone(zone))
        event.add("rrule", vRecur.from_ical(row.recurrence_rule))
        own = by_series.get(row.id, [])
        cancelled = [
            e.original_starts_at.astimezone(zone)
            for e in own
            if e.status is CalendarEventStatus.CANCELLED and e.original_starts_at is not None
        ]
        if cancelled:
            event.add("exdate", cancelled)
        calendar.add_component(event)
        for exception in own:
            if exception.status is CalendarEventStatus.CANCELLED or exception.original_starts_at is None:
                continue
            changed = _vevent(exception, _uid(row.id), stamp)
            changed.add("recurrence-id", exception.original_starts_at.astimezone(zone))
            changed.add("dtstart", exception.starts_at.astimezone(zone))
            changed.add("dtend", exception.ends_at.astimezone(zone))
            calendar.add_component(changed)
    calendar.add_missing_timezones()
    text: bytes = calendar.to_ical()
    return text.decode()


CSV_COLUMNS = ("id", "series_id", "title", "kind", "status", "starts_at", "ends_at", "location", "team_id")


async def export_csv(
    session: AsyncSession, actor: Principal, *, starts: datetime, ends: datetime, team_id: uuid.UUID | None = None
) -> str:
    """The occurrences the caller may see in the range, one line each, times in UTC (ISO 8601)."""
    found = await list_events(session, actor, starts=starts, ends=ends, team_id=team_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for occurrence in found:
        row = occurrence.row
        writer.writerow(
            [
                occurrence.id,
                occurrence.series_id or "",
                row.title,
                row.kind.value,
                row.status.value,
                occurrence.starts_at.isoformat(),
                occurrence.ends_at.isoformat(),
                row.location or "",
                row.team_id or "",
            ]
        )
    return out.getvalue()
