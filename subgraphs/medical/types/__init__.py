"""GraphQL types of the medical service, one module per kind of record."""

from subgraphs.medical.types.access import HealthDataAccessEntry
from subgraphs.medical.types.availability import AvailabilityBoardEntry, AvailabilityChange
from subgraphs.medical.types.records import (
    Injury,
    InjuryDocument,
    InjuryReport,
    InjuryTreatment,
    MedicalRestriction,
    Player,
    PlayerAvailability,
    ReturnToPlay,
    ReturnToPlayStep,
    selected_fields,
)
from subgraphs.medical.types.wellness import TeamWellness, WellnessAlert, WellnessAverages, WellnessCheckIn

__all__ = [
    "AvailabilityBoardEntry",
    "AvailabilityChange",
    "HealthDataAccessEntry",
    "Injury",
    "InjuryDocument",
    "InjuryReport",
    "InjuryTreatment",
    "MedicalRestriction",
    "Player",
    "PlayerAvailability",
    "ReturnToPlay",
    "ReturnToPlayStep",
    "TeamWellness",
    "WellnessAlert",
    "WellnessAverages",
    "WellnessCheckIn",
    "selected_fields",
]
