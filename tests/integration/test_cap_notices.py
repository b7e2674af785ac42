"""A cap-reached notice from the stream: the orchestrator reads the offer's sharded counters in the
CapsTable to tell which of its caps refused a click."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import boto3

from partnerka.offers.service import CapInput
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_orchestrator_and_api import stream_event
from tests.integration.world import build_world, capped, fill_cap_shards


def test_a_click_refused_by_a_full_sharded_day_cap_tells_that_cap_not_the_months(
    load_function: FunctionLoader, stack: Template
) -> None:
    # Given an offer capped at 300 clicks a day (two shards of 150, both full) and 100,000 a month
    world = build_world()
    caps = [CapInput("clicks", "day", "300"), CapInput("clicks", "month", "100000")]
    offer = capped(world, caps, "https://fb.example/")
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    fill_cap_shards(offer, f"clicks#day#{day}", {1: 150, 2: 150})
    # When a click comes, refused, and the orchestrator reads the clicks' stream
    query = urlencode({"o": offer.offer_id, "a": world.affiliate_id})
    location = load_function("click").handler(http_event("GET", "/click", query), CONTEXT)["headers"][
        "location"
    ]
    assert urlsplit(location).netloc == "fb.example"
    result = load_function("orchestrator").handler(stream_event(stack, "ClicksTable"), CONTEXT)
    assert result == {"batchItemFailures": []}
    # Then the notice names the day's cap, the one whose shards are full, and not the month's
    sqs = boto3.client("sqs")
    bodies = [
        message["Body"]
        for message in sqs.receive_message(QueueUrl=stack.refs["NotifyQueue"], MaxNumberOfMessages=10).get(
            "Messages", []
        )
    ]
    told = [body for body in bodies if "cap_reached" in body or "cap." in body]
    assert any(f"cap.{offer.offer_id}.clicks.{day}" in body for body in told), bodies
    assert not any(f'cap.{offer.offer_id}.clicks.{day[:7]}"' in body for body in told)
