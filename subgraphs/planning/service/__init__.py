"""Domain rules of planning. No GraphQL here: plain values in, models out.

Overlaps are refused twice: the service names the overlapping season or phase before writing, and the
exclusion constraints refuse a write that raced past that check; both end as the same CONFLICT.
"""

from subgraphs.planning.service.common import acting_organization, today
from subgraphs.planning.service.goals import (
    create_goal,
    get_goal,
    goals_of_players,
    list_goals,
    measure,
    progress_percent,
    record_progress,
    update_goal,
)
from subgraphs.planning.service.practices import (
    DrillSpec,
    change_practice_plan_status,
    create_practice_plan,
    drills,
    duplicate_practice_plan,
    get_practice_plan,
    list_practice_plans,
    update_practice_plan,
)
from subgraphs.planning.service.seasons import (
    PHASE_LABELS,
    add_phase,
    create_season,
    current_phase,
    get_season,
    list_seasons,
    phases,
    remove_phase,
    update_phase,
    update_season,
)

__all__ = [
    "PHASE_LABELS",
    "DrillSpec",
    "acting_organization",
    "add_phase",
    "change_practice_plan_status",
    "create_goal",
    "create_practice_plan",
    "create_season",
    "current_phase",
    "drills",
    "duplicate_practice_plan",
    "get_goal",
    "get_practice_plan",
    "get_season",
    "goals_of_players",
    "list_goals",
    "list_practice_plans",
    "list_seasons",
    "measure",
    "phases",
    "progress_percent",
    "record_progress",
    "remove_phase",
    "today",
    "update_goal",
    "update_phase",
    "update_practice_plan",
    "update_season",
]
