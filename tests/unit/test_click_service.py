from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from partnerka.accounts.routing import AccountStatus, AdvertiserRoute
from partnerka.common.ids import is_click_id
from partnerka.offers.routing import (
    Access,
    AccessRoute,
    Cap,
    CapMetric,
    CapPeriod,
    Landing,
    OfferStatus,
    Visibility,
)
from partnerka.tracking.blocking import BlockList
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.service import ClickOutcome, RejectReason, record_click
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeCaps,
    FakeClicks,
    FakeRoutes,
    affiliate_route,
    offer_route,
)

NOW = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)
NO_GEO = GeoLocator("/nonexistent.mmdb")
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
FALLBACK = "https://fallback.example/?from={offer_id}&why=refused"


def click(
    routes: FakeRoutes, clicks: FakeClicks, roll: float = 0.0, caps: FakeCaps | None = None, **changes: object
) -> ClickOutcome:
    values: dict[str, object] = {
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "subs": {"sub1": "summer sale&more", "sub2": "x", "o": OFFER, "junk": "y"},
        "ip": "203.0.113.9",
        "user_agent": BROWSER,
        "viewer_country": "de",
    }
    values.update(changes)
    request = ClickRequest(**values)  # type: ignore[arg-type]
    return record_click(
        request, routes, clicks, NO_GEO, NOW, ttl_days=30, caps=caps or FakeCaps(), roll=lambda: roll
    )


def test_routable_click_is_stored_once_and_redirects_with_encoded_macros() -> None:
    # Given an active offer and an approved affiliate
    routes, clicks = FakeRoutes([offer_route()], [affiliate_route()]), FakeClicks()
    # When a visitor clicks
    outcome = click(routes, clicks)
    # Then one click is stored with the visitor's data and the landing URL carries it, URL-encoded
    assert outcome.reason is None
    assert outcome.click is not None
    assert outcome.location is not None
    assert list(clicks.items) == [outcome.click.click_id]
    stored = clicks.items[outcome.click.click_id]
    assert is_click_id(stored.click_id)
    assert (stored.advertiser_id, stored.country, stored.ip, stored.reason) == (
        ADVERTISER,
        "DE",
        "203.0.113.9",
        None,
    )
    assert stored.subs == {"sub1": "summer sale&more", "sub2": "x"}
    assert stored.expires_at == int(NOW.timestamp()) + 30 * 86400
    query = parse_qs(urlsplit(outcome.location).query)
    assert query == {"cid": [stored.click_id], "s1": ["summer sale&more"], "aff": [AFFILIATE]}
    assert "summer%20sale%26more" in outcome.location


def test_country_and_timestamp_macros_are_filled() -> None:
    landing = (Landing("https://shop.example/?c={country}&t={timestamp}&x={nope}", 1),)
    outcome = click(FakeRoutes([offer_route(landings=landing)], [affiliate_route()]), FakeClicks())
    assert outcome.location == f"https://shop.example/?c=DE&t={int(NOW.timestamp())}&x="


def test_landings_rotate_by_weight() -> None:
    landings = (Landing("https://a.example/", 3), Landing("https://b.example/", 1))
    routes = FakeRoutes([offer_route(landings=landings)], [affiliate_route()])
    seen = Counter(click(routes, FakeClicks(), roll=i / 100).location for i in range(100))
    assert seen == {"https://a.example/": 75, "https://b.example/": 25}


@pytest.mark.parametrize(
    ("offer", "affiliates", "changes", "reason"),
    [
        (offer_route(status=OfferStatus.PAUSED), [affiliate_route()], {}, RejectReason.OFFER_PAUSED),
        (offer_route(), [], {}, RejectReason.UNKNOWN_AFFILIATE),
        (
            offer_route(),
            [affiliate_route(status=AccountStatus.SUSPENDED)],
            {},
            RejectReason.AFFILIATE_SUSPENDED,
        ),
        (
            offer_route(),
            [affiliate_route(approved_advertisers=frozenset())],
            {},
            RejectReason.AFFILIATE_NOT_APPROVED,
        ),
        (offer_route(geo_allow=frozenset({"US", "CA"})), [affiliate_route()], {}, RejectReason.GEO_BLOCKED),
        (offer_route(geo_deny=frozenset({"DE"})), [affiliate_route()], {}, RejectReason.GEO_BLOCKED),
        (
            offer_route(geo_allow=frozenset({"US"})),
            [affiliate_route()],
            {"viewer_country": None},
            RejectReason.GEO_BLOCKED,
        ),
        (offer_route(), [affiliate_route()], {"user_agent": "curl/8.4.0"}, RejectReason.BOT),
        (
            offer_route(),
            [affiliate_route()],
            {"user_agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"},
            RejectReason.BOT,
        ),
        (offer_route(), [affiliate_route()], {"user_agent": ""}, RejectReason.BOT),
    ],
)
def test_refused_click_is_recorded_with_its_reason_and_sent_to_the_fallback(
    offer, affiliates, changes, reason
) -> None:  # type: ignore[no-untyped-def]
    clicks = FakeClicks()
    outcome = click(FakeRoutes([offer], affiliates), clicks, **changes)
    assert outcome.reason is reason
    assert outcome.location is None  # no fallback: the plain page
    (stored,) = clicks.items.values()
    assert stored.reason == reason.value


def test_the_first_broken_rule_is_the_reason() -> None:
    # Given a paused offer that also refuses the visitor's country, and a bot
    offer = offer_route(status=OfferStatus.PAUSED, geo_deny=frozenset({"DE"}))
    outcome = click(FakeRoutes([offer], [affiliate_route()]), FakeClicks(), user_agent="curl/8")
    assert outcome.reason is RejectReason.OFFER_PAUSED


def test_refused_visitor_goes_to_the_offers_fallback_with_macros() -> None:
    offer = offer_route(geo_allow=frozenset({"US"}), fallback_url=FALLBACK)
    outcome = click(FakeRoutes([offer], [affiliate_route()]), FakeClicks())
    assert outcome.reason is RejectReason.GEO_BLOCKED
    assert outcome.location == f"https://fallback.example/?from={OFFER}&why=refused"


def test_unknown_or_malformed_offers_store_nothing_and_cost_no_lookup() -> None:
    routes, clicks = FakeRoutes([offer_route()], [affiliate_route()]), FakeClicks()
    assert click(routes, clicks, offer_id="'; drop table").reason is RejectReason.UNKNOWN_OFFER
    assert routes.lookups == 0
    assert click(routes, clicks, offer_id="01JZZZZZZZZZZZZZZZZZZZZZZZ").reason is RejectReason.UNKNOWN_OFFER
    assert clicks.items == {}


def test_a_malformed_affiliate_id_is_recorded_as_unknown_without_storing_it() -> None:
    clicks = FakeClicks()
    outcome = click(FakeRoutes([offer_route()], [affiliate_route()]), clicks, affiliate_id="<script>" * 50)
    assert outcome.reason is RejectReason.UNKNOWN_AFFILIATE
    (stored,) = clicks.items.values()
    assert stored.affiliate_id == "-"


def test_visitor_is_still_redirected_when_the_click_cannot_be_stored() -> None:
    outcome = click(FakeRoutes([offer_route()], [affiliate_route()]), FakeClicks(fail=True))
    assert outcome.location is not None
    assert outcome.location.startswith("https://shop.example/?cid=")


def test_long_values_are_cut_not_refused() -> None:
    clicks = FakeClicks()
    outcome = click(
        FakeRoutes([offer_route()], [affiliate_route()]),
        clicks,
        subs={"sub3": "a" * 5000},
        user_agent=BROWSER + "b" * 5000,
    )
    assert outcome.click is not None
    assert len(outcome.click.subs["sub3"]) == 512
    assert len(outcome.click.user_agent) == 512


@pytest.mark.parametrize(
    ("visibility", "access", "reason"),
    [
        (Visibility.PUBLIC, Access.NONE, None),
        (Visibility.PUBLIC, Access.REJECTED, RejectReason.OFFER_NOT_ALLOWED),
        (Visibility.APPROVAL, Access.NONE, RejectReason.OFFER_NOT_ALLOWED),
        (Visibility.APPROVAL, Access.REQUESTED, RejectReason.OFFER_NOT_ALLOWED),
        (Visibility.APPROVAL, Access.APPROVED, None),
        (Visibility.PRIVATE, Access.NONE, RejectReason.OFFER_NOT_ALLOWED),
        (Visibility.PRIVATE, Access.APPROVED, None),
    ],
)
def test_offer_visibility_and_the_affiliates_access_decide_who_may_run_it(visibility, access, reason) -> None:  # type: ignore[no-untyped-def]
    routes = FakeRoutes([offer_route(visibility=visibility)], [affiliate_route()])
    routes.access[(OFFER, AFFILIATE)] = AccessRoute(OFFER, AFFILIATE, access=access)
    assert click(routes, FakeClicks()).reason is reason


def test_a_click_cap_admits_exactly_its_limit_then_sends_to_the_fallback() -> None:
    offer = offer_route(caps=(Cap(CapMetric.CLICKS, CapPeriod.DAY, 2),), fallback_url=FALLBACK)
    routes, clicks, caps = FakeRoutes([offer], [affiliate_route()]), FakeClicks(), FakeCaps()
    reasons = [click(routes, clicks, caps=caps).reason for _ in range(4)]
    assert reasons == [None, None, RejectReason.CAP_REACHED, RejectReason.CAP_REACHED]
    assert len(clicks.items) == 4  # refused clicks are kept too
    assert [key for key in caps.counts] == [(f"CAP#{OFFER}", "clicks#day#2026-11-27")]


def test_an_affiliates_own_cap_limits_only_that_affiliate() -> None:
    routes, caps = FakeRoutes([offer_route()], [affiliate_route()]), FakeCaps()
    routes.access[(OFFER, AFFILIATE)] = AccessRoute(
        OFFER, AFFILIATE, caps=(Cap(CapMetric.CLICKS, CapPeriod.TOTAL, 1),)
    )
    assert click(routes, FakeClicks(), caps=caps).reason is None
    assert click(routes, FakeClicks(), caps=caps).reason is RejectReason.CAP_REACHED


def test_caps_come_before_the_bot_check_and_after_geo() -> None:
    offer = offer_route(caps=(Cap(CapMetric.CLICKS, CapPeriod.TOTAL, 1),), geo_deny=frozenset({"FR"}))
    routes, caps = FakeRoutes([offer], [affiliate_route()]), FakeCaps()
    assert click(routes, FakeClicks(), caps=caps, viewer_country="FR").reason is RejectReason.GEO_BLOCKED
    assert caps.counts == {}  # a GEO refusal spends no cap
    assert click(routes, FakeClicks(), caps=caps, user_agent="curl/8").reason is RejectReason.BOT
    assert click(routes, FakeClicks(), caps=caps).reason is RejectReason.CAP_REACHED


def test_a_custom_tracking_domain_serves_its_own_advertisers_offers_only() -> None:
    # Given an offer with a fallback, and two custom tracking domains: its advertiser's and another's
    routes = FakeRoutes([offer_route(fallback_url=FALLBACK)], [affiliate_route()])
    routes.host_owners = {"track.acme.example": ADVERTISER, "track.other.example": "adv-other"}
    clicks = FakeClicks()
    # When the link is followed on its own advertiser's domain, and on the platform's host
    own = click(routes, clicks, host="track.acme.example")
    ours = click(routes, clicks, host="app.platform.example")
    # Then both go to the landing
    assert (own.reason, ours.reason) == (None, None)
    assert own.location is not None
    assert own.location.startswith("https://shop.example/")
    # When it is followed on the other advertiser's domain: refused with its reason, stored for the
    # offer's advertiser to see, and the visitor gets the plain page, not the offer's fallback
    foreign = click(routes, clicks, host="track.other.example")
    assert foreign.reason is RejectReason.FOREIGN_DOMAIN
    assert foreign.location is None
    assert foreign.click is not None
    assert clicks.items[foreign.click.click_id].reason == "foreign_domain"
    # and a link without a well-formed affiliate is refused for the domain first, all the same
    anonymous = click(routes, clicks, host="track.other.example", affiliate_id="not-an-id")
    assert anonymous.reason is RejectReason.FOREIGN_DOMAIN


def test_a_suspended_advertisers_clicks_go_to_its_fallback_before_any_other_check() -> None:
    # Given a suspended advertiser whose offer is also paused and whose affiliate is suspended too
    routes = FakeRoutes(
        [offer_route(status=OfferStatus.PAUSED, fallback_url=FALLBACK)],
        [affiliate_route(status=AccountStatus.SUSPENDED)],
    )
    routes.advertisers[ADVERTISER] = AdvertiserRoute(ADVERTISER, AccountStatus.SUSPENDED)
    clicks = FakeClicks()
    # When a visitor clicks
    outcome = click(routes, clicks)
    # Then the advertiser's suspension is the reason, the click is kept with it, the visitor goes to the fallback
    assert outcome.reason is RejectReason.ADVERTISER_SUSPENDED
    assert outcome.location == f"https://fallback.example/?from={OFFER}&why=refused"
    (stored,) = clicks.items.values()
    assert stored.reason == "advertiser_suspended"
    # And an active advertiser lets the next check speak
    routes.advertisers[ADVERTISER] = AdvertiserRoute(ADVERTISER, AccountStatus.ACTIVE)
    assert click(routes, clicks).reason is RejectReason.OFFER_PAUSED


@pytest.mark.parametrize(
    ("affiliate", "reason"),
    [
        (affiliate_route(suspended_advertisers=frozenset({ADVERTISER})), RejectReason.AFFILIATE_SUSPENDED),
        (affiliate_route(status=AccountStatus.SUSPENDED), RejectReason.AFFILIATE_SUSPENDED),
        # Suspension comes before approval: a suspended affiliate no longer approved is still "suspended"
        (
            affiliate_route(status=AccountStatus.SUSPENDED, approved_advertisers=frozenset()),
            RejectReason.AFFILIATE_SUSPENDED,
        ),
        # Suspended in another advertiser's program only: its clicks here go through
        (affiliate_route(suspended_advertisers=frozenset({"01JOTHER00000000000000000A"})), None),
    ],
)
def test_a_suspended_affiliates_clicks_go_to_the_fallback(affiliate, reason) -> None:  # type: ignore[no-untyped-def]
    routes = FakeRoutes([offer_route(fallback_url=FALLBACK)], [affiliate])
    assert click(routes, FakeClicks()).reason is reason


def test_a_paused_offer_is_reported_before_a_suspended_affiliate() -> None:
    routes = FakeRoutes(
        [offer_route(status=OfferStatus.PAUSED)], [affiliate_route(status=AccountStatus.SUSPENDED)]
    )
    assert click(routes, FakeClicks()).reason is RejectReason.OFFER_PAUSED


def test_a_blocked_click_is_kept_with_the_entry_that_blocked_it_and_sent_to_the_fallback() -> None:
    # Given the advertiser blocks a network and the offer blocks a referrer
    routes = FakeRoutes([offer_route(fallback_url=FALLBACK)], [affiliate_route()])
    routes.blocks[(ADVERTISER, None)] = BlockList.from_item({"ips": "203.0.113.0/24"})
    routes.blocks[(ADVERTISER, OFFER)] = BlockList.from_item({"referrers": "spam.example"})
    clicks = FakeClicks()
    # When visitors click from the network, by the referrer, and from elsewhere
    by_network = click(routes, clicks, ip="203.0.113.9")
    by_referrer = click(routes, clicks, ip="198.51.100.1", referrer="https://www.spam.example/")
    clean = click(routes, clicks, ip="198.51.100.1", referrer="https://news.example/")
    # Then the first two go to the fallback, stored with the reason and the entry
    assert by_network.reason is by_referrer.reason is RejectReason.BLOCKED_BY_RULE
    assert by_network.location == f"https://fallback.example/?from={OFFER}&why=refused"
    assert by_network.click is not None
    assert by_referrer.click is not None
    assert clicks.items[by_network.click.click_id].blocked_by == "cidr:203.0.113.0/24"
    assert clicks.items[by_referrer.click.click_id].blocked_by == "referrer:spam.example"
    assert clicks.items[by_referrer.click.click_id].as_item()["blocked_by"] == "referrer:spam.example"
    # And the clean click lands, with nothing blocked
    assert clean.reason is None
    assert clean.click is not None
    assert clicks.items[clean.click.click_id].blocked_by is None


def test_block_lists_come_after_geo_and_before_caps_and_the_bot_check() -> None:
    offer = offer_route(caps=(Cap(CapMetric.CLICKS, CapPeriod.TOTAL, 1),), geo_deny=frozenset({"FR"}))
    routes, caps = FakeRoutes([offer], [affiliate_route()]), FakeCaps()
    routes.blocks[(ADVERTISER, None)] = BlockList.from_item({"subs": {"sub1": "bad"}, "user_agents": "curl"})
    refused = click(routes, FakeClicks(), caps=caps, viewer_country="FR", subs={"sub1": "bad"})
    assert refused.reason is RejectReason.GEO_BLOCKED
    # A blocked click spends no cap, and a listed User-Agent is "blocked", not "bot"
    assert click(routes, FakeClicks(), caps=caps, subs={"sub1": "bad"}).reason is RejectReason.BLOCKED_BY_RULE
    assert click(routes, FakeClicks(), caps=caps, user_agent="curl/8").reason is RejectReason.BLOCKED_BY_RULE
    assert caps.counts == {}
    assert click(routes, FakeClicks(), caps=caps).reason is None


def test_an_asn_rule_asks_for_the_visitors_network_and_other_lists_never_do() -> None:
    routes = FakeRoutes([offer_route()], [affiliate_route()])
    routes.blocks[(ADVERTISER, None)] = BlockList.from_item({"countries": "CN"})
    asked: list[object] = []

    def network(address: object) -> int:
        asked.append(address)
        return 16509

    request = ClickRequest(OFFER, AFFILIATE, {}, "3.5.140.1", BROWSER, "DE")
    assert (
        record_click(request, routes, FakeClicks(), NO_GEO, NOW, 30, FakeCaps(), asns=network).reason is None
    )
    assert asked == []
    routes.blocks[(ADVERTISER, OFFER)] = BlockList.from_item({"asns": "16509"})
    outcome = record_click(request, routes, FakeClicks(), NO_GEO, NOW, 30, FakeCaps(), asns=network)
    assert outcome.reason is RejectReason.BLOCKED_BY_RULE
    assert outcome.click is not None
    assert outcome.click.blocked_by == "asn:16509"
