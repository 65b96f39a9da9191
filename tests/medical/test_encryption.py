"""Health data at rest: what the database holds is Fernet tokens, the API shows plain text, and a new key
takes over every stored value without a read failing in between."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr
from sqlalchemy import text

from shared.settings import Mode, Settings
from subgraphs.medical import encryption
from subgraphs.medical.key_rotation import reencrypt_database
from subgraphs.medical.models import BodyPart
from tests.medical.factories import TODAY, Club, make_injury, make_restriction, make_treatment
from tests.support.services import RunningService

DIAGNOSIS = "Anterior cruciate ligament rupture, left knee"
NOTES = "Lachman grade 3; surgery booked."
TREATMENT = "Prehab: quad sets, straight-leg raises."
PROVIDER = "Club physio"
REASON = "Graft protection"
WELLNESS = "Knee swollen after the bus trip."
DOCUMENT = "mri-left-acl-rupture.pdf"
REPORT = "MRI confirms complete ACL rupture with bone bruise."

INJURY = "query Injury($id: ID!) { injury(id: $id) { diagnosis notes treatments { provider notes } } }"
CHECK_IN = """
mutation CheckIn($input: WellnessCheckInInput!) { recordWellnessCheckIn(input: $input) { id notes } }
"""
DOCUMENT_MUTATION = """
mutation Doc($input: AddInjuryDocumentInput!) { addInjuryDocument(input: $input) { id fileName } }
"""
REPORT_MUTATION = "mutation Report($input: AddInjuryReportInput!) { addInjuryReport(input: $input) { id body } }"

RAW = {
    "injuries": ("diagnosis", "notes"),
    "injury_treatments": ("provider", "notes"),
    "restrictions": ("reason",),
    "wellness_check_ins": ("notes",),
    "injury_documents": ("file_name",),
    "injury_reports": ("body",),
}


def _settings(medical: RunningService, keys: list[bytes]) -> Settings:
    return medical.runtime.settings.model_copy(
        update={"health_data_keys": SecretStr(",".join(key.decode() for key in keys))}
    )


@pytest.fixture
async def restore_keys(medical: RunningService) -> AsyncIterator[None]:
    yield
    encryption.configure(medical.runtime.settings)


async def _raw_values(medical: RunningService) -> list[str]:
    values: list[str] = []
    async with medical.engine.connect() as connection:
        for table, columns in RAW.items():
            rows = await connection.execute(text(f"SELECT {', '.join(columns)} FROM {table}"))
            values += [value for row in rows for value in row if value is not None]
    return values


async def _everything(medical: RunningService, club: Club) -> uuid.UUID:
    """One of each encrypted value, written through the service and the API."""
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id, diagnosis=DIAGNOSIS, notes=NOTES)
    await make_treatment(medical, by=club.medic, injury=injury, notes=TREATMENT)
    await make_restriction(medical, by=club.medic, player_id=club.adult_player_id, injury=injury, reason=REASON)
    check_in = {
        "playerId": str(club.adult_player_id),
        "sleepHours": 7.5,
        "sleepQuality": 6,
        "energy": 6,
        "stress": 3,
        "soreness": 5,
        "mood": 7,
        "painAreas": ["KNEE"],
        "notes": WELLNESS,
    }
    player = club.player(club.adult_player_id)
    # twice: the second replaces the first, through the upsert's UPDATE path, which must encrypt too
    for notes in ("First thoughts.", WELLNESS):
        assert (await medical.graphql.execute(CHECK_IN, {"input": {**check_in, "notes": notes}}, as_=player)).ok()
    document = {
        "injuryId": str(injury.id),
        "kind": "IMAGING",
        "fileName": DOCUMENT,
        "contentType": "application/pdf",
        "sizeBytes": 248_113,
    }
    assert (await medical.graphql.execute(DOCUMENT_MUTATION, {"input": document}, as_=club.medic)).ok()
    report = {"injuryId": str(injury.id), "body": REPORT, "writtenOn": str(TODAY - timedelta(days=1))}
    assert (await medical.graphql.execute(REPORT_MUTATION, {"input": report}, as_=club.medic)).ok()
    return injury.id


async def test_health_data_is_stored_encrypted_and_read_as_plain_text(
    medical: RunningService, club: Club, restore_keys: None
) -> None:
    # given one of each kind of health data
    injury_id = await _everything(medical, club)
    # then the rows hold Fernet tokens, none of them the text or any part of it
    stored = await _raw_values(medical)
    assert len(stored) == 8
    assert all(value.startswith("gAAAAA") for value in stored)
    dump = " ".join(stored)
    for secret in (DIAGNOSIS, NOTES, TREATMENT, PROVIDER, REASON, WELLNESS, DOCUMENT, REPORT, "ACL", "knee"):
        assert secret not in dump
    # which the configured key opens
    current = Fernet(encryption.parse_keys(medical.runtime.settings)[0])
    opened = {current.decrypt(value.encode()).decode() for value in stored}
    assert opened == {DIAGNOSIS, NOTES, TREATMENT, PROVIDER, REASON, WELLNESS, DOCUMENT, REPORT}
    # and the API shows plain text
    data = (await medical.graphql.execute(INJURY, {"id": str(injury_id)}, as_=club.medic)).ok()
    assert (data["injury"]["diagnosis"], data["injury"]["notes"]) == (DIAGNOSIS, NOTES)
    assert data["injury"]["treatments"][0]["notes"] == TREATMENT


async def test_a_new_key_takes_over_every_value_and_the_old_one_can_go(
    medical: RunningService, club: Club, restore_keys: None
) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    encryption.configure(_settings(medical, [old]))
    injury_id = await _everything(medical, club)
    before = await _raw_values(medical)
    # when the new key is put first and the data re-encrypted
    rotated = _settings(medical, [new, old])
    encryption.configure(rotated)
    assert (await medical.graphql.execute(INJURY, {"id": str(injury_id)}, as_=club.medic)).ok()  # both keys read
    counts = await reencrypt_database(medical.engine, rotated)
    # then every value was rewritten and opens with the new key alone
    assert counts["injuries.diagnosis"] == 1
    assert sum(counts.values()) == 8
    after = await _raw_values(medical)
    assert not set(after) & set(before)
    assert {Fernet(new).decrypt(value.encode()).decode() for value in after} >= {DIAGNOSIS, NOTES, REPORT}
    with pytest.raises(InvalidToken):
        Fernet(old).decrypt(after[0].encode())
    # and with the old key dropped the API still reads everything
    encryption.configure(_settings(medical, [new]))
    data = (await medical.graphql.execute(INJURY, {"id": str(injury_id)}, as_=club.medic)).ok()
    assert data["injury"]["diagnosis"] == DIAGNOSIS


async def test_values_from_before_encryption_are_encrypted_by_the_rotation(
    medical: RunningService, club: Club, restore_keys: None
) -> None:
    injury = await make_injury(medical, by=club.medic, player_id=club.adult_player_id, body_part=BodyPart.HIP)
    # given a row written before migration 0003, in plaintext
    async with medical.engine.begin() as connection:
        await connection.execute(
            text("UPDATE injuries SET diagnosis = 'Hip pointer', notes = NULL WHERE id = :id"), {"id": injury.id}
        )
    # it still reads
    data = (await medical.graphql.execute(INJURY, {"id": str(injury.id)}, as_=club.medic)).ok()
    assert data["injury"]["diagnosis"] == "Hip pointer"
    # and the rotation encrypts it
    await reencrypt_database(medical.engine, medical.runtime.settings)
    async with medical.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT diagnosis FROM injuries"))).scalar_one()
    assert stored.startswith("gAAAAA")
    assert "Hip" not in stored


def test_production_needs_configured_keys_and_keys_must_be_fernet_keys() -> None:
    production = Settings(
        mode=Mode.PRODUCTION,
        database_url="postgresql+asyncpg://nowhere/{service}",
        amqp_url="amqp://nowhere",
        redis_url="redis://nowhere",
        jwks_url="http://nowhere/jwks.json",
    )
    with pytest.raises(encryption.HealthDataKeyError, match="HOCKEY_HUB_HEALTH_DATA_KEYS"):
        encryption.parse_keys(production)
    key = Fernet.generate_key()
    configured = production.model_copy(update={"health_data_keys": SecretStr(f" {key.decode()} ,")})
    assert encryption.parse_keys(configured) == [key]
    broken = production.model_copy(update={"health_data_keys": SecretStr(f"{key.decode()},not-a-key")})
    with pytest.raises(encryption.HealthDataKeyError, match="key 2"):
        encryption.parse_keys(broken)
    # development runs on the published development key, never in production
    assert encryption.parse_keys(Settings()) == [encryption.DEVELOPMENT_KEY]


def test_the_command_line_makes_a_health_data_key() -> None:
    made = subprocess.run(
        [str(Path(sys.executable).parent / "hockey-hub"), "keys", "health-data-key"],
        capture_output=True,
        text=True,
        check=True,
    )
    Fernet(made.stdout.strip().encode())  # a valid key, or this raises
