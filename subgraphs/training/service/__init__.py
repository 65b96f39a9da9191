"""Domain rules of training. No GraphQL here: plain values in, models out."""

from subgraphs.training.service.assignments import (
    MAX_ASSIGNMENT_DAYS,
    assign_workout,
    assignments_of_series,
    complete_player_workout,
    list_assignments,
    skip_player_workout,
)
from subgraphs.training.service.common import MAX_LISTED_DAYS, organization_of, today
from subgraphs.training.service.library import create_exercise, list_exercises, update_exercise
from subgraphs.training.service.workouts import (
    create_workout,
    create_workout_from_template,
    delete_template,
    duplicate_template,
    duplicate_workout,
    get_workout,
    list_templates,
    list_workouts,
    save_as_template,
    update_template,
    update_workout,
)

__all__ = [
    "MAX_ASSIGNMENT_DAYS",
    "MAX_LISTED_DAYS",
    "assign_workout",
    "assignments_of_series",
    "complete_player_workout",
    "create_exercise",
    "create_workout",
    "create_workout_from_template",
    "delete_template",
    "duplicate_template",
    "duplicate_workout",
    "get_workout",
    "list_assignments",
    "list_exercises",
    "list_templates",
    "list_workouts",
    "organization_of",
    "save_as_template",
    "skip_player_workout",
    "today",
    "update_exercise",
    "update_template",
    "update_workout",
]
