"""The demo club's health records: a severe knee injury, a recovering shoulder under a restriction, a
healed ankle sprain, their treatments, and the roster copy of every demo player."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.demo import DemoClub, DemoPlayer, demo_id
from shared.roster import upsert_roster_entry
from subgraphs.medical import repository
from subgraphs.medical.models import (
    BodyPart,
    Injury,
    InjurySeverity,
    InjuryStatus,
    Restriction,
    RestrictionKind,
    Treatment,
    TreatmentKind,
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
    return True
