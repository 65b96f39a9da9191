"""GraphQL types of live sessions; each is built from a committed state (no database read of its own)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import Private

from shared.graphql import Ctx, TeamReference, to_id
from subgraphs.training import models
from subgraphs.training.live.permissions import can_see_heart_rate
from subgraphs.training.live.service import LiveSessionState
from subgraphs.training.types import Player, Workout

strawberry.enum(
    models.LiveSessionStatus,
    name="LiveSessionStatus",
    description="ACTIVE while the trainer leads it; ENDED once it is over (then it changes no more).",
)
strawberry.enum(
    models.LiveParticipantStatus,
    name="LiveParticipantStatus",
    description="ACTIVE while the player takes part; LEFT when they dropped out; COMPLETED when the session "
    "ended with them in it.",
)


@strawberry.type(description="A player in a live session, with the latest progress reported for them.")
class LiveSessionPlayer:
    status: models.LiveParticipantStatus = strawberry.field(description="Taking part, left, or completed.")
    joined_at: datetime = strawberry.field(description="When they joined (the start, for the first players).")
    left_at: datetime | None = strawberry.field(description="When they left, if they did.")
    completed_at: datetime | None = strawberry.field(description="When the session ended with them in it.")
    exercise_id: strawberry.ID | None = strawberry.field(
        description="The library exercise of the workout they are doing now (see the workout's structure)."
    )
    set_number: int | None = strawberry.field(description="The set they are on, from 1.")
    interval_number: int | None = strawberry.field(description="The interval they are on, from 1.")
    completion_percent: int = strawberry.field(description="How much of the workout they have done, 0-100.")
    reported_at: datetime | None = strawberry.field(description="When their progress was last reported.")
    row: Private[models.LiveSessionPlayer]
    session: Private[models.LiveSession]

    @classmethod
    def from_row(cls, row: models.LiveSessionPlayer, session: models.LiveSession) -> LiveSessionPlayer:
        return cls(
            status=row.status,
            joined_at=row.joined_at,
            left_at=row.left_at,
            completed_at=row.completed_at,
            exercise_id=to_id(row.exercise_id) if row.exercise_id is not None else None,
            set_number=row.set_number,
            interval_number=row.interval_number,
            completion_percent=row.completion_percent,
            reported_at=row.reported_at,
            row=row,
            session=session,
        )

    @strawberry.field(description="The player.")
    def player(self) -> Player:
        return Player(id=to_id(self.row.player_id))

    @strawberry.field(
        description="Beats per minute, as last reported: for the player and the staff who follow the session "
        "(null for team mates)."
    )
    def heart_rate(self, info: Ctx) -> int | None:
        if not can_see_heart_rate(info.context.principal, self.session, self.row.player_id):
            return None
        return self.row.heart_rate


@strawberry.type(description="A workout done together now: a trainer leads it, the players report progress.")
class LiveSession:
    id: strawberry.ID = strawberry.field(description="The live session's id.")
    status: models.LiveSessionStatus = strawberry.field(description="Active or ended.")
    version: int = strawberry.field(
        description="Grows by one with every change; a state with a higher version is newer."
    )
    started_at: datetime = strawberry.field(description="When the trainer started it.")
    ended_at: datetime | None = strawberry.field(description="When it ended.")
    workout: Workout = strawberry.field(description="The workout being done.")
    players: list[LiveSessionPlayer] = strawberry.field(
        description="Everyone who takes or took part, by joining time, with their latest progress."
    )
    row: Private[models.LiveSession]

    @classmethod
    def from_state(cls, state: LiveSessionState) -> LiveSession:
        row = state.session
        return cls(
            id=to_id(row.id),
            status=row.status,
            version=row.version,
            started_at=row.started_at,
            ended_at=row.ended_at,
            workout=Workout.from_row(state.workout),
            players=[LiveSessionPlayer.from_row(player, row) for player in state.players],
            row=row,
        )

    @strawberry.field(description="The team whose session it is.")
    def team(self) -> TeamReference:
        return TeamReference.from_id(self.row.team_id)

    @strawberry.field(description="The assignment it was started for, if any.")
    def assignment_id(self) -> strawberry.ID | None:
        return to_id(self.row.assignment_id) if self.row.assignment_id is not None else None
