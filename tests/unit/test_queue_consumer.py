"""A work queue's consumer: messages that must wait are hidden for as long as their operation asks
and come back as partial batch failures; the rest of the batch goes on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from partnerka.operations.consumer import QueueConsumer
from partnerka.operations.runner import DONE, Outcome

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:partnerka-postbacks"


def sqs_event(*bodies: str) -> dict[str, Any]:
    """An SQS batch as Lambda's poller hands it over (message n: id `m<n>`, receipt `r<n>`)."""
    return {
        "Records": [
            {
                "messageId": f"m{n}",
                "receiptHandle": f"r{n}",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795773600000",
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": "1795773600010",
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN,
                "awsRegion": "us-east-1",
            }
            for n, body in enumerate(bodies, start=1)
        ]
    }


@dataclass
class ScriptedWorker:
    """Answers each body with the outcome named for it; `raise` fails like a broken read."""

    outcomes: dict[str, Outcome | str]
    seen: list[str] = field(default_factory=list)

    def process(self, message_id: str, body: str) -> Outcome:
        self.seen.append(message_id)
        found = self.outcomes[body]
        if isinstance(found, str):
            raise ConnectionError(found)
        return found


@dataclass
class FakeVisibility:
    waits: list[tuple[str, int]] = field(default_factory=list)
    refuses: bool = False

    def wait(self, receipt_handle: str, seconds: int) -> None:
        if self.refuses:
            raise ConnectionError("the queue cannot be reached")
        self.waits.append((receipt_handle, seconds))


def test_a_waiting_message_is_hidden_until_due_and_comes_back_while_the_rest_goes_on() -> None:
    # Given a batch: one message done, one whose retry is due in 90 s, one whose read fails
    worker = ScriptedWorker({"done": DONE, "later": Outcome(done=False, wait_seconds=90), "broken": "down"})
    queue = FakeVisibility()

    # When the consumer runs it
    response = QueueConsumer(worker, queue).consume(sqs_event("done", "later", "broken"), None)

    # Then every message was handed to the worker, the waiting one is hidden for 90 s, and the
    # waiting and the broken ones come back
    assert worker.seen == ["m1", "m2", "m3"]
    assert queue.waits == [("r2", 90)]
    assert response == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]}


def test_a_message_that_cannot_be_rescheduled_still_comes_back() -> None:
    worker = ScriptedWorker({"later": Outcome(done=False, wait_seconds=300)})
    response = QueueConsumer(worker, FakeVisibility(refuses=True)).consume(sqs_event("later"), None)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}]}


def test_a_batch_of_finished_messages_reports_no_failure() -> None:
    queue = FakeVisibility()
    response = QueueConsumer(ScriptedWorker({"a": DONE, "b": DONE}), queue).consume(sqs_event("a", "b"), None)
    assert response == {"batchItemFailures": []}
    assert queue.waits == []
