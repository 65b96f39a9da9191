"""Queries and mutations of the medical service: parse input, call the service, wrap the result. One
module per kind of record; the roots gather them."""

import strawberry

from subgraphs.medical.resolvers.access import AccessLogQuery
from subgraphs.medical.resolvers.availability import AvailabilityMutation, AvailabilityQuery
from subgraphs.medical.resolvers.records import RecordsMutation, RecordsQuery
from subgraphs.medical.resolvers.wellness import WellnessMutation, WellnessQuery


@strawberry.type(description="Reads of health data and availability.")
class Query(RecordsQuery, AvailabilityQuery, WellnessQuery, AccessLogQuery):
    pass


# Every mutation here takes health data (diagnoses, notes, treatments, reasons, check-ins), so their audit
# entries name the fields given and copy no values: the trail is not guarded like the records are.
@strawberry.type(description="Changes to health data: medical staff only (a wellness check-in: the player too).")
class Mutation(RecordsMutation, AvailabilityMutation, WellnessMutation):
    pass


__all__ = ["Mutation", "Query"]
