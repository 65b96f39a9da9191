"""Live sessions over GraphQL: the query a reconnecting screen resumes from, the changes, and the
subscription that streams every committed state."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from graphql import GraphQLError

from shared.graphql import Ctx, actor, mutation, parse_id, provided, requires_sign_in
from shared.graphql.errors import format_error
from subgraphs.training.live import service as live
from subgraphs.training.types.live import LiveSession, LiveSessionPlayer


@strawberry.input(description="What a live session is for, and who takes part.")
class StartLiveSessionInput:
    workout_id: strawberry.ID | None = strawberry.field(
        default=None, description="A workout of the club (give this or assignmentId)."
    )
    assignment_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An assignment: its players who have not done or skipped it take part, and ending the "
        "session completes their part.",
    )
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The team whose session it is (default: the assignment's team)."
    )
    player_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Who takes part (default: the team's active players, or the assignment's open ones).",
    )


@strawberry.input(description="A player's progress now; fields left out keep their value, null clears one.")
class ReportLiveProgressInput:
    session_id: strawberry.ID = strawberry.field(description="The live session.")
    player_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose progress (default: the calling player's own)."
    )
    exercise_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The workout's exercise they are doing."
    )
    set_number: int | None = strawberry.field(default=strawberry.UNSET, description="The set they are on, 1-100.")
    interval_number: int | None = strawberry.field(
        default=strawberry.UNSET, description="The interval they are on, 1-100."
    )
    heart_rate: int | None = strawberry.field(default=strawberry.UNSET, description="Beats per minute, 20-250.")
    completion_percent: int | None = strawberry.field(
        default=strawberry.UNSET, description="How much of the workout they have done, 0-100."
    )


PlayerArgument = Annotated[
    strawberry.ID | None, strawberry.argument(description="The player (default: the calling player).")
]


@strawberry.type
class LiveSessionQuery:
    @strawberry.field(
        description="A live session's latest state, to resume from: its team's trainers and coaches and the "
        "players taking part.",
        extensions=[requires_sign_in()],
    )
    async def live_session(self, info: Ctx, id: strawberry.ID) -> LiveSession:
        state = await live.get_live_session(info.context.session, actor(info), parse_id(id))
        return LiveSession.from_state(state)


@strawberry.type
class LiveSessionMutation:
    @mutation(description="Start a live session for a workout or an assignment (the team's trainers and coaches).")
    async def start_live_session(self, info: Ctx, input: StartLiveSessionInput) -> LiveSession:
        state = await live.start_live_session(
            info.context.session,
            actor(info),
            info.context.runtime.pubsub,
            workout_id=parse_id(input.workout_id, field="workoutId") if input.workout_id is not None else None,
            assignment_id=(
                parse_id(input.assignment_id, field="assignmentId") if input.assignment_id is not None else None
            ),
            team_id=parse_id(input.team_id, field="teamId") if input.team_id is not None else None,
            player_ids=[parse_id(player, field="playerIds") for player in input.player_ids],
        )
        return LiveSession.from_state(state)

    @mutation(description="Report a player's progress: a player their own, the session's trainers anyone's.")
    async def report_live_progress(self, info: Ctx, input: ReportLiveProgressInput) -> LiveSessionPlayer:
        progress = provided(input)
        for name in ("session_id", "player_id"):
            progress.pop(name, None)
        if progress.get("exercise_id") is not None:
            progress["exercise_id"] = parse_id(progress["exercise_id"], field="exerciseId")
        row, session = await live.report_live_progress(
            info.context.session,
            actor(info),
            info.context.runtime.pubsub,
            parse_id(input.session_id, field="sessionId"),
            player_id=parse_id(input.player_id, field="playerId") if input.player_id is not None else None,
            progress=progress,
        )
        return LiveSessionPlayer.from_row(row, session)

    @mutation(description="Join a live session: a player of its team on their own; its trainers add anyone.")
    async def join_live_session(self, info: Ctx, id: strawberry.ID, player_id: PlayerArgument = None) -> LiveSession:
        state = await live.join_live_session(
            info.context.session,
            actor(info),
            info.context.runtime.pubsub,
            parse_id(id),
            player_id=parse_id(player_id, field="playerId") if player_id is not None else None,
        )
        return LiveSession.from_state(state)

    @mutation(description="Leave a live session: a player on their own; its trainers take anyone out.")
    async def leave_live_session(self, info: Ctx, id: strawberry.ID, player_id: PlayerArgument = None) -> LiveSession:
        state = await live.leave_live_session(
            info.context.session,
            actor(info),
            info.context.runtime.pubsub,
            parse_id(id),
            player_id=parse_id(player_id, field="playerId") if player_id is not None else None,
        )
        return LiveSession.from_state(state)

    @mutation(
        description="End a live session: each player still in it has completed the workout (`workout.completed`)."
    )
    async def end_live_session(self, info: Ctx, id: strawberry.ID) -> LiveSession:
        state = await live.end_live_session(
            info.context.session, actor(info), info.context.runtime.pubsub, parse_id(id)
        )
        return LiveSession.from_state(state)


@strawberry.type(description="What the training service streams: live sessions as they change.")
class Subscription:
    @strawberry.subscription(
        description="A live session's current state, then its state after every change (progress, a player "
        "joining or leaving, the end, after which the stream completes). For its team's trainers and coaches "
        "and the players taking part."
    )
    async def live_session(self, info: Ctx, id: strawberry.ID) -> AsyncGenerator[LiveSession, None]:
        runtime = info.context.runtime
        try:
            states = live.watch_live_session(runtime.sessions, runtime.pubsub, actor(info), parse_id(id))
            async with contextlib.aclosing(states):
                async for state in states:
                    yield LiveSession.from_state(state)
                    # The event's fields are resolved by now; fields that read through the operation's own
                    # session (the workout's exercises) must not keep its connection while the stream waits.
                    if (opened := info.context.session_opened) is not None:
                        await opened.close()
        except Exception as error:
            # Stream errors skip the schema's error hooks, so they get their code (or are masked) here.
            located = GraphQLError(str(error), path=info.path.as_list(), original_error=error)
            raise format_error(located) from None
