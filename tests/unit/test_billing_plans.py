"""The plan catalogue: the default plans seeded once (never over an Owner's edit), versions that never
change once written, what a plan may hold (with a message that says what to fix), and the plan that
lifts a limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from partnerka.billing.catalogue import default_plans, seed_plans
from partnerka.billing.models import Limit, PlanLimits, yearly_price, yearly_saving
from partnerka.billing.plans import PlanCatalogue, PlanDraft
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from tests.unit.fakes import FakeAudit, FakeBillingStore, FakeClock
from tests.unit.test_subscriptions import OWNER, START

LIMITS = PlanLimits(50_000, 3, 20, 1, 0, False)


@pytest.fixture
def store() -> FakeBillingStore:
    return FakeBillingStore()


def catalogue(store: FakeBillingStore) -> tuple[PlanCatalogue, FakeAudit]:
    audit = FakeAudit()
    return PlanCatalogue(store, audit, FakeClock(START).now), audit


def test_the_default_plans_are_seeded_once_and_never_over_an_edit(store: FakeBillingStore) -> None:
    assert seed_plans(store, START) == ["starter", "pro", "business", "enterprise"]
    plans, _ = catalogue(store)
    pro = plans.current("pro")
    plans.edit("pro", PlanDraft("Pro+", pro.limits, pro.monthly_prices, pro.overage_per_1000, rank=2), OWNER)

    assert seed_plans(store, START) == []
    assert (plans.current("pro").name, plans.current("pro").version) == ("Pro+", 2)


def test_the_defaults_are_priced_as_agreed_with_a_yearly_saving_of_twenty_percent() -> None:
    plans = {plan.code: plan for plan in default_plans(START)}

    assert plans["starter"].monthly_prices == {"USD": 4900, "EUR": 4500, "RUB": 450000}
    assert plans["pro"].overage_per_1000 == {"USD": 20, "EUR": 18, "RUB": 1800}
    assert plans["starter"].overage_per_1000 == {}  # over the limit: asked to upgrade
    assert plans["enterprise"].contact_us
    assert not plans["enterprise"].monthly_prices
    assert plans["enterprise"].limits.allowed(Limit.ACTIVE_OFFERS) is None
    assert (yearly_price(14900), yearly_saving(14900)) == (143040, 35760)
    assert [plans[code].rank for code in ("starter", "pro", "business", "enterprise")] == [1, 2, 3, 4]


def test_an_edit_is_a_new_version_and_every_earlier_one_stays_as_billed(store: FakeBillingStore) -> None:
    seed_plans(store, START)
    plans, audit = catalogue(store)
    first = plans.current("starter")

    edited = plans.edit("starter", PlanDraft("Starter", LIMITS, {"USD": 5900}, rank=1), OWNER)

    assert (edited.version, edited.monthly_prices) == (2, {"USD": 5900})
    assert plans.version("starter", 1) == first
    assert audit.actions() == ["plan.edit"]
    assert audit.records[0].before is not None
    assert audit.records[0].before["version"] == 1


def test_editing_a_default_plan_never_seeded_keeps_its_defaults_as_version_one(
    store: FakeBillingStore,
) -> None:
    plans, _ = catalogue(store)

    plans.edit("starter", PlanDraft("Starter", LIMITS, {"USD": 5900}, rank=1), OWNER)

    stored = store.plan_version("starter", 1)
    assert stored is not None
    assert replace(stored, updated_at="") == default_plans()[0]
    assert plans.current("starter").version == 2


def test_a_new_plan_takes_a_free_code_and_private_plans_are_not_offered(store: FakeBillingStore) -> None:
    seed_plans(store, START)
    plans, audit = catalogue(store)

    plans.create("agency", PlanDraft("Agency", LIMITS, {"USD": 9900}, public=False, rank=2), OWNER)

    with pytest.raises(Conflict, match="exists"):
        plans.create("agency", PlanDraft("Agency", LIMITS, {"USD": 9900}), OWNER)
    with pytest.raises(Conflict, match="exists"):
        plans.create("pro", PlanDraft("Pro", LIMITS, {"USD": 9900}), OWNER)
    assert "agency" in [plan.code for plan in plans.all_plans()]
    assert "agency" not in [plan.code for plan in plans.public_plans()]
    assert audit.actions() == ["plan.create"]
    with pytest.raises(NotFound):
        plans.current("platinum")


@pytest.mark.parametrize(
    ("code", "draft", "message"),
    [
        ("A", PlanDraft("x", LIMITS, {"USD": 1}), "lower-case letters"),
        ("ok-plan", PlanDraft(" ", LIMITS, {"USD": 1}), "needs a name"),
        ("ok-plan", PlanDraft("x", LIMITS, {"usd": -1}), "monthly price in USD"),
        ("ok-plan", PlanDraft("x", LIMITS, {"US": 1}), "ISO-4217"),
        ("ok-plan", PlanDraft("x", LIMITS, {"USD": 1.5}), "whole number"),  # type: ignore[dict-item]
        ("ok-plan", PlanDraft("x", LIMITS, {}), "at least one currency"),
        ("ok-plan", PlanDraft("x", LIMITS, {"USD": 1}, contact_us=True), "no public price"),
        ("ok-plan", PlanDraft("x", LIMITS, {"USD": 1}, {"EUR": 2}), "in EUR needs a monthly price"),
        ("ok-plan", PlanDraft("x", replace(LIMITS, team_seats=-1), {"USD": 1}), "team_seats"),
        ("ok-plan", PlanDraft("x", replace(LIMITS, white_label=1), {"USD": 1}), "yes or no"),  # type: ignore[arg-type]
        ("ok-plan", PlanDraft("x", LIMITS, {"USD": 1}, rank=-1), "rank"),
    ],
)
def test_a_plan_that_cannot_be_sold_is_refused_saying_what_to_fix(
    store: FakeBillingStore, code: str, draft: PlanDraft, message: str
) -> None:
    plans, _ = catalogue(store)
    with pytest.raises(ValidationFailed, match=message):
        plans.create(code, draft, OWNER)
    assert store.plans() == []


def test_the_plan_that_lifts_a_limit_is_the_lowest_offered_that_allows_it(store: FakeBillingStore) -> None:
    seed_plans(store, START)
    plans, _ = catalogue(store)

    assert plans.upgrade_for(Limit.ACTIVE_OFFERS, 6) == "pro"
    assert plans.upgrade_for(Limit.CUSTOM_DOMAINS, 2) == "business"
    assert plans.upgrade_for(Limit.APPROVED_AFFILIATES, 10_000) == "enterprise"
    assert plans.upgrade_for(Limit.WHITE_LABEL, 1) == "pro"
