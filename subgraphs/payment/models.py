"""The payment service's tables: plans, customers, subscriptions, invoices and their lines.

Money is integer minor units (cents, öre) with an ISO 4217 currency code. External ids (`external_id`)
are the billing provider's (Stripe) ids, filled once that integration lands.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database import TYPE_ANNOTATION_MAP, IdMixin, TimestampMixin, new_metadata, pg_enum
from shared.database.kernel import include_kernel_tables
from shared.roster import include_roster_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


include_kernel_tables(Base.metadata)
# Team fees go to a team's players: the user service's roster, copied from its player events.
include_roster_table(Base.metadata)


class PlanTier(StrEnum):
    BASIC = "basic"
    STANDARD = "standard"
    PREMIUM = "premium"
    ENTERPRISE = "enterprise"


class BillingInterval(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


INTERVAL_MONTHS = {BillingInterval.MONTHLY: 1, BillingInterval.QUARTERLY: 3, BillingInterval.ANNUAL: 12}


class PlanFeature(StrEnum):
    MEDICAL_TRACKING = "medical_tracking"
    ADVANCED_ANALYTICS = "advanced_analytics"
    VIDEO_ANALYSIS = "video_analysis"
    CUSTOM_REPORTS = "custom_reports"
    PARENT_PAYMENTS = "parent_payments"
    API_ACCESS = "api_access"
    PRIORITY_SUPPORT = "priority_support"


class SubscriptionStatus(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    UNPAID = "unpaid"
    INCOMPLETE = "incomplete"


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


class TeamFeeStatus(StrEnum):
    """Stored states; OVERDUE is read as an OPEN fee past its due date."""

    OPEN = "open"
    PAID = "paid"
    VOID = "void"


class BillingPlan(IdMixin, TimestampMixin, Base):
    """What the platform sells: a tier at a price per interval, with features and limits."""

    __tablename__ = "billing_plans"
    __table_args__ = (
        CheckConstraint("price_amount >= 0", name="price_not_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        CheckConstraint("trial_days BETWEEN 0 AND 365", name="trial_days_range"),
        CheckConstraint(
            "coalesce(max_users, 1) > 0 AND coalesce(max_teams, 1) > 0 AND coalesce(max_players, 1) > 0",
            name="limits_positive",
        ),
        # One active price per tier, interval and currency, so a club's choice is never ambiguous.
        Index(
            "uq_billing_plans_active_tier_interval_currency",
            "tier",
            "billing_interval",
            "currency",
            unique=True,
            postgresql_where=text("is_active"),
        ),
    )

    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    tier: Mapped[PlanTier] = mapped_column(pg_enum(PlanTier, "plan_tier"))
    billing_interval: Mapped[BillingInterval] = mapped_column(pg_enum(BillingInterval, "billing_interval"))
    price_amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    trial_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    features: Mapped[list[PlanFeature]] = mapped_column(ARRAY(pg_enum(PlanFeature, "plan_feature")), default=list)
    max_users: Mapped[int | None]
    """None: unlimited."""
    max_teams: Mapped[int | None]
    max_players: Mapped[int | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    external_price_id: Mapped[str | None] = mapped_column(String(120), unique=True)


class Customer(IdMixin, TimestampMixin, Base):
    """An organization as the billing provider knows it."""

    __tablename__ = "customers"

    organization_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    billing_email: Mapped[str | None] = mapped_column(String(254))
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)


class Subscription(IdMixin, TimestampMixin, Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("current_period_end > current_period_start", name="period_forward"),
        # At most one current subscription per club; canceled ones stay as history.
        Index(
            "uq_subscriptions_current_organization_id",
            "organization_id",
            unique=True,
            postgresql_where=text("status <> 'canceled'"),
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("billing_plans.id", ondelete="RESTRICT"), index=True)
    status: Mapped[SubscriptionStatus] = mapped_column(pg_enum(SubscriptionStatus, "subscription_status"))
    current_period_start: Mapped[datetime]
    current_period_end: Mapped[datetime]
    trial_end: Mapped[datetime | None]
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    canceled_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    provider_state_at: Mapped[datetime | None]
    """When the billing provider's state written here was current (its event's or reply's time): an older
    webhook, delivered late, never overwrites it."""


class StripeEvent(Base):
    """A Stripe webhook event already processed, written in the transaction of its effect: a redelivery
    finds its id here and changes nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(120))
    created: Mapped[datetime]
    """Stripe's time of the event."""
    processed_at: Mapped[datetime] = mapped_column(server_default=text("now()"))


class Invoice(IdMixin, TimestampMixin, Base):
    """A bill to a club (its subscription) or, later, to a parent (`billed_user_id`, team fees)."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("subtotal >= 0 AND tax >= 0 AND amount_paid >= 0", name="amounts_not_negative"),
        CheckConstraint("total = subtotal + tax", name="total_is_subtotal_plus_tax"),
        CheckConstraint("amount_paid <= total", name="paid_within_total"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        CheckConstraint("status <> 'paid' OR (amount_paid = total AND paid_at IS NOT NULL)", name="paid_in_full"),
        CheckConstraint("status = 'draft' OR issue_date IS NOT NULL", name="issued_unless_draft"),
        CheckConstraint("due_date IS NULL OR due_date >= issue_date", name="due_after_issue"),
        Index("ix_invoices_organization_id_created_at_id", "organization_id", "created_at", "id"),
    )

    organization_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"), index=True)
    subscription_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="SET NULL"), index=True
    )
    billed_user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    """The person billed, for invoices to individuals (parents' team fees); None bills the club."""
    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[InvoiceStatus] = mapped_column(pg_enum(InvoiceStatus, "invoice_status"))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(BigInteger)
    tax: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger)
    amount_paid: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_due: Mapped[int] = mapped_column(
        BigInteger,
        Computed("CASE WHEN status = 'void' THEN 0 ELSE total - amount_paid END", persisted=True),
    )
    """What is still owed: the unpaid rest of the total, nothing on a voided invoice. An uncollectible
    invoice still shows its debt, since it may yet be paid."""
    issue_date: Mapped[date | None]
    due_date: Mapped[date | None]
    paid_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)


class InvoiceLine(IdMixin, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_amount >= 0", name="unit_amount_not_negative"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_amount: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger, Computed("quantity * unit_amount", persisted=True))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]


class TeamFee(IdMixin, TimestampMixin, Base):
    """A season fee for one player of a team, billed to the player's parents (or an adult player)."""

    __tablename__ = "team_fees"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        CheckConstraint("(status = 'paid') = (paid_at IS NOT NULL)", name="paid_when_paid_at"),
        # Billing a team twice for a season adds nobody twice: creation is idempotent per player.
        UniqueConstraint("team_id", "season", "player_id"),
        Index("ix_team_fees_organization_id_due_date", "organization_id", "due_date"),
    )

    organization_id: Mapped[uuid.UUID]
    team_id: Mapped[uuid.UUID]
    player_id: Mapped[uuid.UUID] = mapped_column(index=True)
    season: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    due_date: Mapped[date]
    status: Mapped[TeamFeeStatus] = mapped_column(pg_enum(TeamFeeStatus, "team_fee_status"))
    paid_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None]
    payer_user_id: Mapped[uuid.UUID | None]
    """Who the Stripe invoice went to: a linked parent, or the player's own account (team_fee_invoices.py)."""
    external_invoice_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    """The fee's Stripe invoice; None while it is not invoiced (no Stripe key, or no payer known yet)."""
    invoice_number: Mapped[str | None] = mapped_column(String(40))
    hosted_invoice_url: Mapped[str | None] = mapped_column(Text)
    provider_status: Mapped[str | None] = mapped_column(String(20))
    """The Stripe invoice's own status (draft, open, paid, void, uncollectible)."""
    payment_failed_at: Mapped[datetime | None]
    payment_failure: Mapped[str | None] = mapped_column(String(300))
    """Why Stripe's last payment attempt failed, for staff; cleared when the fee is settled."""
    provider_state_at: Mapped[datetime | None]
    """When the Stripe state written here was current: an older webhook, delivered late, changes nothing."""


class Payer(Base):
    """A person the club may bill (a parent, an adult player), as the user service's `user.*` events
    describe them, with their Stripe customer once they were first invoiced."""

    __tablename__ = "payers"

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(201), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    source_occurred_at: Mapped[datetime]
    external_customer_id: Mapped[str | None] = mapped_column(String(120), unique=True)


class PayerLink(Base):
    """Who pays for a player: their linked parents (`parent.linked` / `parent.unlinked`) and the player's
    own account (`player.*`, `is_parent` False), each with the time of the event that last wrote it."""

    __tablename__ = "payer_links"

    player_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    is_parent: Mapped[bool]
    is_active: Mapped[bool]
    source_occurred_at: Mapped[datetime]
