"""One bad record or message never holds back the others: the orchestrator parks a stream record it
cannot handle and counts everything around it; the finance worker fails only the FIFO group of a bad
message."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from partnerka.finance.ledger import ConversionMoney
from partnerka.finance.repository import LedgerRepository
from partnerka.finance.service import FinanceEvent, FinanceEventKind
from partnerka.operations.models import OperationStatus, OperationType
from partnerka.operations.repository import Filters, OperationsRepository
from partnerka.stats.cube_store import CubeRepository
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader
from tests.integration.stream_delivery import shard_records

AT = datetime(2026, 11, 27, 10, tzinfo=UTC)


def _click(n: int) -> Click:
    return Click(
        click_id=f"poison-c{n}",
        offer_id="O1",
        affiliate_id="AFF",
        advertiser_id="ADVP",
        ip=f"198.51.100.{n}",
        country="DE",
        user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
        created_at=AT + timedelta(minutes=n),
        expires_at=int((AT + timedelta(days=30)).timestamp()),
    )


def test_a_record_missing_attributes_or_with_a_binary_one_is_parked_and_the_rest_counted(
    load_function: FunctionLoader, stack: Template
) -> None:
    for n in range(6):
        ClickRepository(os.environ["CLICKS_TABLE"]).put(_click(n))
    records = shard_records(stack.get_att("ClicksTable", "StreamArn"), lambda r: True)
    assert len(records) == 6
    # Given three records of the batch that cannot be handled, as a stream could carry them
    del records[1]["dynamodb"]["NewImage"]["advertiser_id"]
    records[3]["dynamodb"]["NewImage"]["ua"] = {"B": "AAEC/w=="}  # base64, as Lambda sends binary
    records[4]["dynamodb"]["NewImage"]["created_at"] = {"S": "not a time"}
    orchestrator = load_function("orchestrator")
    # When the orchestrator gets the batch (twice: Lambda may deliver it again)
    for _ in range(2):
        assert orchestrator.handler({"Records": records}, CONTEXT) == {"batchItemFailures": []}
    # Then the three good clicks count, once
    (total,) = CubeRepository(os.environ["STATS_TABLE"]).exact("ADVP", "total", "-", ["2026-11-27"])
    assert total.values["clicks"] == 3
    # And each bad record is kept, as delivered, with its reason, and counted once as a failure
    operations = OperationsRepository(os.environ["OPERATIONS_TABLE"])
    parked = [
        op
        for op in operations.recent(datetime.now(UTC), Filters(type=OperationType.STATS), 100, None).items
        if op.subject_type == "record"
    ]
    assert len(parked) == 3
    assert {op.status for op in parked} == {OperationStatus.FAILED}
    reasons = " ".join(op.last_error for op in parked)
    assert "advertiser_id" in reasons
    assert "not a time" in reasons
    kept = {json.loads(op.payload)["eventID"] for op in parked}
    assert kept == {records[i]["eventID"] for i in (1, 3, 4)}
    (rate,) = [r for r in operations.rates(OperationType.STATS, datetime.now(UTC), 1) if r.failed]
    assert rate.failed >= 3


def test_a_record_lambda_could_not_place_is_parked_not_retried(
    load_function: FunctionLoader, stack: Template
) -> None:
    ClickRepository(os.environ["CLICKS_TABLE"]).put(_click(10))
    (good,) = shard_records(stack.get_att("ClicksTable", "StreamArn"), lambda r: True)
    broken: dict[str, Any] = {"eventID": "x", "eventName": "INSERT", "eventSourceARN": good["eventSourceARN"]}
    orchestrator = load_function("orchestrator")
    assert orchestrator.handler({"Records": [broken, good]}, CONTEXT) == {"batchItemFailures": []}
    (total,) = CubeRepository(os.environ["STATS_TABLE"]).exact("ADVP", "total", "-", ["2026-11-27"])
    assert total.values["clicks"] == 1


def _message(body: str, group: str, n: int) -> dict[str, Any]:
    return {
        "messageId": f"m{n}",
        "receiptHandle": f"r{n}",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1795795500000",
            "SequenceNumber": f"{18000000000000000000 + n}",
            "MessageGroupId": group,
            "SenderId": "AIDAEXAMPLE",
            "MessageDeduplicationId": f"d{n}",
            "ApproximateFirstReceiveTimestamp": "1795795500000",
        },
        "messageAttributes": {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:finance.fifo",
        "awsRegion": "us-east-1",
    }


def test_a_poison_finance_message_fails_only_its_own_affiliates_group(
    load_function: FunctionLoader, stack: Template
) -> None:
    def arrival(affiliate: str, n: int) -> str:
        money = ConversionMoney(f"cv{n}", "ADV", affiliate, "OFF", "USD", payout_minor=1000)
        return FinanceEvent(FinanceEventKind.ARRIVAL, money, approved=False, at=AT).as_message()

    finance = load_function("finance")
    event = {
        "Records": [
            _message(arrival("A", 1), "ADV#A", 1),
            _message("{not json", "ADV#B", 2),  # a poison message in B's group
            _message(arrival("C", 3), "ADV#C", 3),
            _message(arrival("B", 4), "ADV#B", 4),  # B's next one must wait behind it, in order
            _message(arrival("A", 5), "ADV#A", 5),
        ]
    }
    response = finance.handler(event, CONTEXT)
    assert sorted(f["itemIdentifier"] for f in response["batchItemFailures"]) == ["m2", "m4"]
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    assert ledger.balances("aff:ADV:A")
    assert ledger.balances("aff:ADV:C")
    assert not ledger.balances("aff:ADV:B")


def test_the_finance_queue_is_fifo_with_a_dead_letter_queue(stack: Template) -> None:
    sqs = boto3.client("sqs")
    url = stack.refs["FinanceQueue"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["FifoQueue"] == "true"
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]
