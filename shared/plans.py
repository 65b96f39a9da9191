"""A club's plan as the payment service announces it, and the local copy services keep of it.

The payment service owns plans and subscriptions; its `subscription.changed` event carries the plan in
force with its features and limits (`PlanTerms.to_data`), so a service that enforces or shows them (the
user service counts teams and players against them, the admin service shows them) keeps this copy and
never asks payment. Like `shared.roster`, the `organization_plans` table is defined once here and copied
into the MetaData of each subgraph that keeps it:

    include_plan_table(Base.metadata)                  # models.py
    Subgraph(..., event_handlers=PLAN_EVENT_HANDLERS)  # app.py
    await plan_of(session, organization_id)            # service.py: the plan in force, as PlanTerms

A club no subscription event was heard of yet has `DEFAULT_PLAN`. A subscription counts while it is
trialing, active or past due (payment is being retried); canceled, unpaid or incomplete, the club falls
back to the default plan. Events can arrive late, twice or out of order: every write carries the time of
the event it came from, and an older event never overwrites what a newer one wrote.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ARRAY, Column, DateTime, Integer, MetaData, String, Table, Uuid, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database.models import new_metadata
from shared.errors import DomainError
from shared.events.consumer import DomainHandler
from shared.events.envelope import Event

SUBSCRIPTION_CHANGED = "subscription.changed"

PLANS_IN_FORCE = frozenset({"trialing", "active", "past_due"})
"""Subscription statuses under which the subscribed plan applies; any other means the default plan."""


class PlanLimit(StrEnum):
    """What a plan limits; each is a maximum count, None (unlimited) when the plan sets none."""

    TEAMS = "max_teams"
    PLAYERS = "max_players"
    """Active players on the club's rosters; removed players free their place."""
    USERS = "max_users"
    """Accounts in the club (staff, players, parents)."""


@dataclass(frozen=True, slots=True)
class PlanTerms:
    """The plan a club is on: its name, tier, features and limits."""

    name: str
    tier: str | None
    features: tuple[str, ...]
    limits: Mapping[PlanLimit, int | None] = field(default_factory=dict)
    status: str | None = None
    """The subscription's status; None for the default plan."""

    def limit(self, which: PlanLimit) -> int | None:
        return self.limits.get(which)

    def to_data(self) -> dict[str, Any]:
        """The `plan` object of a `subscription.changed` event."""
        return {
            "name": self.name,
            "tier": self.tier,
            "features": list(self.features),
            "limits": {limit.value: self.limits.get(limit) for limit in PlanLimit},
        }

    @classmethod
    def from_data(cls, plan: Mapping[str, Any], *, status: str | None) -> PlanTerms:
        limits = plan.get("limits") or {}
        return cls(
            name=str(plan.get("name") or plan.get("tier") or "Plan"),
            tier=None if plan.get("tier") is None else str(plan["tier"]),
            features=tuple(sorted(str(feature) for feature in plan.get("features") or ())),
            limits={limit: _count(limits.get(limit.value)) for limit in PlanLimit},
            status=status,
        )


def _count(value: Any) -> int | None:
    return None if value is None else int(value)


DEFAULT_PLAN = PlanTerms(
    name="Starter",
    tier=None,
    features=(),
    limits={PlanLimit.TEAMS: 4, PlanLimit.PLAYERS: 120, PlanLimit.USERS: 200},
)
"""What a club has before (or after) a subscription: room for a small club of a few teams (the demo
club's two teams and 42 players fit), none of the paid features."""


class PlanLimitReached(DomainError):
    """A write would take the club past a limit of its plan; `extensions.limit` says which, with the plan's
    name and the maximum, so a client can offer the upgrade."""

    code = "PLAN_LIMIT_REACHED"

    def __init__(self, plan: PlanTerms, limit: PlanLimit, maximum: int):
        noun = limit.value.removeprefix("max_")
        super().__init__(
            f"the {plan.name} plan allows at most {maximum} {noun}; upgrade the plan to add more",
            details={"limit": limit.value, "plan": plan.name, "tier": plan.tier, "maximum": maximum},
        )


# The local copy ----------------------------------------------------------------------------------------

_plan_metadata = new_metadata()

organization_plans = Table(
    "organization_plans",
    _plan_metadata,
    Column("organization_id", Uuid, primary_key=True),
    Column("subscription_id", Uuid, nullable=True),
    Column("status", String(20), nullable=False),
    Column("name", String(80), nullable=False),
    Column("tier", String(20), nullable=True),
    Column("features", ARRAY(String(40)), nullable=False),
    Column("max_teams", Integer, nullable=True),
    Column("max_players", Integer, nullable=True),
    Column("max_users", Integer, nullable=True),
    Column("source_occurred_at", DateTime(timezone=True), nullable=False),
)
"""One row per club payment announced a subscription for: the subscribed plan's terms and the
subscription's status (the plan applies only while it is in `PLANS_IN_FORCE`); `source_occurred_at` is
when the event that last wrote the row happened."""


def include_plan_table(metadata: MetaData) -> None:
    """Copy the plan table into a subgraph's MetaData so its migrations create it."""
    organization_plans.to_metadata(metadata)


@dataclass(frozen=True, slots=True)
class OrganizationPlan:
    """A club's plan as the copy knows it: the terms in force, and when they last changed."""

    organization_id: uuid.UUID
    terms: PlanTerms
    is_default: bool
    changed_at: datetime | None


async def apply_subscription_event(session: AsyncSession, event: Event) -> None:
    """`subscription.changed` from the payment service: keep the club's plan in step, newest event wins."""
    data = event.data
    if event.organization_id is None or not isinstance(data.get("plan"), Mapping):
        return  # not an event that names a club and its plan
    terms = PlanTerms.from_data(data["plan"], status=str(data.get("status") or "active"))
    values = {
        "organization_id": event.organization_id,
        "subscription_id": None if data.get("subscription_id") is None else uuid.UUID(str(data["subscription_id"])),
        "status": terms.status,
        "name": terms.name[:80],
        "tier": terms.tier,
        "features": list(terms.features),
        **{limit.value: terms.limit(limit) for limit in PlanLimit},
        "source_occurred_at": event.occurred_at,
    }
    statement = insert(organization_plans).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[organization_plans.c.organization_id],
            set_={name: statement.excluded[name] for name in values if name != "organization_id"},
            # Strictly newer only: a redelivered or older event leaves the row as it is.
            where=organization_plans.c.source_occurred_at < statement.excluded.source_occurred_at,
        )
    )


PLAN_EVENT_HANDLERS: Mapping[str, DomainHandler] = {SUBSCRIPTION_CHANGED: apply_subscription_event}
"""For `Subgraph(event_handlers=...)` of a service that keeps the copy (merge it with its own handlers)."""


async def plans_of(session: AsyncSession, organization_ids: list[uuid.UUID]) -> dict[uuid.UUID, OrganizationPlan]:
    """The plan in force of each club, in one statement; the default plan for clubs without a row."""
    found: dict[uuid.UUID, OrganizationPlan] = {
        organization_id: OrganizationPlan(organization_id, DEFAULT_PLAN, True, None)
        for organization_id in organization_ids
    }
    if not organization_ids:
        return found
    rows = await session.execute(
        select(organization_plans).where(organization_plans.c.organization_id.in_(organization_ids))
    )
    for row in rows.mappings():
        status = row["status"]
        if status in PLANS_IN_FORCE:
            terms = PlanTerms(
                name=row["name"],
                tier=row["tier"],
                features=tuple(row["features"]),
                limits={limit: row[limit.value] for limit in PlanLimit},
                status=status,
            )
            found[row["organization_id"]] = OrganizationPlan(
                row["organization_id"], terms, False, row["source_occurred_at"]
            )
        else:
            lapsed = PlanTerms(DEFAULT_PLAN.name, None, (), DEFAULT_PLAN.limits, status=status)
            found[row["organization_id"]] = OrganizationPlan(
                row["organization_id"], lapsed, True, row["source_occurred_at"]
            )
    return found


async def plan_of(session: AsyncSession, organization_id: uuid.UUID) -> OrganizationPlan:
    return (await plans_of(session, [organization_id]))[organization_id]
