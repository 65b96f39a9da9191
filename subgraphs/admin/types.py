"""GraphQL types of the admin service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from shared.graphql import Ctx, OrganizationReference, to_id
from shared.plans import OrganizationPlan, PlanLimit
from subgraphs.admin import audit_trail, catalog, configuration, dead_letters, health, models, permissions, service

strawberry.enum(
    catalog.SettingType,
    name="OrganizationSettingType",
    description="The kind of value an organization setting holds.",
)
strawberry.enum(
    health.ServiceStatus,
    name="ServiceStatus",
    description="How a service (or the whole system) is doing.",
)


@strawberry.type(description="An organization's own value of a feature flag.")
class FeatureFlagOverride:
    organization: OrganizationReference = strawberry.field(description="The organization.")
    enabled: bool = strawberry.field(description="The organization's value.")
    updated_at: datetime = strawberry.field(description="When it was last set.")


@strawberry.type(description="A switchable feature: on or off by default, overridable per organization.")
class FeatureFlag:
    key: str = strawberry.field(description="Stable key, lowercase words joined by dots or underscores.")
    description: str = strawberry.field(description="What the flag switches.")
    default_enabled: bool = strawberry.field(description="The value for organizations without an override.")
    enabled: bool = strawberry.field(
        description="The value in effect for the organization asked about (the caller's by default)."
    )
    override: FeatureFlagOverride | None = strawberry.field(description="That organization's override, if it has one.")
    updated_at: datetime = strawberry.field(description="When the flag itself last changed.")

    @classmethod
    def from_state(cls, state: service.FlagState) -> FeatureFlag:
        override = state.override
        return cls(
            key=state.flag.key,
            description=state.flag.description,
            default_enabled=state.flag.default_enabled,
            enabled=state.enabled,
            override=None
            if override is None
            else FeatureFlagOverride(
                organization=OrganizationReference.from_id(override.organization_id),
                enabled=override.enabled,
                updated_at=override.updated_at,
            ),
            updated_at=state.flag.updated_at,
        )


@strawberry.type(description="One of an organization's settings, with the value in effect.")
class OrganizationSetting:
    key: str = strawberry.field(description="The setting's key, e.g. season_start_month.")
    description: str = strawberry.field(description="What the setting controls.")
    value_type: catalog.SettingType = strawberry.field(description="The kind of value it holds.")
    value: JSON = strawberry.field(description="The value in effect: the organization's own, or the default.")
    default_value: JSON = strawberry.field(
        description="The value when the organization has set none: the platform's, else the built-in default."
    )
    is_default: bool = strawberry.field(description="True while the organization has not set its own value.")
    allowed_values: list[str] | None = strawberry.field(description="The choices, for a choice setting.")
    minimum: int | None = strawberry.field(description="The smallest value, for a number setting.")
    maximum: int | None = strawberry.field(description="The largest value, for a number setting.")
    updated_at: datetime | None = strawberry.field(description="When the organization last set it.")

    @classmethod
    def from_value(cls, setting: service.SettingValue) -> OrganizationSetting:
        definition = setting.definition
        return cls(
            key=definition.key,
            description=definition.description,
            value_type=definition.type,
            value=setting.value,
            default_value=setting.fallback,
            is_default=setting.is_default,
            allowed_values=list(definition.choices) if definition.choices else None,
            minimum=definition.minimum,
            maximum=definition.maximum,
            updated_at=setting.updated_at,
        )


@strawberry.type(description="The state of one dependency of a service, as its health endpoint reports it.")
class ServiceHealthCheck:
    name: str = strawberry.field(description="database, broker, cache or pubsub.")
    up: bool = strawberry.field(description="Whether it answered.")
    kind: str | None = strawberry.field(description="What serves it, e.g. postgresql, rabbitmq, redis.")
    required: bool = strawberry.field(description="Whether the service is unhealthy without it.")
    latency_ms: float | None = strawberry.field(description="How long its probe took, in milliseconds.")
    detail_text: strawberry.Private[str | None]

    @strawberry.field(description="Why it is down; shown to platform administrators only.")
    def detail(self, info: Ctx) -> str | None:
        return self.detail_text if permissions.can_view_infrastructure(info.context.principal) else None


@strawberry.type(description="One service's health.")
class ServiceHealth:
    name: str = strawberry.field(description="The service, e.g. user or calendar.")
    status: health.ServiceStatus = strawberry.field(description="Healthy, degraded, unhealthy or unreachable.")
    response_time_ms: float | None = strawberry.field(
        description="How long its health endpoint took to answer, in milliseconds; null when it did not."
    )
    checks: list[ServiceHealthCheck] = strawberry.field(description="Its dependencies, as it reports them.")
    report: strawberry.Private[health.ServiceReport]

    @classmethod
    def from_report(cls, report: health.ServiceReport) -> ServiceHealth:
        return cls(
            name=report.name,
            status=report.status,
            response_time_ms=report.response_time_ms,
            checks=[
                ServiceHealthCheck(
                    name=check.name,
                    up=check.up,
                    kind=check.kind,
                    required=check.required,
                    latency_ms=check.latency_ms,
                    detail_text=check.detail,
                )
                for check in report.checks
            ],
            report=report,
        )

    @strawberry.field(description="The address asked; shown to platform administrators only.")
    def url(self, info: Ctx) -> str | None:
        return self.report.url if permissions.can_view_infrastructure(info.context.principal) else None

    @strawberry.field(description="Why it is not healthy; shown to platform administrators only.")
    def detail(self, info: Ctx) -> str | None:
        return self.report.detail if permissions.can_view_infrastructure(info.context.principal) else None


@strawberry.type(description="The health of every service of the platform, checked just now.")
class SystemHealth:
    status: health.ServiceStatus = strawberry.field(
        description="Healthy when every service is, unhealthy when none is serving, otherwise degraded."
    )
    checked_at: datetime = strawberry.field(description="When the services were asked.")
    services: list[ServiceHealth] = strawberry.field(description="Each service, in port order.")

    @classmethod
    def from_report(cls, report: health.SystemReport) -> SystemHealth:
        return cls(
            status=report.status,
            checked_at=report.checked_at,
            services=[ServiceHealth.from_report(item) for item in report.services],
        )


@strawberry.type(description="A club's plan as the admin console shows it: features, limits and status.")
class OrganizationPlanOverview:
    organization: OrganizationReference = strawberry.field(description="The club.")
    name: str = strawberry.field(description="The plan's name, e.g. Standard (annual); Starter by default.")
    tier: str | None = strawberry.field(description="basic, standard, premium or enterprise; null by default.")
    status: str | None = strawberry.field(
        description="The subscription's status (trialing, active, past_due, ...); null before any subscription."
    )
    is_default: bool = strawberry.field(
        description="True when no subscription is in force and the default Starter plan applies."
    )
    features: list[str] = strawberry.field(description="Capabilities the plan unlocks, e.g. medical_tracking.")
    max_teams: int | None = strawberry.field(description="Teams the plan allows; null for unlimited.")
    max_players: int | None = strawberry.field(description="Active players the plan allows; null for unlimited.")
    max_users: int | None = strawberry.field(description="Active accounts the plan allows; null for unlimited.")
    changed_at: datetime | None = strawberry.field(
        description="When the subscription change last applied here happened; null before any."
    )

    @classmethod
    def from_plan(cls, plan: OrganizationPlan) -> OrganizationPlanOverview:
        terms = plan.terms
        return cls(
            organization=OrganizationReference.from_id(plan.organization_id),
            name=terms.name,
            tier=terms.tier,
            status=terms.status,
            is_default=plan.is_default,
            features=list(terms.features),
            max_teams=terms.limit(PlanLimit.TEAMS),
            max_players=terms.limit(PlanLimit.PLAYERS),
            max_users=terms.limit(PlanLimit.USERS),
            changed_at=plan.changed_at,
        )

    @strawberry.field(description="Whether the plan unlocks this feature, e.g. video_analysis.")
    def has_feature(
        self, feature: Annotated[str, strawberry.argument(description="A plan feature, e.g. video_analysis.")]
    ) -> bool:
        return feature.strip().lower() in self.features


@strawberry.type(description="An event a service's consumer gave up on after its retries, kept for replay.")
class DeadLetter:
    service: str = strawberry.field(description="The service whose consumer gave up, e.g. communication.")
    event_id: strawberry.ID = strawberry.field(description="The event's id, by which consumers deduplicate.")
    type: str = strawberry.field(description="The event's type (its routing key), e.g. injury.created.")
    producer: str = strawberry.field(description="The service that published it.")
    organization: OrganizationReference | None = strawberry.field(
        description="The organization it is about, when it is about one."
    )
    occurred_at: datetime = strawberry.field(description="When the producer recorded it.")
    attempts: int | None = strawberry.field(
        description="Deliveries tried before giving up; null when the broker dead-lettered it by itself."
    )
    last_error: str | None = strawberry.field(description="The last attempt's error, when it was recorded.")
    dead_lettered_at: datetime | None = strawberry.field(description="When it was given up on, when known.")

    @classmethod
    def from_letter(cls, item: dead_letters.ServiceDeadLetter) -> DeadLetter:
        event = item.letter.event
        return cls(
            service=item.service,
            event_id=to_id(event.id),
            type=event.type,
            producer=event.producer,
            organization=OrganizationReference.from_id(event.organization_id) if event.organization_id else None,
            occurred_at=event.occurred_at,
            attempts=item.letter.attempts,
            last_error=item.letter.last_error,
            dead_lettered_at=item.letter.dead_lettered_at,
        )


__all__ = [
    "DeadLetter",
    "FeatureFlag",
    "FeatureFlagOverride",
    "OrganizationPlanOverview",
    "OrganizationSetting",
    "ServiceHealth",
    "ServiceHealthCheck",
    "SystemHealth",
]


@strawberry.type(description="One change a service recorded: who did what to which record, and when.")
class AuditEntry:
    service: str = strawberry.field(description="The service whose trail holds it, e.g. medical.")
    id: strawberry.ID = strawberry.field(description="The entry's id, unique within its service.")
    occurred_at: datetime = strawberry.field(description="When the change was committed.")
    actor_user_id: strawberry.ID | None = strawberry.field(
        description="The user who made it; null for the system (an event consumer, a scheduled job)."
    )
    organization_id: strawberry.ID | None = strawberry.field(description="The club it was made in.")
    action: str = strawberry.field(description="What was done: the mutation's or event's name.")
    entity_type: str | None = strawberry.field(description="The kind of record changed, e.g. Injury.")
    entity_id: str | None = strawberry.field(description="The record changed.")
    request_id: str | None = strawberry.field(description="The request that made it, to find its log lines.")
    details: JSON = strawberry.field(
        description="The input as recorded: secrets redacted; only field names for health data."
    )

    @classmethod
    def from_record(cls, record: audit_trail.AuditRecord) -> AuditEntry:
        return cls(
            service=record.service,
            id=to_id(record.id),
            occurred_at=record.occurred_at,
            actor_user_id=to_id(record.actor_user_id) if record.actor_user_id else None,
            organization_id=to_id(record.organization_id) if record.organization_id else None,
            action=record.action,
            entity_type=record.entity_type,
            entity_id=record.entity_id,
            request_id=record.request_id,
            details=JSON(record.details),
        )


@strawberry.type(description="Audit entries of every service asked, merged newest first.")
class AuditTrail:
    entries: list[AuditEntry] = strawberry.field(description="Newest first, at most the limit asked for.")
    unanswered_services: list[str] = strawberry.field(
        description="Services that did not answer in time; their entries are missing. Empty when complete."
    )

    @classmethod
    def from_report(cls, report: audit_trail.AuditTrailReport) -> AuditTrail:
        return cls(
            entries=[AuditEntry.from_record(record) for record in report.entries],
            unanswered_services=list(report.unanswered),
        )


strawberry.enum(
    configuration.SettingScope,
    name="SettingScope",
    description="Where a setting's value in effect comes from, most specific first.",
)


@strawberry.type(description="A setting's value in effect and the scope that set it.")
class ResolvedSetting:
    key: str = strawberry.field(description="The setting's key, e.g. locale.")
    value: JSON = strawberry.field(description="The value in effect.")
    scope: configuration.SettingScope = strawberry.field(
        description="Who set it: the user, the team, the club, the platform, or nobody (the default)."
    )
    default_value: JSON = strawberry.field(description="The value when no scope has set one.")

    @classmethod
    def from_value(cls, resolved: configuration.ScopedValue) -> ResolvedSetting:
        return cls(
            key=resolved.definition.key,
            value=resolved.value,
            scope=resolved.scope,
            default_value=resolved.definition.default,
        )


strawberry.enum(
    configuration.AnnouncementStatus,
    name="AnnouncementStatus",
    description="Where an announcement stands: not yet showing, showing, past its end, or taken down.",
)


@strawberry.type(description="A message from the platform's operators to everyone signed in.")
class SystemAnnouncement:
    id: strawberry.ID = strawberry.field(description="The announcement's id.")
    title: str = strawberry.field(description="A short headline.")
    body: str = strawberry.field(description="The message.")
    starts_at: datetime = strawberry.field(description="When it starts showing.")
    ends_at: datetime | None = strawberry.field(description="When it stops showing; null for no set end.")
    created_at: datetime = strawberry.field(description="When it was written.")
    updated_at: datetime | None = strawberry.field(description="When it was last edited; null if never.")
    withdrawn_at: datetime | None = strawberry.field(description="When it was taken down; null unless withdrawn.")
    status: configuration.AnnouncementStatus = strawberry.field(description="Where it stands now.")

    @classmethod
    def from_model(cls, announcement: models.SystemAnnouncement, *, now: datetime) -> SystemAnnouncement:
        return cls(
            id=to_id(announcement.id),
            title=announcement.title,
            body=announcement.body,
            starts_at=announcement.starts_at,
            ends_at=announcement.ends_at,
            created_at=announcement.created_at,
            updated_at=announcement.updated_at,
            withdrawn_at=announcement.withdrawn_at,
            status=configuration.announcement_status(announcement, now),
        )
