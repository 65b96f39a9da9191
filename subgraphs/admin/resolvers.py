"""Queries and mutations of the admin service: parse input, call the service, wrap the result."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from shared.audit_trail import DEFAULT_LIMIT as DEFAULT_AUDIT_LIMIT
from shared.audit_trail import MAX_LIMIT as MAX_AUDIT_LIMIT
from shared.audit_trail import AuditFilter
from shared.auth.principal import Role
from shared.database import utcnow
from shared.errors import InvalidInput
from shared.graphql import (
    Ctx,
    actor,
    mutation,
    parse_id,
    parse_ids,
    provided,
    requires_role,
    requires_sign_in,
    to_id,
)
from subgraphs.admin import audit_trail, configuration, dead_letters, service
from subgraphs.admin.health import HealthProbe
from subgraphs.admin.types import (
    AuditTrail,
    DeadLetter,
    FeatureFlag,
    OrganizationPlanOverview,
    OrganizationSetting,
    ResolvedSetting,
    SystemAnnouncement,
    SystemHealth,
)

OrganizationArgument = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="The organization; the caller's own unless a platform admin names one."),
]
FlagKeyArgument = Annotated[str, strawberry.argument(description="The flag's key, e.g. live_training_sessions.")]
SettingKeyArgument = Annotated[str, strawberry.argument(description="The setting's key, e.g. locale.")]
ServiceArgument = Annotated[str, strawberry.argument(description="A service's name, e.g. communication.")]


@strawberry.input(description="A new feature flag.")
class DefineFeatureFlagInput:
    key: str = strawberry.field(description="Lowercase words joined by dots or underscores, up to 100 characters.")
    description: str = strawberry.field(description="What the flag switches, up to 500 characters.")
    default_enabled: bool = strawberry.field(
        default=False, description="The value for organizations without an override."
    )


@strawberry.input(description="Changes to a feature flag; omitted fields stay as they are.")
class UpdateFeatureFlagInput:
    description: str | None = strawberry.field(default=strawberry.UNSET, description="What the flag switches.")
    default_enabled: bool | None = strawberry.field(
        default=strawberry.UNSET, description="The value for organizations without an override."
    )


SettingValueArgument = Annotated[JSON, strawberry.argument(description="The new value, of the setting's type.")]


@strawberry.input(description="A new system announcement.")
class CreateSystemAnnouncementInput:
    title: str = strawberry.field(description="A short headline, up to 200 characters.")
    body: str = strawberry.field(description="The message, up to 4000 characters.")
    starts_at: datetime | None = strawberry.field(default=None, description="When it starts showing; now if omitted.")
    ends_at: datetime | None = strawberry.field(default=None, description="When it stops showing; never if omitted.")


@strawberry.input(description="Changes to a system announcement; omitted fields stay as they are.")
class UpdateSystemAnnouncementInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="A short headline.")
    body: str | None = strawberry.field(default=strawberry.UNSET, description="The message.")
    starts_at: datetime | None = strawberry.field(default=strawberry.UNSET, description="When it starts showing.")
    ends_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="When it stops showing; null for no set end."
    )


@strawberry.input(description="Which audit entries: every condition given must hold.")
class AuditTrailFilter:
    actor_user_id: strawberry.ID | None = strawberry.field(default=None, description="Made by this user.")
    action: str | None = strawberry.field(default=None, description="This action exactly, e.g. recordInjury.")
    since: datetime | None = strawberry.field(default=None, description="At or after this moment.")
    until: datetime | None = strawberry.field(default=None, description="Before this moment.")
    service: str | None = strawberry.field(default=None, description="Only this service's trail, e.g. medical.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this club's (platform administrators; a club administrator sees their own)."
    )


def _organization(value: strawberry.ID | None) -> uuid.UUID | None:
    return parse_id(value, field="organizationId") if value is not None else None


def _actor_filter(value: strawberry.ID | None) -> uuid.UUID | None:
    return parse_id(value, field="filter.actorUserId") if value is not None else None


def _probe(info: Ctx) -> HealthProbe:
    """The app's health probe, made by its lifespan (see app.py)."""
    request = info.context.request
    probe = getattr(request.app.state, "health_probe", None) if request is not None else None
    if not isinstance(probe, HealthProbe):
        raise RuntimeError("the admin app's lifespan did not set up its health probe")
    return probe


@strawberry.type(description="Reads of feature flags, organization settings and system health.")
class Query:
    @strawberry.field(
        description="Every feature flag, with its value for the caller's organization.",
        extensions=[requires_sign_in()],
    )
    async def feature_flags(self, info: Ctx, organization_id: OrganizationArgument = None) -> list[FeatureFlag]:
        states = await service.list_feature_flags(
            info.context.session, actor(info), organization_id=_organization(organization_id)
        )
        return [FeatureFlag.from_state(state) for state in states]

    @strawberry.field(
        description="One feature flag, with its value for the caller's organization.",
        extensions=[requires_sign_in()],
    )
    async def feature_flag(
        self, info: Ctx, key: FlagKeyArgument, organization_id: OrganizationArgument = None
    ) -> FeatureFlag:
        state = await service.get_feature_flag(
            info.context.session, actor(info), key, organization_id=_organization(organization_id)
        )
        return FeatureFlag.from_state(state)

    @strawberry.field(
        description="Every setting of the caller's organization, with the value in effect.",
        extensions=[requires_sign_in()],
    )
    async def organization_settings(
        self, info: Ctx, organization_id: OrganizationArgument = None
    ) -> list[OrganizationSetting]:
        values = await service.organization_settings(
            info.context.session,
            actor(info),
            info.context.runtime.cache,
            organization_id=_organization(organization_id),
        )
        return [OrganizationSetting.from_value(value) for value in values]

    @strawberry.field(description="One setting of the caller's organization.", extensions=[requires_sign_in()])
    async def organization_setting(
        self, info: Ctx, key: SettingKeyArgument, organization_id: OrganizationArgument = None
    ) -> OrganizationSetting:
        value = await service.organization_setting(
            info.context.session,
            actor(info),
            info.context.runtime.cache,
            key,
            organization_id=_organization(organization_id),
        )
        return OrganizationSetting.from_value(value)

    @strawberry.field(
        description="The organization's plan from its subscription: features, limits and status.",
        extensions=[requires_sign_in()],
    )
    async def organization_plan(
        self, info: Ctx, organization_id: OrganizationArgument = None
    ) -> OrganizationPlanOverview:
        plan = await service.organization_plan(
            info.context.session, actor(info), organization_id=_organization(organization_id)
        )
        return OrganizationPlanOverview.from_plan(plan)

    @strawberry.field(
        description="Every service's health, asked now (platform and club administrators).",
        extensions=[requires_role(Role.CLUB_ADMIN)],
    )
    async def system_health(self, info: Ctx) -> SystemHealth:
        report = await service.system_health(actor(info), info.context.runtime, _probe(info))
        return SystemHealth.from_report(report)

    @strawberry.field(
        description="Events services' consumers gave up on, oldest first (platform administrators).",
        extensions=[requires_sign_in()],
    )
    async def dead_letters(
        self,
        info: Ctx,
        service: Annotated[
            str | None, strawberry.argument(description="Only this service's; every service's when omitted.")
        ] = None,
    ) -> list[DeadLetter]:
        letters = await dead_letters.list_dead_letters(actor(info), info.context.runtime.bus, service=service)
        return [DeadLetter.from_letter(letter) for letter in letters]

    @strawberry.field(
        description="Who changed what, and when, in every service (or one): platform administrators read "
        "every club's entries, a club administrator their own club's. The trail cannot be changed.",
        extensions=[requires_role(Role.CLUB_ADMIN)],
    )
    async def audit_trail(
        self,
        info: Ctx,
        filter: Annotated[
            AuditTrailFilter | None, strawberry.argument(description="Who, what and when; everything when omitted.")
        ] = None,
        limit: Annotated[
            int, strawberry.argument(description=f"Entries at most, 1 to {MAX_AUDIT_LIMIT}, newest first.")
        ] = DEFAULT_AUDIT_LIMIT,
    ) -> AuditTrail:
        given = filter or AuditTrailFilter()
        request = info.context.request
        report = await audit_trail.audit_trail(
            actor(info),
            info.context.runtime,
            _probe(info),
            AuditFilter(
                organization_id=_organization(given.organization_id),
                actor_user_id=_actor_filter(given.actor_user_id),
                action=given.action,
                since=given.since,
                until=given.until,
                limit=limit,
            ),
            service=given.service,
            authorization=request.headers.get("authorization", "") if request is not None else "",
        )
        return AuditTrail.from_report(report)

    @strawberry.field(
        description="A setting's value in effect for a user in a team of the caller's club, most specific "
        "first: the user's own, the team's, the club's, the platform's, then the default.",
        extensions=[requires_sign_in()],
    )
    async def resolved_setting(
        self,
        info: Ctx,
        key: SettingKeyArgument,
        team_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The team; no team scope when omitted.")
        ] = None,
        user_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The user; the caller unless a club administrator names a member."),
        ] = None,
    ) -> ResolvedSetting:
        resolved = await configuration.resolved_setting(
            info.context.session,
            actor(info),
            info.context.runtime.cache,
            key=key,
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
            user_id=parse_id(user_id, field="userId") if user_id is not None else None,
        )
        return ResolvedSetting.from_value(resolved)

    @strawberry.field(description="The platform's announcements showing now, newest first.")
    async def system_announcements(
        self,
        info: Ctx,
        include_inactive: Annotated[
            bool,
            strawberry.argument(description="Also scheduled, ended and withdrawn ones (platform administrators)."),
        ] = False,
    ) -> list[SystemAnnouncement]:
        announcements = await configuration.announcements(
            info.context.session, actor(info), include_inactive=include_inactive
        )
        now = utcnow()
        return [SystemAnnouncement.from_model(announcement, now=now) for announcement in announcements]


@strawberry.type(description="Changes to feature flags and organization settings, and replays of dead letters.")
class Mutation:
    @mutation(
        description="Send a service's dead letters back to its queue for a fresh round of attempts, once their "
        "cause is fixed; returns the ids replayed (platform administrators)."
    )
    async def replay_dead_letters(
        self,
        info: Ctx,
        service: ServiceArgument,
        event_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="The events to replay; every dead letter of the service when omitted."),
        ] = None,
    ) -> list[strawberry.ID]:
        replayed = await dead_letters.replay_dead_letters(
            actor(info),
            info.context.runtime.bus,
            service=service,
            event_ids=parse_ids(event_ids, field="eventIds") if event_ids is not None else None,
        )
        return [to_id(event_id) for event_id in replayed]

    @mutation(description="Define a new feature flag (platform administrators).")
    async def define_feature_flag(self, info: Ctx, input: DefineFeatureFlagInput) -> FeatureFlag:
        state = await service.define_feature_flag(
            info.context.session,
            actor(info),
            key=input.key,
            description=input.description,
            default_enabled=input.default_enabled,
        )
        return FeatureFlag.from_state(state)

    @mutation(description="Change a feature flag's description or default (platform administrators).")
    async def update_feature_flag(self, info: Ctx, key: FlagKeyArgument, input: UpdateFeatureFlagInput) -> FeatureFlag:
        state = await service.update_feature_flag(info.context.session, actor(info), key, provided(input))
        return FeatureFlag.from_state(state)

    @mutation(description="Turn a flag on or off for one organization (its club administrators).")
    async def set_feature_flag_override(
        self,
        info: Ctx,
        key: FlagKeyArgument,
        enabled: Annotated[bool, strawberry.argument(description="The organization's value.")],
        organization_id: OrganizationArgument = None,
    ) -> FeatureFlag:
        state = await service.set_feature_flag_override(
            info.context.session,
            actor(info),
            key=key,
            enabled=enabled,
            organization_id=_organization(organization_id),
        )
        return FeatureFlag.from_state(state)

    @mutation(description="Return an organization to a flag's default (its club administrators).")
    async def clear_feature_flag_override(
        self, info: Ctx, key: FlagKeyArgument, organization_id: OrganizationArgument = None
    ) -> FeatureFlag:
        state = await service.clear_feature_flag_override(
            info.context.session, actor(info), key=key, organization_id=_organization(organization_id)
        )
        return FeatureFlag.from_state(state)

    @mutation(description="Set one of the organization's settings (club administrators).")
    async def set_organization_setting(
        self,
        info: Ctx,
        key: SettingKeyArgument,
        value: Annotated[JSON, strawberry.argument(description="The new value, of the setting's type.")],
        organization_id: OrganizationArgument = None,
    ) -> OrganizationSetting:
        setting = await service.set_organization_setting(
            info.context.session,
            actor(info),
            info.context.runtime.cache,
            key=key,
            value=value,
            organization_id=_organization(organization_id),
        )
        return OrganizationSetting.from_value(setting)

    @mutation(description="Return one of the organization's settings to its default (club administrators).")
    async def reset_organization_setting(
        self, info: Ctx, key: SettingKeyArgument, organization_id: OrganizationArgument = None
    ) -> OrganizationSetting:
        setting = await service.reset_organization_setting(
            info.context.session,
            actor(info),
            info.context.runtime.cache,
            key=key,
            organization_id=_organization(organization_id),
        )
        return OrganizationSetting.from_value(setting)

    @mutation(description="Set a setting's value for every club that has not set its own (platform administrators).")
    async def set_system_setting(
        self, info: Ctx, key: SettingKeyArgument, value: SettingValueArgument
    ) -> ResolvedSetting:
        resolved = await configuration.set_system_setting(
            info.context.session, actor(info), info.context.runtime.cache, key=key, value=value
        )
        return ResolvedSetting.from_value(resolved)

    @mutation(description="Set a team's own value of a setting (club administrators and the team's coaches).")
    async def set_team_setting(
        self,
        info: Ctx,
        team_id: Annotated[strawberry.ID, strawberry.argument(description="The team, of the caller's club.")],
        key: SettingKeyArgument,
        value: SettingValueArgument,
    ) -> ResolvedSetting:
        resolved = await configuration.set_team_setting(
            info.context.session, actor(info), team_id=parse_id(team_id, field="teamId"), key=key, value=value
        )
        return ResolvedSetting.from_value(resolved)

    @mutation(description="Set the caller's own value of a setting; it wins over every other scope for them.")
    async def set_my_setting(self, info: Ctx, key: SettingKeyArgument, value: SettingValueArgument) -> ResolvedSetting:
        resolved = await configuration.set_my_setting(info.context.session, actor(info), key=key, value=value)
        return ResolvedSetting.from_value(resolved)

    @mutation(description="Drop the platform's value of a setting: clubs without their own get the default.")
    async def reset_system_setting(self, info: Ctx, key: SettingKeyArgument) -> ResolvedSetting:
        resolved = await configuration.reset_system_setting(
            info.context.session, actor(info), info.context.runtime.cache, key=key
        )
        return ResolvedSetting.from_value(resolved)

    @mutation(
        description="Drop a team's own value of a setting; answers what the team now gets (club administrators "
        "and the team's coaches)."
    )
    async def reset_team_setting(
        self,
        info: Ctx,
        team_id: Annotated[strawberry.ID, strawberry.argument(description="The team, of the caller's club.")],
        key: SettingKeyArgument,
    ) -> ResolvedSetting:
        resolved = await configuration.reset_team_setting(
            info.context.session,
            actor(info),
            info.context.runtime.cache,
            team_id=parse_id(team_id, field="teamId"),
            key=key,
        )
        return ResolvedSetting.from_value(resolved)

    @mutation(description="Drop the caller's own value of a setting; answers what they now get.")
    async def reset_my_setting(
        self,
        info: Ctx,
        key: SettingKeyArgument,
        team_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Answer for this team of the caller's; no team scope when omitted."),
        ] = None,
    ) -> ResolvedSetting:
        resolved = await configuration.reset_my_setting(
            info.context.session,
            actor(info),
            info.context.runtime.cache,
            key=key,
            team_id=parse_id(team_id, field="teamId") if team_id is not None else None,
        )
        return ResolvedSetting.from_value(resolved)

    @mutation(description="Announce something to everyone signed in (platform administrators).")
    async def create_system_announcement(self, info: Ctx, input: CreateSystemAnnouncementInput) -> SystemAnnouncement:
        announcement = await configuration.create_announcement(
            info.context.session,
            actor(info),
            title=input.title,
            body=input.body,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
        )
        return SystemAnnouncement.from_model(announcement, now=utcnow())

    @mutation(description="Correct or reschedule a system announcement (platform administrators).")
    async def update_system_announcement(
        self,
        info: Ctx,
        id: Annotated[strawberry.ID, strawberry.argument(description="The announcement.")],
        input: UpdateSystemAnnouncementInput,
    ) -> SystemAnnouncement:
        given = provided(input)
        for name, field in (("title", "title"), ("body", "body"), ("starts_at", "startsAt")):
            if name in given and given[name] is None:
                raise InvalidInput(f"{field} cannot be cleared", field=f"input.{field}")
        announcement = await configuration.update_announcement(
            info.context.session,
            actor(info),
            parse_id(id, field="id"),
            configuration.AnnouncementChanges(
                title=given.get("title"),
                body=given.get("body"),
                starts_at=given.get("starts_at"),
                ends_at=given.get("ends_at"),
                clear_end="ends_at" in given and given["ends_at"] is None,
            ),
        )
        return SystemAnnouncement.from_model(announcement, now=utcnow())

    @mutation(description="Take a system announcement down now, or cancel a scheduled one (platform administrators).")
    async def withdraw_system_announcement(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The announcement.")]
    ) -> SystemAnnouncement:
        announcement = await configuration.withdraw_announcement(
            info.context.session, actor(info), parse_id(id, field="id")
        )
        return SystemAnnouncement.from_model(announcement, now=utcnow())
