"""Queries and mutations of notification preferences (merged into the service's root types)."""

from __future__ import annotations

from datetime import time

import strawberry

from shared.graphql import Ctx, actor, mutation, requires_sign_in
from subgraphs.communication import preferences
from subgraphs.communication.models import DigestFrequency, NotificationChannel, NotificationKind
from subgraphs.communication.types.preferences import NotificationPreferences


@strawberry.input(description="Turn one kind of notification on or off on one channel.")
class NotificationChannelChoiceInput:
    kind: NotificationKind = strawberry.field(description="The kind of notification.")
    channel: NotificationChannel = strawberry.field(description="The channel.")
    enabled: bool = strawberry.field(description="False to turn it off.")


@strawberry.input(description="How the caller wants to be notified; settings are replaced, channel choices added.")
class NotificationPreferencesInput:
    time_zone: str | None = strawberry.field(default=None, description="An IANA time zone; null for the club's.")
    quiet_hours_start: time | None = strawberry.field(default=None, description="From when no email or push is sent.")
    quiet_hours_end: time | None = strawberry.field(default=None, description="Until when (may be past midnight).")
    digest: DigestFrequency = strawberry.field(default=DigestFrequency.OFF, description="OFF or DAILY.")
    digest_hour: int = strawberry.field(default=7, description="The hour of the daily digest, 0 to 23.")
    channels: list[NotificationChannelChoiceInput] = strawberry.field(
        default_factory=list, description="Channel choices to set; those not named stay as they were."
    )


@strawberry.type
class PreferencesQuery:
    @strawberry.field(description="How the caller wants to be notified.", extensions=[requires_sign_in()])
    async def my_notification_preferences(self, info: Ctx) -> NotificationPreferences:
        found = await preferences.my_preferences(info.context.session, actor(info))
        return NotificationPreferences.from_preferences(found)


@strawberry.type
class PreferencesMutation:
    @mutation(description="Choose how the caller is notified: channels per kind, quiet hours, digests.")
    async def update_notification_preferences(
        self, info: Ctx, input: NotificationPreferencesInput
    ) -> NotificationPreferences:
        found = await preferences.update_preferences(
            info.context.session,
            actor(info),
            time_zone=input.time_zone,
            quiet_hours_start=input.quiet_hours_start,
            quiet_hours_end=input.quiet_hours_end,
            digest=input.digest,
            digest_hour=input.digest_hour,
            choices=[(choice.kind, choice.channel, choice.enabled) for choice in input.channels],
        )
        return NotificationPreferences.from_preferences(found)
