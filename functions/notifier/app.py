"""The notifier worker: each message of the notify queue is one notification (a kind and its
payload). One attempt is made when it is due, and a message that must wait comes back then
(operations.consumer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.common.config import read_settings
from partnerka.common.observability import logger, metrics, tracer
from partnerka.notifications.email import ACCOUNT_EMAIL, AccountEmails, SesMailer
from partnerka.notifications.notifier import Notifier
from partnerka.operations.consumer import QueueConsumer
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class Settings:
    operations_table: str  # every notification's attempts
    notify_queue_url: str
    notify_dlq_url: str
    mail_from: str  # the SES identity account e-mails are sent as
    platform_name: str  # the name e-mails carry where no advertiser's brand applies


settings = read_settings(Settings)
worker = Notifier(
    {ACCOUNT_EMAIL: AccountEmails(SesMailer(settings.mail_from), settings.platform_name)},
    OperationsRepository(settings.operations_table),
    SqsQueue(settings.notify_dlq_url),
)
consumer = QueueConsumer(worker, SqsQueue(settings.notify_queue_url))


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.consume(event, context)
