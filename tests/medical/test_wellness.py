"""Daily wellness check-ins: one per player per day, validated, a team summary and alerts for the staff
without the players' own words."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest

from shared.auth.principal import Role
from subgraphs.medical.repository import wellness as wellness_sql
from tests.medical.factories import TODAY, Club, access_log
from tests.support.principals import principal
from tests.support.services import RunningService
from tests.support.statements import count_statements

CHECK_IN = """
mutation CheckIn($input: WellnessCheckInInput!) {
  recordWellnessCheckIn(input: $input) { id day sleepHours soreness hrvMs painAreas notes player { id } }
}
"""

CHECK_INS = """
query CheckIns($playerId: ID!, $from: Date!, $to: Date!) {
  wellnessCheckIns(playerId: $playerId, from: $from, to: $to) { day sleepHours mood notes }
}
"""

TEAM = """
query Team($teamId: ID!) {
  teamWellness(teamId: $teamId) {
    day players responses
    averages { sleepHours sleepQuality energy stress soreness mood restingHeartRate hrvMs }
    alerts { player { id } metric rule value baseline painAreas }
  }
}
"""

WORDS = "Fight with my girlfriend, slept badly."


def _answers(player_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    return {
        "playerId": str(player_id),
        "sleepHours": 8,
        "sleepQuality": 7,
        "energy": 7,
        "stress": 3,
        "soreness": 3,
        "mood": 7,
        "restingHeartRate": 52,
        "hrvMs": 80,
        **changes,
    }


async def _check_in(medical: RunningService, club: Club, player_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    caller = club.player(player_id)
    response = await medical.graphql.execute(CHECK_IN, {"input": _answers(player_id, **changes)}, as_=caller)
    return response.ok()["recordWellnessCheckIn"]  # type: ignore[no-any-return]


async def test_a_second_check_in_the_same_day_replaces_the_first(medical: RunningService, club: Club) -> None:
    first = await _check_in(medical, club, club.adult_player_id, sleepHours=6.5)
    second = await _check_in(medical, club, club.adult_player_id, sleepHours=7.25, notes=WORDS, painAreas=["KNEE"])
    assert second["id"] == first["id"]
    assert (second["day"], second["sleepHours"], second["painAreas"], second["notes"]) == (
        str(TODAY),
        7.2,  # tenths of an hour (7.25 rounds to even)
        ["KNEE"],
        WORDS,
    )
    variables = {"playerId": str(club.adult_player_id), "from": str(TODAY - timedelta(days=7)), "to": str(TODAY)}
    rows = (await medical.graphql.execute(CHECK_INS, variables, as_=club.medic)).ok()["wellnessCheckIns"]
    assert [(row["day"], row["notes"]) for row in rows] == [(str(TODAY), WORDS)]
    assert [entry.source for entry in await access_log(medical)] == ["wellnessCheckIns"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sleepHours", 25),
        ("sleepHours", -1),
        ("sleepQuality", 0),
        ("energy", 11),
        ("stress", 0),
        ("soreness", 11),
        ("mood", 0),
        ("restingHeartRate", 10),
        ("hrvMs", 0),
        ("day", str(TODAY + timedelta(days=1))),
        ("day", str(TODAY - timedelta(days=8))),
    ],
)
async def test_values_out_of_range_name_their_field(
    medical: RunningService, club: Club, field: str, value: object
) -> None:
    player = club.player(club.adult_player_id)
    response = await medical.graphql.execute(
        CHECK_IN, {"input": _answers(club.adult_player_id, **{field: value})}, as_=player
    )
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field


async def test_players_check_in_for_themselves_only(medical: RunningService, club: Club) -> None:
    teammate = club.player(club.minor_player_id)
    answers = {"input": _answers(club.adult_player_id)}
    assert (await medical.graphql.execute(CHECK_IN, answers, as_=teammate)).codes == ["FORBIDDEN"]
    assert (await medical.graphql.execute(CHECK_IN, answers, as_=club.staff(Role.COACH))).codes == ["FORBIDDEN"]
    # medical staff may enter one for a player
    assert (await medical.graphql.execute(CHECK_IN, answers, as_=club.medic)).ok()
    # and the check-ins themselves are for the player, a minor's parents and medical staff only
    variables = {"playerId": str(club.adult_player_id), "from": str(TODAY), "to": str(TODAY)}
    for caller in (club.staff(Role.COACH), teammate, club.parent(club.adult_player_id, minor=False)):
        assert (await medical.graphql.execute(CHECK_INS, variables, as_=caller)).codes == ["FORBIDDEN"]
    other_club = principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4())
    assert (await medical.graphql.execute(CHECK_INS, variables, as_=other_club)).codes == ["FORBIDDEN"]


async def test_the_team_summary_averages_and_alerts_without_free_text(medical: RunningService, club: Club) -> None:
    # given two weeks of steady check-ins by the adult player
    async with medical.runtime.sessions() as session, session.begin():
        for days_ago in range(1, 15):
            await wellness_sql.upsert(
                session,
                {
                    "organization_id": club.organization_id,
                    "player_id": club.adult_player_id,
                    "team_id": club.team_id,
                    "day": TODAY - timedelta(days=days_ago),
                    "sleep_hours": 8,
                    "sleep_quality": 7,
                    "energy": 7,
                    "stress": 3 + days_ago % 2,
                    "soreness": 3,
                    "mood": 7,
                    "resting_heart_rate": 50 + days_ago % 3,
                    "hrv_ms": 80 + days_ago % 5,
                },
            )
    # and today: short sleep, a much lower HRV and a higher pulse, and a sore minor with a painful knee
    await _check_in(medical, club, club.adult_player_id, sleepHours=5.5, hrvMs=55, restingHeartRate=64, notes=WORDS)
    await _check_in(medical, club, club.minor_player_id, soreness=9, painAreas=["KNEE"], notes=WORDS)
    # when the team's coach looks at the summary
    with count_statements(medical.engine) as log:
        response = await medical.graphql.execute(TEAM, {"teamId": str(club.team_id)}, as_=club.staff(Role.COACH))
    summary = response.ok()["teamWellness"]
    assert log.count == 3  # the roster, four weeks of check-ins, the access log of the alerted players
    # then averages of today's two answers, and one alert per worrying value
    assert (summary["players"], summary["responses"]) == (2, 2)
    assert summary["averages"]["sleepHours"] == 6.8  # (5.5 + 8) / 2
    assert summary["averages"]["soreness"] == 6.0
    alerts = {(alert["player"]["id"], alert["metric"], alert["rule"]) for alert in summary["alerts"]}
    adult, minor = str(club.adult_player_id), str(club.minor_player_id)
    assert alerts == {
        (adult, "SLEEP_HOURS", "THRESHOLD"),
        (adult, "HRV", "HRV_DROP"),
        (adult, "RESTING_HEART_RATE", "BASELINE_DEVIATION"),
        (minor, "SORENESS", "THRESHOLD"),
        (minor, "PAIN", "PAIN_REPORTED"),
    }
    hrv = next(alert for alert in summary["alerts"] if alert["metric"] == "HRV")
    assert (hrv["value"], hrv["baseline"]) == (55, 82.1)
    pain = next(alert for alert in summary["alerts"] if alert["metric"] == "PAIN")
    assert pain["painAreas"] == ["KNEE"]
    # and never the players' own words
    assert WORDS not in json.dumps(response.body)
    # the values shown player by player are logged as reads
    assert {entry.player_id for entry in await access_log(medical) if entry.source == "teamWellness"} == {
        club.adult_player_id,
        club.minor_player_id,
    }


async def test_the_team_summary_is_for_the_teams_staff(medical: RunningService, club: Club) -> None:
    team = {"teamId": str(club.team_id)}
    other_team_coach = principal(Role.COACH, organization_id=club.organization_id, teams=[uuid.uuid4()])
    for caller in (other_team_coach, club.player(club.adult_player_id), club.staff(Role.CLUB_ADMIN)):
        assert (await medical.graphql.execute(TEAM, team, as_=caller)).codes == ["FORBIDDEN"]
    empty = (await medical.graphql.execute(TEAM, team, as_=club.medic)).ok()["teamWellness"]
    assert (empty["players"], empty["responses"], empty["alerts"]) == (2, 0, [])
    assert empty["averages"]["mood"] is None
