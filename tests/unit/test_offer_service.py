"""The offers service on fakes: offers created and changed only when valid and only in their own
tenant, affiliates' access decided by the advertiser and asked for by the affiliate, every change
audited."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.models import MembershipStatus
from partnerka.audit.service import Actor
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from partnerka.offers.routing import Access, AmountType, Cap, CapMetric, CapPeriod, OfferStatus
from partnerka.offers.service import CapInput, GoalInput, OfferDraft, OfferService
from tests.unit.fakes import FakeAccounts, FakeAudit, FakeOffers

BOSS = Actor(user_id="u-boss", email="boss@acme.example", request_id="req-1", ip="203.0.113.7")
PARTNER = Actor(user_id="u-pro", email="pro@example.com", request_id="req-2", ip="198.51.100.4")
BASE_URL = "https://app.partnerka.test"

DRAFT = OfferDraft(
    name="Sneakers",
    model="CPA",
    currency="USD",
    goals=[GoalInput("sale", "Sale", "fixed", "12.50", "fixed", "20.00")],
    landings=[("https://shop.example/land?cid={click_id}", 1)],
)


@dataclass
class Program:
    service: OfferService
    offers: FakeOffers
    accounts: FakeAccounts
    audit: FakeAudit
    advertiser_id: str
    other_advertiser_id: str
    member_id: str  # an active partner of the advertiser
    applicant_id: str  # applied, not yet approved


@pytest.fixture
def program() -> Program:
    accounts, offers, audit = FakeAccounts(), FakeOffers(), FakeAudit()
    advertiser = provisioning.create_advertiser(accounts, "Acme Shoes")
    other = provisioning.create_advertiser(accounts, "Other Shop")
    member = provisioning.create_affiliate(accounts, "Traffic Pro", "pro@example.com")
    applicant = provisioning.create_affiliate(accounts, "Newcomer", "new@example.com")
    provisioning.set_membership(accounts, advertiser.id, member.affiliate_id, MembershipStatus.ACTIVE)
    provisioning.set_membership(accounts, advertiser.id, applicant.affiliate_id, MembershipStatus.PENDING)
    service = OfferService(offers, accounts, audit, BASE_URL + "/")
    return Program(
        service, offers, accounts, audit, advertiser.id, other.id, member.affiliate_id, applicant.affiliate_id
    )


def offer_of(program: Program, **changes: object) -> str:
    return program.service.create(program.advertiser_id, replace(DRAFT, **changes), BOSS).offer_id  # type: ignore[arg-type]


# ---------------------------------------------------------------------- creating and changing offers
def test_a_new_offer_is_active_with_a_secret_and_the_tracker_gets_its_copy(program: Program) -> None:
    offer = program.service.create(program.advertiser_id, DRAFT, BOSS)

    assert offer.status == OfferStatus.ACTIVE.value
    assert len(offer.postback_secret) >= 32
    route = program.offers.routes[offer.offer_id]
    assert (route.advertiser_id, route.goals[0].payout, route.goals[0].revenue) == (
        program.advertiser_id,
        1250,
        2000,
    )
    (entry,) = program.audit.records
    assert (entry.action, entry.tenant_id, entry.target, entry.actor.request_id) == (
        "offer.created",
        program.advertiser_id,
        f"offer:{offer.offer_id}",
        "req-1",
    )
    assert entry.after is not None
    assert offer.postback_secret not in str(entry.after)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"goals": []}, "1 to 20 goals"),
        ({"landings": [("https://{sub1}.example/", 1)]}, r"landings\[0\]\.url: .*host"),
        ({"landings": [("https://shop.example/\r\nSet-Cookie: x=1", 1)]}, r"landings\[0\]\.url: .*control"),
        ({"currency": "XXX1"}, "currency"),
        ({"geo_mode": "allow", "geo_countries": []}, "at least one country"),
        ({"goals": [GoalInput("sale", "Sale", "percent", "150", "fixed", "1")]}, "0 to 100"),
        ({"caps": [CapInput("clicks", "day", "1.5")]}, "whole number"),
    ],
)
def test_an_invalid_offer_is_refused_and_nothing_is_stored(
    program: Program, change: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValidationFailed, match=problem):
        program.service.create(program.advertiser_id, replace(DRAFT, **change), BOSS)  # type: ignore[arg-type]

    assert program.service.list_offers(program.advertiser_id) == []
    assert program.offers.routes == {}
    assert program.audit.records == []


def test_a_patch_changes_the_named_fields_and_keeps_every_other(program: Program) -> None:
    offer_id = offer_of(program, caps=[CapInput("conversions", "day", "50")], hold_days=7)

    changed = program.service.update(
        program.advertiser_id, offer_id, {"name": "Sneakers EU", "fallback_url": ""}, OfferStatus.PAUSED, BOSS
    )

    assert (changed.name, changed.status, int(changed.hold_days)) == ("Sneakers EU", "paused", 7)
    route = program.offers.routes[offer_id]
    assert route.caps == (Cap(CapMetric.CONVERSIONS, CapPeriod.DAY, 50),)
    assert route.goals[0].payout == 1250
    entry = program.audit.records[-1]
    assert entry.action == "offer.changed"
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == ("Sneakers", "Sneakers EU")
    assert (entry.before["status"], entry.after["status"]) == ("active", "paused")


def test_a_patch_that_breaks_a_rule_changes_nothing(program: Program) -> None:
    offer_id = offer_of(program)

    with pytest.raises(ValidationFailed, match="hold period"):
        program.service.update(program.advertiser_id, offer_id, {"hold_days": 400}, None, BOSS)
    with pytest.raises(ValidationFailed, match="no fields postback_secret"):
        program.service.update(program.advertiser_id, offer_id, {"postback_secret": "mine"}, None, BOSS)

    stored = program.service.offer(program.advertiser_id, offer_id)
    assert int(stored.hold_days) == 0
    assert program.audit.actions() == ["offer.created"]


def test_another_advertisers_offer_is_not_found_for_reading_or_changing(program: Program) -> None:
    offer_id = offer_of(program)
    other = program.other_advertiser_id

    with pytest.raises(NotFound):
        program.service.offer(other, offer_id)
    with pytest.raises(NotFound):
        program.service.update(other, offer_id, {"name": "Mine now"}, None, BOSS)
    with pytest.raises(NotFound):
        program.service.rotate_secret(other, offer_id, BOSS)
    with pytest.raises(NotFound):
        program.service.access_list(other, offer_id)
    assert program.service.list_offers(other) == []
    assert program.service.offer(program.advertiser_id, offer_id).name == "Sneakers"


def test_offers_are_listed_by_status(program: Program) -> None:
    live = offer_of(program, name="Live")
    paused = offer_of(program, name="Paused")
    program.service.update(program.advertiser_id, paused, {}, OfferStatus.PAUSED, BOSS)

    listed = program.service.list_offers(program.advertiser_id, OfferStatus.ACTIVE)

    assert [o.offer_id for o in listed] == [live]
    assert len(program.service.list_offers(program.advertiser_id)) == 2


def test_rotating_the_secret_replaces_it_everywhere_and_the_audit_never_holds_it(program: Program) -> None:
    offer_id = offer_of(program)
    old = program.service.offer(program.advertiser_id, offer_id).postback_secret

    rotated = program.service.rotate_secret(program.advertiser_id, offer_id, BOSS)

    assert rotated.postback_secret != old
    assert program.offers.routes[offer_id].postback_secret == rotated.postback_secret
    entry = program.audit.records[-1]
    assert (entry.action, entry.before, entry.after) == ("offer.secret_rotated", None, None)


# ---------------------------------------------------------------------- the advertiser decides access
def test_every_active_partner_is_listed_with_its_access_none_until_set(program: Program) -> None:
    offer_id = offer_of(program, visibility="approval")

    (view,) = program.service.access_list(program.advertiser_id, offer_id)

    assert (view.affiliate_id, view.affiliate_name, view.access, view.payouts, view.caps) == (
        program.member_id,
        "Traffic Pro",
        "none",
        {},
        [],
    )


def test_approval_with_own_payouts_and_caps_reaches_the_tracker_and_reads_as_typed(program: Program) -> None:
    offer_id = offer_of(program, visibility="approval")

    view = program.service.set_access(
        program.advertiser_id,
        offer_id,
        program.member_id,
        Access.APPROVED,
        {"sale": "15"},
        [CapInput("payout", "month", "300")],
        BOSS,
    )

    assert (view.access, view.payouts, view.caps) == (
        "approved",
        {"sale": "15.00"},
        [CapInput("payout", "month", "300.00")],
    )
    route = program.offers.access_routes[(offer_id, program.member_id)]
    assert (route.access, route.payouts, route.caps) == (
        Access.APPROVED,
        {"sale": 1500},
        (Cap(CapMetric.PAYOUT, CapPeriod.MONTH, 30000),),
    )
    entry = program.audit.records[-1]
    assert (entry.action, entry.target) == (
        "offer.access_changed",
        f"offer:{offer_id}/affiliate:{program.member_id}",
    )
    # The audit keeps payouts and caps as structures, not as JSON text
    assert entry.before == {"access": "none", "payouts": {}, "caps": []}
    assert entry.after == {
        "access": "approved",
        "payouts": {"sale": 1500},
        "caps": [{"metric": "payout", "period": "month", "limit": 30000}],
    }


@pytest.mark.parametrize(
    ("access", "payouts", "problem"),
    [
        (Access.REQUESTED, None, "approved or rejected"),
        (None, {"lead": "3"}, "no goals lead"),
        (None, {"sale": "-1"}, "not a non-negative amount"),
    ],
)
def test_a_wrong_access_decision_is_refused_and_stores_nothing(
    program: Program, access: Access | None, payouts: dict[str, str] | None, problem: str
) -> None:
    offer_id = offer_of(program)

    with pytest.raises(ValidationFailed, match=problem):
        program.service.set_access(
            program.advertiser_id, offer_id, program.member_id, access, payouts, None, BOSS
        )

    assert program.offers.access_routes == {}
    assert program.audit.actions() == ["offer.created"]


def test_access_is_decided_only_for_active_partners(program: Program) -> None:
    offer_id = offer_of(program)

    with pytest.raises(NotFound, match="no active affiliate"):
        program.service.set_access(
            program.advertiser_id, offer_id, program.applicant_id, Access.APPROVED, None, None, BOSS
        )


# ---------------------------------------------------------------------- the affiliate's side
def test_the_affiliate_sees_active_offers_and_private_ones_only_once_approved(program: Program) -> None:
    public = offer_of(program, name="Public")
    approval = offer_of(program, name="Approval", visibility="approval")
    private = offer_of(program, name="Private", visibility="private")
    paused = offer_of(program, name="Paused")
    program.service.update(program.advertiser_id, paused, {}, OfferStatus.PAUSED, BOSS)

    before = {
        o.offer_id: o for o in program.service.offers_for_affiliate(program.advertiser_id, program.member_id)
    }
    program.service.set_access(
        program.advertiser_id, private, program.member_id, Access.APPROVED, {"sale": "14"}, None, BOSS
    )
    after = {
        o.offer_id: o for o in program.service.offers_for_affiliate(program.advertiser_id, program.member_id)
    }

    assert set(before) == {public, approval}
    assert (before[public].access, before[public].tracking_link) == (
        "open",
        f"{BASE_URL}/click?o={public}&a={program.member_id}",
    )
    assert (before[approval].access, before[approval].tracking_link) == ("none", None)
    assert set(after) == {public, approval, private}
    assert after[private].access == "approved"
    assert after[private].tracking_link is not None
    assert [(g.key, g.payout_type, g.payout) for g in after[private].goals] == [("sale", "fixed", "14.00")]
    assert after[public].goals[0].payout == "12.50"


def test_the_affiliate_never_sees_revenue(program: Program) -> None:
    # A revenue no random id can hold ("45" alone turned up in an offer id now and then)
    offer_of(
        program, goals=[GoalInput("sale", "Sale", "percent", "30", "percent", "45.17")], model="RevShare"
    )

    (seen,) = program.service.offers_for_affiliate(program.advertiser_id, program.member_id)

    assert [(g.payout_type, g.payout) for g in seen.goals] == [(AmountType.PERCENT.value, "30")]
    assert "45.17" not in repr(seen)
    assert "secret" not in repr(seen).lower()


def test_only_an_active_partner_sees_the_advertisers_offers(program: Program) -> None:
    offer_of(program)

    with pytest.raises(NotFound):
        program.service.offers_for_affiliate(program.advertiser_id, program.applicant_id)
    with pytest.raises(NotFound):
        program.service.offers_for_affiliate(program.other_advertiser_id, program.member_id)


def test_asking_for_access_marks_it_requested_once_and_is_audited(program: Program) -> None:
    offer_id = offer_of(program, visibility="approval")

    asked = program.service.request_access(program.advertiser_id, offer_id, program.member_id, PARTNER)

    assert (asked.access, asked.tracking_link) == ("requested", None)
    assert program.offers.access_routes[(offer_id, program.member_id)].access is Access.REQUESTED
    entry = program.audit.records[-1]
    assert (entry.action, entry.actor.email, entry.tenant_id) == (
        "offer.access_requested",
        "pro@example.com",
        program.advertiser_id,
    )
    with pytest.raises(Conflict, match="already requested"):
        program.service.request_access(program.advertiser_id, offer_id, program.member_id, PARTNER)
    (view,) = program.service.access_list(program.advertiser_id, offer_id)
    assert view.access == "requested"


def test_access_is_asked_for_only_on_offers_that_need_approval(program: Program) -> None:
    public = offer_of(program)
    private = offer_of(program, visibility="private")
    paused = offer_of(program, visibility="approval")
    program.service.update(program.advertiser_id, paused, {}, OfferStatus.PAUSED, BOSS)

    with pytest.raises(Conflict, match="needs no approval"):
        program.service.request_access(program.advertiser_id, public, program.member_id, PARTNER)
    for hidden in (private, paused):
        with pytest.raises(NotFound):
            program.service.request_access(program.advertiser_id, hidden, program.member_id, PARTNER)
    assert program.offers.access_routes == {}


def test_a_rejected_affiliate_cannot_ask_again(program: Program) -> None:
    offer_id = offer_of(program, visibility="approval")
    program.service.set_access(
        program.advertiser_id, offer_id, program.member_id, Access.REJECTED, None, None, BOSS
    )

    with pytest.raises(Conflict, match="already rejected"):
        program.service.request_access(program.advertiser_id, offer_id, program.member_id, PARTNER)
    (seen,) = program.service.offers_for_affiliate(program.advertiser_id, program.member_id)
    assert (seen.access, seen.tracking_link) == ("rejected", None)
