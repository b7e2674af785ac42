"""Without the offer's secret (or, on the pixel, a whitelisted address) /postback tells nothing: the
same answer whether the click exists, expired, was a bot, or belongs to another offer (issue 14,
item 15). A matrix of click states by secret states, compared response by response."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3

from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.audit.service import Actor
from partnerka.common.clock import iso_millis
from partnerka.common.config import read_settings
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import create_offer
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.world import World, build_world

BOT = "curl/8.5.0"


def click_on(click: Any, offer_id: str, affiliate_id: str, user_agent: str | None = None) -> str:
    headers = {"user-agent": user_agent} if user_agent else {}
    query = urlencode({"o": offer_id, "a": affiliate_id})
    response = click.handler(http_event("GET", "/click", query, headers), CONTEXT)
    if "location" in response["headers"]:
        return parse_qs(urlsplit(response["headers"]["location"]).query)["cid"][0]
    items = boto3.client("dynamodb").scan(TableName=os.environ["CLICKS_TABLE"])["Items"]
    (refused,) = [i for i in items if i.get("ua", {}).get("S") == user_agent]
    return refused["click_id"]["S"]


def expire(click_id: str) -> None:
    """Age a click past the 30-day attribution window (and its TTL, not yet swept by DynamoDB)."""
    then = datetime.now(UTC) - timedelta(days=45)
    boto3.client("dynamodb").update_item(
        TableName=os.environ["CLICKS_TABLE"],
        Key={"click_id": {"S": click_id}},
        UpdateExpression="SET created_at = :c, expires_at = :e",
        ExpressionAttributeValues={
            ":c": {"S": iso_millis(then)},
            ":e": {"N": str(int((datetime.now(UTC) - timedelta(days=1)).timestamp()))},
        },
    )


def click_states(load_function: FunctionLoader) -> tuple[World, dict[str, dict[str, str]], str]:
    """Every kind of click id a stranger might send, as the postback's own parameters; and the
    secret of another offer of the same advertiser."""
    world = build_world()
    other = create_offer(
        OfferRepository(),
        world.advertiser_id,
        "Other",
        "CPA",
        "https://o.example/?c={click_id}",
        "1",
        "2",
        "USD",
    )
    click = load_function("click")
    live = click_on(click, world.offer.offer_id, world.affiliate_id)
    old = click_on(click, world.offer.offer_id, world.affiliate_id)
    expire(old)
    bot = click_on(click, world.offer.offer_id, world.affiliate_id, BOT)
    states = {
        "unknown": {"click_id": str(uuid.uuid4())},
        "malformed": {"click_id": "nope"},
        "live": {"click_id": live},
        "expired": {"click_id": old},
        "bot": {"click_id": bot},
        "other offer named": {"click_id": live, "offer_id": other.offer_id},
    }
    return world, states, other.postback_secret


def answer(
    postback: Any, path: str, params: dict[str, str], source_ip: str = "203.0.113.7"
) -> tuple[Any, ...]:
    event = http_event("GET", path, urlencode(params), source_ip=source_ip)
    response = postback.handler(event, CONTEXT)
    return response["statusCode"], json.dumps(response["headers"], sort_keys=True), response["body"]


def test_a_missing_or_wrong_secret_gets_one_answer_whatever_the_click(load_function: FunctionLoader) -> None:
    world, states, other_secret = click_states(load_function)
    postback = load_function("postback")
    secrets = {"missing": {}, "wrong": {"secret": "guess"}, "another offer's": {"secret": other_secret}}
    for path in ("/postback", "/pixel.gif"):
        answers = {
            (secret_state, click_state): answer(
                postback, path, {"status": "sale", "txn_id": "T-1", **click, **secret}
            )
            for secret_state, secret in secrets.items()
            for click_state, click in states.items()
        }
        assert len(set(answers.values())) == 1, {k: (*v[:2], v[2][:80]) for k, v in answers.items()}
        status, headers, body = next(iter(answers.values()))
        if path == "/postback":
            assert status == 404
            assert json.loads(body)["error"]["code"] == "click_not_found"
        else:
            assert (status, json.loads(headers)["x-partnerka-result"]) == (200, "click_not_found")
    # With the secret, the same postbacks get their real answers, and the live click converts
    secret = {"secret": world.offer.postback_secret, "status": "sale", "txn_id": "T-1"}
    real = {state: answer(postback, "/postback", {**click, **secret}) for state, click in states.items()}
    codes = {
        state: json.loads(body).get("error", {}).get("code", "ok") for state, (_, _, body) in real.items()
    }
    assert codes == {
        "unknown": "click_not_found",
        "malformed": "click_not_found",
        "live": "ok",
        "expired": "click_expired",
        "bot": "click_not_found",
        "other offer named": "click_offer_mismatch",
    }
    assert "bot" in json.loads(real["bot"][2])["error"]["message"]


def test_the_pixels_whitelisted_address_still_stands_in_for_the_secret(load_function: FunctionLoader) -> None:
    world, states, _ = click_states(load_function)
    _, workspace = account_services(read_settings(AccountSettings))
    workspace.set_postback_ips(world.advertiser_id, ["198.51.100.0/24"], Actor("test", None))
    postback = load_function("postback")
    params = {"goal": "sale", "txn_id": "PX-1"}
    outside = {
        state: answer(postback, "/pixel.gif", {**params, **click}, "203.0.113.9")
        for state, click in states.items()
    }
    assert len(set(outside.values())) == 1
    assert json.loads(next(iter(outside.values()))[1])["x-partnerka-result"] == "click_not_found"
    inside = answer(postback, "/pixel.gif", {**params, **states["live"]}, "198.51.100.20")
    assert json.loads(inside[1])["x-partnerka-result"] == "recorded"
    # The JSON postback still needs its secret, from any address
    no_secret = answer(postback, "/postback", {**params, "status": "sale", **states["live"]}, "198.51.100.20")
    assert no_secret[0] == 404
