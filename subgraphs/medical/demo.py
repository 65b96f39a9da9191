"""The demo club's health records: a severe knee injury, a recovering shoulder under a restriction, a
healed ankle sprain with the return to play that cleared it, their treatments, a document and a report,
availability statuses with history (one player ill, one under load management), two weeks of wellness
check-ins with a few values worth an alert today, and the roster copy of every demo player."""

from __future__ import annotations

import uuid
import zlib
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.demo import DemoClub, DemoPlayer, demo_id
from shared.roster import upsert_roster_entry
from subgraphs.medical import repository
from subgraphs.medical.models import (
    AvailabilityChange,
    AvailabilityStatus,
    BodyPart,
    DocumentKind,
    Injury,
    InjuryDocument,
    InjuryReport,
    InjurySeverity,
    InjuryStatus,
    Restriction,
    RestrictionKind,
    RestrictionSeverity,
    ReturnToPlayPhase,
    ReturnToPlayProtocol,
    ReturnToPlayStep,
    Treatment,
    TreatmentKind,
    WellnessCheckIn,
)


def _forward(club: DemoClub, team_index: int, nth: int) -> DemoPlayer:
    roster = club.roster(club.teams[team_index].id)
    return [player for player in roster if player.position in ("center", "left_wing", "right_wing")][nth]


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    knee_id = demo_id("medical", "injury", "knee")
    if await repository.injury(session, knee_id) is not None:
        return False
    loaded_at = datetime.now(UTC)
    for player in club.players:
        await upsert_roster_entry(
            session,
            player_id=player.id,
            organization_id=club.organization_id,
            team_id=player.team_id,
            first_name=player.first_name,
            last_name=player.last_name,
            occurred_at=loaded_at,
        )
    today = club.today
    medic = club.staff_with(Role.MEDICAL_STAFF)[0].id
    physio = club.staff_with(Role.MEDICAL_STAFF)[-1].id
    organization = club.organization_id
    knee_player = _forward(club, 0, 2)
    # The first U18 player is the child of the demo parent (parent@...), who can see this as a minor's parent.
    shoulder_player = club.parents[0].child_ids[0]
    ankle_player = _forward(club, 0, 5)
    knee = Injury(
        id=knee_id,
        organization_id=organization,
        player_id=knee_player.id,
        body_part=BodyPart.KNEE,
        diagnosis="Anterior cruciate ligament rupture, right knee",
        severity=InjurySeverity.SEVERE,
        status=InjuryStatus.ACTIVE,
        occurred_on=today - timedelta(days=12),
        expected_return_on=today + timedelta(days=240),
        notes="Non-contact pivot at the offensive blue line. Positive Lachman and pivot shift. "
        "Reconstruction planned once swelling settles and full extension is back.",
        recorded_by=medic,
    )
    shoulder = Injury(
        id=demo_id("medical", "injury", "shoulder"),
        organization_id=organization,
        player_id=shoulder_player,
        body_part=BodyPart.SHOULDER,
        diagnosis="Acromioclavicular joint sprain, grade II, left shoulder",
        severity=InjurySeverity.MODERATE,
        status=InjuryStatus.RECOVERING,
        occurred_on=today - timedelta(days=19),
        expected_return_on=today + timedelta(days=9),
        notes="Hit into the boards. Full range of motion regained; strength at about 80 % of the right side.",
        recorded_by=physio,
    )
    ankle = Injury(
        id=demo_id("medical", "injury", "ankle"),
        organization_id=organization,
        player_id=ankle_player.id,
        body_part=BodyPart.ANKLE,
        diagnosis="Lateral ankle sprain (ATFL), grade I",
        severity=InjurySeverity.MILD,
        status=InjuryStatus.RESOLVED,
        occurred_on=today - timedelta(days=46),
        expected_return_on=today - timedelta(days=32),
        resolved_on=today - timedelta(days=33),
        notes="Inversion during off-ice agility work. Cleared after single-leg hop tests were symmetrical.",
        recorded_by=physio,
    )
    session.add_all([knee, shoulder, ankle])
    await session.flush()
    treatments = [
        (knee, 12, TreatmentKind.ASSESSMENT, "Club physician", "Lachman 2+, effusion; referred for MRI."),
        (
            knee,
            10,
            TreatmentKind.IMAGING,
            "Capio Artro Clinic",
            "MRI: complete ACL tear, bone bruise, menisci intact.",
        ),
        (
            knee,
            4,
            TreatmentKind.REHABILITATION,
            "Club physiotherapist",
            "Prehab: quad sets, heel slides, bike 15 min.",
        ),
        (
            shoulder,
            19,
            TreatmentKind.ASSESSMENT,
            "Club physiotherapist",
            "Step deformity, tender AC joint; sling 5 days.",
        ),
        (
            shoulder,
            12,
            TreatmentKind.PHYSIOTHERAPY,
            "Club physiotherapist",
            "Scapular control, isometrics, pain 2/10.",
        ),
        (
            shoulder,
            5,
            TreatmentKind.PHYSIOTHERAPY,
            "Club physiotherapist",
            "Band work and push-up progression.",
        ),
        (
            ankle,
            46,
            TreatmentKind.CRYOTHERAPY,
            "Club physiotherapist",
            "Ice and compression, weight bearing as tolerated.",
        ),
        (ankle, 40, TreatmentKind.TAPING, "Club physiotherapist", "Taped for return to skating."),
    ]
    session.add_all(
        Treatment(
            id=demo_id("medical", "treatment", injury.id, days_ago),
            injury_id=injury.id,
            organization_id=organization,
            treated_on=today - timedelta(days=days_ago),
            kind=kind,
            provider=provider,
            notes=notes,
            recorded_by=physio,
        )
        for injury, days_ago, kind, provider, notes in treatments
    )
    session.add(
        Restriction(
            id=demo_id("medical", "restriction", "shoulder-no-contact"),
            organization_id=organization,
            player_id=shoulder_player,
            kind=RestrictionKind.NO_CONTACT,
            severity=RestrictionSeverity.MODERATE,
            body_part=BodyPart.SHOULDER,
            max_intensity_percent=80,
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=9),
            injury_id=shoulder.id,
            reason="No body contact and no overhead pressing until strength is symmetrical.",
            recorded_by=physio,
        )
    )
    await session.flush()
    _return_to_play(session, ankle, by=physio, today=today)
    session.add_all(
        [
            InjuryDocument(
                id=demo_id("medical", "document", "knee-mri"),
                injury_id=knee.id,
                organization_id=organization,
                kind=DocumentKind.IMAGING,
                file_name="mri-right-knee.pdf",
                content_type="application/pdf",
                size_bytes=2_481_337,
                uploaded_at=_at(today - timedelta(days=10), 15),
                uploaded_by=medic,
            ),
            InjuryReport(
                id=demo_id("medical", "report", "knee-surgeon"),
                injury_id=knee.id,
                organization_id=organization,
                written_on=today - timedelta(days=8),
                body="Orthopaedic consult: reconstruction with hamstring autograft once full extension is back; "
                "expected return 8 months after surgery.",
                written_at=_at(today - timedelta(days=8), 16),
                written_by=medic,
            ),
        ]
    )
    ill_player, managed_player = _forward(club, 0, 7), _forward(club, 0, 0)
    statuses = [
        (knee_player.id, 12, AvailabilityStatus.INJURED, None, None),
        (shoulder_player, 19, AvailabilityStatus.INJURED, None, None),
        (shoulder_player, 5, AvailabilityStatus.LIMITED, AvailabilityStatus.INJURED, None),
        (ankle_player.id, 46, AvailabilityStatus.INJURED, None, None),
        (ankle_player.id, 33, AvailabilityStatus.AVAILABLE, AvailabilityStatus.INJURED, None),
        (ill_player.id, 1, AvailabilityStatus.ILL, None, "Gastroenteritis; off for 48 hours."),
        (managed_player.id, 2, AvailabilityStatus.LOAD_MANAGEMENT, None, "Third game in four nights."),
    ]
    session.add_all(
        AvailabilityChange(
            id=demo_id("medical", "availability", player_id, days_ago),
            organization_id=organization,
            player_id=player_id,
            status=status,
            previous_status=previous,
            changed_at=_at(today - timedelta(days=days_ago), 9),
            changed_by=physio,
            note=note,
        )
        for player_id, days_ago, status, previous, note in statuses
    )
    session.add_all(_wellness(club, today, sore=knee_player.id, short_sleeper=ill_player.id))
    await session.flush()
    return True


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _return_to_play(session: AsyncSession, ankle: Injury, *, by: uuid.UUID, today: date) -> None:
    """The ankle's return to play, one phase every two days from 45 days ago: cleared for games at 33."""
    protocol = ReturnToPlayProtocol(
        id=demo_id("medical", "return-to-play", "ankle"),
        organization_id=ankle.organization_id,
        player_id=ankle.player_id,
        injury_id=ankle.id,
        phase=ReturnToPlayPhase.GAME_CLEARANCE,
        completed_at=_at(today - timedelta(days=33), 10),
        started_by=by,
        created_at=_at(today - timedelta(days=45), 10),
    )
    session.add(protocol)
    session.add_all(
        ReturnToPlayStep(
            id=demo_id("medical", "return-to-play-step", phase.value),
            protocol_id=protocol.id,
            phase=phase,
            cleared_at=_at(today - timedelta(days=45 - 2 * position - (1 if position == 5 else 0)), 10),
            cleared_by=by,
            notes="Single-leg hop tests symmetrical." if phase is ReturnToPlayPhase.GAME_CLEARANCE else None,
        )
        for position, phase in enumerate(ReturnToPlayPhase)
    )


def _wellness(club: DemoClub, today: date, *, sore: uuid.UUID, short_sleeper: uuid.UUID) -> list[WellnessCheckIn]:
    """Two weeks of every player's morning check-ins, steady per player, with today's outliers: the
    injured knee is sore, the ill player barely slept."""
    rows: list[WellnessCheckIn] = []
    for player in club.players:
        seed = zlib.crc32(player.id.bytes)
        for days_ago in range(14):
            wobble = (seed >> days_ago) % 3 - 1
            day = today - timedelta(days=days_ago)
            rows.append(
                WellnessCheckIn(
                    id=demo_id("medical", "wellness", player.id, days_ago),
                    organization_id=club.organization_id,
                    player_id=player.id,
                    team_id=player.team_id,
                    day=day,
                    sleep_hours=7.5 + wobble * 0.5,
                    sleep_quality=7 + wobble,
                    energy=7 + wobble,
                    stress=3 - wobble,
                    soreness=3 + (seed % 2),
                    mood=7 + wobble,
                    resting_heart_rate=48 + seed % 10 + wobble,
                    hrv_ms=70 + seed % 30 + wobble * 3,
                    pain_areas=[],
                    recorded_by=player.user.id,
                )
            )
    for row in rows:
        if row.day == today and row.player_id == sore:
            row.soreness, row.pain_areas = 8, [BodyPart.KNEE]
        if row.day == today and row.player_id == short_sleeper:
            row.sleep_hours, row.energy, row.notes = 4.5, 3, "Up all night with stomach cramps."
    return rows
