"""Restrictions through GraphQL over HTTP, and the availability derived from injuries and restrictions."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from shared.auth.principal import Role
from subgraphs.medical.models import InjuryStatus, RestrictionKind
from tests.medical.factories import TODAY, Club, make_injury, make_restriction, outbox
from tests.support.services import RunningService

ADD = """
mutation Add($input: AddRestrictionInput!) {
  addRestriction(input: $input) {
    id kind bodyPart maxIntensityPercent startsOn endsOn reason injuryId liftedAt player { id }
  }
}
"""

LIFT = """
mutation Lift($id: ID!) { liftRestriction(id: $id) { id liftedAt } }
"""

AVAILABILITY = """
query Availability($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { medicalStatus activeRestrictions { id kind } }
  }
}
"""


async def _availability(medical: RunningService, club: Club, player_id: uuid.UUID) -> tuple[str, list[str]]:
    data = (
        await medical.graphql.execute(
            AVAILABILITY,
            {"representations": [{"__typename": "Player", "id": str(player_id)}]},
            as_=club.staff(Role.PHYSICAL_TRAINER),
        )
    ).ok()
    entity = data["_entities"][0]
    return entity["medicalStatus"], [restriction["kind"] for restriction in entity["activeRestrictions"]]


async def test_a_restriction_limits_the_player_until_it_is_lifted(medical: RunningService, club: Club) -> None:
    # given a healthy player
    assert await _availability(medical, club, club.adult_player_id) == ("AVAILABLE", [])
    # when medical staff cap their intensity
    added = (
        await medical.graphql.execute(
            ADD,
            {
                "input": {
                    "playerId": str(club.adult_player_id),
                    "kind": "LIMITED_INTENSITY",
                    "maxIntensityPercent": 60,
                    "endsOn": str(TODAY + timedelta(days=7)),
                    "reason": "Returning from illness; HR elevated at rest.",
                }
            },
            as_=club.medic,
        )
    ).ok()["addRestriction"]
    # then it applies from today, and the trainer sees the player limited
    assert (added["startsOn"], added["maxIntensityPercent"], added["liftedAt"]) == (str(TODAY), 60, None)
    assert await _availability(medical, club, club.adult_player_id) == ("LIMITED", ["LIMITED_INTENSITY"])
    [event] = await outbox(medical)
    assert event["type"] == "restriction.changed"
    assert event["data"]["kind"] == "limited_intensity"
    assert event["data"]["medical_status"] == "limited"
    assert "HR elevated" not in str(event)
    # when it is lifted, the player is available again, and lifting twice is a conflict
    lifted = (await medical.graphql.execute(LIFT, {"id": added["id"]}, as_=club.medic)).ok()["liftRestriction"]
    assert lifted["liftedAt"] is not None
    assert await _availability(medical, club, club.adult_player_id) == ("AVAILABLE", [])
    assert [event["data"]["change"] for event in await outbox(medical)] == ["added", "lifted"]
    again = await medical.graphql.execute(LIFT, {"id": added["id"]}, as_=club.medic)
    assert again.error("CONFLICT")["extensions"]["field"] == "id"


async def test_only_restrictions_in_force_today_count(medical: RunningService, club: Club) -> None:
    player = club.adult_player_id
    await make_restriction(
        medical,
        by=club.medic,
        player_id=player,
        starts_on=TODAY - timedelta(days=20),
        ends_on=TODAY - timedelta(days=1),
    )
    await make_restriction(
        medical,
        by=club.medic,
        player_id=player,
        starts_on=TODAY + timedelta(days=1),
        ends_on=TODAY + timedelta(days=5),
    )
    assert await _availability(medical, club, player) == ("AVAILABLE", [])
    await make_restriction(medical, by=club.medic, player_id=player, kind=RestrictionKind.NO_SKATING, ends_on=TODAY)
    assert await _availability(medical, club, player) == ("LIMITED", ["NO_SKATING"])


@pytest.mark.parametrize(
    ("injury_status", "restriction", "expected"),
    [
        (None, None, "AVAILABLE"),
        (None, RestrictionKind.NO_GAME_PLAY, "LIMITED"),
        (None, RestrictionKind.REST, "INJURED"),
        (InjuryStatus.RECOVERING, None, "LIMITED"),
        (InjuryStatus.ACTIVE, None, "INJURED"),
        (InjuryStatus.ACTIVE, RestrictionKind.NO_CONTACT, "INJURED"),
    ],
)
async def test_status_follows_from_injuries_and_restrictions(
    medical: RunningService,
    club: Club,
    injury_status: InjuryStatus | None,
    restriction: RestrictionKind | None,
    expected: str,
) -> None:
    if injury_status is not None:
        await make_injury(medical, by=club.medic, player_id=club.adult_player_id, status=injury_status)
    if restriction is not None:
        await make_restriction(medical, by=club.medic, player_id=club.adult_player_id, kind=restriction)
    status, _ = await _availability(medical, club, club.adult_player_id)
    assert status == expected


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "LIMITED_INTENSITY", "maxIntensityPercent": None}, "maxIntensityPercent"),
        ({"maxIntensityPercent": 120}, "maxIntensityPercent"),
        ({"maxIntensityPercent": -5}, "maxIntensityPercent"),
        ({"startsOn": str(TODAY), "endsOn": str(TODAY - timedelta(days=1))}, "endsOn"),
        ({"injuryId": "broken"}, "injuryId"),
        ({"reason": "x" * 1001}, "reason"),
    ],
)
async def test_invalid_restrictions_name_the_field(
    medical: RunningService, club: Club, overrides: dict[str, object], field: str
) -> None:
    restriction = {"playerId": str(club.adult_player_id), "kind": "NO_CONTACT", **overrides}
    response = await medical.graphql.execute(ADD, {"input": restriction}, as_=club.medic)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == field


async def test_a_restriction_links_only_to_the_same_players_injury(medical: RunningService, club: Club) -> None:
    other_players = await make_injury(medical, by=club.medic, player_id=club.minor_player_id)
    restriction = {
        "playerId": str(club.adult_player_id),
        "kind": "NO_CONTACT",
        "injuryId": str(other_players.id),
    }
    response = await medical.graphql.execute(ADD, {"input": restriction}, as_=club.medic)
    assert response.error("BAD_USER_INPUT")["extensions"]["field"] == "injuryId"
    unknown = await medical.graphql.execute(
        ADD, {"input": {**restriction, "injuryId": str(uuid.uuid4())}}, as_=club.medic
    )
    assert unknown.error("NOT_FOUND")["extensions"]["field"] == "injuryId"


async def test_coaches_and_trainers_may_not_restrict_or_lift(medical: RunningService, club: Club) -> None:
    restriction = await make_restriction(medical, by=club.medic, player_id=club.adult_player_id)
    for role in (Role.COACH, Role.PHYSICAL_TRAINER):
        caller = club.staff(role)
        add = await medical.graphql.execute(
            ADD, {"input": {"playerId": str(club.adult_player_id), "kind": "REST"}}, as_=caller
        )
        assert add.codes == ["FORBIDDEN"]
        lift = await medical.graphql.execute(LIFT, {"id": str(restriction.id)}, as_=caller)
        assert lift.codes == ["FORBIDDEN"]
    unknown = await medical.graphql.execute(LIFT, {"id": str(uuid.uuid4())}, as_=club.medic)
    assert unknown.codes == ["NOT_FOUND"]
