"""The finance worker: each message of the finance queue (FIFO, one group per affiliate account) is
one conversion event; it posts the journals the event moves (finance.service), exactly once. An event
that must wait for an earlier one (an approval before its arrival) fails, and with it the rest of its
group in the batch, so the queue hands the group's messages back in order; other groups go on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tenant_keys, tracer
from partnerka.finance.composition import low_balance_watch
from partnerka.finance.repository import LedgerRepository
from partnerka.finance.service import FinanceEvent, post_event
from partnerka.notifications.events import QueuedNotices
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class Settings:
    ledger_table: str
    core_table: str  # thresholds and low-balance flags
    notify_queue_url: str
    operations_table: str  # a notice the queue refuses is kept there


settings = read_settings(Settings)
ledger = LedgerRepository(settings.ledger_table)
notices = QueuedNotices(
    Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table))
)
low_balance = low_balance_watch(ledger, settings.core_table, notices)
# A message that fails (an approval before its arrival, or a poison message) holds back its own
# group, the one affiliate account whose order matters, and no other: the queue hands that group's
# messages back in order and its DLQ takes a message that never succeeds.
processor = SqsFifoPartialProcessor(skip_group_on_error=True)


def post(record: SQSRecord) -> None:
    event = FinanceEvent.from_message(record.body)
    with logger.append_context_keys(
        **tenant_keys(event.money.advertiser_id, affiliate_id=event.money.affiliate_id)
    ):
        posted = post_event(ledger, event)
        logger.info("finance event", event_id=event.event_id, posted=posted)
        if event.moves_balance:
            # Also when nothing was posted now: a retry after a crash before the check checks it.
            low_balance.check(event.money.advertiser_id, {event.money.currency}, event.event_id)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response = process_partial_response(
        event=event, record_handler=post, processor=processor, context=context
    )
    return dict(response)
