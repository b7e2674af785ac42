"""Schedules (manual and timed) and the resources created in moto."""

from __future__ import annotations

import time
from typing import Any

from local_runtime_helpers import client

from partnerka_local import LocalRuntime


def test_fire_schedule_input_and_scheduled_event_shape(runtime: LocalRuntime) -> None:
    assert runtime.fire_schedule("ScheduledFunction", "Nightly") == {"got": {"job": "nightly"}}
    event = runtime.fire_schedule("ScheduledFunction", "Tick")["got"]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["version"] == "0"
    assert event["account"] == "123456789012"
    assert event["region"] == "us-east-1"
    assert event["detail"] == {}
    assert event["resources"][0].startswith("arn:aws:events:us-east-1:123456789012:rule/")


def test_rate_schedule_fires_on_its_own(runtime: LocalRuntime) -> None:
    # schedule_time_scale=0.005 turns rate(1 minute) into one firing every 0.3 s.
    deadline = time.monotonic() + 10
    ticks: list[Any] = []
    while time.monotonic() < deadline:
        received = runtime.invoke("ScheduledFunction", {"inspect": True})["received"]
        ticks = [e for e in received if e.get("detail-type") == "Scheduled Event"]
        if len(ticks) >= 3:
            break
        time.sleep(0.2)
    assert len(ticks) >= 3


def test_resources_exist_in_moto(runtime: LocalRuntime) -> None:
    ddb = client(runtime, "dynamodb")
    table = ddb.describe_table(TableName="toy-EventsTable")["Table"]
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert table["GlobalSecondaryIndexes"][0]["IndexName"] == "by_kind"
    ttl = ddb.describe_time_to_live(TableName="toy-EventsTable")["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"
    sqs = client(runtime, "sqs")
    attrs = sqs.get_queue_attributes(QueueUrl=runtime.physical_id("WorkQueue"), AttributeNames=["All"])[
        "Attributes"
    ]
    assert attrs["VisibilityTimeout"] == "1"
    assert "toy-WorkDeadLetterQueue" in attrs["RedrivePolicy"]
    names = [u.rsplit("/", 1)[-1] for u in sqs.list_queues()["QueueUrls"]]
    assert "toy-OnlyInProd" not in names
    secret = client(runtime, "secretsmanager").get_secret_value(SecretId=runtime.physical_id("ToySecret"))
    assert len(secret["SecretString"]) == 40
    assert secret["SecretString"].isalnum()
    assert runtime.physical_id("ToyBucket") == "toy-toybucket"
    client(runtime, "s3").head_bucket(Bucket="toy-toybucket")
