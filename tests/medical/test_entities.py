"""Federation: the medical service extends Player, batched: one statement per requested field group."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.auth.principal import Role
from shared.database import utcnow
from shared.roster import upsert_roster_entry
from subgraphs.medical import service
from subgraphs.medical.models import BodyPart, InjurySeverity, RestrictionKind, TreatmentKind
from tests.medical.factories import TODAY, Club, access_log
from tests.support.services import RunningService
from tests.support.statements import count_statements

ALL_FIELDS = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player {
      id
      medicalStatus
      activeRestrictions { kind bodyPart endsOn maxIntensityPercent }
      injuries(status: ACTIVE) { id diagnosis }
    }
  }
}
"""

WITH_TREATMENTS = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { id injuries { id treatments { kind } } }
  }
}
"""

AVAILABILITY_ONLY = """
query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { id medicalStatus activeRestrictions { kind } }
  }
}
"""


async def _squad(medical: RunningService, club: Club, size: int) -> list[uuid.UUID]:
    """`size` players of the club; every third injured (and treated), every fourth restricted."""
    players = [uuid.uuid4() for _ in range(size)]
    async with medical.runtime.sessions() as session, session.begin():
        for index, player_id in enumerate(players):
            await upsert_roster_entry(
                session,
                player_id=player_id,
                organization_id=club.organization_id,
                team_id=club.team_id,
                is_active=True,
                occurred_at=utcnow(),
            )
            if index % 3 == 0:
                injury = await service.record_injury(
                    session,
                    club.medic,
                    player_id=player_id,
                    body_part=BodyPart.ANKLE,
                    diagnosis="Lateral ankle sprain",
                    severity=InjurySeverity.MILD,
                    occurred_on=TODAY - timedelta(days=2),
                )
                await service.add_treatment(
                    session,
                    club.medic,
                    injury_id=injury.id,
                    treated_on=TODAY,
                    kind=TreatmentKind.PHYSIOTHERAPY,
                )
            if index % 4 == 0:
                await service.add_restriction(
                    session,
                    club.medic,
                    player_id=player_id,
                    kind=RestrictionKind.NO_SKATING,
                    body_part=BodyPart.ANKLE,
                )
    return players


def _representations(players: list[uuid.UUID]) -> list[dict[str, str]]:
    return [{"__typename": "Player", "id": str(player_id)} for player_id in players]


async def test_a_hundred_players_cost_one_statement_per_field_group(medical: RunningService, club: Club) -> None:
    players = await _squad(medical, club, 100)
    # when the router asks for status, restrictions and active injuries of 100 players
    with count_statements(medical.engine) as log:
        data = (
            await medical.graphql.execute(ALL_FIELDS, {"representations": _representations(players)}, as_=club.medic)
        ).ok()
    # then they come back in order, each with its own records
    entities = data["_entities"]
    assert [entity["id"] for entity in entities] == [str(player_id) for player_id in players]
    assert [entity["medicalStatus"] for entity in entities[:5]] == [
        "INJURED",
        "AVAILABLE",
        "AVAILABLE",
        "INJURED",
        "LIMITED",
    ]
    assert sum(len(entity["injuries"]) for entity in entities) == 34
    assert sum(len(entity["activeRestrictions"]) for entity in entities) == 25
    # with one statement each for status, restrictions and injuries (which writes its access log itself)
    assert log.count == 3, [statement[:80] for statement in log.statements]
    assert len(await access_log(medical)) == 34


async def test_nested_treatments_add_one_statement(medical: RunningService, club: Club) -> None:
    players = await _squad(medical, club, 30)
    with count_statements(medical.engine) as log:
        data = (
            await medical.graphql.execute(
                WITH_TREATMENTS, {"representations": _representations(players)}, as_=club.medic
            )
        ).ok()
    treated = [injury for entity in data["_entities"] for injury in entity["injuries"]]
    assert len(treated) == 10
    assert all(injury["treatments"] == [{"kind": "PHYSIOTHERAPY"}] for injury in treated)
    assert log.count == 2


async def test_a_coach_batch_reads_no_injuries_at_all(medical: RunningService, club: Club) -> None:
    players = await _squad(medical, club, 20)
    with count_statements(medical.engine) as log:
        data = (
            await medical.graphql.execute(
                AVAILABILITY_ONLY, {"representations": _representations(players)}, as_=club.staff(Role.COACH)
            )
        ).ok()
    assert data["_entities"][0]["medicalStatus"] == "INJURED"
    assert log.count == 2
    assert not any("injuries.diagnosis" in statement for statement in log.statements)


async def test_a_malformed_representation_fails_alone(medical: RunningService, club: Club) -> None:
    representations = [
        {"__typename": "Player", "id": str(club.adult_player_id)},
        {"__typename": "Player", "id": "not-an-id"},
    ]
    response = await medical.graphql.execute(AVAILABILITY_ONLY, {"representations": representations}, as_=club.medic)
    assert response.data["_entities"][0] == {
        "id": str(club.adult_player_id),
        "medicalStatus": "AVAILABLE",
        "activeRestrictions": [],
    }
    assert response.data["_entities"][1] is None
    assert response.codes == ["BAD_USER_INPUT"]
    assert response.errors[0]["path"] == ["_entities", 1]
