"""Conversions as people review them: who reads which, who sees revenue, and the advertiser's
decisions with their audit entry (conversions.review, on fakes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor
from partnerka.common.errors import Forbidden, ValidationFailed
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.conversions.review import ConversionReview
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeAudit,
    FakeConversionLog,
    FakeNames,
    stored_conversion,
)

RIVAL = "01JAD0000000000000000000BB"  # another advertiser
COLLEAGUE = "01JAFF0000000000000000000B"  # another affiliate of the same advertiser
DAY = date(2026, 11, 27)
AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ACTOR = Actor("u-adv", "adv@shop.example", "req-7", "203.0.113.7")

OWNER = Principal("u-owner", Role.OWNER)
SUPPORT = Principal("u-support", Role.SUPPORT)
ADVERTISER_USER = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER)
API_KEY = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER, api_key_id="key-1")
AFFILIATE_USER = Principal("u-aff", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=AFFILIATE)


def conversion(
    n: int,
    advertiser: str = ADVERTISER,
    affiliate: str = AFFILIATE,
    status: ConversionStatus = ConversionStatus.PENDING,
    txn_id: str = "",
    offer: str = OFFER,
) -> Conversion:
    return stored_conversion(
        conversion_id=f"conv-{n}",
        dedupe_key=f"key-{n}",
        click_id=f"click-{n}",
        offer_id=offer,
        affiliate_id=affiliate,
        advertiser_id=advertiser,
        status=status,
        created_at=AT + timedelta(minutes=n),
        txn_id=txn_id,
    )


def review_of(*conversions: Conversion) -> tuple[ConversionReview, FakeConversionLog, FakeAudit]:
    store, audit = FakeConversionLog(), FakeAudit()
    for c in conversions:
        store.insert(c)
    names = FakeNames(
        offers={ADVERTISER: {OFFER: "Shoes"}, RIVAL: {OFFER: "Rival shoes"}},
        affiliates={AFFILIATE: "Blogger", COLLEAGUE: "Coupons"},
    )
    return ConversionReview(store, names, audit), store, audit


def ids(
    principal: Principal, review: ConversionReview, advertiser_id: str | None = None, **filters: str
) -> list[str]:
    shown = review.listed(principal, advertiser_id, DAY, DAY, **filters)  # type: ignore[arg-type]
    return [c.conversion_id for c in shown.items]


def test_an_affiliate_lists_only_its_own_conversions_in_its_current_advertiser_and_never_revenue() -> None:
    # Given its own conversion, a colleague's in the same advertiser, and its own in another advertiser
    review, _, _ = review_of(
        conversion(1), conversion(2, affiliate=COLLEAGUE), conversion(3, advertiser=RIVAL)
    )
    # When it lists them, naming another advertiser besides (which is not looked at)
    shown = review.listed(AFFILIATE_USER, RIVAL, DAY, DAY)
    # Then it sees its own one, named, without the advertiser's revenue
    assert [c.conversion_id for c in shown.items] == ["conv-1"]
    assert (shown.sees_revenue, shown.offer_names, shown.affiliate_names) == (
        False,
        {OFFER: "Shoes"},
        {AFFILIATE: "Blogger"},
    )


def test_an_affiliate_without_a_selected_advertiser_is_asked_to_select_one() -> None:
    review, _, _ = review_of(conversion(1))
    with pytest.raises(Forbidden, match="select an advertiser"):
        review.listed(Principal("u-aff", Role.AFFILIATE, affiliate_id=AFFILIATE), None, DAY, DAY)


def test_an_advertiser_and_its_api_key_list_the_tenants_conversions_with_revenue_newest_first() -> None:
    review, _, _ = review_of(
        conversion(1), conversion(2, affiliate=COLLEAGUE), conversion(3, advertiser=RIVAL)
    )
    for principal in (ADVERTISER_USER, API_KEY):
        shown = review.listed(principal, None, DAY, DAY)
        assert [c.conversion_id for c in shown.items] == ["conv-2", "conv-1"]
        assert shown.sees_revenue
        with pytest.raises(Forbidden, match="another advertiser"):
            review.listed(principal, RIVAL, DAY, DAY)


def test_platform_staff_list_the_advertiser_they_name() -> None:
    review, _, _ = review_of(conversion(1), conversion(3, advertiser=RIVAL))
    for principal in (OWNER, SUPPORT):
        assert ids(principal, review, RIVAL) == ["conv-3"]
        with pytest.raises(ValidationFailed, match="advertiser_id is required"):
            ids(principal, review)


def test_a_listing_keeps_the_status_and_offer_asked_for() -> None:
    review, _, _ = review_of(
        conversion(1),
        conversion(2, status=ConversionStatus.APPROVED),
        conversion(3, status=ConversionStatus.APPROVED, offer="OTHER-OFFER"),
    )
    assert ids(ADVERTISER_USER, review, status="approved") == ["conv-3", "conv-2"]
    assert ids(ADVERTISER_USER, review, status="approved", offer_id=OFFER) == ["conv-2"]


def test_a_listing_covers_one_to_93_days_from_before_to() -> None:
    review, _, _ = review_of(conversion(1))
    with pytest.raises(ValidationFailed, match="1 to 93 days"):
        review.listed(ADVERTISER_USER, None, DAY, DAY - timedelta(days=1))
    with pytest.raises(ValidationFailed, match="1 to 93 days"):
        review.listed(ADVERTISER_USER, None, DAY - timedelta(days=93), DAY)
    assert len(review.listed(ADVERTISER_USER, None, DAY - timedelta(days=92), DAY).items) == 1


def test_a_decision_changes_the_advertisers_own_conversions_and_one_audit_entry_names_them() -> None:
    # Given two pending conversions of the advertiser (one named by its transaction) and a rival's
    review, store, audit = review_of(
        conversion(1), conversion(2, txn_id="T-9"), conversion(3, advertiser=RIVAL)
    )
    # When the advertiser approves them all, the rival's by its id
    decided = review.decide(
        ADVERTISER_USER, None, ConversionStatus.APPROVED, None, ["conv-1", "conv-3"], ["T-9"], None, ACTOR, AT
    )
    # Then its own two are approved, the rival's is not found and stays as it was
    assert decided.updated == 2
    assert [(r.ref, r.ok, r.error) for r in decided.results] == [
        ("conv-1", True, None),
        ("conv-3", False, "not found"),
        ("T-9", True, None),
    ]
    statuses = {c.conversion_id: c.status for c in store.items.values()}
    assert statuses == {
        "conv-1": ConversionStatus.APPROVED,
        "conv-2": ConversionStatus.APPROVED,
        "conv-3": ConversionStatus.PENDING,
    }
    # And one audit entry, in the advertiser, names what changed and who changed it
    (entry,) = audit.records
    assert (entry.actor, entry.tenant_id, entry.action, entry.target, entry.after) == (
        ACTOR,
        ADVERTISER,
        "conversions.approved",
        "conversions:2",
        {"reason": None, "ids": ["conv-1", "conv-2"]},
    )


def test_a_decision_repeated_changes_nothing_and_says_so() -> None:
    review, _, audit = review_of(conversion(1, status=ConversionStatus.REJECTED))
    decided = review.decide(
        ADVERTISER_USER, None, ConversionStatus.REJECTED, "fraud", ["conv-1"], [], None, ACTOR, AT
    )
    assert (decided.updated, [r.ok for r in decided.results]) == (0, [True])
    assert [(e.target, e.after) for e in audit.records] == [("conversions:0", {"reason": "fraud", "ids": []})]


def test_transaction_ids_come_from_a_csv_too() -> None:
    review, store, _ = review_of(conversion(1, txn_id="A-1"), conversion(2, txn_id="A-2"))
    decided = review.decide(
        OWNER,
        ADVERTISER,
        ConversionStatus.REJECTED,
        "test",
        [],
        [],
        "txn_id,amount\nA-1,10\nA-2,12\n",
        ACTOR,
        AT,
    )
    assert decided.updated == 2
    assert {c.status for c in store.items.values()} == {ConversionStatus.REJECTED}


def test_a_decision_that_names_nothing_or_is_not_the_callers_is_refused_unaudited() -> None:
    review, store, audit = review_of(conversion(1))
    with pytest.raises(ValidationFailed, match="name the conversions"):
        review.decide(ADVERTISER_USER, None, ConversionStatus.APPROVED, None, [], [], "", ACTOR, AT)
    with pytest.raises(ValidationFailed, match="needs a reason"):
        review.decide(ADVERTISER_USER, None, ConversionStatus.REJECTED, None, ["conv-1"], [], None, ACTOR, AT)
    for outsider in (AFFILIATE_USER, SUPPORT):
        with pytest.raises(Forbidden):
            review.decide(
                outsider, ADVERTISER, ConversionStatus.APPROVED, None, ["conv-1"], [], None, ACTOR, AT
            )
    assert audit.records == []
    assert store.items["key-1"].status is ConversionStatus.PENDING
