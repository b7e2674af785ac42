"""The work queues (SQS) as the orchestrator, the workers and the monitor use them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from botocore.config import Config

from partnerka.common import aws
from partnerka.common.errors import Conflict
from partnerka.common.timeouts import read_timeout

_CONFIG = Config(
    connect_timeout=2, read_timeout=read_timeout(5), retries={"mode": "standard", "max_attempts": 3}
)


@cache
def sqs_client() -> Any:
    return aws.session().create_client("sqs", config=_CONFIG)


class QueueSendFailed(Exception):
    pass


@dataclass(frozen=True, slots=True)
class QueueDepth:
    visible: int
    in_flight: int
    delayed: int


@dataclass(frozen=True, slots=True)
class PeekedMessage:
    message_id: str
    body: str
    sent_at_ms: int
    receive_count: int


class SqsQueue:
    def __init__(self, url: str, client: Any = None) -> None:
        self.url = url
        self._client = client

    def _c(self) -> Any:
        return self._client or sqs_client()

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    @property
    def fifo(self) -> bool:
        return self.url.endswith(".fifo")

    def send(self, bodies: list[str], groups: list[str] | None = None, ids: list[str] | None = None) -> None:
        """All bodies, ten per call; raises QueueSendFailed when any was refused. A FIFO queue keeps
        the order of each group's messages (`groups`, one per body) and drops a repeat of a
        message id (`ids`) within five minutes; without them, a FIFO queue gets one group and ids
        from the bodies (a monitor's redrive)."""
        for start in range(0, len(bodies), 10):
            entries: list[dict[str, str]] = []
            for i, body in enumerate(bodies[start : start + 10]):
                entry = {"Id": str(i), "MessageBody": body}
                if self.fifo:
                    entry["MessageGroupId"] = groups[start + i] if groups else "redrive"
                    entry["MessageDeduplicationId"] = (
                        ids[start + i] if ids else hashlib.sha256(body.encode()).hexdigest()
                    )
                entries.append(entry)
            response = self._c().send_message_batch(QueueUrl=self.url, Entries=entries)
            if response.get("Failed"):
                raise QueueSendFailed(f"{len(response['Failed'])} messages refused by {self.name}")

    def wait(self, receipt_handle: str, seconds: int) -> None:
        """The message comes back after `seconds` (at most 12 hours, the SQS limit)."""
        self._c().change_message_visibility(
            QueueUrl=self.url, ReceiptHandle=receipt_handle, VisibilityTimeout=min(seconds, 43_200)
        )

    def depth(self) -> QueueDepth:
        attributes = self._c().get_queue_attributes(
            QueueUrl=self.url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return QueueDepth(
            visible=int(attributes.get("ApproximateNumberOfMessages", 0)),
            in_flight=int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
            delayed=int(attributes.get("ApproximateNumberOfMessagesDelayed", 0)),
        )

    def peek(self, limit: int = 10) -> list[PeekedMessage]:
        """Up to `limit` messages of a queue without a redrive policy (a dead-letter or failure queue),
        left in it and visible at once.

        SQS has no side-effect-free read: ReceiveMessage always counts a receive. On a queue with a
        redrive policy that count is what moves a message to the dead-letter queue, so such a queue
        is refused before anything is received. Without one, the count moves nothing, and with no
        visibility timeout a redrive or another look still finds every message."""
        attributes = self._c().get_queue_attributes(QueueUrl=self.url, AttributeNames=["RedrivePolicy"])
        if attributes.get("Attributes", {}).get("RedrivePolicy"):
            raise Conflict(
                f"{self.name} has a redrive policy: receiving from it counts toward its dead-letter queue,"
                " so its messages are not read (see its open jobs instead)"
            )
        response = self._c().receive_message(
            QueueUrl=self.url,
            MaxNumberOfMessages=min(limit, 10),
            VisibilityTimeout=0,
            AttributeNames=["SentTimestamp", "ApproximateReceiveCount"],
        )
        return [
            PeekedMessage(
                message_id=m["MessageId"],
                body=m["Body"],
                sent_at_ms=int(m.get("Attributes", {}).get("SentTimestamp", 0)),
                receive_count=int(m.get("Attributes", {}).get("ApproximateReceiveCount", 0)),
            )
            for m in response.get("Messages", [])
        ]

    def take(self, limit: int = 10, hold_seconds: int = 60) -> list[tuple[str, str]]:
        """Up to `limit` messages as (body, receipt handle), hidden for `hold_seconds` until deleted."""
        response = self._c().receive_message(
            QueueUrl=self.url, MaxNumberOfMessages=min(limit, 10), VisibilityTimeout=hold_seconds
        )
        return [(m["Body"], m["ReceiptHandle"]) for m in response.get("Messages", [])]

    def delete(self, receipt_handle: str) -> None:
        self._c().delete_message(QueueUrl=self.url, ReceiptHandle=receipt_handle)
