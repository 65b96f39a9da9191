"""Queries and mutations of broadcasts and urgent medical alerts (merged into the service's root types)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import strawberry

from shared.auth.principal import Role
from shared.graphql import Ctx, actor, mutation, parse_id, parse_ids, requires_role, requires_sign_in
from subgraphs.communication import broadcasts, medical_alerts, parent_channels
from subgraphs.communication.models import BroadcastAudience
from subgraphs.communication.types import Conversation, MeetingRequest
from subgraphs.communication.types.outreach import Broadcast, MedicalAlert


@strawberry.input(description="A broadcast: one message to a team, everyone of a role, or chosen people.")
class SendBroadcastInput:
    title: str = strawberry.field(description="A short headline, up to 200 characters.")
    body: str = strawberry.field(description="The text, up to 2000 characters.")
    audience: BroadcastAudience = strawberry.field(description="TEAM, ROLE or PEOPLE.")
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team (for TEAM); for ROLE, limits it to that team."
    )
    role: Role | None = strawberry.field(default=None, description="The role (for ROLE): PLAYER or a staff role.")
    user_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="The people (for PEOPLE).")


@strawberry.input(description="An urgent medical alert about a player, for the team's staff.")
class SendMedicalAlertInput:
    player_id: strawberry.ID = strawberry.field(description="The player it is about.")
    title: str = strawberry.field(description="A short headline, up to 192 characters.")
    body: str = strawberry.field(description="What the staff need to know, up to 2000 characters; no diagnoses.")
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The player's team, when this service does not know it yet."
    )


@strawberry.input(description="A proposal to meet, in a parent-coach channel.")
class RequestMeetingInput:
    conversation_id: strawberry.ID = strawberry.field(description="The parent-coach channel.")
    topic: str = strawberry.field(description="What it is about, up to 200 characters.")
    proposed_times: list[datetime] = strawberry.field(description="1 to 5 future times, with a time zone.")


@strawberry.type
class OutreachQuery:
    @strawberry.field(
        description="A broadcast: for its sender and the club's administrators (with every recipient's "
        "acknowledgement) and for its recipients (with their own).",
        extensions=[requires_sign_in()],
    )
    async def broadcast(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The broadcast.")]
    ) -> Broadcast:
        row = await broadcasts.get_broadcast(info.context.session, actor(info), parse_id(id))
        return Broadcast.from_row(row)

    @strawberry.field(description="The broadcasts the caller sent, newest first.", extensions=[requires_sign_in()])
    async def sent_broadcasts(
        self, info: Ctx, first: Annotated[int, strawberry.argument(description="How many, 1 to 100.")] = 20
    ) -> list[Broadcast]:
        rows = await broadcasts.sent_broadcasts(info.context.session, actor(info), first=first)
        return [Broadcast.from_row(row) for row in rows]

    @strawberry.field(
        description="An urgent medical alert: for its sender, the club's administrators and those it reached.",
        extensions=[requires_sign_in()],
    )
    async def medical_alert(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The alert.")]
    ) -> MedicalAlert:
        row = await medical_alerts.get_medical_alert(info.context.session, actor(info), parse_id(id))
        return MedicalAlert.from_row(row)


@strawberry.type
class OutreachMutation:
    @mutation(
        description="Alert the team's staff about a player, urgently (medical staff). Unacknowledged, the alert "
        "escalates to the head coaches and then to the club's administrators.",
        extensions=[requires_role(Role.MEDICAL_STAFF)],
    )
    async def send_medical_alert(self, info: Ctx, input: SendMedicalAlertInput) -> MedicalAlert:
        settings = info.context.runtime.settings
        row = await medical_alerts.send_medical_alert(
            info.context.session,
            actor(info),
            player_id=parse_id(input.player_id, field="playerId"),
            title=input.title,
            body=input.body,
            team_id=parse_id(input.team_id, field="teamId") if input.team_id else None,
            wait=timedelta(seconds=settings.medical_alert_escalation_seconds),
        )
        return MedicalAlert.from_row(row)

    @mutation(description="Acknowledge an urgent medical alert that reached the caller: it stops escalating.")
    async def acknowledge_medical_alert(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The alert.")]
    ) -> MedicalAlert:
        row = await medical_alerts.acknowledge_medical_alert(info.context.session, actor(info), alert_id=parse_id(id))
        return MedicalAlert.from_row(row)

    @mutation(
        description="Send a broadcast (coaches to their teams, club administrators to anyone of the club); each "
        "recipient gets a notification to acknowledge.",
        extensions=[requires_role(Role.CLUB_ADMIN, Role.COACH)],
    )
    async def send_broadcast(self, info: Ctx, input: SendBroadcastInput) -> Broadcast:
        row = await broadcasts.send_broadcast(
            info.context.session,
            actor(info),
            title=input.title,
            body=input.body,
            audience=input.audience,
            team_id=parse_id(input.team_id, field="teamId") if input.team_id else None,
            role=input.role,
            user_ids=parse_ids(input.user_ids, field="userIds"),
        )
        return Broadcast.from_row(row)

    @mutation(description="Acknowledge a broadcast the caller received (its notification is read too).")
    async def acknowledge_broadcast(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The broadcast.")]
    ) -> Broadcast:
        row = await broadcasts.acknowledge_broadcast(info.context.session, actor(info), broadcast_id=parse_id(id))
        return Broadcast.from_row(row)

    @mutation(
        description="A parent opens (or returns to) a private channel with one of their child's coaches.",
        extensions=[requires_role(Role.PARENT)],
    )
    async def open_parent_coach_conversation(
        self,
        info: Ctx,
        player_id: Annotated[strawberry.ID, strawberry.argument(description="The parent's child.")],
        coach_user_id: Annotated[strawberry.ID, strawberry.argument(description="A coach of the child's team.")],
    ) -> Conversation:
        row = await parent_channels.open_channel(
            info.context.session,
            actor(info),
            player_id=parse_id(player_id, field="playerId"),
            coach_user_id=parse_id(coach_user_id, field="coachUserId"),
        )
        return Conversation.from_row(row)

    @mutation(description="Propose times to meet, in a parent-coach channel; the other side is notified.")
    async def request_meeting(self, info: Ctx, input: RequestMeetingInput) -> MeetingRequest:
        row = await parent_channels.request_meeting(
            info.context.session,
            actor(info),
            conversation_id=parse_id(input.conversation_id, field="conversationId"),
            topic=input.topic,
            proposed_times=input.proposed_times,
        )
        return MeetingRequest.from_row(row)

    @mutation(description="Answer a meeting request: accept one of the proposed times, or decline with none.")
    async def respond_to_meeting_request(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The meeting request.")],
        accept_time: Annotated[
            datetime | None, strawberry.argument(description="One of the proposed times; null declines.")
        ] = None,
    ) -> MeetingRequest:
        row = await parent_channels.respond_to_meeting(
            info.context.session, actor(info), request_id=parse_id(id), accept_time=accept_time
        )
        return MeetingRequest.from_row(row)
