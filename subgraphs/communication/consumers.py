"""Events of other services that become notifications here.

Who to notify about a team comes from local copies kept from the user service's events (the roster copy
of `shared.roster`, players' accounts, and team staff from `team.staff_assigned`/`team.staff_removed`;
the clubs' time zones come from `organization.*`), so handling an event never calls another service.
Every handler runs once per event id (the kernel's processed-events table); the injury and calendar
flows also remember what they last announced, so a late, older event is not announced over a newer one
and a change nobody sees sends nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import utcnow
from shared.events import Event
from shared.events.consumer import DomainHandler
from shared.roster import ROSTER_EVENT_HANDLERS, apply_player_event, roster_entries
from subgraphs.communication import preferences_repository, repository, service
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


# Who is on which team ---------------------------------------------------------------------------------

TEAM_STAFF_ASSIGNED = "team.staff_assigned"
TEAM_STAFF_REMOVED = "team.staff_removed"
"""From the user service: a staff member's role on a team, or their leaving it."""


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


async def player_changed(session: AsyncSession, event: Event) -> None:
    """`player.*`: the roster copy (team, name, active) and the player's own account."""
    await apply_player_event(session, event)
    player_id = _uuid(event.data.get("player_id"))
    if player_id is not None and event.organization_id is not None:
        await repository.upsert_player_account(
            session, player_id=player_id, user_id=_uuid(event.data.get("user_id")), occurred_at=event.occurred_at
        )


async def team_staff_changed(session: AsyncSession, event: Event) -> None:
    data = event.data
    team_id, user_id = _uuid(data.get("team_id")), _uuid(data.get("user_id"))
    if team_id is None or user_id is None or event.organization_id is None:
        return
    await repository.upsert_team_staff_member(
        session,
        team_id=team_id,
        user_id=user_id,
        organization_id=event.organization_id,
        role=str(data.get("role") or ""),
        is_current=event.type == TEAM_STAFF_ASSIGNED,
        occurred_at=event.occurred_at,
    )


PARENT_LINKED = "parent.linked"
PARENT_UNLINKED = "parent.unlinked"


async def parent_link_changed(session: AsyncSession, event: Event) -> None:
    """`parent.*`: who is a parent of which player, for the team schedule notices parents get."""
    parent_id, player_id = _uuid(event.data.get("parent_user_id")), _uuid(event.data.get("player_id"))
    if parent_id is None or player_id is None:
        return
    await repository.upsert_parent_link(
        session,
        parent_user_id=parent_id,
        player_id=player_id,
        is_current=event.type == PARENT_LINKED,
        occurred_at=event.occurred_at,
    )


ORGANIZATION_CREATED = "organization.created"
ORGANIZATION_UPDATED = "organization.updated"
"""From the user service: a club's time zone, which counts for quiet hours and digests of people who chose
none of their own."""


async def organization_changed(session: AsyncSession, event: Event) -> None:
    organization_id, zone = _uuid(event.data.get("organization_id")), event.data.get("time_zone")
    if organization_id is None or not zone:
        return
    await preferences_repository.save_organization_time_zone(
        session, organization_id=organization_id, time_zone=str(zone), occurred_at=event.occurred_at
    )


# Injuries: the team's coaches and trainers learn who is out, never why ------------------------------

INJURY_CREATED = "injury.created"
INJURY_UPDATED = "injury.updated"
INJURY_RESOLVED = "injury.resolved"

AVAILABILITY_ROLES = ("coach", "assistant_coach", "physical_trainer")
"""Who plans around a player's absence; the medical staff already know, and nobody learns the diagnosis."""

AVAILABLE = "available"
STILL_OUT = "out"
"""Resolved while the player is still out for another reason: no "available again" for the coaches."""


def _announcement(data: Mapping[str, Any]) -> str:
    """What the coaches should know after this event, as a comparable token."""
    if data.get("status") == "resolved":
        return STILL_OUT if data.get("medical_status") == "injured" else AVAILABLE
    expected = data.get("expected_return_on")
    return f"unavailable:{expected}" if expected else "unavailable"


def _injury_message(name: str, announced: str, medical_status: str) -> tuple[str, str] | None:
    if announced == AVAILABLE:
        if medical_status == "limited":
            return f"{name} is available again", f"{name} is available again, with restrictions to respect."
        return f"{name} is available again", f"{name} is available again."
    if announced == STILL_OUT:
        return None
    _, _, expected = announced.partition(":")
    until = f"until {date.fromisoformat(expected):%a %d %b %Y}" if expected else "until further notice"
    return f"{name} is unavailable", f"{name} is unavailable {until}."


async def injury_changed(session: AsyncSession, event: Event) -> None:
    """Tells the player's team's coaches and trainers whether the player is out and until when."""
    data = event.data
    injury_id, player_id = _uuid(data.get("injury_id")), _uuid(data.get("player_id"))
    if injury_id is None or player_id is None or event.organization_id is None:
        return
    announced = _announcement(data)
    before = await repository.injury_notice(session, injury_id)
    if before is not None and before.source_occurred_at > event.occurred_at:
        return  # a newer event about this injury was already announced
    if not await repository.save_injury_notice(
        session, injury_id=injury_id, player_id=player_id, announced=announced, occurred_at=event.occurred_at
    ):
        return
    if (before.announced if before is not None else None) == announced:
        return  # a correction the coaches do not see (notes, body part...)
    if before is None and announced in (AVAILABLE, STILL_OUT):
        return  # an injury recorded already healed: the player was never announced as out
    found = await roster_entries(session, [player_id])
    player = found[0] if found else None
    if player is None or player.team_id is None or player.organization_id != event.organization_id:
        logger.info("injury of a player on no known team not announced", extra={"event_id": str(event.id)})
        return
    message = _injury_message(f"{player.first_name} {player.last_name}", announced, str(data.get("medical_status")))
    if message is None:
        return
    recipients = await repository.team_staff_user_ids(
        session, event.organization_id, player.team_id, roles=AVAILABILITY_ROLES
    )
    if recipients:
        await service.create_notifications(
            session,
            organization_id=event.organization_id,
            user_ids=recipients,
            kind=NotificationKind.MEDICAL_UPDATE,
            title=message[0],
            body=message[1],
            link=f"/players/{player_id}",
        )


# Calendar: attendees learn what changed, when and where ---------------------------------------------

EVENT_CREATED = "event.created"
EVENT_CHANGED = "event.changed"
EVENT_CANCELLED = "event.cancelled"

_CHANGE_WORDS = {
    "startsAt": "time",
    "endsAt": "time",
    "location": "place",
    "resource": "place",
    "title": "title",
    "description": "details",
    "kind": "kind",
    "team": "team",
}


_SEEN_BY_PARENTS = frozenset({"team", "public"})
"""Visibilities of team events that parents of the team's players see in the calendar."""


async def _parents_following(
    session: AsyncSession, organization_id: uuid.UUID, data: Mapping[str, Any], *, told: Collection[uuid.UUID | None]
) -> list[uuid.UUID]:
    """The parents of the players of a calendar event's team who see it in the calendar (a team or public
    event of the team), but those `told` already."""
    team_id = _uuid(data.get("team_id"))
    if team_id is None or data.get("visibility") not in _SEEN_BY_PARENTS:
        return []
    parents = await repository.team_parent_user_ids(session, organization_id, team_id)
    return [parent for parent in parents if parent not in told]


def _when_where(data: Mapping[str, Any]) -> str:
    starts, ends = datetime.fromisoformat(str(data["starts_at"])), datetime.fromisoformat(str(data["ends_at"]))
    same_day = starts.date() == ends.date()
    when = (
        f"{starts:%a %d %b %Y, %H:%M}-{ends:%H:%M}"
        if same_day
        else f"{starts:%a %d %b %Y %H:%M} - {ends:%a %d %b %Y %H:%M}"
    )
    where = f" at {data['location']}" if data.get("location") else ""
    return f"{str(data.get('kind') or 'event').capitalize()} on {when} UTC{where}"


async def calendar_event_changed(session: AsyncSession, event: Event) -> None:
    """New attendees get an invitation, those taken off a notice, the others what changed; the organizer
    scheduled it and gets nothing."""
    data = event.data
    event_id = _uuid(data.get("event_id"))
    if event_id is None or event.organization_id is None:
        return
    attendees = [uuid.UUID(str(user_id)) for user_id in data.get("attendee_user_ids") or []]
    before = await repository.calendar_event_notice(session, event_id)
    if before is not None and before.source_occurred_at > event.occurred_at:
        return  # a newer change of this event was already announced
    if not await repository.save_calendar_event_notice(
        session, event_id=event_id, attendee_user_ids=attendees, occurred_at=event.occurred_at
    ):
        return
    organizer = _uuid(data.get("organizer_user_id"))
    known = set(before.attendee_user_ids) if before is not None else set(attendees)
    current = [user_id for user_id in attendees if user_id != organizer]
    title, when_where, link = str(data.get("title") or "Event"), _when_where(data), f"/calendar/{event_id}"

    async def notify(user_ids: Sequence[uuid.UUID], subject: str, body: str) -> None:
        if user_ids:
            await service.create_notifications(
                session,
                organization_id=event.organization_id,
                user_ids=user_ids,
                kind=NotificationKind.EVENT_REMINDER,
                title=subject,
                body=body,
                link=link,
            )

    # Parents of the team's players follow its schedule (the calendar shows it to them) without being
    # invited: they hear of new events, changes of time or place, and cancellations.
    parents = await _parents_following(session, event.organization_id, data, told={*attendees, *known, organizer})
    if event.type == EVENT_CANCELLED:
        await notify([*current, *parents], f"Cancelled: {title}", f"{when_where} is cancelled.")
        return
    if event.type == EVENT_CREATED:
        await notify(current, f"Invitation: {title}", f"{when_where}.")
        await notify(parents, f"New on the team's schedule: {title}", f"{when_where}.")
        return
    new = [user_id for user_id in current if user_id not in known]
    removed = [user_id for user_id in known if user_id not in attendees and user_id != organizer]
    await notify(new, f"Invitation: {title}", f"{when_where}.")
    await notify(sorted(removed), f"No longer invited: {title}", f"You are off the list for {when_where}.")
    changed = list(dict.fromkeys(_CHANGE_WORDS[name] for name in data.get("changes") or [] if name in _CHANGE_WORDS))
    if changed:
        staying = [user_id for user_id in current if user_id in known]
        await notify(staying, f"Changed ({', '.join(changed)}): {title}", f"Now: {when_where}.")
    if any(word in ("time", "place") for word in changed):
        await notify(parents, f"Changed ({', '.join(changed)}): {title}", f"Now: {when_where}.")


CALENDAR_REMINDER_DUE = "calendar.reminder.due"
"""From the calendar's reminder scheduler: an occurrence starts in `minutes_before` minutes."""


def _lead(minutes: int) -> str:
    if minutes >= 60 and minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


async def calendar_reminder_due(session: AsyncSession, event: Event) -> None:
    """An in-app reminder to each person the calendar named (it sends each reminder once), and, with the
    event's first reminder only, to the parents of the team's players, who follow its schedule."""
    data = event.data
    user_ids = [uuid.UUID(str(user_id)) for user_id in data.get("user_ids") or []]
    if event.organization_id is None:
        return
    if data.get("earliest"):
        user_ids += await _parents_following(session, event.organization_id, data, told=set(user_ids))
    if not user_ids:
        return
    title = str(data.get("title") or "Event")
    await service.create_notifications(
        session,
        organization_id=event.organization_id,
        user_ids=user_ids,
        kind=NotificationKind.EVENT_REMINDER,
        title=f"Starts in {_lead(int(data.get('minutes_before') or 0))}: {title}",
        body=f"{_when_where(data)}.",
        link=f"/calendar/{data.get('occurrence_id') or data.get('event_id')}",
    )


# Games: the team hears the final score ----------------------------------------------------------------

GAME_COMPLETED = "game.completed"

_DECIDED_IN = {"overtime": " after overtime", "shootout": " after a shootout"}


async def game_completed(session: AsyncSession, event: Event) -> None:
    """The final score to the team's players (with accounts) and staff."""
    data = event.data
    team_id = _uuid(data.get("team_id"))
    if team_id is None or event.organization_id is None:
        return
    recipients = [
        *await repository.team_player_user_ids(session, event.organization_id, team_id),
        *await repository.team_staff_user_ids(session, event.organization_id, team_id),
    ]
    if not recipients:
        return
    goals_for, goals_against = int(data["goals_for"]), int(data["goals_against"])
    outcome = "Win" if goals_for > goals_against else "Loss" if goals_for < goals_against else "Tie"
    opponent = str(data.get("opponent_name") or "the opponent")
    venue = "at home" if data.get("is_home") else "away"
    decided = _DECIDED_IN.get(str(data.get("decided_in")), "")
    await service.create_notifications(
        session,
        organization_id=event.organization_id,
        user_ids=recipients,
        kind=NotificationKind.ANNOUNCEMENT,
        title=f"{outcome} against {opponent}, {goals_for}-{goals_against}",
        body=f"Final score {venue} against {opponent}: {goals_for}-{goals_against}{decided}.",
        link=f"/games/{data['game_id']}",
    )


EVENT_HANDLERS: dict[str, DomainHandler] = {
    PASSWORD_RESET_REQUESTED: password_reset_requested,
    **dict.fromkeys(ROSTER_EVENT_HANDLERS, player_changed),
    TEAM_STAFF_ASSIGNED: team_staff_changed,
    TEAM_STAFF_REMOVED: team_staff_changed,
    PARENT_LINKED: parent_link_changed,
    PARENT_UNLINKED: parent_link_changed,
    ORGANIZATION_CREATED: organization_changed,
    ORGANIZATION_UPDATED: organization_changed,
    INJURY_CREATED: injury_changed,
    INJURY_UPDATED: injury_changed,
    INJURY_RESOLVED: injury_changed,
    EVENT_CREATED: calendar_event_changed,
    EVENT_CHANGED: calendar_event_changed,
    EVENT_CANCELLED: calendar_event_changed,
    CALENDAR_REMINDER_DUE: calendar_reminder_due,
    GAME_COMPLETED: game_completed,
}
