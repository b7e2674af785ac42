"""The notifier worker: each message of the notify queue is one notification (a kind and its
payload). One attempt is made when it is due; a message that must wait (a retry later, or an
attempt in flight elsewhere) is hidden for that long and reported as a partial batch failure, so SQS
brings it back then."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from partnerka.common.config import get_settings, required_settings
from partnerka.common.observability import logger
from partnerka.notifications.email import ACCOUNT_EMAIL, AccountEmails, SesMailer
from partnerka.notifications.notifier import Notifier
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository

settings = get_settings()
required_settings(
    NOTIFY_QUEUE_URL=settings.notify_queue_url,
    NOTIFY_DLQ_URL=settings.notify_dlq_url,
    MAIL_FROM=settings.mail_from,
)
queue = SqsQueue(settings.notify_queue_url)
worker = Notifier(
    {ACCOUNT_EMAIL: AccountEmails(SesMailer(settings.mail_from))},
    OperationsRepository(settings.operations_table),
    SqsQueue(settings.notify_dlq_url),
)
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class ComeBackLater(Exception):
    """Not a failure: the message returns when its notification is due (its visibility was set so)."""


def send(record: SQSRecord) -> None:
    outcome = worker.process(record.message_id, record.body)
    if outcome.done:
        return
    try:
        queue.wait(record.receipt_handle, outcome.wait_seconds)
    except Exception:  # the message comes back after the queue's own visibility timeout instead
        logger.warning("could not reschedule the message", message_id=record.message_id)
    raise ComeBackLater(f"due in {outcome.wait_seconds} s")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response = process_partial_response(
        event=event, record_handler=send, processor=processor, context=context
    )
    return dict(response)
