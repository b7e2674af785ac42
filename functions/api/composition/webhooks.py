"""The webhook endpoints' service."""

from __future__ import annotations

from composition import audit, service
from partnerka.common.config import read_settings
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.composition import WebhookServiceSettings, webhook_service
from partnerka.postbacks.webhooks import WebhookService


@service
def webhooks() -> WebhookService:
    settings = read_settings(WebhookServiceSettings)
    return webhook_service(settings, OperationsRepository(settings.operations_table), audit())
