"""The roster copy (`shared.roster`): the user service's player events applied in and out of order and read
back, through the sessions of a running service that keeps the copy."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from hockey_hub.services import subgraph
from shared.events import Event
from shared.roster import (
    PLAYER_ADDED,
    PLAYER_REMOVED,
    PLAYER_UPDATED,
    ROSTER_EVENT_HANDLERS,
    RosterEntry,
    apply_player_event,
    roster_entries,
    roster_players,
    team_roster,
    upsert_roster_entry,
)
from subgraphs.training.positions import apply_player_and_position
from tests.conftest import ServiceFactory
from tests.support.services import RunningService
from tests.support.waiting import eventually

KEEPERS = ("medical", "training", "calendar", "statistics", "planning")
"""The services that keep the copy."""

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def training(service: ServiceFactory) -> RunningService:
    return await service("training")


@dataclass(frozen=True)
class Club:
    organization_id: uuid.UUID = field(default_factory=uuid.uuid4)
    senior_id: uuid.UUID = field(default_factory=uuid.uuid4)
    junior_id: uuid.UUID = field(default_factory=uuid.uuid4)


def _event(
    type: str,
    player_id: uuid.UUID,
    organization_id: uuid.UUID | None,
    *,
    at: datetime,
    team_id: uuid.UUID | None,
    last_name: str = "Lindqvist",
    is_active: bool = True,
) -> Event:
    """A player event as the user service writes it (`subgraphs/user/events.py`, `player_data`)."""
    return Event(
        type=type,
        producer="user",
        organization_id=organization_id,
        occurred_at=at,
        data={
            "player_id": str(player_id),
            "team_id": None if team_id is None else str(team_id),
            "user_id": None,
            "first_name": "Oskar",
            "last_name": last_name,
            "birth_date": "2001-03-09",
            "jersey_number": 17,
            "position": "defense",
            "is_active": is_active,
        },
    )


async def _apply(running: RunningService, *events: Event) -> None:
    """Each event in its own transaction, as the consumer delivers them."""
    for event in events:
        async with running.runtime.sessions() as session, session.begin():
            await apply_player_event(session, event)


async def _entry(running: RunningService, player_id: uuid.UUID) -> RosterEntry | None:
    async with running.runtime.sessions() as session:
        found = await roster_entries(session, [player_id])
    assert len(found) <= 1
    return found[0] if found else None


def _expected(event: Event, club: Club) -> tuple[object, ...]:
    """What the copy holds after `event` was the newest one applied."""
    return (
        club.organization_id,
        uuid.UUID(event.data["team_id"]),
        "Oskar",
        event.data["last_name"],
        event.type != PLAYER_REMOVED,
        event.occurred_at,
    )


def _state(entry: RosterEntry | None) -> tuple[object, ...] | None:
    if entry is None:
        return None
    return (
        entry.organization_id,
        entry.team_id,
        entry.first_name,
        entry.last_name,
        entry.is_active,
        entry.source_occurred_at,
    )


async def test_events_in_order_keep_the_copy_current(training: RunningService) -> None:
    club, player_id = Club(), uuid.uuid4()
    # when the user service adds a player to the senior team
    await _apply(training, _event(PLAYER_ADDED, player_id, club.organization_id, at=NOW, team_id=club.senior_id))
    # then the copy knows their club, team and name
    assert await _entry(training, player_id) == RosterEntry(
        player_id=player_id,
        organization_id=club.organization_id,
        team_id=club.senior_id,
        first_name="Oskar",
        last_name="Lindqvist",
        is_active=True,
        source_occurred_at=NOW,
    )
    # when they move to the junior team and their name is corrected
    moved = _event(
        PLAYER_UPDATED,
        player_id,
        club.organization_id,
        at=NOW + timedelta(seconds=1),
        team_id=club.junior_id,
        last_name="Lindkvist",
    )
    await _apply(training, moved)
    # then the copy follows
    assert _state(await _entry(training, player_id)) == _expected(moved, club)
    # and a removal keeps the player, inactive, so records about them still name their club
    removed = _event(
        PLAYER_REMOVED, player_id, club.organization_id, at=NOW + timedelta(seconds=2), team_id=club.junior_id
    )
    await _apply(training, removed)
    assert _state(await _entry(training, player_id)) == _expected(removed, club)


# added -> updated -> removed, delivered in every order: after each delivery the copy holds the newest
# event delivered so far, never an older one that arrived after it.
_ORDERS = list(itertools.permutations(range(3)))


@pytest.mark.parametrize("order", _ORDERS, ids=["-".join(map(str, order)) for order in _ORDERS])
async def test_an_older_event_never_overwrites_a_newer_one(training: RunningService, order: tuple[int, ...]) -> None:
    club, player_id = Club(), uuid.uuid4()
    history = [
        _event(PLAYER_ADDED, player_id, club.organization_id, at=NOW, team_id=club.senior_id, last_name="Lind"),
        _event(PLAYER_UPDATED, player_id, club.organization_id, at=NOW + timedelta(minutes=1), team_id=club.junior_id),
        _event(
            PLAYER_REMOVED,
            player_id,
            club.organization_id,
            at=NOW + timedelta(minutes=2),
            team_id=club.junior_id,
            last_name="Lindqvist-Holm",
        ),
    ]
    newest = -1
    for index in order:
        await _apply(training, history[index])
        newest = max(newest, index)
        assert _state(await _entry(training, player_id)) == _expected(history[newest], club), (
            f"after event {index} of order {order}"
        )


async def test_a_redelivered_event_changes_nothing(training: RunningService) -> None:
    club, player_id = Club(), uuid.uuid4()
    added = _event(PLAYER_ADDED, player_id, club.organization_id, at=NOW, team_id=club.senior_id)
    await _apply(training, added, added)
    assert _state(await _entry(training, player_id)) == _expected(added, club)


async def test_events_no_club_can_be_given_for_are_ignored(training: RunningService) -> None:
    player_id = uuid.uuid4()
    without_club = _event(PLAYER_ADDED, player_id, None, at=NOW, team_id=None)
    without_player = Event(
        type=PLAYER_ADDED, producer="user", organization_id=uuid.uuid4(), occurred_at=NOW, data={"team_id": None}
    )
    await _apply(training, without_club, without_player)
    async with training.runtime.sessions() as session:
        count = await session.scalar(text("SELECT count(*) FROM roster_players"))
    assert count == 0


async def test_reads_by_players_and_by_team(training: RunningService) -> None:
    # given a senior team of three (one of them gone), a junior player, and another club's player
    club = Club()
    async with training.runtime.sessions() as session, session.begin():
        for last_name, first_name, is_active in (
            ("Holm", "Viktor", True),
            ("Dahl", "Oskar", False),
            ("Dahl", "Anna", True),
        ):
            await upsert_roster_entry(
                session,
                player_id=uuid.uuid4(),
                organization_id=club.organization_id,
                team_id=club.senior_id,
                first_name=first_name,
                last_name=last_name,
                is_active=is_active,
                occurred_at=NOW,
            )
        junior = uuid.uuid4()
        await upsert_roster_entry(
            session, player_id=junior, organization_id=club.organization_id, team_id=club.junior_id, occurred_at=NOW
        )
        stranger = uuid.uuid4()
        await upsert_roster_entry(
            session, player_id=stranger, organization_id=uuid.uuid4(), team_id=None, occurred_at=NOW
        )
    async with training.runtime.sessions() as session:
        senior = await team_roster(session, club.senior_id)
        by_ids = await roster_entries(session, [junior, stranger, uuid.uuid4()])
        nobody = await roster_entries(session, [])
        empty_team = await team_roster(session, uuid.uuid4())
    # then the team's roster lists everyone on it, active or not, by last then first name
    assert [(entry.last_name, entry.first_name, entry.is_active) for entry in senior] == [
        ("Dahl", "Anna", True),
        ("Dahl", "Oskar", False),
        ("Holm", "Viktor", True),
    ]
    # and a read by ids returns the players the copy knows, of any club, with the upsert's defaults
    assert {entry.player_id: (entry.first_name, entry.last_name, entry.is_active) for entry in by_ids} == {
        junior: ("", "", True),
        stranger: ("", "", True),
    }
    assert nobody == []
    assert empty_team == []


async def test_names_longer_than_the_columns_are_cut(training: RunningService) -> None:
    club, player_id = Club(), uuid.uuid4()
    await _apply(
        training,
        _event(PLAYER_ADDED, player_id, club.organization_id, at=NOW, team_id=None, last_name="Lindqvist" * 20),
    )
    entry = await _entry(training, player_id)
    assert entry is not None
    assert entry.last_name == ("Lindqvist" * 20)[:100]


@pytest.mark.parametrize("older_first", [True, False], ids=["older-first", "newer-first"])
async def test_concurrent_deliveries_leave_the_newer_state(training: RunningService, older_first: bool) -> None:
    """Two consumers apply two events of one player at once: whichever commits first, the newer wins."""
    club, player_id = Club(), uuid.uuid4()
    older = _event(PLAYER_ADDED, player_id, club.organization_id, at=NOW, team_id=club.senior_id)
    newer = _event(
        PLAYER_UPDATED, player_id, club.organization_id, at=NOW + timedelta(seconds=1), team_id=club.junior_id
    )
    first, second = (older, newer) if older_first else (newer, older)

    async def waiting_on_a_lock() -> bool:
        async with training.engine.connect() as connection:
            waiting = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        return bool(waiting)

    async with training.runtime.sessions() as session:
        async with session.begin():
            await apply_player_event(session, first)
            # the second delivery runs while the first's row is written but not committed: it waits for it
            racing = asyncio.create_task(_apply(training, second))
            await eventually(waiting_on_a_lock, within=5)
        await racing
    assert _state(await _entry(training, player_id)) == _expected(newer, club)


@pytest.mark.parametrize("service", KEEPERS)
def test_a_service_that_keeps_the_copy_has_the_shared_table_and_handlers(service: str) -> None:
    table = subgraph(service).metadata.tables["roster_players"]
    assert table is not roster_players  # a copy in the service's own MetaData, as the kernel tables are
    assert [(column.name, str(column.type), column.nullable) for column in table.columns] == [
        (column.name, str(column.type), column.nullable) for column in roster_players.columns
    ]
    assert table.primary_key.name == "pk_roster_players"
    assert {index.name for index in table.indexes} == {
        "ix_roster_players_organization_id",
        "ix_roster_players_team_active",
    }
    handlers = subgraph(service).event_handlers
    if service == "calendar":
        # The calendar runs the copy's handlers between its own, which narrow calendar feeds of players who
        # move or leave (`subgraphs.calendar.consumers`; its feed and availability tests see both at work).
        assert {PLAYER_ADDED, PLAYER_UPDATED, PLAYER_REMOVED} <= set(handlers)
        return
    # Training applies the copy's handler and keeps players' positions too (`subgraphs.training.positions`).
    expected = apply_player_and_position if service == "training" else apply_player_event
    for type in (PLAYER_ADDED, PLAYER_UPDATED):
        assert handlers[type] is expected
    assert handlers[PLAYER_REMOVED] is ROSTER_EVENT_HANDLERS[PLAYER_REMOVED] is apply_player_event
