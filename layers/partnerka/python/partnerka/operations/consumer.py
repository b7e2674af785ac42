"""The Lambda side of a work queue whose messages each name one operation (postbacks, notifications).

Each SQS record of a batch goes to the queue's worker, which answers with an Outcome (see
operations.runner). A message that must wait (a retry later, or an attempt in flight elsewhere) is
hidden for that long (ChangeMessageVisibility) and reported as a partial batch failure, so SQS brings
it back then; a record whose processing raises is a partial batch failure too, and comes back after
the queue's visibility timeout. The other records of the batch go on either way.
"""

from __future__ import annotations

from typing import Any, Protocol

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from partnerka.common.observability import logger
from partnerka.operations.runner import Outcome


class QueueWorker(Protocol):
    def process(self, message_id: str, body: str) -> Outcome: ...


class VisibilityControl(Protocol):
    def wait(self, receipt_handle: str, seconds: int) -> None: ...


class ComeBackLater(Exception):
    """Not a failure: the message returns when its operation is due (its visibility was set so)."""


class QueueConsumer:
    def __init__(self, worker: QueueWorker, queue: VisibilityControl) -> None:
        self._worker = worker
        self._queue = queue
        self._processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def consume(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """One SQS batch; the partial batch response (the messages that come back later)."""
        response = process_partial_response(
            event=event, record_handler=self._record, processor=self._processor, context=context
        )
        return dict(response)

    def _record(self, record: SQSRecord) -> None:
        outcome = self._worker.process(record.message_id, record.body)
        if outcome.done:
            return
        try:
            self._queue.wait(record.receipt_handle, outcome.wait_seconds)
        except Exception:  # the message comes back after the queue's own visibility timeout instead
            logger.warning("could not reschedule the message", message_id=record.message_id)
        raise ComeBackLater(f"due in {outcome.wait_seconds} s")
