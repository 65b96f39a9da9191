"""GraphQL types of planning; each wraps a model and shows what the caller may see."""

from subgraphs.planning.types import enums as enums
from subgraphs.planning.types.drills import Drill, DrillRating, RinkArrow, RinkDiagram, RinkMarker
from subgraphs.planning.types.game_plans import GamePlan, Line, Lineup, Matchup, PeriodNote
from subgraphs.planning.types.goals import DevelopmentGoal, DevelopmentGoalProgress, Player
from subgraphs.planning.types.practices import PracticeAttendance, PracticeDrill, PracticePlan
from subgraphs.planning.types.seasons import PhaseBlock, Season, SeasonPhase, TrainingWeekDay

__all__ = [
    "DevelopmentGoal",
    "DevelopmentGoalProgress",
    "Drill",
    "DrillRating",
    "GamePlan",
    "Line",
    "Lineup",
    "Matchup",
    "PeriodNote",
    "PhaseBlock",
    "Player",
    "PracticeAttendance",
    "PracticeDrill",
    "PracticePlan",
    "RinkArrow",
    "RinkDiagram",
    "RinkMarker",
    "Season",
    "SeasonPhase",
    "TrainingWeekDay",
]
