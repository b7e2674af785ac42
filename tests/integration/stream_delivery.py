"""Lambda's event source mapping for one DynamoDB stream shard, driven by a test, and a worker that dies.

`ShardDelivery` hands a shard's records to a handler the way Lambda does with
`BisectBatchOnFunctionError`, `ReportBatchItemFailures` and unlimited retries: batches from the
checkpoint, in order; a failed invocation is split in two and each half retried (a single record is
retried as is); a partial failure moves the checkpoint to the first failed record; and now and then a
batch that was already done is handed over again from an earlier checkpoint (AWS: "in rare cases ...
records may be processed more than once ... out of order").

`DyingWorker` makes the handler's DynamoDB client kill the worker at a chosen call, before or after
the call reaches DynamoDB, or lets the invocation finish and loses its answer: the kill is a
BaseException, which no `except Exception` in the code under test can swallow, as a real kill.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import boto3


class Killed(BaseException):
    """The worker process died mid-invocation (or its answer never reached Lambda)."""


@dataclass(frozen=True, slots=True)
class Fault:
    call: int  # the invocation's DynamoDB call it dies at (1-based); 0: it finishes, the answer is lost
    after: bool = False  # dies right after the call went through, else right before it


class DyingWorker:
    """Wraps a botocore DynamoDB client so that the armed fault kills the invocation."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._original = client._make_api_call
        self._fault: Fault | None = None
        self._calls = 0
        client._make_api_call = self._call

    def restore(self) -> None:
        self._client._make_api_call = self._original

    def arm(self, fault: Fault | None) -> None:
        self._fault, self._calls = fault, 0

    def _call(self, operation: str, params: dict[str, Any]) -> Any:
        if threading.current_thread() is not threading.main_thread():
            # Calls made in parallel (the quality store's puts) come in no fixed order: only the
            # invocation's own thread counts, so a drawn fault hits the same call every time.
            return self._original(operation, params)
        self._calls += 1
        fault = self._fault
        if fault is not None and fault.call == self._calls and not fault.after:
            raise Killed(f"killed before {operation}")
        result = self._original(operation, params)
        if fault is not None and fault.call == self._calls and fault.after:
            raise Killed(f"killed after {operation}")
        return result

    def invoke(
        self, handler: Callable[[dict[str, Any], Any], Any], event: dict[str, Any], context: Any
    ) -> Any:
        fault = self._fault
        try:
            result = handler(event, context)
        finally:
            self.arm(None)
        if fault is not None and fault.call == 0:
            raise Killed("the answer was lost")
        return result


class Choices(Protocol):
    """What Lambda and fate decide at each step (a test draws them, e.g. from hypothesis)."""

    def batch_size(self, left: int) -> int: ...

    def fault(self) -> Fault | None: ...

    def split(self, size: int) -> int:
        """Where a failed batch of `size` records is bisected."""
        ...

    def repeat_from(self, checkpoints: list[int]) -> int | None:
        """Hand an already done batch over again from this earlier checkpoint, or None."""
        ...


@dataclass
class DeliveryLog:
    invocations: int = 0
    kills: int = 0
    bisects: int = 0
    partial_retries: int = 0
    repeats: int = 0
    sizes: list[int] = field(default_factory=list)


class ShardDelivery:
    def __init__(
        self,
        invoke: Callable[[list[dict[str, Any]], Fault | None], dict[str, Any]],
        choices: Choices,
        max_invocations: int = 2000,
    ) -> None:
        self._invoke = invoke
        self._choices = choices
        self._max = max_invocations
        self.log = DeliveryLog()

    def run(self, records: list[dict[str, Any]]) -> DeliveryLog:
        checkpoint = 0
        done: list[int] = []
        while checkpoint < len(records):
            size = self._choices.batch_size(len(records) - checkpoint)
            self._process(records[checkpoint : checkpoint + size])
            done.append(checkpoint)
            checkpoint += size
            start = self._choices.repeat_from(done)
            if start is not None:
                self.log.repeats += 1
                self._process(records[start : start + self._choices.batch_size(len(records) - start)])
        return self.log

    def _process(self, batch: list[dict[str, Any]]) -> None:
        while batch:
            if self.log.invocations >= self._max:
                raise AssertionError("the shard never got past its records")
            self.log.invocations += 1
            self.log.sizes.append(len(batch))
            try:
                result = self._invoke(batch, self._choices.fault())
            except Killed:
                self.log.kills += 1
                if len(batch) > 1:
                    self.log.bisects += 1
                    half = self._choices.split(len(batch))
                    self._process(batch[:half])
                    self._process(batch[half:])
                    return
                continue
            sequences = [r["dynamodb"]["SequenceNumber"] for r in batch]
            failed = [f["itemIdentifier"] for f in (result or {}).get("batchItemFailures") or []]
            if not failed:
                return
            assert set(failed) <= set(sequences), "a failure names a record not in the batch"
            self.log.partial_retries += 1
            batch = batch[min(sequences.index(s) for s in failed) :]


def shard_records(stream_arn: str, keep: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """The stream's records (the one shard moto keeps per table) that `keep` selects, in order, as
    Lambda puts them in an event."""
    streams = boto3.client("dynamodbstreams")
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            for record in page["Records"]:
                event = json.loads(json.dumps(record, default=lambda d: int(d.timestamp())))
                event.update(eventSourceARN=stream_arn, eventVersion="1.1", eventSource="aws:dynamodb")
                if keep(event):
                    records.append(event)
            iterator = page.get("NextShardIterator") if page["Records"] else None
    return records
