"""GraphQL types of notification preferences."""

from __future__ import annotations

from datetime import time

import strawberry

from subgraphs.communication import models
from subgraphs.communication.preferences import Preferences

strawberry.enum(models.NotificationChannel, name="NotificationChannel", description="In the app, by email, or pushed.")
strawberry.enum(models.DigestFrequency, name="DigestFrequency", description="OFF: one email each; DAILY: one a day.")


@strawberry.type(description="Whether one kind of notification comes on one channel.")
class NotificationChannelChoice:
    kind: models.NotificationKind = strawberry.field(description="The kind of notification.")
    channel: models.NotificationChannel = strawberry.field(description="The channel.")
    enabled: bool = strawberry.field(description="False when the person turned it off (everything is on at first).")


@strawberry.type(description="How the caller wants to be notified.")
class NotificationPreferences:
    email: str | None = strawberry.field(description="Where emails go: the address the caller signed in with.")
    time_zone: str = strawberry.field(
        description="The time zone quiet hours and digests count in: the caller's own, else the club's, else UTC."
    )
    quiet_hours_start: time | None = strawberry.field(description="From when no email or push is sent (their clock).")
    quiet_hours_end: time | None = strawberry.field(description="Until when; emails and pushes held back go out then.")
    digest: models.DigestFrequency = strawberry.field(description="DAILY gathers the day's emails into one.")
    digest_hour: int = strawberry.field(description="The hour (0-23, their clock) the daily digest goes out.")
    channels: list[NotificationChannelChoice] = strawberry.field(description="Every kind on every channel.")

    @classmethod
    def from_preferences(cls, found: Preferences) -> NotificationPreferences:
        return cls(
            email=found.email,
            time_zone=found.time_zone,
            quiet_hours_start=found.quiet_hours_start,
            quiet_hours_end=found.quiet_hours_end,
            digest=found.digest,
            digest_hour=found.digest_hour,
            channels=[
                NotificationChannelChoice(kind=kind, channel=channel, enabled=found.enabled(kind, channel))
                for kind in models.NotificationKind
                for channel in models.NotificationChannel
            ],
        )
