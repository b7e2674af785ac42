"""The postbacks service: affiliates' settings, the test button, deliveries and replays."""

from __future__ import annotations

from composition import audit, service
from partnerka.common.config import read_settings
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.composition import PostbackServiceSettings, postback_service
from partnerka.postbacks.service import PostbackService


@service
def postbacks() -> PostbackService:
    settings = read_settings(PostbackServiceSettings)
    return postback_service(settings, OperationsRepository(settings.operations_table), audit())
