"""DynamoDB stream and SQS consumers: batching, partial failures, bisect, retries, OnFailure and DLQ."""

from __future__ import annotations

import json
from typing import Any

from local_runtime_helpers import client, http

from partnerka_local import LocalRuntime
from partnerka_local.pollers import SqsPoller


def write(runtime: LocalRuntime, items: list[dict[str, str]]) -> None:
    response = http(
        f"{runtime.url}/events", "POST", json.dumps(items).encode(), {"Content-Type": "application/json"}
    )
    assert response.status == 204


def stream_state(runtime: LocalRuntime) -> dict[str, Any]:
    result: dict[str, Any] = runtime.invoke("StreamConsumerFunction", {"inspect": True})
    return result


def test_stream_partial_failure_redelivers_from_failed_record(runtime: LocalRuntime) -> None:
    write(
        runtime,
        [{"id": "s-a", "mode": "ok"}, {"id": "s-b", "mode": "fail-once"}, {"id": "s-c", "mode": "ok"}],
    )
    assert runtime.wait_idle(15)
    state = stream_state(runtime)
    ours = [d for d in state["deliveries"] if d["id"].startswith("s-")]
    assert [d["id"] for d in ours] == ["s-a", "s-b", "s-b", "s-c"]
    assert all(d["name"] == "INSERT" for d in ours)
    seq_b = ours[1]["seq"]
    # The retry batch starts exactly at the failed record's sequence number.
    # (How the three writes were split into batches depends on timing; the retry rule does not.)
    assert any(batch[0] == seq_b for batch in state["batches"])
    assert int(ours[0]["seq"]) < int(seq_b) < int(ours[3]["seq"])


def test_stream_poison_record_bisected_then_sent_to_on_failure(runtime: LocalRuntime) -> None:
    write(
        runtime, [{"id": "p-1", "mode": "ok"}, {"id": "p-2", "mode": "poison"}, {"id": "p-3", "mode": "ok"}]
    )
    assert runtime.wait_idle(20)
    state = stream_state(runtime)
    ours = [d for d in state["deliveries"] if d["id"].startswith("p-")]
    poison_seq = next(d["seq"] for d in ours if d["id"] == "p-2")
    assert ours[-1]["id"] == "p-3"
    sqs = client(runtime, "sqs")
    url = runtime.physical_id("StreamFailureQueue")
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
        "Messages", []
    )
    assert len(messages) == 1
    body = json.loads(messages[0]["Body"])
    info = body["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1
    assert info["startSequenceNumber"] == info["endSequenceNumber"] == poison_seq
    assert info["streamArn"].startswith(
        "arn:aws:dynamodb:us-east-1:123456789012:table/toy-EventsTable/stream/"
    )
    assert info["shardId"]
    assert body["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert body["requestContext"]["approximateInvokeCount"] == 3
    assert body["requestContext"]["functionArn"].endswith(":function:toy-StreamConsumerFunction")
    assert body["responseContext"]["functionError"] == "Unhandled"
    assert body["version"] == "1.0"
    # One initial attempt plus MaximumRetryAttempts (2) for the poison record alone.
    assert sum(1 for b in state["batches"] if b == [poison_seq]) == 3


def test_sqs_partial_batch_failure_and_dead_letter_queue(runtime: LocalRuntime) -> None:
    sqs = client(runtime, "sqs")
    url = runtime.physical_id("WorkQueue")
    for body in ("ok:1", "fail-once:2", "always:3"):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    assert runtime.wait_idle(20)
    state: dict[str, Any] = runtime.invoke("SqsConsumerFunction", {"inspect": True})
    counts: dict[str, list[str]] = {}
    for delivery in state["deliveries"]:
        counts.setdefault(delivery["body"], []).append(delivery["count"])
    assert counts["ok:1"] == ["1"]  # the batch's success is deleted, not delivered again
    # Redelivered after its failure, and then done: out of the queue, not dead-lettered. SQS counts a
    # receive whose answer was lost too (moto as well, when its server is slow under load), so the
    # counts may skip a number; the queue gives three receives, so one lost receive does not
    # dead-letter the message that succeeds on its second delivery.
    assert len(counts["fail-once:2"]) == 2
    assert counts["fail-once:2"][0] == "1"
    # Failed on each delivery, then moved to the dead-letter queue after its third receive.
    assert 2 <= len(counts["always:3"]) <= 3
    assert counts["always:3"][0] == "1"
    dlq = runtime.physical_id("WorkDeadLetterQueue")
    # Once the source is idle the message is in the dead-letter queue; a long poll (as a consumer
    # of it would wait) rather than one look, since SQS promises the move, not its moment.
    dead = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=5).get("Messages", [])
    assert [m["Body"] for m in dead] == ["always:3"]


def test_sqs_event_record_shape(runtime: LocalRuntime) -> None:
    sqs = client(runtime, "sqs")
    sqs.send_message(
        QueueUrl=runtime.physical_id("WorkQueue"),
        MessageBody="ok:shape",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "x"}},
    )
    assert runtime.wait_idle(10)
    state: dict[str, Any] = runtime.invoke("SqsConsumerFunction", {"inspect": True})
    assert any(d["body"] == "ok:shape" for d in state["deliveries"])


def test_sqs_batches_run_concurrently_up_to_the_functions_instances(runtime: LocalRuntime) -> None:
    # Given forty slow messages (four batches of ten, 0.3 s each: within the 1 s visibility timeout)
    sqs = client(runtime, "sqs")
    url = runtime.physical_id("WorkQueue")
    bodies = [f"slow:{n}" for n in range(40)]
    for start in range(0, 40, 10):
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies[start : start + 10])],
        )
    # When the queue's consumer drains them
    assert runtime.wait_idle(30)
    # Then batches were delivered side by side, never more than the function's instances, and
    # every message was delivered (at least once, as SQS promises)
    poller = next(p for p in runtime.pollers if p.function == "SqsConsumerFunction")
    assert isinstance(poller, SqsPoller)
    assert 1 < poller.peak_in_flight <= runtime.concurrency
    # (instances boot one at a time, so how many served depends on the machine's speed)
    assert 1 <= len(runtime.workers["SqsConsumerFunction"].instances) <= runtime.concurrency
    state: dict[str, Any] = runtime.invoke("SqsConsumerFunction", {"inspect": True})
    slow = {d["body"] for d in state["deliveries"] if d["body"].startswith("slow:")}
    assert slow == set(bodies)
