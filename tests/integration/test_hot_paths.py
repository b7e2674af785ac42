"""The click and postback functions under moto, with API Gateway HTTP API events."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3

from partnerka.common import dynamo
from partnerka.common.pynamo import use_core_table
from partnerka.domains.models import Domain, DomainKind, DomainStatus
from partnerka.domains.names import DomainName
from partnerka.domains.repository import DomainRepository
from partnerka.offers.repository import OfferRepository
from partnerka.offers.routing import Landing, OfferStatus
from partnerka.offers.service import (
    CapInput,
    create_offer,
    set_offer_status,
)
from partnerka_local.template import Template
from tests.conftest import TEST_STACK
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event, through_edge
from tests.integration.world import build_world, capped, fill_cap_shards


def count_dynamodb_calls() -> Counter[str]:
    calls: Counter[str] = Counter()
    dynamo.client().meta.events.register(
        "before-call.dynamodb", lambda model, **_: calls.update([model.name])
    )
    return calls


def clicks_in_table() -> list[dict[str, Any]]:
    return boto3.client("dynamodb").scan(TableName=f"{TEST_STACK}-ClicksTable")["Items"]


def test_click_redirects_with_macros_and_stores_one_item(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world()
    click = load_function("click")
    query = urlencode(
        {"o": world.offer.offer_id, "a": world.affiliate_id, "sub1": "spring & sale", "sub2": "b"}
    )
    response = click.handler(http_event("GET", "/click", query, through_edge(stack, "PL")), CONTEXT)
    assert response["statusCode"] == 302
    location = urlsplit(response["headers"]["location"])
    params = parse_qs(location.query)
    assert (location.netloc, location.path) == ("shop.example", "/land")
    assert params["s1"] == ["spring & sale"]
    assert params["o"] == [world.offer.offer_id]
    (item,) = clicks_in_table()
    stored = dynamo.decode(item)
    assert stored["click_id"] == params["cid"][0]
    assert (stored["country"], stored["sub1"], stored["sub2"], stored["ip"]) == (
        "PL",
        "spring & sale",
        "b",
        "198.51.100.23",  # the viewer's, as CloudFront tells it, not the edge's own address
    )
    assert stored["advertiser_id"] == world.advertiser_id
    assert "Firefox" in stored["ua"]


def test_warm_click_costs_one_write_and_no_read(load_function: FunctionLoader) -> None:
    world = build_world()
    click = load_function("click")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    calls = count_dynamodb_calls()
    click.handler(http_event("GET", "/click", query), CONTEXT)
    # The cold one fills the cache: the offer's batch, then (an offer never seen) its advertiser's
    assert calls == Counter({"BatchGetItem": 2, "PutItem": 1})
    calls.clear()
    for _ in range(5):
        assert click.handler(http_event("GET", "/click", query), CONTEXT)["statusCode"] == 302
    assert calls == Counter({"PutItem": 5})


def test_a_warm_click_on_a_large_capped_offer_costs_the_counter_write_and_a_full_cap_none(
    load_function: FunctionLoader,
) -> None:
    # Given an offer capped at 1,000 clicks a day (four shards of 250), six of them left, in shard 4
    world = build_world()
    offer = capped(world, [CapInput("clicks", "day", "1000")], "https://fb.example/")
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    fill_cap_shards(offer, f"clicks#day#{day}", {1: 250, 2: 250, 3: 250, 4: 244})
    click = load_function("click")
    query = urlencode({"o": offer.offer_id, "a": world.affiliate_id})
    calls = count_dynamodb_calls()

    def locations(count: int) -> set[str]:
        return {
            urlsplit(click.handler(http_event("GET", "/click", query), CONTEXT)["headers"]["location"]).netloc
            for _ in range(count)
        }

    # When the first click comes (routes and the cap's shards read once), then five warm ones
    assert locations(1) == {"shop.example"}
    assert calls == Counter({"BatchGetItem": 3, "UpdateItem": 1, "PutItem": 1})
    calls.clear()
    assert locations(5) == {"shop.example"}
    # Then each warm click cost the counter's write and its own, no read
    assert calls == Counter({"UpdateItem": 5, "PutItem": 5})
    calls.clear()
    # And once the cap is full, a refused click writes only itself: the instance knows every shard full
    assert locations(5) == {"fb.example"}
    assert calls == Counter({"PutItem": 5})


def core_put(item: dict[str, Any]) -> None:
    dynamo.client().put_item(TableName=os.environ["CORE_TABLE"], Item=dynamo.encode(item))


def test_block_lists_refuse_clicks_at_no_extra_read(load_function: FunctionLoader) -> None:
    # Given the advertiser blocks a network and the offer a referrer domain, as the core table keeps them
    world = build_world()
    adv, offer_id = world.advertiser_id, world.offer.offer_id
    core_put({"pk": f"ADV#{adv}", "sk": "BLOCKS", "ips": "198.51.100.0/24\n2001:db8::/32"})
    core_put({"pk": f"ADV#{adv}", "sk": f"BLOCKS#{offer_id}", "referrers": "spam.example"})
    click = load_function("click")
    query = urlencode({"o": offer_id, "a": world.affiliate_id})
    calls = count_dynamodb_calls()
    # When a clean click warms the cache, then clicks come from the network and by the referrer
    assert click.handler(http_event("GET", "/click", query), CONTEXT)["statusCode"] == 302
    calls.clear()
    by_network = click.handler(http_event("GET", "/click", query, source_ip="198.51.100.9"), CONTEXT)
    by_referrer = click.handler(
        http_event("GET", "/click", query, {"referer": "https://ads.spam.example/x"}), CONTEXT
    )
    # Then they are refused (no fallback: the plain page), each for one write and no read
    assert (by_network["statusCode"], by_referrer["statusCode"]) == (404, 404)
    assert calls == Counter({"PutItem": 2})
    stored = sorted(
        (str(c.get("reason")), str(c.get("blocked_by"))) for c in map(dynamo.decode, clicks_in_table())
    )
    assert stored == [
        ("None", "None"),
        ("blocked_by_rule", "cidr:198.51.100.0/24"),
        ("blocked_by_rule", "referrer:spam.example"),
    ]


def test_suspensions_written_on_the_profiles_refuse_clicks_after_the_cache_lifetime(
    load_function: FunctionLoader,
) -> None:
    # Given a warm click function
    world = build_world()
    click = load_function("click")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    assert click.handler(http_event("GET", "/click", query), CONTEXT)["statusCode"] == 302
    table, client = os.environ["CORE_TABLE"], dynamo.client()

    def profile(pk: str, update: str, values: dict[str, Any]) -> None:
        client.update_item(
            TableName=table,
            Key={"pk": {"S": pk}, "sk": {"S": "PROFILE"}},
            UpdateExpression=update,
            ExpressionAttributeNames={"#a": next(iter(values))[1:]},
            ExpressionAttributeValues={":" + name[1:]: dynamo.encode_value(v) for name, v in values.items()},
        )

    def reason_after_expiry() -> str | None:
        click.routes._entries.clear()  # the cache lifetime has passed
        click.handler(http_event("GET", "/click", query), CONTEXT)
        latest = max((dynamo.decode(i) for i in clicks_in_table()), key=lambda c: str(c["created_at"]))
        return latest.get("reason")  # type: ignore[no-any-return]

    # When staff suspend the affiliate in this program only (the string set the accounts repository keeps)
    suspended_here = {":suspended_advertisers": {world.advertiser_id}}
    profile(f"AFF#{world.affiliate_id}", "ADD #a :suspended_advertisers", suspended_here)
    assert reason_after_expiry() == "affiliate_suspended"
    # And lift it, then suspend the advertiser
    profile(f"AFF#{world.affiliate_id}", "DELETE #a :suspended_advertisers", suspended_here)
    assert reason_after_expiry() is None
    profile(f"ADV#{world.advertiser_id}", "SET #a = :status", {":status": "suspended"})
    assert reason_after_expiry() == "advertiser_suspended"


def test_unknown_paused_or_unapproved_traffic_gets_a_page_not_a_5xx(load_function: FunctionLoader) -> None:
    world = build_world()
    set_offer_status(OfferRepository(), world.advertiser_id, world.offer.offer_id, OfferStatus.PAUSED)
    click = load_function("click")
    for query in (
        urlencode({"o": world.offer.offer_id, "a": world.affiliate_id}),  # paused
        urlencode({"o": "01JZZZZZZZZZZZZZZZZZZZZZZZ", "a": world.affiliate_id}),  # unknown offer
        "o=%00%ff&a=<script>",  # garbage
        "",  # nothing
    ):
        response = click.handler(http_event("GET", "/click", query, {"accept-language": "ru-RU,ru"}), CONTEXT)
        assert response["statusCode"] == 404
        assert "Ссылка недоступна" in response["body"]
    # Only the click on the real (paused) offer is kept, with its reason; junk stores nothing
    (stored,) = [dynamo.decode(item) for item in clicks_in_table()]
    assert (stored["offer_id"], stored["reason"]) == (world.offer.offer_id, "offer_paused")


def test_geo_refused_visitor_goes_to_the_offers_fallback(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world()
    offer = create_offer(
        OfferRepository(),
        world.advertiser_id,
        "US only",
        "CPA",
        [("https://a.example/?c={click_id}", 1), ("https://b.example/?c={click_id}", 1)],
        "1",
        "2",
        "USD",
        geo_allow=["US"],
        fallback_url="https://fallback.example/?o={offer_id}&c={country}",
    )
    click = load_function("click")
    query = urlencode({"o": offer.offer_id, "a": world.affiliate_id})
    refused = click.handler(http_event("GET", "/click", query, through_edge(stack, "FR")), CONTEXT)
    assert refused["headers"]["location"] == f"https://fallback.example/?o={offer.offer_id}&c=FR"
    admitted = click.handler(http_event("GET", "/click", query, through_edge(stack, "US")), CONTEXT)
    assert urlsplit(admitted["headers"]["location"]).netloc in {"a.example", "b.example"}
    reasons = sorted(str(dynamo.decode(item).get("reason")) for item in clicks_in_table())
    assert reasons == ["None", "geo_blocked"]


def test_affiliate_not_approved_by_the_advertiser_is_not_redirected(load_function: FunctionLoader) -> None:
    world = build_world()
    click = load_function("click")
    query = urlencode({"o": world.offer.offer_id, "a": world.outsider_affiliate_id})
    assert click.handler(http_event("GET", "/click", query), CONTEXT)["statusCode"] == 404


def a_click(load_function: FunctionLoader) -> tuple[Any, str, Any]:
    world = build_world()
    click = load_function("click")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id, "sub1": "s"})
    location = click.handler(http_event("GET", "/click", query), CONTEXT)["headers"]["location"]
    return world, parse_qs(urlsplit(location).query)["cid"][0], load_function("postback")


def conversions_in_table() -> list[dict[str, Any]]:
    items = boto3.client("dynamodb").scan(TableName=f"{TEST_STACK}-ConversionsTable")["Items"]
    return [dynamo.decode(item) for item in items]


def test_postback_get_records_a_conversion_and_a_repeat_is_a_duplicate(load_function: FunctionLoader) -> None:
    world, click_id, postback = a_click(load_function)
    query = urlencode(
        {"click_id": click_id, "status": "sale", "txn_id": "ORD-1", "secret": world.offer.postback_secret}
    )
    first = postback.handler(http_event("GET", "/postback", query), CONTEXT)
    again = postback.handler(http_event("GET", "/postback", query), CONTEXT)
    assert first["statusCode"] == again["statusCode"] == 200
    assert json.loads(first["body"])["result"] == "recorded"
    assert json.loads(again["body"]) == {
        "result": "duplicate",
        "conversion_id": json.loads(first["body"])["conversion_id"],
    }
    (stored,) = conversions_in_table()
    assert (
        stored["goal"],
        stored["status"],
        stored["payout_minor"],
        stored["revenue_minor"],
        stored["sub1"],
    ) == (
        "sale",
        "pending",
        1250,
        2000,
        "s",
    )


def test_postback_by_post_form_and_json(load_function: FunctionLoader) -> None:
    world, click_id, postback = a_click(load_function)
    secret = world.offer.postback_secret
    form = urlencode({"click_id": click_id, "status": "lead", "txn_id": "L-1", "secret": secret})
    as_form = http_event("POST", "/postback", "", {"content-type": "application/x-www-form-urlencoded"}, form)
    as_json = http_event(
        "POST",
        "/postback",
        "",
        {"content-type": "application/json"},
        json.dumps({"click_id": click_id, "status": "sale", "txn_id": "S-1", "secret": secret, "payout": 15}),
    )
    assert postback.handler(as_form, CONTEXT)["statusCode"] == 200
    assert postback.handler(as_json, CONTEXT)["statusCode"] == 200
    assert sorted((c["goal"], c["payout_minor"]) for c in conversions_in_table()) == [
        ("lead", 0),
        ("sale", 1500),
    ]


def test_postback_errors_use_the_envelope_and_write_nothing(load_function: FunctionLoader) -> None:
    world, click_id, postback = a_click(load_function)
    cases = [
        ({"click_id": click_id, "status": "sale", "secret": "wrong"}, 404, "click_not_found"),
        (
            {"click_id": "6f1c9b8e-3f57-4c2a-9d43-2b1f0e6a7c55", "status": "sale", "secret": "x"},
            404,
            "click_not_found",
        ),
        (
            {"click_id": click_id, "status": "paid", "secret": world.offer.postback_secret},
            400,
            "validation_error",
        ),
        ({"status": "sale"}, 400, "validation_error"),
    ]
    for params, status, code in cases:
        response = postback.handler(http_event("GET", "/postback", urlencode(params)), CONTEXT)
        assert response["statusCode"] == status
        assert json.loads(response["body"])["error"]["code"] == code
    assert conversions_in_table() == []


def test_the_pixel_answers_a_gif_whatever_happens_and_records_with_the_secret(
    load_function: FunctionLoader,
) -> None:
    world, click_id, postback = a_click(load_function)
    good = urlencode(
        {"click_id": click_id, "goal": "sale", "txn_id": "PX-1", "secret": world.offer.postback_secret}
    )
    for query, outcome in ((good, "recorded"), (good, "duplicate"), ("click_id=nope", "validation_error")):
        response = postback.handler(http_event("GET", "/pixel.gif", query), CONTEXT)
        assert response["statusCode"] == 200
        assert response["headers"]["content-type"] == "image/gif"
        assert response["isBase64Encoded"] is True
        assert response["headers"]["x-partnerka-result"] == outcome
    assert [c["txn_id"] for c in conversions_in_table()] == ["PX-1"]


def test_an_offer_stored_before_the_url_rules_never_redirects_to_a_visitors_host_or_splits_headers(
    load_function: FunctionLoader,
) -> None:
    # Given offers saved before landing URLs were checked: one takes its host from sub1, one has a CR/LF
    world = build_world()
    repo = OfferRepository()
    macro_host = create_offer(
        repo, world.advertiser_id, "Old", "CPA", "https://shop.example/", "1", "2", "USD",
        fallback_url="https://fallback.example/?o={offer_id}",
    )  # fmt: skip
    macro_host = replace(macro_host, landings=(Landing("https://{sub1}/go", 1),))
    repo.save(macro_host)
    split = create_offer(repo, world.advertiser_id, "Older", "CPA", "https://shop.example/", "1", "2", "USD")
    split = replace(split, landings=(Landing("https://shop.example/?c={click_id}\r\nSet-Cookie: s=1", 1),))
    repo.save(split)
    click = load_function("click")
    # When visitors click them
    hijack = urlencode({"o": macro_host.offer_id, "a": world.affiliate_id, "sub1": "evil.example"})
    first = click.handler(http_event("GET", "/click", hijack), CONTEXT)
    second = click.handler(
        http_event("GET", "/click", urlencode({"o": split.offer_id, "a": world.affiliate_id})), CONTEXT
    )
    # Then the first goes to the offer's fallback, the second to the plain page; no header is added
    assert first["headers"]["location"] == f"https://fallback.example/?o={macro_host.offer_id}"
    assert second["statusCode"] == 404
    for response in (first, second):
        assert set(response["headers"]) <= {"location", "cache-control", "content-type"}
        assert all(value.isprintable() for value in response["headers"].values())
    reasons = sorted(str(dynamo.decode(item).get("reason")) for item in clicks_in_table())
    assert reasons == ["unsafe_landing", "unsafe_landing"]


def test_a_custom_tracking_domain_refuses_another_advertisers_offer_with_its_reason(
    load_function: FunctionLoader, stack: Template
) -> None:
    # Given an advertiser's offer, and a tracking domain that belongs to another advertiser
    world = build_world()
    use_core_table(os.environ["CORE_TABLE"])
    theirs = DomainName("track.other.example")
    now = datetime.now(UTC)
    DomainRepository().add(
        Domain("dom-1", "adv-other", theirs, DomainKind.TRACKING, DomainStatus.ACTIVE, "t", now, now)
    )
    click = load_function("click")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    # When a visitor follows the link on that domain (the edge tells the API the viewer's host)
    headers = {**through_edge(stack, "PL"), "x-forwarded-host": "Track.Other.Example"}
    refused = click.handler(http_event("GET", "/click", query, headers), CONTEXT)
    # Then it gets the plain page, and the click is kept with its reason for the offer's advertiser
    assert refused["statusCode"] == 404
    (stored,) = clicks_in_table()
    assert (dynamo.decode(stored)["reason"], dynamo.decode(stored)["advertiser_id"]) == (
        "foreign_domain",
        world.advertiser_id,
    )
    # while the same link on the platform's own host goes to the landing, and a forged header
    # without the edge's secret claims no domain
    assert (
        click.handler(http_event("GET", "/click", query, through_edge(stack, "PL")), CONTEXT)["statusCode"]
        == 302
    )
    forged = http_event("GET", "/click", query, {"x-forwarded-host": "track.other.example"})
    assert click.handler(forged, CONTEXT)["statusCode"] == 302
