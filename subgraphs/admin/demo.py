"""The platform's feature flags, the demo club's overrides and its settings, the senior team's own
practice length and a maintenance announcement."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shared.demo import DemoClub
from subgraphs.admin import repository
from subgraphs.admin.configuration import SettingScope
from subgraphs.admin.models import (
    FeatureFlag,
    FeatureFlagOverride,
    MemberSetting,
    OrganizationSetting,
    SystemAnnouncement,
)

# key, description, default, the demo club's override (None: it keeps the default)
_FLAGS: tuple[tuple[str, str, bool, bool | None], ...] = (
    (
        "live_training_sessions",
        "Coaches and trainers run workouts live, with players' progress and heart rate on one screen.",
        True,
        None,
    ),
    (
        "advanced_analytics",
        "Training load trends, acute:chronic workload ratios and KPI reports per player and team.",
        False,
        True,
    ),
    (
        "parent_payments",
        "Parents pay membership fees and camp invoices in the app.",
        False,
        True,
    ),
    (
        "chat.read_receipts",
        "Show who has read a message in team and group conversations.",
        False,
        None,
    ),
    (
        "wellness.daily_checkin",
        "Players fill in a short morning wellness form (sleep, soreness, mood).",
        True,
        False,
    ),
    (
        "calendar.ice_time_requests",
        "Coaches request extra ice time; club administrators approve it in the calendar.",
        False,
        None,
    ),
)


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    if await repository.flag(session, _FLAGS[0][0]) is not None:
        return False
    defined = datetime.combine(club.season_start, time(9, 0), tzinfo=UTC)
    changed = datetime.combine(club.today - timedelta(days=12), time(10, 30), tzinfo=UTC)
    admin_id = club.platform_admin.id
    club_admin_id = next(person.id for person in club.staff if person.email.startswith("admin@"))
    session.add_all(
        FeatureFlag(
            key=key,
            description=description,
            default_enabled=default,
            updated_by_user_id=admin_id,
            created_at=defined,
            updated_at=defined,
        )
        for key, description, default, _ in _FLAGS
    )
    await session.flush()
    session.add_all(
        FeatureFlagOverride(
            flag_key=key,
            organization_id=club.organization_id,
            enabled=override,
            updated_by_user_id=club_admin_id,
            created_at=changed,
            updated_at=changed,
        )
        for key, _, _, override in _FLAGS
        if override is not None
    )
    settings = {
        "season_start_month": club.season_start.month,
        "default_practice_minutes": 75,
        "locale": "sv-SE",
        "week_start_day": "monday",
        "time_format": "24h",
    }
    session.add_all(
        OrganizationSetting(
            organization_id=club.organization_id,
            key=key,
            value=value,
            updated_by_user_id=club_admin_id,
            created_at=defined,
            updated_at=defined,
        )
        for key, value in settings.items()
    )
    # The senior coach keeps practices shorter than the club's 75 minutes: a team scope over the club's.
    coach = club.person("coach@lynx.example")
    session.add_all(
        MemberSetting(
            organization_id=club.organization_id,
            scope=SettingScope.TEAM,
            subject_id=team_id,
            key="default_practice_minutes",
            value=60,
            updated_by_user_id=coach.id,
            created_at=changed,
            updated_at=changed,
        )
        for team_id in coach.team_ids
    )
    session.add(
        SystemAnnouncement(
            title="Scheduled maintenance",
            body="Hockey Hub is read-only on Sunday 03:00-03:30 UTC while the databases are upgraded.",
            starts_at=changed,
            ends_at=datetime.combine(club.today + timedelta(days=30), time(3, 30), tzinfo=UTC),
            created_by_user_id=admin_id,
        )
    )
    await session.flush()
    return True
