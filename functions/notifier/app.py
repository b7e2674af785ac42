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
from partnerka.common.secrets import secret_reader
from partnerka.domains.links import LinkBases
from partnerka.domains.repository import DomainRepository
from partnerka.notifications.composition import telegram_channel
from partnerka.notifications.email import ACCOUNT_EMAIL, AccountEmails, SesMailer
from partnerka.notifications.event_email import EVENT_EMAIL, EventEmails
from partnerka.notifications.events import EVENT
from partnerka.notifications.fanout import FanOut
from partnerka.notifications.folding import Folding, FoldRepository
from partnerka.notifications.inbox import InboxRepository
from partnerka.notifications.messages import render
from partnerka.notifications.notifier import Channel, Notifier
from partnerka.notifications.preferences import PreferenceRepository
from partnerka.notifications.repository import TelegramLinkRepository
from partnerka.notifications.telegram import TELEGRAM
from partnerka.notifications.telegram_bot import TelegramSettings
from partnerka.notifications.unsubscribe import UnsubscribeTokens
from partnerka.notifications.webhooks import WebhookEndpointRepository
from partnerka.offers.names import NoticeNames
from partnerka.operations.consumer import QueueConsumer
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.repository import DeliveryRepository
from partnerka.postbacks.webhooks import WebhookDispatcher


@dataclass(frozen=True, slots=True)
class Settings:
    operations_table: str  # every notification's attempts
    notify_queue_url: str  # read from, and where an event's e-mails and messages are posted
    notify_dlq_url: str
    core_table: str  # people, preferences, inboxes, fold counters, brands and domains
    mail_from: str  # the SES identity e-mails are sent as
    platform_name: str  # the name messages carry where no advertiser's brand applies
    postback_queue_url: str  # webhook deliveries go to the postback sender
    jwt_secret_arn: str  # the key unsubscribe links are signed with is derived from it
    telegram_secret_arn: str  # the platform bot's token
    app_base_url: str = setting(base_url, APP_BASE_URL_HINT)  # where messages' links point


settings = read_settings(Settings)
use_core_table(settings.core_table)
operations = OperationsRepository(settings.operations_table)
notify_queue = SqsQueue(settings.notify_queue_url)
mailer = SesMailer(settings.mail_from)
fan_out = FanOut(
    AccountRecipients(AccountRepository()),
    PreferenceRepository(settings.core_table),
    InboxRepository(settings.core_table),
    Folding(FoldRepository(settings.core_table)),
    notify_queue,
    BrandBook(BrandRepository(), settings.platform_name),
    LinkBases(DomainRepository(), settings.app_base_url),
    settings.app_base_url,
    settings.platform_name,
    telegram=TelegramLinkRepository(settings.core_table),
    webhooks=WebhookDispatcher(
        WebhookEndpointRepository(settings.core_table),
        DeliveryRepository(operations),
        SqsQueue(settings.postback_queue_url).send,
    ),
    unsubscribe=UnsubscribeTokens(secret_reader(settings.jwt_secret_arn)).unsubscribe_token,
    names=NoticeNames(),
)
channels: dict[str, Channel] = {
    ACCOUNT_EMAIL: AccountEmails(mailer, settings.platform_name),
    EVENT: fan_out,
    EVENT_EMAIL: EventEmails(mailer, settings.platform_name),
    TELEGRAM: telegram_channel(read_settings(TelegramSettings), render),
}
worker = Notifier(channels, operations, SqsQueue(settings.notify_dlq_url))
consumer = QueueConsumer(worker, notify_queue)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return consumer.consume(event, context)
