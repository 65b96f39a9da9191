"""Events carried between running test services, and a club whose people every service has heard of.

With RabbitMQ the services already share the broker's exchange. In the embedded mode each test service has
an in-process bus of its own (where `hockey-hub up` gives all services of the process one), so `carried`
forwards a producer's events to the consumers' buses for the test.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from shared.auth.principal import Principal, Role
from shared.database.kernel import outbox_events, processed_events
from shared.events import Event
from shared.roster import roster_players
from subgraphs.user import service as user_service
from subgraphs.user.models import Organization, Player, Team, TeamCategory, User
from tests.support.services import RunningService
from tests.support.waiting import eventually
from tests.user.factories import ADMIN, as_principal, make_organization, make_player, make_team, make_user

USER_EVENTS = (
    "player.added",
    "player.updated",
    "player.removed",
    "team.staff_assigned",
    "team.staff_removed",
    "parent.linked",
    "parent.unlinked",
)
MEDICAL_EVENTS = ("injury.created", "injury.updated", "injury.resolved", "restriction.changed")
CALENDAR_EVENTS = ("event.created", "event.changed", "event.cancelled", "calendar.reminder.due")
STATISTICS_EVENTS = ("game.completed",)


@contextlib.asynccontextmanager
async def carried(
    source: RunningService, targets: Sequence[RunningService], routing_keys: Sequence[str]
) -> AsyncIterator[None]:
    """While open, the source's events of those types also reach the targets (embedded mode only)."""
    if source.runtime.settings.amqp_url is not None:
        yield
        return
    carrying = True

    async def carry(event: Event) -> None:
        if carrying:
            for target in targets:
                await target.runtime.bus.publish(event)

    await source.runtime.bus.consume(f"test-bridge-{uuid.uuid4().hex[:8]}", list(routing_keys), carry)
    try:
        yield
    finally:
        carrying = False


async def processed(running: RunningService, event_id: uuid.UUID) -> bool:
    """Whether the service has taken the event in (its effect is committed with this mark)."""
    async with running.runtime.sessions() as session:
        found = await session.scalar(
            select(func.count()).select_from(processed_events).where(processed_events.c.event_id == event_id)
        )
    return bool(found)


@dataclass
class Person:
    user: User
    principal: Principal

    @property
    def id(self) -> uuid.UUID:
        return self.user.id


@dataclass
class FlowClub:
    """A club with a senior and a junior team, made at the user service: the senior team's head coach,
    physical trainer and medical staff, the junior team's coach, and players with accounts."""

    organization: Organization
    senior: Team
    junior: Team
    coach: Person
    trainer: Person
    medic: Person
    junior_coach: Person
    player: Person
    player_entry: Player
    teammate: Person
    teammate_entry: Player
    junior_player: Person
    junior_player_entry: Player

    @property
    def organization_id(self) -> uuid.UUID:
        return self.organization.id

    @property
    def everyone(self) -> dict[str, Person]:
        return {
            "coach": self.coach,
            "trainer": self.trainer,
            "medic": self.medic,
            "junior_coach": self.junior_coach,
            "player": self.player,
            "teammate": self.teammate,
            "junior_player": self.junior_player,
        }


async def _staff(user: RunningService, organization: Organization, team: Team, role: Role, first_name: str) -> User:
    person = await make_user(user, organization=organization, roles=(role,), first_name=first_name)
    async with user.runtime.sessions() as session, session.begin():
        await user_service.assign_team_staff(session, ADMIN, team_id=team.id, user_id=person.id, role=role)
    return person


async def _player(
    user: RunningService, organization: Organization, team: Team, first_name: str, last_name: str, number: int
) -> tuple[User, Player]:
    account = await make_user(
        user, organization=organization, roles=(Role.PLAYER,), first_name=first_name, last_name=last_name
    )
    entry = await make_player(
        user,
        organization=organization,
        team=team,
        number=number,
        first_name=first_name,
        last_name=last_name,
        account=account,
    )
    return account, entry


async def make_flow_club(user: RunningService) -> FlowClub:
    organization = await make_organization(user)
    senior = await make_team(user, organization=organization, name="Lynx Senior")
    junior = await make_team(user, organization=organization, name="Lynx U18", category=TeamCategory.JUNIOR)
    coach = await _staff(user, organization, senior, Role.COACH, "Maja")
    trainer = await _staff(user, organization, senior, Role.PHYSICAL_TRAINER, "Nils")
    medic = await _staff(user, organization, senior, Role.MEDICAL_STAFF, "Ida")
    junior_coach = await _staff(user, organization, junior, Role.COACH, "Olle")
    player, player_entry = await _player(user, organization, senior, "Oskar", "Lindqvist", 17)
    teammate, teammate_entry = await _player(user, organization, senior, "Viktor", "Ek", 9)
    junior_player, junior_entry = await _player(user, organization, junior, "Leo", "Sund", 4)

    async def person(account: User) -> Person:
        return Person(account, await as_principal(user, account))

    return FlowClub(
        organization=organization,
        senior=senior,
        junior=junior,
        coach=await person(coach),
        trainer=await person(trainer),
        medic=await person(medic),
        junior_coach=await person(junior_coach),
        player=await person(player),
        player_entry=player_entry,
        teammate=await person(teammate),
        teammate_entry=teammate_entry,
        junior_player=await person(junior_player),
        junior_player_entry=junior_entry,
    )


async def roster_known(running: RunningService, club: FlowClub, players: int = 3) -> None:
    """Wait until the service's roster copy holds the club's players."""

    async def known() -> bool:
        async with running.runtime.sessions() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(roster_players)
                .where(roster_players.c.organization_id == club.organization_id)
            )
        return count == players

    await eventually(known)


async def published_ids(running: RunningService, type: str) -> list[uuid.UUID]:
    """The ids of the events of that type the service wrote to its outbox, oldest first."""
    async with running.runtime.sessions() as session:
        rows = await session.scalars(
            select(outbox_events.c.id).where(outbox_events.c.type == type).order_by(outbox_events.c.seq)
        )
        return list(rows)
