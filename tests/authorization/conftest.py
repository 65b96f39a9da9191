from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hockey_hub.services import SERVICES, demo_module
from shared.demo import DemoClub, DemoPlayer, demo_club
from tests.authorization.setup import prepare
from tests.authorization.world import Subject, World, club_markers, principals_of
from tests.support.services import ServicePool


def _subject(name: str, player: DemoPlayer) -> Subject:
    return Subject(name, player.id, player.team_id, player.user.id)


def _anchors(club: DemoClub) -> tuple[Subject, Subject]:
    """The demo parent's child (an U18 player with a shoulder injury) and the senior forward with the
    knee injury (the medical demo's third senior forward)."""
    junior = next(player for player in club.players if player.id == club.parents[0].child_ids[0])
    senior_team = club.teams[0].id
    forwards = [p for p in club.roster(senior_team) if p.position in ("center", "left_wing", "right_wing")]
    return _subject("junior", junior), _subject("senior", forwards[2])


@pytest.fixture(scope="package")
async def world(services: ServicePool) -> AsyncIterator[World]:
    """The demo club in every service, read-only for the package; emptied at the end."""
    club = demo_club()
    running = {name: await services.get(name) for name in SERVICES}
    try:
        for name, service in running.items():
            module = demo_module(name)
            if module is not None:
                async with service.runtime.sessions() as session, session.begin():
                    await module.load_demo(session, club)
        junior, senior = _anchors(club)
        world = World(
            club=club,
            services=running,
            principals=principals_of(club, junior=junior),
            junior=junior,
            senior=senior,
            markers=club_markers(club),
        )
        await prepare(world)
        try:
            yield world
        finally:
            await world.close()
    finally:
        for service in running.values():
            await service.truncate()
