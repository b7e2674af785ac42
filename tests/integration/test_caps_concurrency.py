"""Caps are counted by a condition on the counter, so simultaneous events cannot overshoot.

DynamoDB evaluates a write's condition and applies the write atomically; moto does not, so
partnerka_local.moto_fixes (applied by the stack fixture) serialises moto's writes: these tests measure
our code under contention and not the emulator's race.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import urlencode

from partnerka.common import dynamo
from partnerka.offers.models import Offer
from partnerka.offers.service import CapInput
from partnerka.tracking.caps import CapCounterRepository, CapSlot
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.world import World, build_world, capped, fill_cap_shards


def test_fifty_parallel_takes_of_the_last_slot_give_exactly_one(load_function: FunctionLoader) -> None:
    counter = CapCounterRepository(os.environ["CAPS_TABLE"])
    slot = CapSlot("CAP#TEST", "conversions#total#all", limit=10, expires_at=None)
    for _ in range(9):
        assert counter.take([slot])
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda _: counter.take([slot]), range(50)))
    assert results.count(True) == 1
    item = dynamo.client().get_item(
        TableName=os.environ["CAPS_TABLE"], Key={"pk": {"S": "CAP#TEST"}, "sk": {"S": slot.sk}}
    )
    assert item["Item"]["n"] == {"N": "10"}


def test_a_payout_budget_counts_amounts_and_refuses_what_would_exceed_it(
    load_function: FunctionLoader,
) -> None:
    counter = CapCounterRepository(os.environ["CAPS_TABLE"])
    budget = [
        CapSlot("CAP#BUDGET", "payout#month#2026-11", limit=1000, expires_at=None, amount=amount)
        for amount in (600, 500, 400)
    ]
    assert [counter.take([slot]) for slot in budget] == [True, False, True]


def converter(load_function: FunctionLoader, world: World, offer: Offer) -> Callable[[str], str]:
    """`convert(txn_id)`: a sale postback on one click of the offer, its HTTP status as text."""
    click, postback = load_function("click"), load_function("postback")
    location = click.handler(
        http_event("GET", "/click", f"o={offer.offer_id}&a={world.affiliate_id}"), CONTEXT
    )
    click_id = location["headers"]["location"].split("cid=")[1].split("&")[0]

    def convert(txn: str) -> str:
        query = urlencode(
            {"click_id": click_id, "status": "sale", "txn_id": txn, "secret": offer.postback_secret}
        )
        return str(postback.handler(http_event("GET", "/postback", query), CONTEXT)["statusCode"])

    return convert


def test_fifty_parallel_clicks_on_a_one_click_cap_send_one_visitor_to_the_landing(
    load_function: FunctionLoader,
) -> None:
    world = build_world()
    offer = capped(world, [CapInput("clicks", "day", "1")], "https://fallback.example/")
    click = load_function("click")
    query = urlencode({"o": offer.offer_id, "a": world.affiliate_id})
    with ThreadPoolExecutor(max_workers=16) as pool:
        locations = list(
            pool.map(
                lambda _: click.handler(http_event("GET", "/click", query), CONTEXT)["headers"]["location"],
                range(50),
            )
        )
    landed = [url for url in locations if url.startswith("https://shop.example/")]
    assert len(landed) == 1
    assert locations.count("https://fallback.example/") == 49
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    counter = dynamo.client().get_item(
        TableName=os.environ["CAPS_TABLE"],
        Key={"pk": {"S": f"CAP#{offer.offer_id}"}, "sk": {"S": f"clicks#day#{day}"}},
    )
    assert counter["Item"]["n"] == {"N": "1"}


def test_fifty_parallel_conversions_on_the_last_slot_count_exactly_one(load_function: FunctionLoader) -> None:
    world = build_world()
    offer = capped(world, [CapInput("conversions", "total", "3")])
    convert = converter(load_function, world, offer)

    assert [convert(f"early-{i}") for i in range(2)] == ["200", "200"]  # two of three slots used
    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(convert, [f"rush-{i}" for i in range(50)])) == {"200"}
    items = dynamo.client().scan(TableName=os.environ["CONVERSIONS_TABLE"])["Items"]
    rush = [dynamo.decode(item) for item in items if item["txn_id"]["S"].startswith("rush-")]
    assert len(rush) == 50
    assert sum(1 for c in rush if c["status"] == "pending") == 1
    assert {c.get("reason") for c in rush if c["status"] == "rejected"} == {"cap_reached"}


def test_fifty_parallel_conversions_on_the_last_slot_of_a_sharded_cap_count_exactly_one(
    load_function: FunctionLoader,
) -> None:
    # Given a total cap of 300 conversions, split over two shards of 150, with one slot left
    world = build_world()
    offer = capped(world, [CapInput("conversions", "total", "300")])
    fill_cap_shards(offer, "conversions#total#all", {1: 150, 2: 149})
    convert = converter(load_function, world, offer)

    # When fifty postbacks race for it
    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(convert, [f"rush-{i}" for i in range(50)])) == {"200"}
    # Then exactly one is accepted, and the shards hold exactly the cap
    items = dynamo.client().scan(TableName=os.environ["CONVERSIONS_TABLE"])["Items"]
    statuses = [dynamo.decode(item)["status"] for item in items]
    assert (statuses.count("pending"), statuses.count("rejected")) == (1, 49)
    slot = CapSlot(f"CAP#{offer.offer_id}", "conversions#total#all", 300, None, spread=True)
    assert CapCounterRepository(os.environ["CAPS_TABLE"]).levels([slot]) == {(slot.pk, slot.sk): 300}
