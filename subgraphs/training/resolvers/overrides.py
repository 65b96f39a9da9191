"""Queries and mutations of restriction overrides: trainers request, the medical staff decide."""

from __future__ import annotations

from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, requires_sign_in
from subgraphs.training.models import OverrideStatus
from subgraphs.training.restrictions import overrides
from subgraphs.training.types.compliance import RestrictionOverrideRequest


@strawberry.type(description="Reads of restriction override requests.")
class OverrideQuery:
    @strawberry.field(
        description="The club's restriction override requests, oldest first (at most 500): for its coaching, "
        "training and medical staff. PENDING ones await the medical staff.",
        extensions=[requires_sign_in()],
    )
    async def restriction_override_requests(
        self,
        info: Ctx,
        status: Annotated[
            OverrideStatus | None, strawberry.argument(description="Only requests in this status.")
        ] = None,
    ) -> list[RestrictionOverrideRequest]:
        rows = await overrides.list_requests(info.context.session, actor(info), status=status)
        return [RestrictionOverrideRequest.from_row(row) for row in rows]


@strawberry.type(description="Requests and decisions on restriction overrides.")
class OverrideMutation:
    @mutation(
        description="Ask the medical staff to let a player do an assigned workout that a later restriction "
        "made NOT_COMPLIANT (training staff)."
    )
    async def request_restriction_override(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The player's assigned workout.")],
        reason: Annotated[str, strawberry.argument(description="Why, up to 500 characters.")],
    ) -> RestrictionOverrideRequest:
        row = await overrides.request_override(info.context.session, actor(info), parse_id(id), reason=reason)
        return RestrictionOverrideRequest.from_row(row)

    @mutation(
        description="Approve or reject a pending override (the club's medical staff only): approved, the player "
        "may do the workout as prescribed; rejected, it is skipped with the note as the reason."
    )
    async def decide_restriction_override(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The override request.")],
        approve: Annotated[bool, strawberry.argument(description="True to approve, false to reject.")],
        note: Annotated[str | None, strawberry.argument(description="The decision's note, up to 500.")] = None,
    ) -> RestrictionOverrideRequest:
        row = await overrides.decide_override(
            info.context.session, actor(info), parse_id(id), approve=approve, note=note
        )
        return RestrictionOverrideRequest.from_row(row)
