"""The health-data access log: every read and write of health records (through `_entities` too) leaves a
row naming who, whose records, which fields, when and from which request; medical staff and
administrators read it; nothing changes it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.auth.principal import Role
from subgraphs.medical.models import AccessAction
from subgraphs.medical.schema import schema
from tests.medical.factories import Club, access_log, make_injury
from tests.support.principals import platform_admin, principal
from tests.support.services import RunningService

ENTITIES = """
query Health($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Player { id injuries { diagnosis ... on Injury { notes treatments { kind } } } }
  }
}
"""

LOG = """
query Log($playerId: ID, $action: HealthDataAction, $actorUserId: ID) {
  healthDataAccessLog(playerId: $playerId, action: $action, actorUserId: $actorUserId) {
    id occurredAt actorUserId actorRoles player { id } injuryId source action fields requestId
  }
}
"""

UPDATE = """
mutation Update($id: ID!, $input: UpdateInjuryInput!) { updateInjury(id: $id, input: $input) { id } }
"""


async def test_a_read_through_entities_is_logged_with_its_fields_and_request(
    medical: RunningService, club: Club
) -> None:
    await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    representations = [{"__typename": "Player", "id": str(club.adult_player_id)}]
    # when the router resolves the player's injuries for the player themselves
    player = club.player(club.adult_player_id)
    response = await medical.graphql.execute(ENTITIES, {"representations": representations}, as_=player)
    assert response.ok()["_entities"][0]["injuries"][0]["notes"]
    # then the read is logged: who, whose, which fields (fragments included), which request
    [entry] = await access_log(medical)
    assert (entry.actor_user_id, entry.player_id, entry.organization_id) == (
        player.user_id,
        club.adult_player_id,
        club.organization_id,
    )
    assert (entry.source, entry.action) == ("Player.injuries", AccessAction.READ)
    assert entry.fields == ["diagnosis", "notes", "treatments"]
    assert entry.request_id == response.headers["x-request-id"]


async def test_writes_are_logged_with_the_fields_they_changed(medical: RunningService, club: Club) -> None:
    medic = club.medic
    injury = await make_injury(medical, by=medic, player_id=club.adult_player_id)
    (
        await medical.graphql.execute(
            UPDATE, {"id": str(injury.id), "input": {"notes": "Improving.", "severity": "MILD"}}, as_=medic
        )
    ).ok()
    writes = await access_log(medical, AccessAction.WRITE)
    assert [(entry.source, entry.injury_id) for entry in writes] == [
        ("recordInjury", injury.id),
        ("updateInjury", injury.id),
    ]
    assert "diagnosis" in writes[0].fields
    assert writes[1].fields == ["notes", "severity"]
    assert {entry.actor_user_id for entry in writes} == {medic.user_id}


async def test_medical_staff_and_administrators_read_their_clubs_log(medical: RunningService, club: Club) -> None:
    medic = club.medic
    injury = await make_injury(medical, by=medic, player_id=club.adult_player_id)
    reader = club.player(club.adult_player_id)
    (
        await medical.graphql.execute(
            "query One($id: ID!) { injury(id: $id) { diagnosis } }", {"id": str(injury.id)}, as_=reader
        )
    ).ok()
    # another club's records, read by its own medic
    elsewhere = principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4())
    await make_injury(medical, by=elsewhere, player_id=uuid.uuid4())
    for caller in (medic, club.staff(Role.CLUB_ADMIN)):
        entries = (await medical.graphql.execute(LOG, {}, as_=caller)).ok()["healthDataAccessLog"]
        # newest first, only this club's rows, with the data's owner and the reader
        assert [(row["source"], row["action"]) for row in entries] == [
            ("injury", "READ"),
            ("recordInjury", "WRITE"),
        ]
        assert entries[0]["actorUserId"] == str(reader.user_id)
        assert entries[0]["player"] == {"id": str(club.adult_player_id)}
        assert entries[0]["fields"] == ["diagnosis"]
        # filters narrow it down
        reads = await medical.graphql.execute(LOG, {"action": "READ"}, as_=caller)
        assert [row["source"] for row in reads.ok()["healthDataAccessLog"]] == ["injury"]
        by_medic = await medical.graphql.execute(LOG, {"actorUserId": str(medic.user_id)}, as_=caller)
        assert [row["source"] for row in by_medic.ok()["healthDataAccessLog"]] == ["recordInjury"]
    # the platform administrator sees every club's
    everything = (await medical.graphql.execute(LOG, {}, as_=platform_admin())).ok()["healthDataAccessLog"]
    assert len(everything) == 3


@pytest.mark.parametrize("role", [Role.COACH, Role.PHYSICAL_TRAINER, Role.PLAYER, Role.PARENT, Role.EQUIPMENT_MANAGER])
async def test_nobody_else_reads_the_log(medical: RunningService, club: Club, role: Role) -> None:
    await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    response = await medical.graphql.execute(LOG, {}, as_=club.staff(role))
    assert response.codes == ["FORBIDDEN"]
    # and another club's medical staff see none of this club's rows
    other = principal(Role.MEDICAL_STAFF, organization_id=uuid.uuid4())
    assert (await medical.graphql.execute(LOG, {}, as_=other)).ok()["healthDataAccessLog"] == []


async def test_the_log_cannot_be_altered(medical: RunningService, club: Club) -> None:
    await make_injury(medical, by=club.medic, player_id=club.adult_player_id)
    # no operation of the API writes to it other than by logging
    mutations = schema.as_str().split("type Mutation", 1)[1].split("}", 1)[0]
    assert "access" not in mutations.lower()
    # and the database refuses to change or remove a row, even for the service's own connection
    for statement in ("UPDATE health_data_access SET source = 'nothing'", "DELETE FROM health_data_access"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with medical.engine.begin() as connection:
                await connection.execute(text(statement))
    assert len(await access_log(medical, None)) == 1
