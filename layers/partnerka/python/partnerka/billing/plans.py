"""The plan catalogue the Owner manages: Starter, Pro, Business, Enterprise and any plan of its own.

Plans are versioned: an edit writes the plan's next version and leaves every earlier one as it was,
so a subscriber keeps paying what its period was billed at and meets the new version at its next
period (billing.subscriptions). A default plan never stored stands in as its version 1
(billing.catalogue), so a platform whose catalogue was never seeded still has its plans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from partnerka.audit.service import Actor, AuditTrail
from partnerka.billing.catalogue import default_plan, default_plans
from partnerka.billing.models import Limit, Plan, PlanLimits
from partnerka.billing.repository import PlanStore
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from partnerka.common.money import currency_code

CODE = re.compile(r"[a-z][a-z0-9-]{1,29}")
MAX_NAME = 60
MAX_AMOUNT = 10**12  # minor units: far above any plan's price, far below what a number can hold


@dataclass(frozen=True, slots=True)
class PlanDraft:
    """What the Owner sends for a plan (everything but its code and version)."""

    name: str
    limits: PlanLimits
    monthly_prices: Mapping[str, int] = field(default_factory=dict)
    overage_per_1000: Mapping[str, int] = field(default_factory=dict)
    contact_us: bool = False
    public: bool = True
    rank: int = 0


def plan_view(plan: Plan) -> dict[str, Any]:
    """The plan as the audit log keeps it."""
    return asdict(plan)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _amounts(values: Mapping[str, int], what: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for raw, amount in values.items():
        currency = currency_code(raw)
        if not _whole(amount) or not 0 <= amount <= MAX_AMOUNT:
            raise ValidationFailed(
                f"the {what} in {currency} must be a whole number of minor units (cents), 0 or more"
            )
        found[currency] = amount
    return found


def checked_limits(limits: PlanLimits) -> PlanLimits:
    for limit in Limit:
        if limit is Limit.WHITE_LABEL:
            if not isinstance(limits.white_label, bool):
                raise ValidationFailed("white_label is yes or no (true or false)")
            continue
        value = limits.allowed(limit)
        if value is not None and (not _whole(value) or not 0 <= value <= MAX_AMOUNT):
            raise ValidationFailed(
                f"the limit {limit.value} must be a whole number, 0 or more, or empty for unlimited"
            )
    return limits


def checked_plan(code: str, draft: PlanDraft) -> tuple[str, PlanDraft]:
    """`code` and `draft` as a plan may have them, or ValidationFailed saying what to fix."""
    if not CODE.fullmatch(code):
        raise ValidationFailed(
            "the plan's code is 2 to 30 lower-case letters, digits and dashes, starting with a letter"
        )
    name = draft.name.strip() if isinstance(draft.name, str) else ""
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed(f"the plan needs a name of at most {MAX_NAME} characters")
    if not _whole(draft.rank) or not 0 <= draft.rank <= 1000:
        raise ValidationFailed(
            "the plan's rank (its place on the pricing page) is a whole number from 0 to 1000"
        )
    prices = _amounts(draft.monthly_prices, "monthly price")
    overage = _amounts(draft.overage_per_1000, "price per 1,000 clicks over the limit")
    if draft.contact_us and prices:
        raise ValidationFailed(
            "a 'contact us' plan has no public price: each subscriber's terms are set on its subscription"
        )
    if not draft.contact_us and not prices:
        raise ValidationFailed("the plan needs a monthly price in at least one currency, or 'contact us'")
    unpriced = sorted(set(overage) - set(prices)) if not draft.contact_us else []
    if unpriced:
        raise ValidationFailed(
            f"a price for clicks over the limit in {', '.join(unpriced)} needs a monthly price in"
            f" {'it' if len(unpriced) == 1 else 'them'} too"
        )
    limits = checked_limits(draft.limits)
    return code, replace(draft, name=name, monthly_prices=prices, overage_per_1000=overage, limits=limits)


class PlanCatalogue:
    def __init__(self, store: PlanStore, audit: AuditTrail, now: Callable[[], datetime] = utc_now) -> None:
        self._store = store
        self._audit = audit
        self._now = now

    def all_plans(self) -> list[Plan]:
        """Every plan's current version, offered or not, in the pricing page's order."""
        found = {plan.code: plan for plan in default_plans()}
        found.update({plan.code: plan for plan in self._store.plans()})
        return sorted(found.values(), key=lambda plan: (plan.rank, plan.code))

    def public_plans(self) -> list[Plan]:
        """The plans offered to advertisers, in the pricing page's order."""
        return [plan for plan in self.all_plans() if plan.public]

    def current(self, code: str) -> Plan:
        found = self._store.plan(code) or default_plan(code)
        if found is None:
            raise NotFound(f"no plan '{code}'")
        return found

    def version(self, code: str, version: int) -> Plan:
        """The version a subscription was billed at (never changed once written)."""
        found = self._store.plan_version(code, version)
        if found is None:
            standing_in = default_plan(code)
            if standing_in is None or version != standing_in.version or self._store.plan(code):
                raise NotFound(f"no version {version} of the plan '{code}'")
            found = standing_in
        return found

    def create(self, code: str, draft: PlanDraft, actor: Actor) -> Plan:
        """A new plan, version 1; Conflict when its code is taken (a default plan's included)."""
        code, draft = checked_plan(code, draft)
        plan = self._plan(code, 1, draft)
        if default_plan(code) is not None or not self._store.add_plan(plan):
            raise Conflict(f"a plan with the code '{code}' exists already")
        self._audit.record(actor, None, "plan.create", f"plan:{code}", None, plan_view(plan))
        return plan

    def edit(self, code: str, draft: PlanDraft, actor: Actor) -> Plan:
        """The plan's next version; its subscribers move to it at their next period."""
        code, draft = checked_plan(code, draft)
        before = self.current(code)
        if self._store.plan(code) is None:
            self._store.add_plan(replace(before, updated_at=iso_millis(self._now())))
        plan = self._plan(code, before.version + 1, draft)
        self._store.save_plan(plan)
        self._audit.record(actor, None, "plan.edit", f"plan:{code}", plan_view(before), plan_view(plan))
        return plan

    def _plan(self, code: str, version: int, draft: PlanDraft) -> Plan:
        return Plan(
            code=code,
            name=draft.name,
            version=version,
            monthly_prices=dict(draft.monthly_prices),
            limits=draft.limits,
            overage_per_1000=dict(draft.overage_per_1000),
            contact_us=draft.contact_us,
            public=draft.public,
            rank=draft.rank,
            updated_at=iso_millis(self._now()),
        )

    def upgrade_for(self, limit: Limit, needed: int) -> str | None:
        """The lowest offered plan that allows `needed` of `limit` (Enterprise, "contact us", last),
        None when none does."""
        for plan in self.public_plans():
            allowed = plan.limits.allowed(limit)
            if allowed is None or allowed >= needed:
                return plan.code
        return None
