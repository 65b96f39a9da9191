"""Training load and workload ratios, fed by the training service's `workout.completed` on the event bus.

The hand-checked club (team T; AS_OF is the last day of both windows, days are offsets from it):
    P1  -25 -23 -21 | -18 -16 -14 | -11 -9 -7: RPE 5 x 60 = 300 each       chronic weeks: 3 x 900 = 2700
        -5: RPE 8 x 90 = 720; -3: 720 and a strength live session 30 min   acute: 720 + 900 + 720 = 2340
            without RPE = 6 x 30 = 180; 0: 720
        -28 and +1: RPE 10 x 100 = 1000 each, outside the windows          not counted
        chronic = (2700 + 2340) / 4 = 1260.00; ratio 2340 / 1260 = 1.857 -> 1.86 SPIKE
    P2  the same three chronic weeks (2700); -2: RPE 6 x 100 = 600
        chronic = 3300 / 4 = 825.00; ratio 600 / 825 = 0.727 -> 0.73 UNDER_TRAINING
    P3  a conditioning live session of 60 min without RPE each week at -22, -15, -8, -1: 7 x 60 = 420
        chronic = 1680 / 4 = 420.00; ratio 1.00 IN_RANGE
    P5  -20: RPE 5 x 100 = 500; -1: RPE 5 x 60 = 300
        chronic = 800 / 4 = 200.00; ratio 300 / 200 = 1.50 exactly: IN_RANGE, a spike is above 1.5
    P4  on the team, no training: NO_BASELINE
    P6  another team's player; P7 removed from the roster: neither is in T's view
"""

from __future__ import annotations

import contextlib
import logging
import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.auth.principal import Role
from shared.events import Event
from subgraphs.statistics.models import TrainingLoad
from tests.conftest import ServiceFactory
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements
from tests.support.waiting import eventually
from tests.training.factories import Club as TrainingClub
from tests.training.factories import make_assignment, make_club, make_exercise, make_strength_workout

AS_OF = date(2026, 2, 28)
P1, P2, P3, P4, P5, P6, P7 = (uuid.UUID(int=n) for n in range(1, 8))

WORKLOAD = """
query Workload($representations: [_Any!]!, $asOf: Date) {
  _entities(representations: $representations) {
    ... on Player { id workloadRatio(asOf: $asOf) { asOf acuteLoad chronicLoad ratio flag player { id } } }
  }
}
"""

TRAINING_LOAD = """
query Load($representations: [_Any!]!, $from: Date, $to: Date) {
  _entities(representations: $representations) {
    ... on Player { id trainingLoad(from: $from, to: $to) { date load sessions } }
  }
}
"""

TEAM_WORKLOAD = """
query TeamWorkload($teamId: ID!, $asOf: Date) {
  teamWorkload(teamId: $teamId, asOf: $asOf) { player { id } acuteLoad chronicLoad ratio flag }
}
"""

COMPLETE = """
mutation Complete($id: ID!, $rpe: Int, $minutes: Int) {
  completeAssignedWorkout(id: $id, rpe: $rpe, minutes: $minutes) { id status load }
}
"""

START_LIVE = """
mutation Start($input: StartLiveSessionInput!) { startLiveSession(input: $input) { id players { player { id } } } }
"""

END_LIVE = "mutation End($id: ID!) { endLiveSession(id: $id) { id status } }"

ASSIGNED = """
query Assigned($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Player { assignedWorkouts { id } } }
}
"""


@pytest.fixture
async def training(service: ServiceFactory) -> RunningService:
    return await service("training")


def _players(*ids: uuid.UUID) -> list[dict[str, str]]:
    return [{"__typename": "Player", "id": str(player)} for player in ids]


def _completed(
    organization_id: uuid.UUID,
    player_id: uuid.UUID,
    *,
    offset: int,
    minutes: int,
    rpe: int | None = None,
    kind: str = "strength",
    team_id: uuid.UUID | None = None,
) -> Event:
    """`workout.completed` as the training service writes it (`subgraphs/training/events.py`): with RPE as
    a player completing an assigned workout does, without as a live session's end does."""
    data: dict[str, Any] = {
        "player_workout_id": str(uuid.uuid4()),
        "assignment_id": str(uuid.uuid4()),
        "player_id": str(player_id),
        "team_id": None if team_id is None else str(team_id),
        "workout_id": str(uuid.uuid4()),
        "workout_kind": kind,
        "date": (AS_OF + timedelta(days=offset)).isoformat(),
        "minutes": minutes,
        "rpe": rpe,
        "load": None if rpe is None else rpe * minutes,
    }
    if rpe is None:
        data |= {"live_session_id": str(uuid.uuid4()), "completion_percent": 100}
    return Event(type="workout.completed", producer="training", organization_id=organization_id, data=data)


def _player_event(
    organization_id: uuid.UUID, player_id: uuid.UUID, team_id: uuid.UUID, *, removed: bool = False
) -> Event:
    """A roster event as the user service writes it (`subgraphs/user/events.py`)."""
    return Event(
        type="player.removed" if removed else "player.added",
        producer="user",
        organization_id=organization_id,
        occurred_at=datetime.now(UTC) + (timedelta(seconds=1) if removed else timedelta()),
        data={
            "player_id": str(player_id),
            "team_id": str(team_id),
            "user_id": None,
            "first_name": "Oskar",
            "last_name": f"Player {player_id.int}",
            "is_active": not removed,
        },
    )


def _club_history(organization_id: uuid.UUID, team_id: uuid.UUID) -> list[Event]:
    events = [
        _completed(organization_id, player, offset=offset, minutes=60, rpe=5, team_id=team_id)
        for player in (P1, P2)
        for offset in (-25, -23, -21, -18, -16, -14, -11, -9, -7)
    ]
    events += [
        _completed(organization_id, P1, offset=offset, minutes=90, rpe=8, team_id=team_id) for offset in (-5, -3, 0)
    ]
    events += [
        _completed(organization_id, P1, offset=-3, minutes=30, team_id=team_id),
        _completed(organization_id, P1, offset=-28, minutes=100, rpe=10, team_id=team_id),
        _completed(organization_id, P1, offset=1, minutes=100, rpe=10, team_id=team_id),
        _completed(organization_id, P2, offset=-2, minutes=100, rpe=6, team_id=team_id),
        _completed(organization_id, P5, offset=-20, minutes=100, rpe=5, team_id=team_id),
        _completed(organization_id, P5, offset=-1, minutes=60, rpe=5, team_id=team_id),
    ]
    events += [
        _completed(organization_id, P3, offset=offset, minutes=60, kind="conditioning", team_id=team_id)
        for offset in (-22, -15, -8, -1)
    ]
    random.shuffle(events)  # the order of arrival must not matter
    return events


async def _recorded(statistics: RunningService, organization_id: uuid.UUID) -> int:
    async with statistics.runtime.sessions() as session:
        count = select(func.count()).select_from(TrainingLoad).where(TrainingLoad.organization_id == organization_id)
        return int(await session.scalar(count) or 0)


async def _publish_history(statistics: RunningService, organization_id: uuid.UUID, team_id: uuid.UUID) -> None:
    other_team = uuid.uuid4()
    roster = [_player_event(organization_id, player, team_id) for player in (P1, P2, P3, P4, P5, P7)]
    roster += [
        _player_event(organization_id, P6, other_team),
        _player_event(organization_id, P7, team_id, removed=True),
    ]
    history = _club_history(organization_id, team_id)
    history.append(_completed(organization_id, P6, offset=-1, minutes=60, rpe=9, team_id=other_team))
    for event in roster + history:
        await statistics.runtime.bus.publish(event)

    async def all_recorded() -> bool:
        return await _recorded(statistics, organization_id) == len(history)

    await eventually(all_recorded)

    async def roster_applied() -> bool:
        coach = _coach(organization_id, team_id)
        data = (await statistics.graphql.execute(TEAM_WORKLOAD, {"teamId": str(team_id)}, as_=coach)).ok()
        return {row["player"]["id"] for row in data["teamWorkload"]} == {str(p) for p in (P1, P2, P3, P4, P5)}

    await eventually(roster_applied)


def _coach(organization_id: uuid.UUID, team_id: uuid.UUID) -> Any:
    return principal(Role.COACH, organization_id=organization_id, teams=(team_id,))


async def test_workload_ratios_match_the_hand_computed_numbers(statistics: RunningService) -> None:
    # given a season of completed workouts, arriving in any order
    organization_id, team_id = uuid.uuid4(), uuid.uuid4()
    await _publish_history(statistics, organization_id, team_id)
    # when a player's ratios are asked for on AS_OF
    data = (
        await statistics.graphql.execute(
            WORKLOAD,
            {"representations": _players(P1, P2, P3, P4, P5), "asOf": str(AS_OF)},
            as_=_coach(organization_id, team_id),
        )
    ).ok()
    ratios = {entity["id"]: entity["workloadRatio"] for entity in data["_entities"]}
    # then they are the ones worked out by hand in the module's docstring
    expected = {
        P1: (2340, 1260.0, 1.86, "SPIKE"),
        P2: (600, 825.0, 0.73, "UNDER_TRAINING"),
        P3: (420, 420.0, 1.0, "IN_RANGE"),
        P4: (0, 0.0, None, "NO_BASELINE"),
        P5: (300, 200.0, 1.5, "IN_RANGE"),
    }
    for player, (acute, chronic, ratio, flag) in expected.items():
        assert ratios[str(player)] == {
            "asOf": str(AS_OF),
            "acuteLoad": acute,
            "chronicLoad": chronic,
            "ratio": ratio,
            "flag": flag,
            "player": {"id": str(player)},
        }
    # and a week later P1's spike week is the chronic window's past: (2700 + 2340 + 1000) / 4, acute 1000
    later = (
        await statistics.graphql.execute(
            WORKLOAD,
            {"representations": _players(P1), "asOf": str(AS_OF + timedelta(days=7))},
            as_=_coach(organization_id, team_id),
        )
    ).ok()["_entities"][0]["workloadRatio"]
    # the 28 days from -20 to +7 hold -18 ... 0 (1800 + 2340) and +1 (1000): 5140 / 4 = 1285; 1000 / 1285 = 0.78
    assert (later["acuteLoad"], later["chronicLoad"], later["ratio"], later["flag"]) == (
        1000,
        1285.0,
        0.78,
        "UNDER_TRAINING",
    )


async def test_daily_loads_sum_each_days_sessions(statistics: RunningService) -> None:
    organization_id, team_id = uuid.uuid4(), uuid.uuid4()
    await _publish_history(statistics, organization_id, team_id)
    player = principal(Role.PLAYER, organization_id=organization_id, teams=(team_id,), player_id=P1)
    # when P1 looks at their own last week
    variables = {
        "representations": _players(P1),
        "from": str(AS_OF - timedelta(days=6)),
        "to": str(AS_OF + timedelta(days=1)),
    }
    data = (await statistics.graphql.execute(TRAINING_LOAD, variables, as_=player)).ok()
    # then every day is there, training or not, and -3 adds the rated session and the live one: 720 + 180
    days = [(day["date"], day["load"], day["sessions"]) for day in data["_entities"][0]["trainingLoad"]]
    assert days == [
        (str(AS_OF + timedelta(days=offset)), load, sessions)
        for offset, load, sessions in (
            (-6, 0, 0),
            (-5, 720, 1),
            (-4, 0, 0),
            (-3, 900, 2),
            (-2, 0, 0),
            (-1, 0, 0),
            (0, 720, 1),
            (1, 1000, 1),
        )
    ]


async def test_the_team_view_lists_who_needs_attention_first_in_two_statements(statistics: RunningService) -> None:
    organization_id, team_id = uuid.uuid4(), uuid.uuid4()
    await _publish_history(statistics, organization_id, team_id)
    trainer = principal(Role.PHYSICAL_TRAINER, organization_id=organization_id, teams=(team_id,))
    with count_statements(statistics.engine) as log:
        data = (
            await statistics.graphql.execute(TEAM_WORKLOAD, {"teamId": str(team_id), "asOf": str(AS_OF)}, as_=trainer)
        ).ok()
    # spike, under-training, in range (highest first), no baseline; not the other team's player, not the removed one
    assert [(row["player"]["id"], row["flag"], row["ratio"]) for row in data["teamWorkload"]] == [
        (str(P1), "SPIKE", 1.86),
        (str(P2), "UNDER_TRAINING", 0.73),
        (str(P5), "IN_RANGE", 1.5),
        (str(P3), "IN_RANGE", 1.0),
        (str(P4), "NO_BASELINE", None),
    ]
    assert log.count == 2, log.statements  # the roster, then every player's windows at once


FLAGGED = """
query Flagged($teamId: ID!, $asOf: Date) {
  flaggedPlayers(teamId: $teamId, asOf: $asOf) { player { id } flag ratio inTargetBand monotony strain }
}
"""


async def test_monotony_strain_and_the_trainers_flagged_players(statistics: RunningService) -> None:
    """Monotony over the acute week, rest days as zero: S / sqrt(7 Q - S^2) with S the week's sum and Q the
    sum of squared daily loads.
        P1  days 720, 900, 720: S 2340, Q 1 846 800; 7Q - S^2 = 7 452 000, sqrt 2729.84 -> 0.857 -> 0.86;
            strain 2340 x 0.86 = 2012.40
        P2  one day of 600: 600 / sqrt(6 x 600^2) = 1 / sqrt(6) = 0.408 -> 0.41; strain 600 x 0.41 = 246.00
        P3  one day of 420: 0.41, strain 172.20; P5 one day of 300: 0.41, strain 123.00
        P4  no load: no monotony
    Flagged: P1 (spike) and P2 (under-training); none has a monotony above 2. In the 0.8-1.3 band: P3 only.
    """
    organization_id, team_id = uuid.uuid4(), uuid.uuid4()
    await _publish_history(statistics, organization_id, team_id)
    trainer = principal(Role.PHYSICAL_TRAINER, organization_id=organization_id, teams=(team_id,))
    data = (await statistics.graphql.execute(FLAGGED, {"teamId": str(team_id), "asOf": str(AS_OF)}, as_=trainer)).ok()
    assert data["flaggedPlayers"] == [
        {
            "player": {"id": str(P1)},
            "flag": "SPIKE",
            "ratio": 1.86,
            "inTargetBand": False,
            "monotony": 0.86,
            "strain": 2012.4,
        },
        {
            "player": {"id": str(P2)},
            "flag": "UNDER_TRAINING",
            "ratio": 0.73,
            "inTargetBand": False,
            "monotony": 0.41,
            "strain": 246.0,
        },
    ]
    ratios = (
        await statistics.graphql.execute(
            """query R($teamId: ID!, $asOf: Date) { teamWorkload(teamId: $teamId, asOf: $asOf) {
                 player { id } inTargetBand monotony strain } }""",
            {"teamId": str(team_id), "asOf": str(AS_OF)},
            as_=trainer,
        )
    ).ok()["teamWorkload"]
    assert [(row["player"]["id"], row["inTargetBand"], row["monotony"], row["strain"]) for row in ratios[2:]] == [
        (str(P5), False, 0.41, 123.0),
        (str(P3), True, 0.41, 172.2),
        (str(P4), False, None, None),
    ]
    # and the team's summary: P1 P2 P3 P5 have a baseline; acute 2340 + 600 + 420 + 300 = 3660, mean 915.00;
    # chronic 1260 + 825 + 420 + 200 = 2705, mean 676.25; team ratio 3660 / 2705 = 1.353 -> 1.35
    summary = (
        await statistics.graphql.execute(
            """query S($teamId: ID!, $asOf: Date) { teamLoadSummary(teamId: $teamId, asOf: $asOf) {
                 players playersWithBaseline acuteLoad chronicLoad ratio spikes underTraining inRange noBaseline
                 inTargetBand flagged } }""",
            {"teamId": str(team_id), "asOf": str(AS_OF)},
            as_=trainer,
        )
    ).ok()["teamLoadSummary"]
    assert summary == {
        "players": 5,
        "playersWithBaseline": 4,
        "acuteLoad": 915.0,
        "chronicLoad": 676.25,
        "ratio": 1.35,
        "spikes": 1,
        "underTraining": 1,
        "inRange": 2,
        "noBaseline": 1,
        "inTargetBand": 1,
        "flagged": 2,
    }
    # and a player does not see the team's flags
    player = principal(Role.PLAYER, organization_id=organization_id, teams=(team_id,), player_id=P1)
    response = await statistics.graphql.execute(FLAGGED, {"teamId": str(team_id)}, as_=player)
    assert response.codes == ["FORBIDDEN"]
    response = await statistics.graphql.execute(
        "query S($teamId: ID!) { teamLoadSummary(teamId: $teamId) { players } }", {"teamId": str(team_id)}, as_=player
    )
    assert response.codes == ["FORBIDDEN"]


async def test_a_redelivered_event_counts_once(statistics: RunningService, caplog: pytest.LogCaptureFixture) -> None:
    # given one completed workout, delivered
    caplog.set_level(logging.INFO, logger="shared.events.consumer")
    organization_id = uuid.uuid4()
    event = _completed(organization_id, P1, offset=0, minutes=45, rpe=7)
    await statistics.runtime.bus.publish(event)

    async def first() -> bool:
        return await _recorded(statistics, organization_id) == 1

    await eventually(first)
    # when the bus delivers it again
    await statistics.runtime.bus.publish(event)

    async def skipped() -> bool:
        return any(getattr(record, "event_id", None) == str(event.id) for record in caplog.records)

    await eventually(skipped)
    # then the day still holds one session of 7 x 45
    staff = principal(Role.CLUB_ADMIN, organization_id=organization_id)
    data = (
        await statistics.graphql.execute(
            TRAINING_LOAD, {"representations": _players(P1), "from": str(AS_OF), "to": str(AS_OF)}, as_=staff
        )
    ).ok()
    assert data["_entities"][0]["trainingLoad"] == [{"date": str(AS_OF), "load": 315, "sessions": 1}]
    assert await _recorded(statistics, organization_id) == 1


async def test_training_load_is_for_staff_the_player_and_their_parents(statistics: RunningService) -> None:
    organization_id, team_id = uuid.uuid4(), uuid.uuid4()
    await statistics.runtime.bus.publish(_completed(organization_id, P1, offset=0, minutes=60, rpe=5))

    async def recorded() -> bool:
        return await _recorded(statistics, organization_id) == 1

    await eventually(recorded)
    variables = {"representations": _players(P1), "asOf": str(AS_OF)}
    for allowed in (
        principal(Role.PLAYER, organization_id=organization_id, player_id=P1),
        principal(Role.PARENT, organization_id=organization_id, children=(P1,)),
        principal(Role.ASSISTANT_COACH, organization_id=organization_id, teams=(team_id,)),
    ):
        data = (await statistics.graphql.execute(WORKLOAD, variables, as_=allowed)).ok()
        assert data["_entities"][0]["workloadRatio"]["acuteLoad"] == 300
    # a teammate sees neither the ratio nor the loads
    teammate = principal(Role.PLAYER, organization_id=organization_id, teams=(team_id,), player_id=P2)
    response = await statistics.graphql.execute(WORKLOAD, variables, as_=teammate)
    assert response.codes == ["FORBIDDEN"]
    assert response.data["_entities"][0]["workloadRatio"] is None
    response = await statistics.graphql.execute(TRAINING_LOAD, {"representations": _players(P1)}, as_=teammate)
    assert response.codes == ["FORBIDDEN"]
    # staff of another club see nothing of this club's loads
    outsider = principal(Role.COACH, organization_id=uuid.uuid4(), teams=(team_id,))
    data = (await statistics.graphql.execute(WORKLOAD, variables, as_=outsider)).ok()
    assert data["_entities"][0]["workloadRatio"]["flag"] == "NO_BASELINE"
    # and the team view is a staff tool
    player = principal(Role.PLAYER, organization_id=organization_id, teams=(team_id,), player_id=P1)
    response = await statistics.graphql.execute(TEAM_WORKLOAD, {"teamId": str(team_id)}, as_=player)
    assert response.codes == ["FORBIDDEN"]


async def test_bad_ranges_and_ids_are_typed_errors(statistics: RunningService) -> None:
    coach = principal(Role.COACH, organization_id=uuid.uuid4())
    backwards = {"representations": _players(P1), "from": str(AS_OF), "to": str(AS_OF - timedelta(days=1))}
    response = await statistics.graphql.execute(TRAINING_LOAD, backwards, as_=coach)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "to"
    too_long = {"representations": _players(P1), "from": str(AS_OF - timedelta(days=366)), "to": str(AS_OF)}
    response = await statistics.graphql.execute(TRAINING_LOAD, too_long, as_=coach)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "to"
    response = await statistics.graphql.execute(TEAM_WORKLOAD, {"teamId": "not-a-team"}, as_=coach)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "teamId"


@contextlib.asynccontextmanager
async def one_event_bus(training: RunningService, statistics: RunningService) -> AsyncIterator[None]:
    """With RabbitMQ both services share the broker's exchange; in the embedded mode each test service has a
    bus of its own, so this carries the training service's `workout.completed` over to the statistics one."""
    if statistics.runtime.settings.amqp_url is not None:
        yield
        return
    carrying = True

    async def carry(event: Event) -> None:
        if carrying:
            await statistics.runtime.bus.publish(event)

    await training.runtime.bus.consume(f"test-bridge-{uuid.uuid4().hex[:8]}", ["workout.completed"], carry)
    try:
        yield
    finally:
        carrying = False


async def _assigned_workout(training: RunningService, club: TrainingClub, player_id: uuid.UUID) -> str:
    data = (await training.graphql.execute(ASSIGNED, {"representations": _players(player_id)}, as_=club.trainer)).ok()
    found: str = data["_entities"][0]["assignedWorkouts"][-1]["id"]
    return found


async def test_a_workout_completed_at_the_training_service_becomes_the_players_load(
    training: RunningService, statistics: RunningService
) -> None:
    # given a strength workout assigned to two players of the training service's club
    club = await make_club(training)
    rated, unrated = club.senior_players[:2]
    exercise = await make_exercise(training, by=club.trainer)
    workout = await make_strength_workout(training, by=club.trainer, exercise=exercise)
    await make_assignment(training, by=club.trainer, workout=workout, player_ids=(rated, unrated))
    today = date.today()  # noqa: DTZ011 (the training service's calendar day)
    async with one_event_bus(training, statistics):
        # when the trainer marks one player's done without RPE or minutes, and the other completes theirs
        # with RPE 7 over 45 minutes
        theirs = await _assigned_workout(training, club, unrated)
        (await training.graphql.execute(COMPLETE, {"id": theirs}, as_=club.trainer)).ok()
        mine = await _assigned_workout(training, club, rated)
        done = (
            await training.graphql.execute(COMPLETE, {"id": mine, "rpe": 7, "minutes": 45}, as_=club.player(rated))
        ).ok()
        assert done["completeAssignedWorkout"]["load"] == 315
        staff = principal(Role.PHYSICAL_TRAINER, organization_id=club.organization_id)
        variables = {"representations": _players(rated, unrated), "from": str(today), "to": str(today)}

        async def arrived() -> list[Any] | None:
            data = (await statistics.graphql.execute(TRAINING_LOAD, variables, as_=staff)).ok()
            loads = [entity["trainingLoad"] for entity in data["_entities"]]
            return loads if loads[0][0]["sessions"] else None

        loads = await eventually(arrived)
    # then the statistics service has the rated session's load, 7 x 45, and none for the unrated one
    assert loads == [
        [{"date": str(today), "load": 315, "sessions": 1}],
        [{"date": str(today), "load": 0, "sessions": 0}],
    ]
    ratio = (await statistics.graphql.execute(WORKLOAD, {"representations": _players(rated)}, as_=staff)).ok()[
        "_entities"
    ][0]["workloadRatio"]
    # a first week is all the baseline there is: 315 against 315 / 4 = 78.75, a ratio of 4.00
    assert (ratio["acuteLoad"], ratio["chronicLoad"], ratio["ratio"], ratio["flag"]) == (315, 78.75, 4.0, "SPIKE")


async def test_a_live_session_s_end_becomes_estimated_loads_of_its_players(
    training: RunningService, statistics: RunningService
) -> None:
    # given a live strength session of a team's three players, at the training service
    club = await make_club(training)
    exercise = await make_exercise(training, by=club.trainer)
    workout = await make_strength_workout(training, by=club.trainer, exercise=exercise)
    today = date.today()  # noqa: DTZ011 (the training service's calendar day)
    async with one_event_bus(training, statistics):
        variables = {"input": {"workoutId": str(workout.id), "teamId": str(club.senior_id)}}
        started = (await training.graphql.execute(START_LIVE, variables, as_=club.trainer)).ok()["startLiveSession"]
        assert len(started["players"]) == 3
        # when the trainer ends it at once: a minute each (the least the training service counts), no RPE
        ended = (await training.graphql.execute(END_LIVE, {"id": started["id"]}, as_=club.trainer)).ok()
        assert ended["endLiveSession"]["status"] == "ENDED"
        staff = principal(Role.COACH, organization_id=club.organization_id, teams=(club.senior_id,))
        query = {"representations": _players(*club.senior_players), "from": str(today), "to": str(today)}

        async def arrived() -> list[Any] | None:
            data = (await statistics.graphql.execute(TRAINING_LOAD, query, as_=staff)).ok()
            loads = [entity["trainingLoad"] for entity in data["_entities"]]
            return loads if all(days[0]["sessions"] for days in loads) else None

        loads = await eventually(arrived)
    # then each player has the estimate for a strength minute: 6 x 1
    assert loads == [[{"date": str(today), "load": 6, "sessions": 1}]] * 3
