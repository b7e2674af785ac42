"""The plans a new platform starts with: Starter, Pro, Business and Enterprise.

Prices are monthly, in minor units, in the three currencies the platform bills in; a yearly period is
computed from them (models.yearly_price). Enterprise has no public price: the Owner sets each of its
subscribers' terms. The Owner edits any of them afterwards (billing.plans); seeding only ever writes a
plan that is not stored yet, so it never undoes an edit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from partnerka.billing.models import Plan, PlanLimits
from partnerka.common.clock import iso_millis

TRIAL_PLAN = "business"  # a new advertiser tries all of the product
CONTACT_US_PLAN = "enterprise"  # the plan the Owner's custom terms are set on
DEFAULT_CURRENCY = "USD"
CURRENCIES = ("USD", "EUR", "RUB")


def default_plans(at: datetime | None = None) -> tuple[Plan, ...]:
    """Version 1 of each default plan, as written at `at` (None: not written)."""
    stamp = iso_millis(at) if at is not None else ""
    return (
        Plan(
            code="starter",
            name="Starter",
            version=1,
            monthly_prices={"USD": 4900, "EUR": 4500, "RUB": 450000},
            limits=PlanLimits(
                clicks_per_month=100_000,
                active_offers=5,
                approved_affiliates=50,
                team_seats=2,
                custom_domains=0,
                white_label=False,
            ),
            rank=1,
            updated_at=stamp,
        ),
        Plan(
            code="pro",
            name="Pro",
            version=1,
            monthly_prices={"USD": 14900, "EUR": 13900, "RUB": 1350000},
            limits=PlanLimits(
                clicks_per_month=1_000_000,
                active_offers=25,
                approved_affiliates=500,
                team_seats=5,
                custom_domains=1,
                white_label=True,
            ),
            overage_per_1000={"USD": 20, "EUR": 18, "RUB": 1800},
            rank=2,
            updated_at=stamp,
        ),
        Plan(
            code="business",
            name="Business",
            version=1,
            monthly_prices={"USD": 39900, "EUR": 36900, "RUB": 3600000},
            limits=PlanLimits(
                clicks_per_month=5_000_000,
                active_offers=100,
                approved_affiliates=5000,
                team_seats=20,
                custom_domains=5,
                white_label=True,
            ),
            overage_per_1000={"USD": 10, "EUR": 9, "RUB": 900},
            rank=3,
            updated_at=stamp,
        ),
        Plan(
            code="enterprise",
            name="Enterprise",
            version=1,
            monthly_prices={},
            limits=PlanLimits(
                clicks_per_month=None,
                active_offers=None,
                approved_affiliates=None,
                team_seats=None,
                custom_domains=None,
                white_label=True,
            ),
            contact_us=True,
            rank=4,
            updated_at=stamp,
        ),
    )


def default_plan(code: str) -> Plan | None:
    """The default plan of `code` (version 1), None for a plan of the Owner's own: what stands in for
    it where the catalogue was never seeded (a stack before plans existed)."""
    return next((plan for plan in default_plans() if plan.code == code), None)


class PlanShelf(Protocol):
    """As much of the billing store as seeding needs (repository.BillingStore)."""

    def plans(self) -> list[Plan]: ...

    def add_plan(self, plan: Plan) -> bool:
        """Store a new plan's first version; False when a plan of its code is stored already."""
        ...


def seed_plans(store: PlanShelf, at: datetime) -> list[str]:
    """Store each default plan that is not stored yet; the codes of those written (none on a rerun,
    which costs the one read of the plans: the hourly run seeds)."""
    stored = {plan.code for plan in store.plans()}
    return [plan.code for plan in default_plans(at) if plan.code not in stored and store.add_plan(plan)]
