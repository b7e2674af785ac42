"""Money through the real functions: a sale recorded by the postback function, routed by the
orchestrator to the finance queue (FIFO), posted by the finance worker; approved and then rejected
by the advertiser through the API; every stream record redelivered, every message delivered twice."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3

from partnerka.finance.repository import LedgerRepository
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_orchestrator_and_api import signed_in, stream_event
from tests.integration.world import build_world


def finance_round(load_function: FunctionLoader, stack: Template) -> int:
    """The orchestrator over everything in the streams so far (redelivering what it saw before),
    then the finance worker over every message, each delivered twice; the messages handled."""
    orchestrator = load_function("orchestrator")
    for table in ("ClicksTable", "ConversionsTable"):
        assert orchestrator.handler(stream_event(stack, table), CONTEXT) == {"batchItemFailures": []}
    sqs = boto3.client("sqs")
    url = stack.refs["FinanceQueue"]
    worker = load_function("finance")
    handled = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], VisibilityTimeout=0
        ).get("Messages", [])
        if not messages:
            return handled
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:finance.fifo",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
        for _ in range(2):  # a crash after the ledger write, before the acknowledgement
            assert worker.handler({"Records": records}, CONTEXT) == {"batchItemFailures": []}
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        handled += len(messages)


def test_a_sale_is_held_approved_and_reversed_in_the_ledger(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world(with_people=True)
    click = load_function("click")
    location = click.handler(
        http_event("GET", "/click", urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})), CONTEXT
    )["headers"]["location"]
    click_id = parse_qs(urlsplit(location).query)["cid"][0]
    params = urlencode(
        {"click_id": click_id, "status": "sale", "txn_id": "T-1", "secret": world.offer.postback_secret}
    )
    assert (
        load_function("postback").handler(http_event("GET", "/postback", params), CONTEXT)["statusCode"]
        == 200
    )
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    owner = f"aff:{world.advertiser_id}:{world.affiliate_id}"

    def balances() -> dict[str, int]:
        found = ledger.balances(owner) | ledger.balances(f"adv:{world.advertiser_id}")
        return {account.kind: account.shown(amount) for account, amount in found.items() if amount}

    assert finance_round(load_function, stack) == 1
    offer = world.offer.offer_id
    assert balances() == {"hold": 1250, f"pending:{offer}": 1250}

    api = load_function("api")
    boss = signed_in(api, world.emails["advertiser"])

    def decide(body: dict[str, Any]) -> None:
        event = http_event("POST", "/api/conversions/decisions", "", boss, json.dumps(body))
        response = api.handler(event, CONTEXT)
        assert response["statusCode"] == 200, response["body"]
        assert all(result["ok"] for result in json.loads(response["body"])["results"]), response["body"]

    decide({"status": "approved", "txn_ids": ["T-1"]})
    # The redelivered stream sends the arrival again (SQS drops it within five minutes; moto does not,
    # and then the ledger does)
    assert finance_round(load_function, stack) >= 1
    # Approval recognises the offer's revenue (20.00) beside the payout it charges
    assert balances() == {
        "approved": 1250,
        f"spend:{offer}": 1250,
        f"revenue:{offer}": 2000,
        f"receivable:{offer}": 2000,
    }

    decide({"status": "rejected", "reason": "fraud", "txn_ids": ["T-1"]})
    finance_round(load_function, stack)
    assert balances() == {}
    # Every balance is still the sum of its entries, and each journal posted once
    for account, balance in ledger.balances(owner).items():
        keys = [key for key, _ in ledger.entries(account)]
        assert len(keys) == len(set(keys))
        assert sum(amount for _, amount in ledger.entries(account)) == balance
