"""GET or POST /postback, and GET /pixel.gif: an advertiser reports a lead, a sale or a rejection
against a click. The pixel always answers a 1x1 GIF (it sits in a browser's page), with the
outcome in a header; the postback answers JSON."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from partnerka.common import http
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings, setting
from partnerka.common.edge import TrackingEdgeSettings, edge_trust
from partnerka.common.errors import DomainError, ErrorCode
from partnerka.common.observability import logger
from partnerka.conversions.models import PostbackRequest
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.service import PostbackResult, record_conversion
from partnerka.stats.click_signals import RecordedClickSignals
from partnerka.stats.quality_store import QualityRepository
from partnerka.tracking.caps import CapCounterRepository
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.repository import CachedRouteRepository, ClickRepository


@dataclass(frozen=True, slots=True)
class Settings:
    core_table: str  # offers' routes, read through a short cache
    clicks_table: str
    conversions_table: str
    caps_table: str
    stats_table: str  # the orchestrator's verdicts on clicks, for fraud rules
    geoip_db_path: str  # the GeoLayer: the hosting networks' ranges lie beside the country database
    route_cache_seconds: float = setting(default=30.0)


settings = read_settings(Settings)
edge_settings = read_settings(TrackingEdgeSettings)
edge = edge_trust(edge_settings)
routes = CachedRouteRepository(settings.core_table, settings.route_cache_seconds)
clicks = ClickRepository(settings.clicks_table)
conversions = ConversionRepository(settings.conversions_table)
caps = CapCounterRepository(settings.caps_table)
inspector = RecordedClickSignals(
    QualityRepository(settings.stats_table), DatacenterRanges.beside(settings.geoip_db_path)
)

_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _request(event: http.Event, pixel: bool, source_ip: str, host: str) -> PostbackRequest:
    params = http.request_params(event) if not pixel else http.query_params(event)
    return PostbackRequest(
        click_id=params.get("click_id", "").strip(),
        status=params.get("status", "") or ("sale" if params.get("goal") else ""),
        secret=params.get("secret", ""),
        txn_id=params.get("txn_id", "").strip(),
        offer_id=params.get("offer_id", "").strip()[:64],
        payout=params.get("payout", "").strip(),
        source_ip=source_ip,
        goal=params.get("goal", "").strip()[:32],
        amount=params.get("amount", "").strip(),
        currency=params.get("currency", "").strip(),
        reason=params.get("reason", "").strip()[:32],
        secret_optional=pixel,
        host=host,
    )


def _record(postback: PostbackRequest) -> PostbackResult | DomainError:
    try:
        result = record_conversion(postback, clicks, routes, conversions, utc_now(), caps, inspector)
    except DomainError as error:
        logger.info("postback refused", code=error.code.value, click_id=postback.click_id)
        return error
    logger.info("postback recorded", conversion_id=result.conversion_id, outcome=result.outcome)
    return result


def handler(event: http.Event, context: Any) -> http.Response:
    pixel = str(event.get("rawPath", "")).endswith("/pixel.gif")
    viewer = edge.viewer(event)
    if edge_settings.edge_required and not viewer.via_edge:
        logger.info("postback refused", code=ErrorCode.FORBIDDEN.value, reason="not_through_edge")
        message = "postbacks are accepted on the platform's tracking domain only"
        return (
            http.gif(_PIXEL, "not_through_edge") if pixel else http.error(403, ErrorCode.FORBIDDEN, message)
        )
    try:
        postback = _request(event, pixel, viewer.ip, viewer.host)
    except DomainError as error:  # a body that cannot be read as its Content-Type says
        logger.info("postback unreadable", code=error.code.value, reason=error.message)
        return (
            http.gif(_PIXEL, error.code.value)
            if pixel
            else http.error(error.status, error.code, error.message)
        )
    try:
        outcome = _record(postback)
    except Exception:
        logger.exception("postback failed", click_id=postback.click_id)
        if pixel:
            return http.gif(_PIXEL, "internal_error")
        return http.error(500, ErrorCode.INTERNAL, "the postback could not be recorded; retry later")
    if pixel:
        return http.gif(_PIXEL, outcome.code.value if isinstance(outcome, DomainError) else outcome.outcome)
    if isinstance(outcome, DomainError):
        return http.error(outcome.status, outcome.code, outcome.message)
    return http.json_body(200, {"result": outcome.outcome, "conversion_id": outcome.conversion_id})
