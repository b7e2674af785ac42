from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from partnerka.common.errors import ErrorCode, NotFound, ValidationFailed
from partnerka.conversions.models import ConversionStatus, PostbackRequest
from partnerka.conversions.service import (
    ClickExpired,
    ClickNotFound,
    ClickOfferMismatch,
    ForeignDomain,
    record_conversion,
)
from partnerka.offers.routing import AccessRoute, AmountType, Goal, PayoutModel
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.service import record_click
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeCaps,
    FakeClicks,
    FakeConversions,
    FakeRoutes,
    affiliate_route,
    offer_route,
)

NOW = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)


def given_a_click(routes: FakeRoutes, clicks: FakeClicks) -> str:
    request = ClickRequest(
        OFFER, AFFILIATE, {"sub1": "fb"}, "203.0.113.9", "Mozilla/5.0 (Windows NT 10.0)", "FR"
    )
    outcome = record_click(request, routes, clicks, GeoLocator("/none"), NOW, ttl_days=30, caps=FakeCaps())
    assert outcome.reason is None
    assert outcome.click is not None
    return outcome.click.click_id


@pytest.fixture
def world() -> tuple[FakeRoutes, FakeClicks, FakeConversions]:
    return FakeRoutes([offer_route()], [affiliate_route()]), FakeClicks(), FakeConversions()


def postback(world, click_id: str, when: datetime = NOW, **changes: str):  # type: ignore[no-untyped-def]
    routes, clicks, conversions = world
    values = {"click_id": click_id, "status": "sale", "secret": "s3cret", "txn_id": "T-1"}
    values.update(changes)
    return record_conversion(PostbackRequest(**values), clicks, routes, conversions, when)


def test_sale_on_a_cpa_offer_is_priced_by_the_offer_and_carries_the_click_context(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    result = postback(world, click_id)
    assert result.outcome == "recorded"
    (conversion,) = world[2].items.values()
    assert conversion.conversion_id == result.conversion_id
    assert (conversion.status, conversion.payout_minor, conversion.revenue_minor) == (
        ConversionStatus.PENDING,
        1250,
        2000,
    )
    assert (conversion.country, conversion.subs, conversion.currency) == ("FR", {"sub1": "fb"}, "USD")


def test_repeated_transaction_id_is_a_duplicate_and_stores_nothing(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    first = postback(world, click_id)
    again = postback(world, click_id, status="sale", payout="99")
    assert again.outcome == "duplicate"
    assert again.conversion_id == first.conversion_id
    assert len(world[2].items) == 1


def test_without_transaction_id_the_same_status_for_the_same_click_is_the_duplicate(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    assert postback(world, click_id, txn_id="", status="lead").outcome == "recorded"
    assert postback(world, click_id, txn_id="", status="lead").outcome == "duplicate"
    assert postback(world, click_id, txn_id="", status="sale").outcome == "recorded"
    assert len(world[2].items) == 2


def test_lead_on_a_cpa_offer_is_counted_but_not_paid_unless_a_payout_is_sent(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    postback(world, click_id, status="lead", txn_id="L1")
    postback(world, click_id, status="lead", txn_id="L2", payout="3.10")
    payouts = sorted(c.payout_minor for c in world[2].items.values())
    assert payouts == [0, 310]


def test_lead_on_a_cpl_offer_is_paid() -> None:
    lead = (Goal("lead", "Lead", AmountType.FIXED, 1250, AmountType.FIXED, 2000),)
    world = (
        FakeRoutes([offer_route(model=PayoutModel.CPL, goals=lead)], [affiliate_route()]),
        FakeClicks(),
        FakeConversions(),
    )
    click_id = given_a_click(world[0], world[1])
    postback(world, click_id, status="lead")
    (conversion,) = world[2].items.values()
    assert (conversion.payout_minor, conversion.revenue_minor) == (1250, 2000)


def test_a_rejection_postback_takes_back_the_conversion_it_names(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    recorded = postback(world, click_id, txn_id="ORD-7")
    taken_back = postback(world, click_id, status="rejected", txn_id="ORD-7", reason="fraud")
    assert (taken_back.outcome, taken_back.conversion_id) == ("rejected", recorded.conversion_id)
    (conversion,) = world[2].items.values()
    assert (conversion.status, conversion.reason) == (ConversionStatus.REJECTED, "fraud")
    assert postback(world, click_id, status="rejected", txn_id="ORD-7").outcome == "duplicate"
    with pytest.raises(NotFound):
        postback(world, click_id, status="rejected", txn_id="NEVER-SENT")
    with pytest.raises(ValidationFailed):
        postback(world, click_id, status="rejected", txn_id="ORD-7", reason="because")


def test_wrong_secret_is_refused_as_if_the_click_did_not_exist_and_nothing_is_written(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    with pytest.raises(ClickNotFound) as caught:
        postback(world, click_id, secret="guess")
    with pytest.raises(ClickNotFound) as unknown:
        postback(world, "6f1c9b8e-3f57-4c2a-9d43-2b1f0e6a7c55", secret="guess")
    assert (caught.value.status, caught.value.message) == (404, unknown.value.message)
    assert click_id not in caught.value.message
    assert world[2].items == {}


def test_a_stranger_learns_nothing_of_a_refused_click_or_another_offers_click(world) -> None:  # type: ignore[no-untyped-def]
    routes, clicks, _ = world
    request = ClickRequest(OFFER, AFFILIATE, {}, "203.0.113.9", "curl/8.0", "FR")
    bot = record_click(request, routes, clicks, GeoLocator("/none"), NOW, ttl_days=30, caps=FakeCaps()).click
    assert bot is not None
    live = given_a_click(routes, clicks)
    messages = set()
    for click_id, changes in ((bot.click_id, {}), (live, {"offer_id": "01J0FFER00000000000000000B"})):
        with pytest.raises(ClickNotFound) as caught:
            postback(world, click_id, secret="", **changes)
        messages.add(caught.value.message)
    assert len(messages) == 1


@pytest.mark.parametrize("click_id", ["6f1c9b8e-3f57-4c2a-9d43-2b1f0e6a7c55", "not-a-uuid"])
def test_unknown_click_is_not_found(world, click_id: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ClickNotFound) as caught:
        postback(world, click_id)
    assert caught.value.code is ErrorCode.CLICK_NOT_FOUND
    assert caught.value.status == 404


def test_a_postback_naming_another_offer_than_the_clicks_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    with pytest.raises(ClickOfferMismatch) as caught:
        postback(world, click_id, offer_id="01J0FFER00000000000000000B")
    assert (caught.value.code, caught.value.status) == (ErrorCode.CLICK_OFFER_MISMATCH, 400)
    assert world[2].items == {}
    assert postback(world, click_id, offer_id=OFFER).outcome == "recorded"


def test_click_past_its_attribution_window_cannot_convert(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    with pytest.raises(ClickExpired):
        postback(world, click_id, when=NOW + timedelta(days=31))


@pytest.mark.parametrize(
    "changes",
    [{"status": "won"}, {"click_id": ""}, {"payout": "1.234"}, {"payout": "-1"}, {"txn_id": "x" * 200}],
)
def test_bad_input_is_a_validation_error(world, changes: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    changes = dict(changes)
    with pytest.raises(ValidationFailed):
        postback(world, changes.pop("click_id", click_id), **changes)
    assert world[2].items == {}


def test_postback_from_outside_the_advertisers_whitelist_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    from partnerka.conversions.service import SourceNotAllowed
    from partnerka.tracking.repository import PostbackRules

    click_id = given_a_click(world[0], world[1])
    world[0].rules[ADVERTISER] = PostbackRules(("198.51.100.0/24", "2001:db8::1/128"))
    with pytest.raises(SourceNotAllowed) as caught:
        postback(world, click_id, source_ip="203.0.113.5")
    assert caught.value.status == 403
    assert world[2].items == {}
    assert postback(world, click_id, source_ip="198.51.100.77").outcome == "recorded"


def test_a_refused_click_cannot_convert(world) -> None:  # type: ignore[no-untyped-def]
    routes, clicks, _ = world
    request = ClickRequest(OFFER, AFFILIATE, {}, "203.0.113.9", "curl/8.0", "FR")
    outcome = record_click(request, routes, clicks, GeoLocator("/none"), NOW, ttl_days=30, caps=FakeCaps())
    assert outcome.click is not None
    with pytest.raises(ClickNotFound):
        postback(world, outcome.click.click_id)
    assert world[2].items == {}


def test_revshare_pays_a_share_of_the_sent_amount_and_needs_it() -> None:
    share = (Goal("sale", "Sale", AmountType.PERCENT, 750, AmountType.PERCENT, 1000),)
    world = (
        FakeRoutes([offer_route(model=PayoutModel.REVSHARE, goals=share)], [affiliate_route()]),
        FakeClicks(),
        FakeConversions(),
    )
    click_id = given_a_click(world[0], world[1])
    with pytest.raises(ValidationFailed):
        postback(world, click_id)  # no amount
    postback(world, click_id, amount="199.99")
    (conversion,) = world[2].items.values()
    # 7.5 % and 10 % of 19 999 cents, rounded down to the cent
    assert (conversion.payout_minor, conversion.revenue_minor, conversion.amount_minor) == (1499, 1999, 19999)


def test_the_affiliates_payout_override_wins_over_the_goal() -> None:
    world = FakeRoutes([offer_route()], [affiliate_route()]), FakeClicks(), FakeConversions()
    world[0].access[(OFFER, AFFILIATE)] = AccessRoute(OFFER, AFFILIATE, payouts={"sale": 1800})
    click_id = given_a_click(world[0], world[1])
    postback(world, click_id)
    (conversion,) = world[2].items.values()
    assert (conversion.payout_minor, conversion.revenue_minor) == (1800, 2000)


def test_an_explicit_goal_must_exist_and_the_currency_must_match(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    with pytest.raises(ValidationFailed):
        postback(world, click_id, goal="install")
    with pytest.raises(ValidationFailed):
        postback(world, click_id, currency="EUR")
    assert postback(world, click_id, currency="usd").outcome == "recorded"


def test_the_same_txn_id_on_another_goal_is_another_conversion(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    assert postback(world, click_id, status="lead", txn_id="T-9").outcome == "recorded"
    assert postback(world, click_id, status="sale", txn_id="T-9").outcome == "recorded"
    assert postback(world, click_id, status="sale", txn_id="T-9").outcome == "duplicate"


def test_a_postback_to_another_advertisers_tracking_domain_is_refused_after_the_secret(world) -> None:  # type: ignore[no-untyped-def]
    click_id = given_a_click(world[0], world[1])
    world[0].host_owners = {"track.other.example": "adv-other", "track.own.example": ADVERTISER}
    # Without the offer's secret the domain tells nothing: the click is "not found" as ever
    with pytest.raises(ClickNotFound):
        postback(world, click_id, secret="guess", host="track.other.example")
    # With it, the refusal says why, and nothing is written
    with pytest.raises(ForeignDomain, match="belongs to another advertiser") as caught:
        postback(world, click_id, host="track.other.example")
    assert caught.value.status == 403
    assert world[2].items == {}
    # On the advertiser's own tracking domain, and on the platform's, it is recorded
    assert postback(world, click_id, host="track.own.example").outcome == "recorded"
