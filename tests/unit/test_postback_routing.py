"""Routing events to jobs, choosing an affiliate's destination, and building the request."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerka.common.errors import ValidationFailed
from partnerka.common.money import Money
from partnerka.operations.runner import retry_delay
from partnerka.orchestrator.records import StreamRecord
from partnerka.orchestrator.routing import Job, Routed, route
from partnerka.postbacks.models import (
    DeliveryFormat,
    Destination,
    EventData,
    PostbackEvent,
    PostbackOverride,
    PostbackSettings,
    build_request,
    mask_url,
)
from partnerka.postbacks.sender import RETRY_DELAYS
from partnerka.postbacks.service import validate_url
from partnerka.postbacks.ssrf import check_destination
from tests.conftest import examples
from tests.stream_records import stream_record

CLICK = {
    "click_id": "c-1",
    "affiliate_id": "aff",
    "advertiser_id": "adv",
    "offer_id": "off",
    "created_at": "2026-11-27T10:00:00.000Z",
    "sub1": "one",
}
CONVERSION = {
    "pk": "ADV#adv#O#off#G#sale#TXN#t-1",
    "conversion_id": "cv-1",
    "click_id": "c-1",
    "affiliate_id": "aff",
    "advertiser_id": "adv",
    "offer_id": "off",
    "goal": "sale",
    "status": "hold",
    "payout_minor": 1250,
    "revenue_minor": 2000,
    "currency": "USD",
    "created_at": "2026-11-27T10:05:00.000Z",
    "updated_at": "2026-11-27T10:05:00.000Z",
}


def record(
    source: str, name: str, new: dict[str, Any] | None, old: dict[str, Any] | None = None
) -> StreamRecord:
    return stream_record("1", "e1", name, source, new, old)


def routed(source: str, name: str, new: dict[str, Any] | None, old: dict[str, Any] | None = None) -> Routed:
    decoded = record(source, name, new, old)
    assert not decoded.problem
    return route(decoded.event)


def test_every_row_of_the_routing_table() -> None:
    click = routed("clicks", "INSERT", CLICK)
    assert click.jobs == {Job.STATS, Job.POSTBACK}
    assert click.postback is not None
    assert (click.postback.event, click.postback.event_id) == (
        PostbackEvent.CLICK,
        "c-1.click",
    )
    assert click.postback.subs == {"sub1": "one"}
    refused = routed("clicks", "INSERT", {**CLICK, "reason": "geo_blocked"})
    assert (refused.jobs, refused.postback) == ({Job.STATS}, None)

    sale = routed("conversions", "INSERT", CONVERSION)
    assert sale.jobs == {Job.STATS, Job.POSTBACK, Job.FINANCE, Job.NOTICE}
    assert sale.postback is not None
    assert sale.postback.event is PostbackEvent.SALE
    assert sale.postback.payout == Money(1250, "USD")
    assert sale.postback.event_id == "cv-1.sale"
    assert sale.finance is not None
    assert (sale.finance.event_id, sale.finance.money.payout_minor) == ("cv-1.arrival", 1250)
    assert sale.notice is not None
    assert sale.notice.event_id == "cv-1.sale"
    lead = routed("conversions", "INSERT", {**CONVERSION, "goal": "lead"})
    assert lead.postback is not None
    assert lead.postback.event is PostbackEvent.LEAD
    capped = routed("conversions", "INSERT", {**CONVERSION, "status": "rejected", "reason": "cap_reached"})
    assert capped.jobs == {Job.STATS, Job.POSTBACK, Job.NOTICE}  # over a cap on arrival: never owed
    assert capped.postback is not None
    assert (capped.postback.event, capped.postback.reason) == (
        PostbackEvent.REJECTED,
        "cap_reached",
    )

    approved = routed("conversions", "MODIFY", {**CONVERSION, "status": "approved"}, CONVERSION)
    assert approved.jobs == {Job.STATS, Job.POSTBACK, Job.FINANCE, Job.NOTICE}
    assert approved.postback is not None
    assert approved.postback.event_id == "cv-1.approved"
    rejected = routed(
        "conversions", "MODIFY", {**CONVERSION, "status": "rejected", "reason": "fraud"}, CONVERSION
    )
    assert rejected.jobs == {Job.STATS, Job.POSTBACK, Job.FINANCE, Job.NOTICE}
    assert rejected.postback is not None
    assert rejected.postback.reason == "fraud"
    # A change that neither approves nor rejects is the statistics' alone (its money may have moved)
    assert routed("conversions", "MODIFY", {**CONVERSION, "status": "pending"}, CONVERSION).jobs == {
        Job.STATS
    }
    assert routed("conversions", "MODIFY", CONVERSION, CONVERSION).jobs == {Job.STATS}
    assert routed("clicks", "REMOVE", None, CLICK).jobs == set()


def test_the_offer_override_wins_over_the_advertiser_and_the_global_url() -> None:
    settings = PostbackSettings(
        affiliate_id="aff",
        url="https://global.example/pb",
        events=frozenset({PostbackEvent.SALE}),
        overrides=(
            PostbackOverride("adv", "https://adv.example/pb"),
            PostbackOverride(
                "adv", "https://offer.example/pb", offer_id="off", events=frozenset({PostbackEvent.LEAD})
            ),
            PostbackOverride("quiet", ""),
        ),
    )
    assert settings.destination("other", "x", PostbackEvent.SALE) == Destination(
        "https://global.example/pb", DeliveryFormat.GET
    )
    assert settings.destination("other", "x", PostbackEvent.LEAD) is None  # not chosen
    assert settings.destination("adv", "x", PostbackEvent.SALE).url == "https://adv.example/pb"  # type: ignore[union-attr]
    assert settings.destination("adv", "off", PostbackEvent.LEAD).url == "https://offer.example/pb"  # type: ignore[union-attr]
    assert settings.destination("adv", "off", PostbackEvent.SALE) is None  # the offer chose leads only
    assert settings.destination("quiet", "x", PostbackEvent.SALE) is None  # an empty override silences
    assert PostbackSettings.from_item(settings.as_item()) == settings


def test_macros_are_url_encoded_and_secrets_masked() -> None:
    event = EventData(
        event_id="cv-1.rejected",
        event=PostbackEvent.REJECTED,
        click_id="c-1",
        affiliate_id="aff",
        advertiser_id="adv",
        offer_id="off",
        occurred_at=datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
        payout=Money(500, "JPY"),
        reason="fraud",
        subs={"sub2": "a b&c=d"},
    )
    request = build_request(
        Destination(
            "https://t.example/pb?s={status}&p={payout}&c={currency}&w={reason}&x={sub2}&ts={timestamp}&token=abc",
            DeliveryFormat.GET,
        ),
        event,
    )
    assert request.url == (
        "https://t.example/pb?s=rejected&p=500&c=JPY&w=fraud&x=a%20b%26c%3Dd&ts=1795773600&token=abc"
    )
    assert "abc" not in mask_url(request.url)
    assert "token=***" in mask_url(request.url)
    assert mask_url("https://t.example/pb?sig=&x=1") == "https://t.example/pb?sig=&x=1"


def test_retries_grow_with_jitter() -> None:
    rng = random.Random(1)
    for attempt, base in enumerate(RETRY_DELAYS, start=1):
        delays = {retry_delay(RETRY_DELAYS, attempt, rng) for _ in range(50)}
        assert min(delays) >= base * 0.85
        assert max(delays) <= base * 1.15
        assert len(delays) > 1  # jittered, so retries of many deliveries do not arrive together


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "http://127.0.0.1/pb",
        "http://[::ffff:10.0.0.1]/pb",
        "http://0x7f000001/pb",
        "https://t.example:8443/pb",
        "https://t.example/pb?x={unknown_macro}",
        # a line break or another control character: never to be sent, whatever the HTTP client does
        "https://t.example/pb?x=1\r\nX-Injected: 1",
        "https://t.example/pb?x=\x01",
        "https://t.example/p\u2028b",
    ],
)
def test_unsafe_or_unknown_urls_are_refused_at_save(url: str) -> None:
    with pytest.raises(ValidationFailed):
        validate_url(url, allow_loopback=False)


def test_a_url_with_every_macro_is_accepted() -> None:
    url = "https://t.example/pb?c={click_id}&s={STATUS}&e={event_id}&r={reason}&s10={sub10}"
    assert validate_url(url, allow_loopback=False) == url


URL_PARTS = st.sampled_from(
    [
        "http://",
        "https://",
        "ftp://",
        "//",
        "t.example",
        "127.0.0.1",
        "[::1]",
        ":8080",
        "@",
        "/pb",
        "?x=",
        "{click_id}",
        "{nope}",
        "%00",
        "\n",
        " ",
        "#",
        "0x7f.1",
        "user:pw@",
        "xn--d1acufc.xn--p1ai",
    ]
)


@given(st.lists(st.one_of(URL_PARTS, st.text(max_size=12)), max_size=8).map("".join))
@settings(max_examples=examples(300, 3000), deadline=None, derandomize=True)
def test_any_typed_url_is_saved_only_when_safe_and_never_crashes(url: str) -> None:
    try:
        saved = validate_url(url, allow_loopback=False)
    except ValidationFailed:
        return
    if saved:
        target = check_destination(saved, lambda host, port: ["8.8.8.8"])
        assert target.scheme in ("http", "https")
        assert target.port in (80, 443)
    assert isinstance(mask_url(saved), str)
