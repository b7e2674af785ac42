"""The notifier worker: each message of the notify queue is one notification (a kind and its
payload), sent on its kind's channel. One attempt is made when it is due, and a message that must
wait comes back then (operations.consumer). An event (kind `event`) is fanned out to the people
and webhooks it concerns, as notifications of their own on this same queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.accounts.notice_recipients import AccountRecipients
from partnerka.accounts.repository import AccountRepository
from partnerka.branding.book import BrandBook
from partnerka.branding.repository import BrandRepository
from partnerka.common.config import APP_BASE_URL_HINT, base_url, read_settings, setting
from partnerka.common.observability import logger, metrics, tracer
from partnerka.common.pynamo import use_core_table
from partnerka.domains.links import LinkBases
from partnerka.domains.repository import DomainRepository
from partnerka.notifications.email import ACCOUNT_EMAIL, AccountEmails, SesMailer
from partnerka.notifications.events import EVENT
from partnerka.notifications.fanout import FanOut
from partnerka.notifications.folding import Folding, FoldRepository
from partnerka.notifications.inbox import InboxRepository
from partnerka.notifications.notifier import Channel, Notifier
from partnerka.notifications.outbox import Outbox
from partnerka.notifications.preferences import PreferenceRepository
from partnerka.operations.consumer import QueueConsumer
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class Settings:
    operations_table: str  # every notification's attempts
    notify_queue_url: str  # read from, and where an event's e-mails and messages are posted
    notify_dlq_url: str
    core_table: str  # people, preferences, inboxes, fold counters, brands and domains
    mail_from: str  # the SES identity e-mails are sent as
    platform_name: str  # the name messages carry where no advertiser's brand applies
    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)  # where messages' links point


settings = read_settings(Settings)
use_core_table(settings.core_table)
operations = OperationsRepository(settings.operations_table)
outbox = Outbox(SqsQueue(settings.notify_queue_url), operations)
fan_out = FanOut(
    AccountRecipients(AccountRepository()),
    PreferenceRepository(settings.core_table),
    InboxRepository(settings.core_table),
    Folding(FoldRepository(settings.core_table)),
    outbox,
    BrandBook(BrandRepository(), settings.platform_name),
    LinkBases(DomainRepository(), settings.app_base_url),
    settings.app_base_url,
    settings.platform_name,
)
channels: dict[str, Channel] = {
    ACCOUNT_EMAIL: AccountEmails(SesMailer(settings.mail_from), settings.platform_name),
    EVENT: fan_out,
}
worker = Notifier(channels, operations, SqsQueue(settings.notify_dlq_url))
consumer = QueueConsumer(worker, SqsQueue(settings.notify_queue_url))


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.consume(event, context)
