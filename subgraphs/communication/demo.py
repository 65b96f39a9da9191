"""The demo club's conversations and notifications: team threads, staff chats, a few notices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.demo import DemoClub, DemoPerson, DemoPlayer, demo_id
from shared.roster import copy_demo_roster
from subgraphs.communication import preferences_repository, repository
from subgraphs.communication.models import (
    Broadcast,
    BroadcastAudience,
    BroadcastRecipient,
    Conversation,
    ConversationKind,
    ConversationParticipant,
    Message,
    MessageReaction,
    Notification,
    NotificationKind,
)


@dataclass(frozen=True, slots=True)
class _Line:
    days_ago: int
    at: time
    author: DemoPerson
    body: str
    reply_to: int | None = None
    """Index of the earlier line this one answers."""


def _by_position(roster: list[DemoPlayer], position: str) -> list[DemoPlayer]:
    return [player for player in roster if player.position == position]


def _number(player: DemoPlayer) -> str:
    return f"#{player.jersey_number} {player.full_name}"


class _Writer:
    def __init__(self, session: AsyncSession, club: DemoClub):
        self.session = session
        self.club = club
        self.zone = ZoneInfo(club.time_zone)

    def when(self, days_ago: int, at: time) -> datetime:
        day = self.club.today - timedelta(days=days_ago)
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)

    async def conversation(
        self,
        key: str,
        *,
        kind: ConversationKind,
        lines: list[_Line],
        members: list[DemoPerson],
        name: str | None = None,
        team_id: uuid.UUID | None = None,
        unread_for: dict[uuid.UUID, int] | None = None,
    ) -> None:
        """A conversation with its messages; `unread_for` leaves a person that many messages behind."""
        conversation_id = demo_id("communication", "conversation", key)
        direct = sorted(person.id for person in members) if kind is ConversationKind.DIRECT else None
        sent = [self.when(line.days_ago, line.at) for line in lines]
        created = sent[0] - timedelta(days=21) if sent else self.when(21, time(9, 0))
        self.session.add(
            Conversation(
                id=conversation_id,
                organization_id=self.club.organization_id,
                kind=kind,
                name=name,
                team_id=team_id,
                direct_user_low=direct[0] if direct else None,
                direct_user_high=direct[1] if direct else None,
                created_by_user_id=lines[0].author.id if lines else None,
                last_message_at=max(sent) if sent else None,
                created_at=created,
                updated_at=max(sent) if sent else created,
            )
        )
        await self.session.flush()
        message_ids = [demo_id("communication", "message", key, index) for index in range(len(lines))]
        for index, line in enumerate(lines):
            await repository.add_message(
                self.session,
                Message(
                    id=message_ids[index],
                    conversation_id=conversation_id,
                    organization_id=self.club.organization_id,
                    sender_user_id=line.author.id,
                    body=line.body,
                    reply_to_id=message_ids[line.reply_to] if line.reply_to is not None else None,
                    sent_at=sent[index],
                ),
            )
        # Everyone has read up to their own last post, or everything, unless left behind on purpose.
        behind = unread_for or {}
        for person in members:
            if person.id in behind:
                others = [i for i, line in enumerate(lines) if line.author.id != person.id]
                left = others[-behind[person.id]] if behind[person.id] else None
                last_read = sent[left] - timedelta(seconds=1) if left is not None else None
            else:
                last_read = max(sent) if sent else None
            self.session.add(
                ConversationParticipant(
                    conversation_id=conversation_id,
                    user_id=person.id,
                    joined_at=created,
                    last_read_at=last_read,
                )
            )
        await self.session.flush()


def _senior_thread(club: DemoClub, coach: DemoPerson, assistant: DemoPerson, trainer: DemoPerson) -> list[_Line]:
    roster = club.roster(club.teams[0].id)
    goalie = _by_position(roster, "goalie")[0].user
    d1, d2, d3 = (player.user for player in _by_position(roster, "defense")[:3])
    center, wing = _by_position(roster, "center")[0].user, _by_position(roster, "left_wing")[0].user
    return [
        _Line(
            4,
            time(8, 12),
            coach,
            "Morning all. Tonight's practice moves to Rink B: on the ice 18:30, in the room by 17:45.",
        ),
        _Line(4, time(8, 40), center, "Copy. White or blue practice jerseys tonight?"),
        _Line(4, time(8, 52), assistant, "Whites for forwards, blues for D, goalies as usual.", reply_to=1),
        _Line(
            3,
            time(21, 5),
            coach,
            "Good work tonight. The weak-side breakout looked a lot sharper. "
            "Clips from the power play unit are up in the video tab.",
        ),
        _Line(
            3,
            time(21, 20),
            d1,
            "Thanks coach. Can we run the 2-on-1 drill again on Thursday? Still getting caught flat on the backcheck.",
        ),
        _Line(3, time(21, 31), coach, "Yes, it's going into Thursday's plan.", reply_to=4),
        _Line(
            2,
            time(10, 15),
            trainer,
            "Reminder: off-ice testing Friday 15:00 in the gym. Bring running "
            "shoes, we start with the 30 m sprint and finish with the broad jump.",
        ),
        _Line(2, time(10, 42), d2, "Is the testing instead of the morning skate or on top of it?"),
        _Line(2, time(11, 3), trainer, "Instead of it. Light bike warm-up at 14:40.", reply_to=7),
        _Line(1, time(19, 45), goalie, "Bus for Saturday's away game leaves from the rink at 11:30?"),
        _Line(1, time(19, 58), coach, "11:30 sharp. Pre-game meal at the hotel at 13:00.", reply_to=9),
        _Line(1, time(20, 10), wing, "Anyone have a spare set of laces? Mine snapped tonight."),
        _Line(1, time(20, 16), d3, "I'll bring a pair to the bus."),
    ]


def _junior_thread(club: DemoClub, coach: DemoPerson, trainer: DemoPerson) -> list[_Line]:
    roster = club.roster(club.teams[1].id)
    center = _by_position(roster, "center")[0].user
    defense = _by_position(roster, "defense")[0].user
    goalie = _by_position(roster, "goalie")[1].user
    return [
        _Line(
            5,
            time(17, 30),
            coach,
            "Hi U18! Sunday's game is at home, warm-up 14:15, puck drop 15:30. "
            "Please confirm your attendance in the calendar by Thursday.",
        ),
        _Line(
            5,
            time(18, 2),
            center,
            "Confirmed. Do we have the video session before or after practice on Wednesday?",
        ),
        _Line(5, time(18, 20), coach, "Before: 16:30 in the classroom, then on the ice at 17:15.", reply_to=1),
        _Line(
            3,
            time(7, 55),
            trainer,
            "Recovery day today: 20 minutes easy bike and mobility, nothing "
            "heavy. Log your sleep and soreness in the wellness form.",
        ),
        _Line(2, time(20, 30), defense, "Got a school trip on Friday, I'll miss the morning skate."),
        _Line(
            2,
            time(20, 41),
            coach,
            "Thanks for letting us know. Catch up on the new PK setup with Patrik's clips.",
            reply_to=4,
        ),
        _Line(1, time(16, 5), goalie, "Glove strap broke, is Roger in the equipment room tomorrow?"),
        _Line(1, time(16, 18), coach, "He is there from 15:00. I'll tell him you're coming.", reply_to=6),
    ]


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    senior, junior = club.teams
    if await repository.team_conversation(session, senior.id) is not None:
        return False
    # The club's time zone, as the user service's organization.created would bring it; dated at the epoch
    # so that any real event about the club wins.
    await preferences_repository.save_organization_time_zone(
        session,
        organization_id=club.organization_id,
        time_zone=club.time_zone,
        occurred_at=datetime(1970, 1, 1, tzinfo=UTC),
    )
    writer = _Writer(session, club)
    admin = club.staff_with(Role.CLUB_ADMIN)[0]
    coach = next(person for person in club.staff if person.email.startswith("coach@"))
    u18_coach = next(person for person in club.staff if person.email.startswith("u18.coach@"))
    assistant = club.staff_with(Role.ASSISTANT_COACH)[0]
    trainer = club.staff_with(Role.PHYSICAL_TRAINER)[0]
    medic = club.staff_with(Role.MEDICAL_STAFF)[0]
    equipment = club.staff_with(Role.EQUIPMENT_MANAGER)[0]

    senior_lines = _senior_thread(club, coach, assistant, trainer)
    await writer.conversation(
        "team-senior",
        kind=ConversationKind.TEAM,
        team_id=senior.id,
        name=senior.name,
        lines=senior_lines,
        members=list(dict.fromkeys(line.author for line in senior_lines)),
        unread_for={coach.id: 2},
    )
    junior_lines = _junior_thread(club, u18_coach, trainer)
    await writer.conversation(
        "team-u18",
        kind=ConversationKind.TEAM,
        team_id=junior.id,
        name=junior.name,
        lines=junior_lines,
        members=list(dict.fromkeys(line.author for line in junior_lines)),
    )
    senior_defense = _by_position(club.roster(senior.id), "defense")
    await writer.conversation(
        "direct-coach-trainer",
        kind=ConversationKind.DIRECT,
        members=[coach, trainer],
        unread_for={coach.id: 1},
        lines=[
            _Line(
                3,
                time(13, 10),
                trainer,
                "Mats, this week's load numbers: three of the D are well above "
                "their four-week average. Can we keep Thursday lighter for them?",
            ),
            _Line(3, time(13, 34), coach, "Makes sense. Who?"),
            _Line(
                3,
                time(13, 41),
                trainer,
                f"{_number(senior_defense[0])}, {_number(senior_defense[1])} and "
                f"{_number(senior_defense[2])}. I'd cap them at 45 minutes on ice and skip the battle "
                "drills.",
            ),
            _Line(3, time(14, 2), coach, "OK, I'll shuffle the pairs so they get the lighter groups."),
            _Line(
                1,
                time(9, 20),
                trainer,
                "Testing schedule for Friday is in the calendar. Let's look at the results together on Monday?",
            ),
        ],
    )
    await writer.conversation(
        "group-staff",
        kind=ConversationKind.GROUP,
        name="Coaching & support staff",
        members=list(club.staff),
        unread_for={coach.id: 1},
        lines=[
            _Line(
                6,
                time(9, 0),
                admin,
                "Ice times for next month are published. The U18 gets the extra "
                "Tuesday slot; senior keeps Wednesday mornings.",
            ),
            _Line(
                6,
                time(9, 25),
                equipment,
                "Skate sharpening moves to Mondays and Thursdays, 15-18. Drop skates in the labelled boxes.",
            ),
            _Line(
                4,
                time(12, 40),
                medic,
                "Please send availability questions to me or Tove. The medical "
                "availability list is updated every morning by 8:00.",
            ),
            _Line(
                2,
                time(16, 50),
                u18_coach,
                "Can we borrow two senior goalies' practice time on Wednesday for the U18 goalie clinic?",
            ),
            _Line(2, time(17, 5), coach, "Fine by me, one of them for the first half.", reply_to=3),
            _Line(
                1,
                time(8, 30),
                admin,
                "Board meeting Thursday 19:00. Season budget and the new gym equipment are on the agenda.",
            ),
        ],
    )

    await _pins_reactions_and_a_broadcast(session, club, writer, coach=coach)

    player = club.roster(senior.id)[0]
    notices = [
        (
            coach,
            NotificationKind.SYSTEM,
            "Welcome to Hockey Hub",
            "Your club's workspace is ready. Start with the calendar and your team's roster.",
            "/",
            20,
            True,
        ),
        (
            coach,
            NotificationKind.ANNOUNCEMENT,
            "Ice times for next month",
            "The rink schedule for next month is published.",
            "/calendar",
            6,
            True,
        ),
        (
            coach,
            NotificationKind.MESSAGE,
            f"New message from {trainer.full_name}",
            "Testing schedule for Friday is in the calendar.",
            f"/conversations/{demo_id('communication', 'conversation', 'direct-coach-trainer')}",
            1,
            False,
        ),
        (
            coach,
            NotificationKind.EVENT_REMINDER,
            "Away game on Saturday",
            "Bus leaves from the rink at 11:30.",
            "/calendar",
            1,
            False,
        ),
        (
            player.user,
            NotificationKind.EVENT_REMINDER,
            "Practice moved to Rink B",
            "On the ice 18:30, in the room by 17:45.",
            "/calendar",
            4,
            True,
        ),
        (
            player.user,
            NotificationKind.TRAINING_ASSIGNED,
            "New workout: lower-body strength",
            f"{trainer.full_name} assigned you a 45-minute strength session for this week.",
            "/training",
            2,
            False,
        ),
        (
            player.user,
            NotificationKind.ANNOUNCEMENT,
            "Off-ice testing on Friday",
            "15:00 in the gym, bring running shoes.",
            "/calendar",
            2,
            False,
        ),
    ]
    for index, (person, kind, title, body, link, days_ago, read) in enumerate(notices):
        created = writer.when(days_ago, time(7, 30))
        session.add(
            Notification(
                id=demo_id("communication", "notification", person.id, index),
                organization_id=club.organization_id,
                user_id=person.id,
                kind=kind,
                title=title,
                body=body,
                link=link,
                sender_user_id=admin.id if kind is NotificationKind.ANNOUNCEMENT else None,
                created_at=created,
                read_at=created + timedelta(hours=2) if read else None,
            )
        )
    await session.flush()
    await _load_team_copies(session, club, loaded_at=datetime.now(UTC))
    return True


async def _pins_reactions_and_a_broadcast(
    session: AsyncSession, club: DemoClub, writer: _Writer, *, coach: DemoPerson
) -> None:
    """The senior thread's practice notice pinned, with players' reactions; and a broadcast of the coach to
    the senior players that some have acknowledged, so a newcomer sees who has not."""
    senior = club.teams[0]
    players = [player.user for player in club.roster(senior.id)[:6]]
    notice_id = demo_id("communication", "message", "team-senior", 0)
    notice = await session.get(Message, notice_id)
    if notice is not None:
        notice.pinned_at = notice.sent_at
        notice.pinned_by_user_id = coach.id
        for minutes, (person, emoji) in enumerate(zip(players[:4], ("👍", "👍", "🔥", "👍"), strict=True), start=1):
            reacted = notice.sent_at + timedelta(minutes=minutes)
            session.add(MessageReaction(message_id=notice_id, user_id=person.id, emoji=emoji, reacted_at=reacted))
    broadcast_id = demo_id("communication", "broadcast", "team-photo")
    sent = writer.when(1, time(9, 0))
    session.add(
        Broadcast(
            id=broadcast_id,
            organization_id=club.organization_id,
            sender_user_id=coach.id,
            title="Team photo on Thursday",
            body="Team photo before practice on Thursday: home jerseys, in the room by 17:30.",
            audience=BroadcastAudience.TEAM.value,
            team_id=senior.id,
            created_at=sent,
        )
    )
    await session.flush()
    for index, person in enumerate(players):
        acknowledged = sent + timedelta(hours=index + 1) if index < 3 else None
        notification_id = demo_id("communication", "notification", "team-photo", person.id)
        session.add(
            Notification(
                id=notification_id,
                organization_id=club.organization_id,
                user_id=person.id,
                kind=NotificationKind.ANNOUNCEMENT,
                title="Team photo on Thursday",
                body="Team photo before practice on Thursday: home jerseys, in the room by 17:30.",
                link=f"/broadcasts/{broadcast_id}",
                sender_user_id=coach.id,
                created_at=sent,
                read_at=acknowledged,
            )
        )
        await session.flush()
        session.add(
            BroadcastRecipient(
                broadcast_id=broadcast_id,
                user_id=person.id,
                notification_id=notification_id,
                acknowledged_at=acknowledged,
            )
        )
    await session.flush()


async def _load_team_copies(session: AsyncSession, club: DemoClub, *, loaded_at: datetime) -> None:
    """Who is on which team, as the user service's events would have left it (`consumers.py`): the
    roster copy, players' accounts, team staff and parents, so the demo's injuries, games and schedule
    changes reach the right people."""
    await copy_demo_roster(session, club, occurred_at=loaded_at)
    for player in club.players:
        await repository.upsert_player_account(
            session, player_id=player.id, user_id=player.user.id, occurred_at=loaded_at
        )
    for person in club.staff:
        if person.staff_role is None:
            continue
        for team_id in person.team_ids:
            await repository.upsert_team_staff_member(
                session,
                team_id=team_id,
                user_id=person.id,
                organization_id=club.organization_id,
                role=person.staff_role.value,
                is_current=True,
                occurred_at=loaded_at,
            )
    for parent in club.parents:
        for child_id in parent.child_ids:
            await repository.upsert_parent_link(
                session, parent_user_id=parent.user.id, player_id=child_id, is_current=True, occurred_at=loaded_at
            )
