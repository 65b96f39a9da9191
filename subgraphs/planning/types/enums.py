"""The planning enums as GraphQL sees them (registered once, on the model enums themselves)."""

from __future__ import annotations

import strawberry

from subgraphs.planning import models

strawberry.enum(
    models.SeasonPhaseKind,
    name="SeasonPhaseKind",
    description="The part of the year a phase covers: pre-season, regular season, playoffs, off-season.",
)
strawberry.enum(
    models.PracticePlanStatus,
    name="PracticePlanStatus",
    description="Planned, then in progress, then completed; never back.",
)
strawberry.enum(models.DrillCategory, name="DrillCategory", description="What a drill mainly works on.")
strawberry.enum(
    models.GoalStatus,
    name="DevelopmentGoalStatus",
    description="Whether a development goal is still pursued.",
)
strawberry.enum(
    models.BlockIntensity,
    name="BlockIntensity",
    description="How hard a training block is: low, medium, high, peak, or a recovery block.",
)
strawberry.enum(
    models.TrainingDay,
    name="WeekDayActivity",
    description="What a day of a block's typical week holds.",
)
strawberry.enum(
    models.DrillDifficulty,
    name="DrillDifficulty",
    description="How demanding a drill is, from beginner to elite.",
)
strawberry.enum(models.RinkMarkerKind, name="RinkMarkerKind", description="What a marker on a rink diagram is.")
strawberry.enum(
    models.RinkArrowKind,
    name="RinkArrowKind",
    description="What an arrow on a rink diagram shows: skating, skating backward, a pass, a shot, stickhandling.",
)
strawberry.enum(
    models.AttendanceStatus,
    name="AttendanceStatus",
    description="Whether a player came to a practice: present, late, absent, excused or injured.",
)
strawberry.enum(
    models.LineType,
    name="LineType",
    description="The game situation a lineup is for: even strength, power play, penalty kill, extra attacker.",
)
