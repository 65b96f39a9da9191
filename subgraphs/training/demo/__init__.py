"""The demo club's training: an exercise library (defaults, progression rules and alternatives on some
exercises), six workouts (strength, rower intervals, a hybrid circuit, agility, recovery, flexibility), three
templates, and both teams' assignments over the last two and the next two weeks, the past ones mostly
completed with RPE (agility ones with each drill's timed attempts). Also the roster copy of every demo player."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.principal import Role
from shared.demo import DemoClub, DemoPlayer, demo_id
from shared.roster import upsert_roster_entry
from subgraphs.training import assignment_repository, content, repository
from subgraphs.training.demo.library import (
    ALTERNATIVES,
    DEFAULTS,
    LIBRARY,
    PROGRESSIONS,
    WEEK,
    WORKOUTS,
    exercise_id,
)
from subgraphs.training.models import (
    AssignmentStatus,
    Exercise,
    ExerciseAlternative,
    PerformedDrillAttempt,
    PlayerWorkout,
    TemplateVisibility,
    Workout,
    WorkoutAssignment,
    WorkoutKind,
    WorkoutTemplate,
)


def _progression(name: str) -> dict[str, object]:
    if name not in PROGRESSIONS:
        return {}
    increment, unit, condition, notes = PROGRESSIONS[name]
    return {
        "progression_increment": increment,
        "progression_unit": unit,
        "progression_condition": condition,
        "progression_notes": notes,
    }


def _injured_forward(club: DemoClub) -> DemoPlayer:
    """The senior forward whose knee injury the medical demo records: he skips training since then."""
    forwards = [p for p in club.roster(club.teams[0].id) if p.position in ("center", "left_wing", "right_wing")]
    return forwards[2]


async def load_demo(session: AsyncSession, club: DemoClub) -> bool:
    if await repository.exercise(session, exercise_id(LIBRARY[0][0])) is not None:
        return False
    organization = club.organization_id
    trainer = club.staff_with(Role.PHYSICAL_TRAINER)[0]
    loaded_at = datetime.now(UTC)
    for player in club.players:
        await upsert_roster_entry(
            session,
            player_id=player.id,
            organization_id=organization,
            team_id=player.team_id,
            first_name=player.first_name,
            last_name=player.last_name,
            occurred_at=loaded_at,
        )
        await assignment_repository.upsert_position(
            session, player_id=player.id, position=player.position, occurred_at=loaded_at
        )
    session.add_all(
        Exercise(
            id=exercise_id(name),
            organization_id=organization,
            name=name,
            category=category,
            unit=unit,
            muscle_groups=list(muscles),
            equipment=list(equipment),
            description=description,
            created_by=trainer.id,
            **DEFAULTS.get(name, {}),
            **_progression(name),
        )
        for name, category, unit, muscles, equipment, description in LIBRARY
    )
    await session.flush()
    session.add_all(
        ExerciseAlternative(exercise_id=exercise_id(name), alternative_id=exercise_id(alternative), position=position)
        for name, alternatives in ALTERNATIVES.items()
        for position, alternative in enumerate(alternatives)
    )
    await session.flush()

    workouts: dict[str, Workout] = {}
    for key, name, kind, structure, description, _ in WORKOUTS:
        workouts[key] = Workout(
            id=demo_id("training", "workout", key),
            organization_id=organization,
            name=name,
            kind=kind,
            description=description,
            content=content.to_document(content.validate(kind, structure)),
            created_by=trainer.id,
        )
    session.add_all(workouts.values())
    await session.flush()
    junior = club.teams[1]
    session.add_all(
        [
            WorkoutTemplate(
                id=demo_id("training", "template", "strength"),
                organization_id=organization,
                name="In-season strength (2 x week)",
                kind=WorkoutKind.STRENGTH,
                description=workouts["strength"].description,
                content=workouts["strength"].content,
                visibility=TemplateVisibility.ORGANIZATION,
                source_workout_id=workouts["strength"].id,
                created_by=trainer.id,
            ),
            WorkoutTemplate(
                id=demo_id("training", "template", "rower-u18"),
                organization_id=organization,
                name="U18 aerobic power: rower 4x4",
                kind=WorkoutKind.CONDITIONING,
                description=workouts["rower"].description,
                content=workouts["rower"].content,
                visibility=TemplateVisibility.TEAM,
                team_id=junior.id,
                source_workout_id=workouts["rower"].id,
                created_by=trainer.id,
            ),
            WorkoutTemplate(
                id=demo_id("training", "template", "recovery"),
                organization_id=organization,
                name="Day-after-game recovery",
                kind=WorkoutKind.RECOVERY,
                description=workouts["recovery"].description,
                content=workouts["recovery"].content,
                visibility=TemplateVisibility.ORGANIZATION,
                source_workout_id=workouts["recovery"].id,
                created_by=trainer.id,
            ),
        ]
    )
    await session.flush()
    await _assignments(session, club, workouts, trainer_id=trainer.id)
    return True


async def _assignments(
    session: AsyncSession, club: DemoClub, workouts: dict[str, Workout], *, trainer_id: uuid.UUID
) -> None:
    rng = random.Random(7)
    drill_rng = random.Random(11)  # its own, so the sessions' RPE and minutes stay as they were
    today = club.today
    monday = today - timedelta(days=today.weekday())
    injured = _injured_forward(club)
    shoulder = club.parents[0].child_ids[0]  # the U18 player the medical demo restricts: lighter loads
    rpe_ranges = {key: rpe for key, *_, rpe in WORKOUTS}
    for team, key in zip(club.teams, ("senior", "junior"), strict=True):
        roster = club.roster(team.id)
        for week in range(-2, 3):
            for weekday, workout_key in WEEK[key].items():
                day = monday + timedelta(weeks=week, days=weekday)
                if not today - timedelta(days=14) <= day <= today + timedelta(days=14):
                    continue
                workout = workouts[workout_key]
                assignment = WorkoutAssignment(
                    id=demo_id("training", "assignment", team.id, day),
                    organization_id=club.organization_id,
                    workout_id=workout.id,
                    team_id=team.id,
                    starts_on=day,
                    ends_on=day,
                    note="Gym, 90 minutes before ice." if workout_key == "strength" else None,
                    assigned_by=trainer_id,
                    created_at=datetime.combine(day - timedelta(days=5), time(9), UTC),
                )
                session.add(assignment)
                await session.flush()
                structure = content.from_document(workout.content)
                minutes = round(structure.duration_seconds / 60)
                rows = [
                    _player_workout(
                        assignment,
                        player,
                        rng,
                        day=day,
                        today=today,
                        minutes=minutes,
                        rpe=rpe_ranges[workout_key],
                        injured_since=today - timedelta(days=12) if player.id == injured.id else None,
                        load=70 if player.id == shoulder and workout_key in ("strength", "hybrid") else 100,
                    )
                    for player in roster
                ]
                session.add_all(rows)
                if structure.drills:
                    await session.flush()
                    session.add_all(
                        attempt
                        for row in rows
                        if row.status is AssignmentStatus.COMPLETED
                        for attempt in _drill_attempts(row, structure.drills, drill_rng)
                    )
    await session.flush()


def _drill_attempts(
    row: PlayerWorkout, drills: tuple[content.AgilityDrill, ...], rng: random.Random
) -> list[PerformedDrillAttempt]:
    """What a player timed on each drill: around the target, now and then an error."""
    return [
        PerformedDrillAttempt(
            id=demo_id("training", "drill-attempt", row.id, index, number),
            player_workout_id=row.id,
            organization_id=row.organization_id,
            player_id=row.player_id,
            drill_index=index,
            drill_name=drill.name,
            target_seconds=Decimal(str(drill.target_seconds)),
            allowed_errors=drill.allowed_errors,
            attempt_number=number,
            seconds=Decimal(str(round(drill.target_seconds * rng.uniform(0.96, 1.12), 2))),
            errors=0 if rng.random() < 0.8 else rng.randint(1, 2),
        )
        for index, drill in enumerate(drills)
        for number in range(1, drill.reps + 1)
    ]


def _player_workout(
    assignment: WorkoutAssignment,
    player: DemoPlayer,
    rng: random.Random,
    *,
    day: date,
    today: date,
    minutes: int,
    rpe: tuple[int, int],
    injured_since: date | None,
    load: int,
) -> PlayerWorkout:
    row = PlayerWorkout(
        id=demo_id("training", "player-workout", assignment.id, player.id),
        assignment_id=assignment.id,
        organization_id=assignment.organization_id,
        player_id=player.id,
        team_id=player.team_id,
        workout_id=assignment.workout_id,
        starts_on=day,
        ends_on=day,
        load_modifier_percent=load,
        status=AssignmentStatus.ASSIGNED,
    )
    if day >= today:
        return row
    if injured_since is not None and day >= injured_since:
        row.status, row.skipped_reason = AssignmentStatus.SKIPPED, "Injured: rehab with the physio instead."
        return row
    roll = rng.random()
    if roll < 0.85:
        row.status = AssignmentStatus.COMPLETED
        row.completed_on = day
        row.completed_at = datetime.combine(day, time(17, rng.randint(0, 59)), UTC)
        row.rpe = rng.randint(*rpe)
        row.minutes = max(10, minutes + rng.randint(-5, 8))
    elif roll < 0.92:
        row.status, row.skipped_reason = (
            AssignmentStatus.SKIPPED,
            rng.choice(("School exam.", "Feeling sick.", "Travel with the national U18 team.")),
        )
    return row
