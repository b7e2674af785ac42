"""Block lists through the offers function: what the advertiser (or staff for it) keeps, how entries
are checked, and that the click function refuses what a list names."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode

import boto3

from partnerka.common import dynamo
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.world import PASSWORD, World, build_world


def signed_in(load_function: FunctionLoader) -> tuple[World, Api, str, str]:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    return world, api, boss, owner


def stored_item(advertiser_id: str, sk: str) -> dict[str, Any]:
    item = dynamo.client().get_item(
        TableName=os.environ["CORE_TABLE"], Key={"pk": {"S": f"ADV#{advertiser_id}"}, "sk": {"S": sk}}
    )["Item"]
    return dynamo.decode(item)


def test_a_replaced_list_is_kept_in_one_canonical_spelling(load_function: FunctionLoader) -> None:
    world, api, boss, _ = signed_in(load_function)
    body = {
        "ips": ["203.0.113.0/24", "2001:DB8::/32", "192.0.2.7", "203.0.113.0/24"],
        "asns": ["as16509", 14618],
        "countries": ["cn", "RU"],
        "subs": {"sub3": ["spam-source"]},
        "referrers": ["https://Spam.Example/landing", "*.ads.test"],
        "user_agents": ["HeadlessChrome"],
    }
    reply = api.call("PUT", "/api/block-list", body, token=boss)
    assert reply.status == 200, reply.body
    expected = {
        "ips": ["203.0.113.0/24", "2001:db8::/32", "192.0.2.7"],  # duplicates dropped
        "asns": [16509, 14618],
        "countries": ["CN", "RU"],
        "subs": {"sub3": ["spam-source"]},
        "referrers": ["spam.example", "ads.test"],
        "user_agents": ["headlesschrome"],
    }
    assert {key: reply.body[key] for key in expected} == expected
    assert reply.body["counts"] == {
        "ips": 3, "asns": 2, "countries": 2, "subs": 1, "referrers": 2, "user_agents": 1
    }  # fmt: skip
    assert api.call("GET", "/api/block-list", token=boss).body == reply.body
    # Stored where the click path reads it, in the same spelling
    item = stored_item(world.advertiser_id, "BLOCKS")
    assert item["ips"] == "203.0.113.0/24\n2001:db8::/32\n192.0.2.7"
    assert item["subs"] == {"sub3": "spam-source"}


def test_every_refused_entry_is_named_and_nothing_changes(load_function: FunctionLoader) -> None:
    _, api, boss, _ = signed_in(load_function)
    api.call("PUT", "/api/block-list", {"countries": ["CN"]}, token=boss)
    bad = {
        "ips": ["10.0.0.1/8", "300.1.1.1"],
        "countries": ["USA"],
        "referrers": ["com"],
        "user_agents": ["a"],
    }
    reply = api.call("PUT", "/api/block-list", bad, token=boss)
    assert reply.status == 400
    assert reply.body["error"]["code"] == "validation_error"
    refused = {(e["kind"], e["entry"]): e["message"] for e in reply.body["error"]["entries"]}
    assert refused == {
        ("ips", "10.0.0.1/8"): "has host bits set; the range is 10.0.0.0/8",
        ("ips", "300.1.1.1"): "is not an IP address or CIDR range",
        ("countries", "USA"): "is not a two-letter country code (ISO 3166-1)",
        ("referrers", "com"): "is not a domain name (example.com; it blocks its subdomains too)",
        ("user_agents", "a"): "must be 3 to 200 characters long",
    }
    assert api.call("GET", "/api/block-list", token=boss).body["countries"] == ["CN"]
    # An unknown sub key is the body's error
    unknown = api.call("PUT", "/api/block-list", {"subs": {"sub11": ["x"]}}, token=boss)
    assert unknown.status == 400


def test_a_list_over_its_limit_is_refused(load_function: FunctionLoader) -> None:
    _, api, boss, _ = signed_in(load_function)
    ranges = [f"10.{i // 256}.{i % 256}.0/24" for i in range(10_001)]
    reply = api.call("PUT", "/api/block-list", {"ips": ranges}, token=boss)
    assert reply.status == 400
    assert "too many entries: 10001 ips" in reply.body["error"]["detail"]
    assert api.call("PUT", "/api/block-list", {"ips": ranges[:10_000]}, token=boss).status == 200


def test_pasted_entries_are_added_with_errors_by_line(load_function: FunctionLoader) -> None:
    world, api, boss, _ = signed_in(load_function)
    offer = f"/api/offers/{world.offer.offer_id}/block-list"
    api.call("PUT", offer, {"ips": ["192.0.2.1"]}, token=boss)
    # A paste with a bad line adds nothing and names the line
    text = "198.51.100.0/24\n\n  192.0.2.1  \nnot-an-address\n2001:db8::1\n"
    refused = api.call("POST", f"{offer}/entries", {"kind": "ips", "text": text}, token=boss)
    assert refused.status == 400
    assert [(e["position"], e["entry"]) for e in refused.body["error"]["entries"]] == [(4, "not-an-address")]
    assert api.call("GET", offer, token=boss).body["ips"] == ["192.0.2.1"]
    # Without it, the new lines are added and those listed already are counted
    added = api.call(
        "POST", f"{offer}/entries", {"kind": "ips", "text": text.replace("not-an-address", "")}, token=boss
    )
    assert added.status == 200, added.body
    assert (added.body["added"], added.body["already_listed"]) == (2, 1)
    assert added.body["block_list"]["ips"] == ["192.0.2.1", "198.51.100.0/24", "2001:db8::1"]
    assert added.body["block_list"]["offer_id"] == world.offer.offer_id
    # Sub-ids need their key
    subs = {"kind": "subs", "text": "bad-1\nbad-2"}
    assert api.call("POST", f"{offer}/entries", subs, token=boss).status == 400
    keyed = api.call("POST", f"{offer}/entries", subs | {"sub_key": "sub5"}, token=boss)
    assert keyed.body["block_list"]["subs"] == {"sub5": ["bad-1", "bad-2"]}
    assert stored_item(world.advertiser_id, f"BLOCKS#{world.offer.offer_id}")["subs"] == {
        "sub5": "bad-1\nbad-2"
    }


def test_staff_act_for_the_advertiser_they_name_and_no_one_reaches_anothers(
    load_function: FunctionLoader,
) -> None:
    world, api, boss, owner = signed_in(load_function)
    other = build_world()
    # Staff name the advertiser
    assert api.call("GET", "/api/block-list", token=owner).status == 400  # advertiser_id is required
    staff = api.call(
        "PUT", "/api/block-list", {"countries": ["KP"]}, token=owner, advertiser_id=world.advertiser_id
    )
    assert staff.status == 200
    assert api.call("GET", "/api/block-list", token=boss).body["countries"] == ["KP"]
    # The advertiser names no other, and another's offer is not found
    assert api.call("GET", "/api/block-list", token=boss, advertiser_id=other.advertiser_id).status == 403
    foreign = f"/api/offers/{other.offer.offer_id}/block-list"
    assert api.call("GET", foreign, token=boss).status == 404
    assert api.call("PUT", foreign, {"countries": ["CN"]}, token=boss).status == 404


def test_changes_are_audited_by_counts_not_lists(load_function: FunctionLoader) -> None:
    world, api, boss, _ = signed_in(load_function)
    api.call("PUT", "/api/block-list", {"ips": ["192.0.2.1"]}, token=boss, request_id="blocks-1")
    api.call(
        "POST",
        "/api/block-list/entries",
        {"kind": "ips", "text": "192.0.2.2"},
        token=boss,
        request_id="blocks-2",
    )
    entries = boto3.client("dynamodb").scan(TableName=os.environ["AUDIT_TABLE"])["Items"]
    mine = {
        item["request_id"]["S"]: dynamo.decode(item)
        for item in entries
        if item.get("request_id", {}).get("S") in ("blocks-1", "blocks-2")
    }
    assert mine["blocks-1"]["action"] == "block_list.replaced"
    assert mine["blocks-2"]["action"] == "block_list.entries_added"
    assert mine["blocks-2"]["target"] == f"advertiser:{world.advertiser_id}:block_list"
    before, after = json.loads(mine["blocks-2"]["before"]), json.loads(mine["blocks-2"]["after"])
    assert (before["counts"]["ips"], after["counts"]["ips"]) == (1, 2)
    assert "192.0.2.2" not in json.dumps(mine)


def test_a_listed_network_sends_the_visitor_to_the_fallback(load_function: FunctionLoader) -> None:
    world, api, boss, _ = signed_in(load_function)
    api.call(
        "PATCH",
        f"/api/offers/{world.offer.offer_id}",
        {"fallback_url": "https://fallback.example/"},
        token=boss,
    )
    api.call("POST", "/api/block-list/entries", {"kind": "ips", "text": "198.51.100.0/24"}, token=boss)
    click = load_function("click")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    refused = click.handler(http_event("GET", "/click", query, source_ip="198.51.100.20"), CONTEXT)
    assert refused["headers"]["location"] == "https://fallback.example/"
    admitted = click.handler(http_event("GET", "/click", query, source_ip="192.0.2.20"), CONTEXT)
    assert admitted["headers"]["location"].startswith("https://shop.example/")
