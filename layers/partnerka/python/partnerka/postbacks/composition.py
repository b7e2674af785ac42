"""Builds the postbacks and webhooks services from the settings, for the dashboard API (the sender,
the orchestrator and the notifier wire their own parts)."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.accounts.repository import AccountRepository
from partnerka.audit.service import AuditTrail
from partnerka.common.config import host_names, setting
from partnerka.common.pynamo import use_core_table
from partnerka.notifications.webhooks import WebhookEndpointRepository
from partnerka.operations.queue import SqsQueue
from partnerka.postbacks.repository import DeliveryOperations, DeliveryRepository, PostbackSettingsRepository
from partnerka.postbacks.sender import HttpSender
from partnerka.postbacks.service import PostbackService
from partnerka.postbacks.ssrf import loopback_allowed
from partnerka.postbacks.webhooks import WebhookService


@dataclass(frozen=True, slots=True)
class PostbackServiceSettings:
    """Affiliates' postback settings (core table), the deliveries' log and queue, and the guard of the
    test button's requests: loopback receivers only where the stage and the switch allow them, and
    the platform's whitelist of postback domains (empty: any public host)."""

    core_table: str
    operations_table: str
    postback_queue_url: str
    stage: str
    allow_loopback_postbacks: str
    postback_allowed_domains: tuple[str, ...] = setting(host_names, default=())


def postback_service(
    settings: PostbackServiceSettings, operations: DeliveryOperations, audit: AuditTrail
) -> PostbackService:
    use_core_table(settings.core_table)
    store = PostbackSettingsRepository(settings.core_table)
    accounts = AccountRepository()
    allow_loopback = loopback_allowed(settings.stage, settings.allow_loopback_postbacks)

    def advertisers_of(affiliate_id: str) -> frozenset[str]:
        """The advertisers the affiliate works with: its active memberships' mirror."""
        return frozenset(accounts.get_affiliate(affiliate_id).approved_advertisers or ())

    return PostbackService(
        store,
        DeliveryRepository(operations),
        # The test button answers within the API function's 10 s timeout.
        HttpSender(
            allow_loopback=allow_loopback,
            platform_domains=settings.postback_allowed_domains,
            total_timeout=5.0,
        ),
        SqsQueue(settings.postback_queue_url).send,
        allow_loopback,
        store.advertiser_domains,
        advertisers_of,
        audit,
    )


@dataclass(frozen=True, slots=True)
class WebhookServiceSettings:
    """Webhook endpoints (core table), their deliveries' log, and the guard of the URLs they save
    and of the test button's requests: the postbacks' own."""

    core_table: str
    operations_table: str
    stage: str
    allow_loopback_postbacks: str
    postback_allowed_domains: tuple[str, ...] = setting(host_names, default=())


def webhook_service(
    settings: WebhookServiceSettings, operations: DeliveryOperations, audit: AuditTrail
) -> WebhookService:
    allow_loopback = loopback_allowed(settings.stage, settings.allow_loopback_postbacks)
    return WebhookService(
        WebhookEndpointRepository(settings.core_table),
        DeliveryRepository(operations),
        # The test button answers within the API function's timeout.
        HttpSender(
            allow_loopback=allow_loopback,
            platform_domains=settings.postback_allowed_domains,
            total_timeout=5.0,
        ),
        allow_loopback,
        audit,
        PostbackSettingsRepository(settings.core_table).advertiser_domains,
    )
