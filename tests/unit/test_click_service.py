from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from partnerka.accounts.routing import AccountStatus
from partnerka.common.ids import is_click_id
from partnerka.offers.routing import OfferStatus
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.service import Redirect, Rejected, RejectReason, record_click
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeClicks,
    FakeRoutes,
    affiliate_route,
    offer_route,
)

NOW = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)
NO_GEO = GeoLocator("/nonexistent.mmdb")


def click(routes: FakeRoutes, clicks: FakeClicks, **changes: object) -> Redirect | Rejected:
    values: dict[str, object] = {
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "subs": {"sub1": "summer sale&more", "sub2": "x", "o": OFFER, "junk": "y"},
        "ip": "203.0.113.9",
        "user_agent": "Mozilla/5.0",
        "viewer_country": "de",
    }
    values.update(changes)
    return record_click(ClickRequest(**values), routes, clicks, NO_GEO, NOW, ttl_days=30)  # type: ignore[arg-type]


def test_routable_click_is_stored_once_and_redirects_with_encoded_macros() -> None:
    # Given an active offer and an approved affiliate
    routes, clicks = FakeRoutes([offer_route()], [affiliate_route()]), FakeClicks()
    # When a visitor clicks
    outcome = click(routes, clicks)
    # Then one click is stored with the visitor's data and the landing URL carries it, URL-encoded
    assert isinstance(outcome, Redirect)
    assert list(clicks.items) == [outcome.click.click_id]
    stored = clicks.items[outcome.click.click_id]
    assert is_click_id(stored.click_id)
    assert (stored.advertiser_id, stored.country, stored.ip) == (ADVERTISER, "DE", "203.0.113.9")
    assert stored.subs == {"sub1": "summer sale&more", "sub2": "x"}
    assert stored.expires_at == int(NOW.timestamp()) + 30 * 86400
    query = parse_qs(urlsplit(outcome.location).query)
    assert query == {"cid": [stored.click_id], "s1": ["summer sale&more"], "aff": [AFFILIATE]}
    assert "summer%20sale%26more" in outcome.location


@pytest.mark.parametrize(
    ("offers", "affiliates", "reason"),
    [
        ([], [affiliate_route()], RejectReason.UNKNOWN_OFFER),
        ([offer_route(status=OfferStatus.PAUSED)], [affiliate_route()], RejectReason.OFFER_INACTIVE),
        ([offer_route()], [], RejectReason.UNKNOWN_AFFILIATE),
        (
            [offer_route()],
            [affiliate_route(status=AccountStatus.SUSPENDED)],
            RejectReason.AFFILIATE_NOT_APPROVED,
        ),
        (
            [offer_route()],
            [affiliate_route(approved_advertisers=frozenset())],
            RejectReason.AFFILIATE_NOT_APPROVED,
        ),
    ],
)
def test_unroutable_click_is_rejected_and_nothing_is_stored(offers, affiliates, reason) -> None:  # type: ignore[no-untyped-def]
    clicks = FakeClicks()
    outcome = click(FakeRoutes(offers, affiliates), clicks)
    assert outcome == Rejected(reason)
    assert clicks.items == {}


def test_malformed_ids_are_refused_without_any_lookup() -> None:
    routes = FakeRoutes([offer_route()], [affiliate_route()])
    assert click(routes, FakeClicks(), offer_id="'; drop table") == Rejected(RejectReason.UNKNOWN_OFFER)
    assert click(routes, FakeClicks(), affiliate_id="") == Rejected(RejectReason.UNKNOWN_AFFILIATE)
    assert routes.lookups == 0


def test_visitor_is_still_redirected_when_the_click_cannot_be_stored() -> None:
    outcome = click(FakeRoutes([offer_route()], [affiliate_route()]), FakeClicks(fail=True))
    assert isinstance(outcome, Redirect)
    assert outcome.location.startswith("https://shop.example/?cid=")


def test_long_values_are_cut_not_refused() -> None:
    clicks = FakeClicks()
    outcome = click(
        FakeRoutes([offer_route()], [affiliate_route()]),
        clicks,
        subs={"sub3": "a" * 5000},
        user_agent="b" * 5000,
    )
    assert isinstance(outcome, Redirect)
    assert len(outcome.click.subs["sub3"]) == 512
    assert len(outcome.click.user_agent) == 512
