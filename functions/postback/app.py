"""GET or POST /postback: an advertiser reports a lead, sale or rejection against a click."""

from __future__ import annotations

from typing import Any

from partnerka.common import http
from partnerka.common.clock import utc_now
from partnerka.common.config import get_settings
from partnerka.common.errors import DomainError, ErrorCode
from partnerka.common.observability import logger
from partnerka.conversions.models import PostbackRequest
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.service import record_conversion
from partnerka.tracking.repository import CachedRouteRepository, ClickRepository

settings = get_settings()
routes = CachedRouteRepository(settings.core_table, settings.route_cache_seconds)
clicks = ClickRepository(settings.clicks_table)
conversions = ConversionRepository(settings.conversions_table)


def handler(event: http.Event, context: Any) -> http.Response:
    params = http.form_params(event) if http.method(event) == "POST" else {}
    params.update(http.query_params(event))
    postback = PostbackRequest(
        click_id=params.get("click_id", "").strip(),
        status=params.get("status", ""),
        secret=params.get("secret", ""),
        txn_id=params.get("txn_id", "").strip(),
        payout=params.get("payout", "").strip(),
        source_ip=http.source_ip(event),
        goal=params.get("goal", "").strip()[:32],
        amount=params.get("amount", "").strip(),
        currency=params.get("currency", "").strip(),
    )
    try:
        result = record_conversion(postback, clicks, routes, conversions, utc_now())
    except DomainError as error:
        logger.info("postback refused", code=error.code.value, click_id=postback.click_id)
        return http.error(error.status, error.code, error.message)
    except Exception:
        logger.exception("postback failed", click_id=postback.click_id)
        return http.error(500, ErrorCode.INTERNAL, "the postback could not be recorded; retry later")
    logger.info("postback recorded", conversion_id=result.conversion_id, duplicate=result.duplicate)
    return http.json_body(
        200,
        {"result": "duplicate" if result.duplicate else "recorded", "conversion_id": result.conversion_id},
    )
