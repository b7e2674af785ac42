"""Event source mappings: DynamoDB stream and SQS pollers that invoke functions like Lambda does."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .resources import make_client
from .template import REGION
from .workers import InvocationError

log = logging.getLogger(__name__)

Invoker = Callable[[str, Any], Any]

POLL_INTERVAL = 0.25
# A source found empty is polled less and less often, down to once per IDLE_POLL_MAX: eight idle
# pollers at POLL_INTERVAL kept a third of a core busy asking moto for nothing. When a function that
# can write to a poller's source returns (the runtime knows which from their settings), the poller is
# nudged awake, so what it wrote is picked up at once; a write from outside the runtime (a seed
# script) or a message whose visibility timeout ends waits at most IDLE_POLL_MAX, and `wait_idle`
# nudges the pollers it waits for.
IDLE_POLL_MAX = 1.0
# How often stream shards are re-listed so that new shards are picked up.
DESCRIBE_INTERVAL = 5.0
# Back-off after an unexpected error (moto gone, table deleted) so the log is not flooded.
ERROR_PAUSE = 1.0


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _jsonable_attribute(value: Any) -> Any:
    """Stream records come back from botocore with bytes for B/BS; Lambda delivers them base64-encoded."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _jsonable_attribute(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable_attribute(v) for v in value]
    return value


def failed_identifiers(result: Any, valid: set[str]) -> list[str] | None:
    """The itemIdentifiers of a ReportBatchItemFailures response; None means "treat the batch as failed"."""
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return []
    failures = result["batchItemFailures"]
    if not isinstance(failures, list):
        return None
    identifiers: list[str] = []
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        # Lambda fails the whole batch when an identifier is missing, empty or unknown.
        if not isinstance(identifier, str) or identifier not in valid:
            return None
        identifiers.append(identifier)
    return identifiers


class Poller(threading.Thread):
    """Base of the event source pollers: a stoppable thread that tracks whether it has work pending."""

    def __init__(self, name: str, function: str, invoke: Invoker, source: str):
        super().__init__(name=name, daemon=True)
        self.function = function
        self.source = source  # the name of the table or queue polled
        self.invoke = invoke
        self.stop_event = threading.Event()
        self._wake = threading.Event()
        self._cycle_lock = threading.Condition()
        self.cycles = 0
        self.idle = False
        self._quiet_cycles = 0

    def finish_cycle(self, idle: bool, quiet: bool | None = None) -> None:
        """A cycle ended: `idle` when nothing is left to deliver, `quiet` (by default `idle`) when it
        found nothing new."""
        with self._cycle_lock:
            self.idle = idle
            self.cycles += 1
            self._quiet_cycles = self._quiet_cycles + 1 if (idle if quiet is None else quiet) else 0
            self._cycle_lock.notify_all()

    def idle_delay(self) -> float:
        """How long to rest after a cycle that found nothing: longer the longer the source stays quiet."""
        doublings = min(max(self._quiet_cycles - 1, 0), 10)  # 2 ** 10 quarter-seconds is past any rest
        return float(min(IDLE_POLL_MAX, POLL_INTERVAL * 2**doublings))

    def nudge(self) -> None:
        """Something may have been written to the source: poll it now instead of after the rest."""
        self._wake.set()

    def rest(self, seconds: float) -> bool:
        """Sleep until the delay passes, a nudge or stop; returns False when the poller must stop."""
        if seconds > 0:
            self._wake.wait(seconds)
        self._wake.clear()
        return not self.stop_event.is_set()

    def wait_idle(self, deadline: float) -> bool:
        """True once two complete poll cycles have run after this call and the last one found nothing."""
        with self._cycle_lock:
            start = self.cycles
            while not (self.cycles >= start + 2 and self.idle):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self.is_alive():
                    return not self.is_alive()
                self.nudge()
                self._cycle_lock.wait(min(remaining, 0.5))
            return True

    def stop(self) -> None:
        self.stop_event.set()
        self._wake.set()

    def pause(self, seconds: float) -> bool:
        """Sleep unless stopping (a nudge does not cut it short: retries keep their back-off); returns
        False when the poller must stop."""
        return not self.stop_event.wait(seconds)


@dataclass
class _Shard:
    shard_id: str
    iterator: str | None
    buffer: list[dict[str, Any]] = field(default_factory=list)
    first_buffered_at: float = 0.0
    closed: bool = False


class StreamPoller(Poller):
    """Reads a DynamoDB stream shard by shard and delivers ordered batches with Lambda's retry rules.
    One batch at a time (the function may run several instances, a stream's consumer uses one at
    once): Lambda keeps one batch per shard in flight, so a record is never handled before an
    earlier one of its shard, and moto's streams have one shard per table."""

    def __init__(
        self,
        function: str,
        function_arn: str,
        event_name: str,
        props: dict[str, Any],
        invoke: Invoker,
        endpoint_url: str,
        retry_backoff: float,
    ):
        stream_arn = str(props["Stream"])
        # arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
        table = stream_arn.split(":table/", 1)[-1].split("/", 1)[0]
        super().__init__(f"stream-{function}-{event_name}", function, invoke, table)
        self.function_arn = function_arn
        self.stream_arn = stream_arn
        self.batch_size = int(props.get("BatchSize", 100))
        self.window = float(props.get("MaximumBatchingWindowInSeconds", 0))
        self.starting_position = str(props.get("StartingPosition", "LATEST"))
        self.bisect = bool(props.get("BisectBatchOnFunctionError", False))
        self.max_retries = int(props.get("MaximumRetryAttempts", -1))
        self.report_failures = "ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or [])
        on_failure = ((props.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        self.on_failure_arn = str(on_failure) if on_failure else None
        self.retry_backoff = retry_backoff
        self.streams = make_client("dynamodbstreams", endpoint_url)
        self.sqs = make_client("sqs", endpoint_url)
        self.shards: dict[str, _Shard] = {}
        self._described_at = 0.0
        self._first = True

    def describe(self) -> None:
        description = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
        for shard in description.get("Shards", []):
            shard_id = shard["ShardId"]
            if shard_id in self.shards:
                continue
            # Shards found after start-up are children of closed ones: read them from their beginning.
            position = self.starting_position if self._first else "TRIM_HORIZON"
            if position not in ("TRIM_HORIZON", "LATEST"):
                position = "TRIM_HORIZON"
            iterator = self.streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard_id, ShardIteratorType=position
            )["ShardIterator"]
            self.shards[shard_id] = _Shard(shard_id, iterator)
        self._first = False
        self._described_at = time.monotonic()

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                idle = self.poll_once()
            except Exception:
                log.exception("%s: stream poll failed", self.name)
                self.finish_cycle(False)
                if not self.pause(ERROR_PAUSE):
                    return
                continue
            self.finish_cycle(idle)
            # While records wait for the batching window, poll at least every POLL_INTERVAL.
            if not self.rest(self.idle_delay() if idle else min(POLL_INTERVAL, self.window)):
                return

    def poll_once(self) -> bool:
        if time.monotonic() - self._described_at > DESCRIBE_INTERVAL or not self.shards:
            self.describe()
        idle = True
        for shard in self.shards.values():
            if self.stop_event.is_set():
                return False
            if not shard.closed and len(shard.buffer) < self.batch_size and shard.iterator:
                response = self.streams.get_records(
                    ShardIterator=shard.iterator, Limit=self.batch_size - len(shard.buffer)
                )
                shard.iterator = response.get("NextShardIterator")
                shard.closed = shard.iterator is None
                if response["Records"] and not shard.buffer:
                    shard.first_buffered_at = time.monotonic()
                shard.buffer.extend(response["Records"])
            if not shard.buffer:
                continue
            idle = False
            full = len(shard.buffer) >= self.batch_size
            waited = time.monotonic() - shard.first_buffered_at >= self.window
            if full or waited or shard.closed:
                batch = shard.buffer[: self.batch_size]
                self.deliver(shard, batch, 0)
                shard.buffer = shard.buffer[len(batch) :]
                shard.first_buffered_at = time.monotonic()
        return idle

    def to_event_record(self, record: dict[str, Any]) -> dict[str, Any]:
        ddb = dict(record["dynamodb"])
        created = ddb.get("ApproximateCreationDateTime")
        if isinstance(created, dt.datetime):
            ddb["ApproximateCreationDateTime"] = float(int(created.timestamp()))
        return {
            "eventID": record["eventID"],
            "eventName": record["eventName"],
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": record.get("awsRegion", REGION),
            "dynamodb": _jsonable_attribute(ddb),
            "eventSourceARN": self.stream_arn,
        }

    def deliver(self, shard: _Shard, batch: list[dict[str, Any]], attempts: int) -> None:
        """Invoke until the batch succeeds or its retries are exhausted (then OnFailure and move on)."""
        while batch and not self.stop_event.is_set():
            event = {"Records": [self.to_event_record(r) for r in batch]}
            sequence_numbers = [r["dynamodb"]["SequenceNumber"] for r in batch]
            try:
                result = self.invoke(self.function, event)
            except InvocationError as exc:
                log.info("%s: batch of %d failed: %s", self.name, len(batch), exc)
                if self.bisect and len(batch) > 1:
                    # A split is not a retry: each half starts with the attempts made so far.
                    half = len(batch) // 2
                    self.deliver(shard, batch[:half], attempts)
                    self.deliver(shard, batch[half:], attempts)
                    return
                attempts += 1
                if self._exhausted(attempts):
                    self.send_on_failure(shard, batch, attempts, function_error=True)
                    return
                self.pause(self.retry_backoff)
                continue
            failed = failed_identifiers(result, set(sequence_numbers)) if self.report_failures else []
            if failed == []:
                return
            # Records before the lowest failed sequence number are done; the retry starts at it.
            retry_from = 0 if failed is None else min(sequence_numbers.index(s) for s in failed)
            batch = batch[retry_from:]
            attempts += 1
            log.info(
                "%s: retrying %d records from %s",
                self.name,
                len(batch),
                batch[0]["dynamodb"]["SequenceNumber"],
            )
            if self._exhausted(attempts):
                self.send_on_failure(shard, batch, attempts, function_error=False)
                return
            self.pause(self.retry_backoff)

    def _exhausted(self, attempts: int) -> bool:
        return self.max_retries >= 0 and attempts > self.max_retries

    def send_on_failure(
        self, shard: _Shard, batch: list[dict[str, Any]], attempts: int, function_error: bool
    ) -> None:
        first, last = batch[0]["dynamodb"], batch[-1]["dynamodb"]
        log.warning(
            "%s: %d records (%s..%s) exhausted their retries",
            self.name,
            len(batch),
            first["SequenceNumber"],
            last["SequenceNumber"],
        )
        if self.on_failure_arn is None:
            return

        def arrival(ddb: dict[str, Any]) -> str:
            created = ddb.get("ApproximateCreationDateTime")
            return _iso(created) if isinstance(created, dt.datetime) else _iso(dt.datetime.now(dt.UTC))

        response_context: dict[str, Any] = {"statusCode": 200, "executedVersion": "$LATEST"}
        if function_error:
            response_context["functionError"] = "Unhandled"
        message = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": self.function_arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            "responseContext": response_context,
            "version": "1.0",
            "timestamp": _iso(dt.datetime.now(dt.UTC)),
            "DDBStreamBatchInfo": {
                "shardId": shard.shard_id,
                "startSequenceNumber": first["SequenceNumber"],
                "endSequenceNumber": last["SequenceNumber"],
                "approximateArrivalOfFirstRecord": arrival(first),
                "approximateArrivalOfLastRecord": arrival(last),
                "batchSize": len(batch),
                "streamArn": self.stream_arn,
            },
        }
        queue_name = self.on_failure_arn.rsplit(":", 1)[-1]
        url = self.sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody=json.dumps(message))


def _message_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    for name, value in attributes.items():
        item: dict[str, Any] = {
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value.get("DataType", "String"),
        }
        if "StringValue" in value:
            item["stringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            item["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
        converted[name] = item
    return converted


class SqsPoller(Poller):
    """Receives batches from a queue, invokes the function and deletes what succeeded. Like Lambda's
    queue pollers it runs up to `concurrency` batches at once (the function's instances): a batch
    is received only when one is free, so no message waits out its visibility timeout in a line.
    A FIFO queue keeps its order because SQS hands out no message of a group with one in flight."""

    def __init__(
        self,
        function: str,
        event_name: str,
        props: dict[str, Any],
        invoke: Invoker,
        endpoint_url: str,
        concurrency: int = 1,
    ):
        queue_arn = str(props["Queue"])
        super().__init__(f"sqs-{function}-{event_name}", function, invoke, queue_arn.rsplit(":", 1)[-1])
        self.queue_arn = queue_arn
        self.batch_size = int(props.get("BatchSize", 10))
        self.window = float(props.get("MaximumBatchingWindowInSeconds", 0))
        self.report_failures = "ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or [])
        self.sqs = make_client("sqs", endpoint_url)
        self._received = False
        self.queue_url = str(self.sqs.get_queue_url(QueueName=self.source)["QueueUrl"])
        self.concurrency = max(1, concurrency)
        self._slots = threading.Semaphore(self.concurrency)
        self._in_flight = 0
        self._in_flight_lock = threading.Lock()
        self.peak_in_flight = 0  # the most batches ever delivered at once

    def run(self) -> None:
        while not self.stop_event.is_set():
            self._received = False
            try:
                idle = self.poll_once()
            except Exception:
                log.exception("%s: queue poll failed", self.name)
                self.finish_cycle(False)
                if not self.pause(ERROR_PAUSE):
                    return
                continue
            self.finish_cycle(idle, quiet=not self._received)
            # Right after a batch the queue may hold more; otherwise rest, whether the queue is empty
            # or its messages are in flight (a retry's visibility timeout).
            if not self.rest(0.0 if self._received else self.idle_delay()):
                return

    def receive(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        started = time.monotonic()
        while len(messages) < self.batch_size and not self.stop_event.is_set():
            response = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(10, self.batch_size - len(messages)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            )
            received = response.get("Messages", [])
            messages.extend(received)
            self._received = self._received or bool(received)
            if not received:
                if not messages or time.monotonic() - started >= self.window:
                    break
                self.pause(min(POLL_INTERVAL, self.window))
        return messages

    def _take_slot(self) -> bool:
        """Wait until fewer than `concurrency` batches run; False when the poller must stop."""
        while not self.stop_event.is_set():
            if self._slots.acquire(timeout=POLL_INTERVAL):
                return True
        return False

    def poll_once(self) -> bool:
        if not self._take_slot():
            return False
        try:
            messages = self.receive()
        except BaseException:
            self._slots.release()
            raise
        if not messages:
            self._slots.release()
            if self._in_flight:
                return False
            attrs = self.sqs.get_queue_attributes(
                QueueUrl=self.queue_url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            # Messages waiting for their visibility timeout are retries still to come.
            return all(int(v) == 0 for v in attrs.values())
        with self._in_flight_lock:
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
        threading.Thread(
            target=self._deliver, args=(messages,), name=f"{self.name}-batch", daemon=True
        ).start()
        return False

    def _deliver(self, messages: list[dict[str, Any]]) -> None:
        try:
            self.deliver(messages)
        except Exception:
            log.exception("%s: batch delivery failed", self.name)
        finally:
            with self._in_flight_lock:
                self._in_flight -= 1
            self._slots.release()
            self.nudge()

    def deliver(self, messages: list[dict[str, Any]]) -> None:
        """Invoke the function with one batch and delete the messages it did not report as failed
        (none when it failed: they come back after their visibility timeout)."""
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": _message_attributes(m.get("MessageAttributes", {})),
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": self.queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
        try:
            result = self.invoke(self.function, {"Records": records})
        except InvocationError as exc:
            log.info("%s: batch of %d failed: %s", self.name, len(records), exc)
            return
        failed: list[str] | None = []
        if self.report_failures:
            failed = failed_identifiers(result, {r["messageId"] for r in records})
        if failed is None:
            return
        done = [r for r in records if r["messageId"] not in set(failed)]
        for start in range(0, len(done), 10):
            chunk = done[start : start + 10]
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(chunk)],
            )
