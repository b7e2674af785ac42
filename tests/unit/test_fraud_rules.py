"""Fraud rules at work (on fakes): a postback screened by the advertiser's and the offer's rules as it
arrives, a held conversion waiting for a person, the rules kept and audited, and the review queue."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.conversions.fraud_rules import FraudRuleBook
from partnerka.conversions.models import (
    Conversion,
    ConversionStatus,
    FraudFlag,
    PostbackRequest,
    ScreeningAction,
)
from partnerka.conversions.review import ConversionReview
from partnerka.conversions.screening import ClickSignals, FraudRule, FraudRules, RuleDraft
from partnerka.conversions.service import record_conversion, release_holds
from partnerka.offers.models import Offer
from partnerka.offers.routing import Cap, CapMetric, CapPeriod
from partnerka.stats.click_signals import RecordedClickSignals
from partnerka.stats.quality import ClickQuality
from partnerka.tracking.datacenter import DatacenterRanges, HostingNetwork
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.service import record_click
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeAudit,
    FakeCaps,
    FakeClicks,
    FakeClickSignals,
    FakeConversionLog,
    FakeFraudRules,
    FakeNames,
    FakeOffers,
    FakeQuality,
    FakeRoutes,
    affiliate_route,
    offer_route,
)

CLICKED = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
LATER = CLICKED + timedelta(hours=1)
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"
AWS = HostingNetwork(16509, "Amazon AWS")
ACTOR = Actor("u-adv", "adv@shop.example", "req-9", "203.0.113.7")
ADVERTISER_USER = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER)
AFFILIATE_USER = Principal("u-aff", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=AFFILIATE)
OWNER = Principal("u-owner", Role.OWNER)
RIVAL = "01JAD0000000000000000000BB"


class Shop:
    """One offer, its clicks, and the conversions its postbacks record."""

    def __init__(self, **offer: object) -> None:
        self.routes = FakeRoutes([offer_route(**offer)], [affiliate_route()])
        self.clicks = FakeClicks()
        self.conversions = FakeConversionLog()
        self.signals = FakeClickSignals()
        self.caps = FakeCaps()

    def click(self, signals: ClickSignals | None = None) -> str:
        request = ClickRequest(OFFER, AFFILIATE, {}, "203.0.113.9", BROWSER, "FR")
        outcome = record_click(
            request, self.routes, self.clicks, GeoLocator("/none"), CLICKED, ttl_days=60, caps=self.caps
        )
        assert outcome.click is not None
        if signals is not None:
            self.signals.known[outcome.click.click_id] = signals
        return outcome.click.click_id

    def sale(self, click_id: str, at: datetime = LATER, txn: str = "T-1") -> Conversion:
        """The conversion the sale's postback stored."""
        request = PostbackRequest(click_id=click_id, status="sale", secret="s3cret", txn_id=txn)
        result = record_conversion(
            request, self.clicks, self.routes, self.conversions, at, self.caps, self.signals
        )
        stored = self.conversions.by_id(result.conversion_id)
        assert stored is not None
        return stored

    def rules(self, offer: bool = False, **by_flag: FraudRule) -> None:
        item = FraudRules({FraudFlag(name): rule for name, rule in by_flag.items()}).as_item()
        if offer:
            self.routes.offer_fraud_rules[(ADVERTISER, OFFER)] = item
        else:
            self.routes.fraud_rules[ADVERTISER] = item


def test_a_sale_on_a_datacenter_click_is_rejected_by_the_rule_and_a_residential_one_is_not() -> None:
    # Given a rule rejecting conversions from datacenter clicks
    shop = Shop()
    shop.rules(datacenter=FraudRule(ScreeningAction.REJECTED))
    # When a sale arrives on a datacenter click and one on a residential click
    rejected = shop.sale(shop.click(ClickSignals(datacenter=AWS)), txn="DC")
    paid = shop.sale(shop.click(), txn="HOME")
    # Then the first is stored rejected for fraud, with the explanation; the second waits to be paid
    assert (rejected.status, rejected.reason, rejected.screening, rejected.screening_flag) == (
        ConversionStatus.REJECTED,
        "fraud",
        "rejected",
        "datacenter",
    )
    assert rejected.screening_note == "click from a datacenter network, AS16509 (Amazon AWS)"
    assert rejected.screening_detail == {"asn": 16509, "network": "Amazon AWS"}
    assert rejected.flags == ("datacenter",)
    assert (paid.status, paid.screening, paid.flags, paid.payout_minor) == (
        ConversionStatus.PENDING,
        None,
        (),
        1250,
    )


def test_a_conversion_rejected_by_a_rule_takes_no_cap_slot() -> None:
    shop = Shop(caps=(Cap(CapMetric.CONVERSIONS, CapPeriod.TOTAL, 1),))
    shop.rules(bot=FraudRule(ScreeningAction.REJECTED))
    shop.sale(shop.click(ClickSignals(bot=True)), txn="BOT")
    second = shop.sale(shop.click(), txn="REAL")
    assert (second.status, second.reason) == (ConversionStatus.PENDING, None)


def test_a_conversion_a_rule_would_hold_but_over_the_cap_is_rejected_for_the_cap_alone() -> None:
    shop = Shop(caps=(Cap(CapMetric.CONVERSIONS, CapPeriod.TOTAL, 1),))
    shop.rules(datacenter=FraudRule(ScreeningAction.HELD))
    shop.sale(shop.click(), txn="FIRST")
    late = shop.sale(shop.click(ClickSignals(datacenter=AWS)), txn="LATE")
    assert (late.status, late.reason, late.screening, late.review, late.flags) == (
        ConversionStatus.REJECTED,
        "cap_reached",
        None,
        False,
        ("datacenter",),
    )


def test_a_held_conversion_waits_for_a_person_past_its_hold() -> None:
    # Given an offer with a 3-day hold and a rule holding conversions of repeat visitors
    shop = Shop(hold_days=3)
    shop.rules(duplicate_visitor=FraudRule(ScreeningAction.HELD))
    held = shop.sale(shop.click(ClickSignals(duplicate_visitor=True)), txn="AGAIN")
    fresh = shop.sale(shop.click(), txn="NEW")
    assert (held.status, held.review, held.screening, held.awaits_review) == (
        ConversionStatus.HOLD,
        True,
        "held",
        True,
    )
    # When the hold ends, only the unflagged one is approved by itself
    assert release_holds(shop.conversions, LATER + timedelta(days=4)) == 1
    assert shop.conversions.items[held.dedupe_key].status is ConversionStatus.HOLD
    assert shop.conversions.items[fresh.dedupe_key].status is ConversionStatus.APPROVED


def test_an_offers_override_beats_the_advertisers_rule() -> None:
    shop = Shop()
    shop.rules(datacenter=FraudRule(ScreeningAction.REJECTED))
    shop.rules(offer=True, datacenter=FraudRule(ScreeningAction.HELD))
    conversion = shop.sale(shop.click(ClickSignals(datacenter=AWS)))
    assert (conversion.status, conversion.screening, conversion.review) == (
        ConversionStatus.PENDING,
        "held",
        True,
    )


def test_the_offers_minimum_time_still_marks_fast_conversions_for_review_and_says_why() -> None:
    shop = Shop(min_conversion_seconds=60)
    fast = shop.sale(shop.click(), at=CLICKED + timedelta(seconds=5))
    assert (fast.review, fast.screening, fast.screening_flag, fast.screening_detail) == (
        True,
        "held",
        "too_fast",
        {"seconds": 5, "minimum": 60},
    )


# ---------------------------------------------------------------------- what the postback path knows
def test_click_signals_come_from_the_orchestrators_records_and_the_address_ranges() -> None:
    # Given a click from an AWS address the orchestrator has judged a flood, and one it has not judged
    quality = FakeQuality()
    aws_start = int(ipaddress.ip_address("3.5.0.0"))
    ranges = DatacenterRanges({4: [(aws_start, aws_start + 65_535, 16509)], 6: []})
    shop = Shop()
    judged = shop.clicks.get(shop.click())
    unjudged = shop.clicks.get(shop.click())
    assert judged is not None
    assert unjudged is not None
    judged = replace(judged, ip="3.5.140.2")
    quality.verdicts[judged.click_id] = ClickQuality(
        unique=False, flood=True, bot=False, datacenter="Amazon AWS"
    )
    inspector = RecordedClickSignals(quality, ranges)
    # Then the judged click carries the orchestrator's flags and the network with its AS number
    assert inspector.signals(judged) == ClickSignals(datacenter=AWS, ip_flood=True, duplicate_visitor=True)
    # And a click not judged yet raises nothing the orchestrator decides (its address is not a datacenter's)
    assert inspector.signals(unjudged) == ClickSignals()


# ---------------------------------------------------------------------- the rules people keep
def book() -> tuple[FraudRuleBook, FakeFraudRules, FakeAudit]:
    offers, store, audit = FakeOffers(), FakeFraudRules(), FakeAudit()
    route = offer_route()
    offers.save(
        Offer(
            offer_id=OFFER,
            advertiser_id=ADVERTISER,
            name="Shoes",
            model=route.model,
            currency=route.currency,
            goals=route.goals,
            landings=route.landings,
            status=route.status,
            postback_secret=route.postback_secret,
            created_at="2026-11-01T00:00:00.000Z",
            updated_at="2026-11-01T00:00:00.000Z",
            min_conversion_seconds=20,
        )
    )
    return FraudRuleBook(store, offers, audit), store, audit


def test_rules_are_kept_per_advertiser_and_overridden_per_offer_with_an_audit_entry_each() -> None:
    rule_book, store, audit = book()
    # When the advertiser rejects datacenter clicks' conversions everywhere
    rule_book.set_advertiser_rules(
        ADVERTISER_USER, None, {"datacenter": RuleDraft("rejected")}, ACTOR, CLICKED
    )
    # And lets this offer accept them, holding quick ones
    shown = rule_book.set_offer_rules(
        ADVERTISER_USER,
        None,
        OFFER,
        {"datacenter": RuleDraft("accepted"), "too_fast": RuleDraft("held", seconds=45)},
        ACTOR,
        CLICKED,
    )
    # Then the offer's view shows both layers and what applies
    assert shown.advertiser.rules == {FraudFlag.DATACENTER: FraudRule(ScreeningAction.REJECTED)}
    assert shown.effective.rules == {
        FraudFlag.DATACENTER: FraudRule(ScreeningAction.ACCEPTED),
        FraudFlag.TOO_FAST: FraudRule(ScreeningAction.HELD, seconds=45),
    }
    # And clearing the overrides brings the advertiser's rules back, with the offer's own minimum
    cleared = rule_book.clear_offer_rules(ADVERTISER_USER, None, OFFER, ACTOR)
    assert cleared.effective.rules == {
        FraudFlag.DATACENTER: FraudRule(ScreeningAction.REJECTED),
        FraudFlag.TOO_FAST: FraudRule(ScreeningAction.HELD, seconds=20),
    }
    assert (ADVERTISER, OFFER) not in store.items
    assert audit.actions() == [
        "fraud_rules.changed",
        "fraud_rules.offer_changed",
        "fraud_rules.offer_cleared",
    ]
    assert audit.records[1].after == {
        "datacenter": {"action": "accepted"},
        "too_fast": {"action": "held", "seconds": 45},
    }


def test_an_offers_overrides_are_checked_against_the_advertisers_time_limits() -> None:
    rule_book, _, audit = book()
    rule_book.set_advertiser_rules(
        ADVERTISER_USER, None, {"too_slow": RuleDraft("held", seconds=300)}, ACTOR, CLICKED
    )
    with pytest.raises(ValidationFailed, match="must be less than too_slow's maximum"):
        rule_book.set_offer_rules(
            ADVERTISER_USER, None, OFFER, {"too_fast": RuleDraft("held", seconds=300)}, ACTOR, CLICKED
        )
    assert audit.actions() == ["fraud_rules.changed"]


def test_only_the_advertiser_or_staff_naming_it_keep_rules_and_only_for_its_own_offers() -> None:
    rule_book, _, _ = book()
    with pytest.raises(Forbidden):
        rule_book.advertiser_rules(AFFILIATE_USER, None)
    with pytest.raises(Forbidden):
        rule_book.set_advertiser_rules(ADVERTISER_USER, RIVAL, {}, ACTOR, CLICKED)
    with pytest.raises(NotFound):
        rule_book.offer_rules(OWNER, RIVAL, OFFER)  # the offer is not the rival's
    assert rule_book.offer_rules(OWNER, ADVERTISER, OFFER).offer_id == OFFER


def test_the_review_queue_lists_undecided_held_conversions_by_offer_and_flag() -> None:
    # Given a conversion held for its datacenter click, one held for being fast, and a clean one
    shop = Shop(min_conversion_seconds=60)
    shop.rules(datacenter=FraudRule(ScreeningAction.HELD))
    dc = shop.sale(shop.click(ClickSignals(datacenter=AWS)), txn="DC").conversion_id
    fast = shop.sale(shop.click(), at=CLICKED + timedelta(seconds=3), txn="FAST").conversion_id
    shop.sale(shop.click(), txn="CLEAN")
    audit = FakeAudit()
    review = ConversionReview(shop.conversions, FakeNames(offers={ADVERTISER: {OFFER: "Shoes"}}), audit)

    def queue(**filters: str) -> set[str]:
        return {c.conversion_id for c in review.review_queue(ADVERTISER_USER, None, **filters).items}

    assert queue() == {dc, fast}
    assert queue(flag="datacenter") == {dc}
    assert queue(offer_id="another") == set()
    # When the advertiser approves both in one go, they leave the queue
    decided = review.decide(
        ADVERTISER_USER, None, ConversionStatus.APPROVED, None, [dc, fast], [], None, ACTOR, LATER
    )
    assert decided.updated == 2
    assert queue() == set()
    assert audit.actions() == ["conversions.approved"]
    with pytest.raises(Forbidden):
        review.review_queue(AFFILIATE_USER, None)
