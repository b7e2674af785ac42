"""Fraud rules through the API and the postback function under moto: the advertiser's rules and an
offer's overrides kept, a sale on a datacenter click rejected with its reason, a repeat visitor's sale
held in the review queue until the advertiser approves it, and the rules' item shapes in the table."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3

from partnerka.conversions.fraud_rules import FraudRuleRepository
from partnerka.conversions.models import FraudFlag, ScreeningAction
from partnerka.conversions.screening import FraudRule, FraudRules
from partnerka_local.template import Template
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_hot_paths import count_dynamodb_calls
from tests.integration.test_orchestrator_and_api import stream_event
from tests.integration.world import PASSWORD, World, build_world

DATACENTER_IP = "3.5.140.2"  # Amazon AWS, AS16509
HOME_IP = "95.24.1.1"
TODAY = datetime.now(UTC).date().isoformat()


def click_from(load_function: FunctionLoader, world: World, ip: str) -> str:
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    answer = load_function("click").handler(http_event("GET", "/click", query, source_ip=ip), CONTEXT)
    return parse_qs(urlsplit(answer["headers"]["location"]).query)["cid"][0]


def sale(load_function: FunctionLoader, world: World, click_id: str, txn: str) -> dict[str, Any]:
    query = urlencode(
        {"click_id": click_id, "status": "sale", "txn_id": txn, "secret": world.offer.postback_secret}
    )
    answer = load_function("postback").handler(http_event("GET", "/postback", query), CONTEXT)
    assert answer["statusCode"] == 200, answer
    return json.loads(answer["body"])  # type: ignore[no-any-return]


def test_rules_reject_a_datacenter_sale_and_hold_a_repeat_visitors_for_review(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    offer = world.offer.offer_id
    # Given the advertiser rejects sales on datacenter clicks as invalid, and holds repeat visitors'
    saved = api.call(
        "PUT",
        "/api/fraud-rules",
        {
            "rules": {
                "datacenter": {"action": "rejected", "reason": "invalid_data"},
                "bot": {"action": "held"},
            }
        },
        token=boss,
    )
    assert saved.status == 200, saved.body
    assert saved.body["rules"]["datacenter"] == {
        "action": "rejected",
        "reason": "invalid_data",
        "seconds": None,
    }
    overridden = api.call(
        "PUT",
        f"/api/fraud-rules/offers/{offer}",
        {"rules": {"duplicate_visitor": {"action": "held"}, "bot": {"action": "accepted"}}},
        token=boss,
    ).body
    assert set(overridden["effective"]) == {"datacenter", "duplicate_visitor", "bot"}
    assert overridden["effective"]["bot"]["action"] == "accepted"
    # When a visitor from a datacenter and one from home click, the second twice
    from_datacenter = click_from(load_function, world, DATACENTER_IP)
    first_visit = click_from(load_function, world, HOME_IP)
    repeat_visit = click_from(load_function, world, HOME_IP)
    # And the orchestrator judges the clicks before the sales arrive
    orchestrator = load_function("orchestrator")
    assert orchestrator.handler(stream_event(stack, "ClicksTable"), CONTEXT) == {"batchItemFailures": []}
    rejected = sale(load_function, world, from_datacenter, "DC-1")
    paid = sale(load_function, world, first_visit, "HOME-1")
    held = sale(load_function, world, repeat_visit, "HOME-2")
    assert {rejected["result"], paid["result"], held["result"]} == {"recorded"}
    # Then the datacenter sale is rejected with the rule's reason and says why
    listed = {
        c["txn_id"]: c
        for c in api.call("GET", "/api/conversions", token=boss, **{"from": TODAY, "to": TODAY}).body["items"]
    }
    dc = listed["DC-1"]
    assert (dc["status"], dc["reason"], dc["screening"], dc["screening_flag"]) == (
        "rejected",
        "invalid_data",
        "rejected",
        "datacenter",
    )
    assert dc["screening_note"] == "click from a datacenter network, AS16509 (Amazon AWS)"
    assert dc["screening_detail"] == {"asn": 16509, "network": "Amazon AWS"}
    assert dc["flags"] == ["datacenter"]
    # And the first home visit's sale waits to be paid, unflagged
    home = listed["HOME-1"]
    assert (home["status"], home["screening"], home["flags"], home["review"]) == ("pending", None, [], False)
    # And the repeat visit's sale waits in the review queue, alone
    queue = api.call("GET", "/api/conversions/review", token=boss).body["items"]
    assert [(c["txn_id"], c["screening"], c["screening_flag"]) for c in queue] == [
        ("HOME-2", "held", "duplicate_visitor")
    ]
    assert api.call("GET", "/api/conversions/review", token=boss, flag="bot").body["items"] == []
    # When the advertiser approves it from the queue, it leaves the queue
    decided = api.call(
        "POST", "/api/conversions/decisions", {"status": "approved", "ids": [queue[0]["id"]]}, token=boss
    ).body
    assert decided["updated"] == 1
    assert api.call("GET", "/api/conversions/review", token=boss).body["items"] == []
    # And the affiliate may not read the queue
    affiliate = api.login(world.emails["affiliate"], PASSWORD)["access_token"]
    assert api.call("GET", "/api/conversions/review", token=affiliate).status == 403


def test_a_warm_postback_reads_its_rules_from_the_route_cache(load_function: FunctionLoader) -> None:
    world = build_world()
    clicks = [click_from(load_function, world, HOME_IP) for _ in range(2)]
    calls = count_dynamodb_calls()
    # The first postback of an offer loads its routes, the fraud rules among them, in one batch
    sale(load_function, world, clicks[0], "COLD")
    assert calls["BatchGetItem"] == 1
    calls.clear()
    # A warm one reads the click and what the orchestrator recorded of it (a bot's verdict, its
    # address's floods of the hour, its visitor's window), and writes the conversion
    sale(load_function, world, clicks[1], "WARM")
    assert calls == Counter({"GetItem": 3, "Query": 1, "PutItem": 1})


def test_rules_are_checked_and_an_offers_overrides_can_be_dropped(load_function: FunctionLoader) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    offer = world.offer.offer_id
    crossed = api.call(
        "PUT",
        "/api/fraud-rules",
        {
            "rules": {
                "too_fast": {"action": "held", "seconds": 600},
                "too_slow": {"action": "rejected", "seconds": 60},
            }
        },
        token=boss,
    )
    assert (crossed.status, crossed.code) == (400, "validation_error")
    assert "must be less than" in crossed.body["error"]["message"]
    no_limit = api.call("PUT", "/api/fraud-rules", {"rules": {"too_fast": {"action": "held"}}}, token=boss)
    assert (no_limit.status, no_limit.code) == (400, "validation_error")
    # An offer's overrides are dropped, and the advertiser's rules apply to it again
    api.call(
        "PUT", f"/api/fraud-rules/offers/{offer}", {"rules": {"bot": {"action": "rejected"}}}, token=boss
    )
    cleared = api.call("DELETE", f"/api/fraud-rules/offers/{offer}", token=boss).body
    assert (cleared["overrides"], cleared["effective"]) == ({}, {})
    assert api.call("GET", "/api/fraud-rules/offers/no-such-offer", token=boss).status == 404


def test_the_rules_items_have_the_documented_keys(stack: Template) -> None:
    repository = FraudRuleRepository(stack.refs["CoreTable"])
    rules = FraudRules({FraudFlag.TOO_SLOW: FraudRule(ScreeningAction.HELD, seconds=7200)})
    repository.put("adv-1", None, rules)
    repository.put("adv-1", "offer-1", FraudRules({FraudFlag.BOT: FraudRule(ScreeningAction.ACCEPTED)}))
    items = boto3.client("dynamodb").query(
        TableName=stack.refs["CoreTable"],
        KeyConditionExpression="pk = :pk AND begins_with(sk, :rules)",
        ExpressionAttributeValues={":pk": {"S": "ADV#adv-1"}, ":rules": {"S": "FRAUD_RULES"}},
    )["Items"]
    assert sorted(item["sk"]["S"] for item in items) == ["FRAUD_RULES", "FRAUD_RULES#offer-1"]
    assert repository.get("adv-1").rules == rules.rules
    assert repository.get("adv-1", "offer-2").rules == {}
    repository.delete("adv-1", "offer-1")
    assert repository.get("adv-1", "offer-1").rules == {}
