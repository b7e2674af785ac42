"""GET /click: record the click and redirect the visitor (one write, zero reads when warm)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from partnerka.common import http
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.edge import TrackingEdgeSettings, edge_trust
from partnerka.common.observability import logger
from partnerka.tracking.asn import AsnDatabase
from partnerka.tracking.caps import CapCounterRepository
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.models import ClickRequest
from partnerka.tracking.pages import unavailable_page
from partnerka.tracking.repository import CachedRouteRepository, ClickRepository
from partnerka.tracking.service import record_click


@dataclass(frozen=True, slots=True)
class Settings:
    core_table: str  # offers' routes, read through a short cache
    clicks_table: str
    caps_table: str
    geoip_db_path: str  # the GeoLayer's country database
    click_ttl_days: int  # the attribution window: a click expires after it
    route_cache_seconds: float  # how long a pause, a suspension or a block list change may take to show

    @property
    def asn_ranges_path(self) -> str:
        """Every network's address ranges lie beside the country database, in the GeoLayer."""
        return os.path.join(os.path.dirname(self.geoip_db_path), "asn.ranges")


settings = read_settings(Settings)
edge_settings = read_settings(TrackingEdgeSettings)
edge = edge_trust(edge_settings)
routes = CachedRouteRepository(settings.core_table, settings.route_cache_seconds)
clicks = ClickRepository(settings.clicks_table)
caps = CapCounterRepository(settings.caps_table)
geo = GeoLocator(settings.geoip_db_path)
asns = AsnDatabase(settings.asn_ranges_path)  # read on the first click an ASN block list looks at


def handler(event: http.Event, context: Any) -> http.Response:
    viewer = edge.viewer(event)
    if edge_settings.edge_required and not viewer.via_edge:
        logger.info("click refused", reason="not_through_edge")
        return http.html(403, unavailable_page(http.header(event, "accept-language")))
    params = http.query_params(event)
    request = ClickRequest(
        offer_id=params.get("o", ""),
        affiliate_id=params.get("a", ""),
        subs=params,
        ip=viewer.ip,
        user_agent=http.header(event, "user-agent"),
        viewer_country=viewer.country,
        host=viewer.host,
        referrer=http.header(event, "referer"),
    )
    try:
        outcome = record_click(
            request, routes, clicks, geo, utc_now(), settings.click_ttl_days, caps, asns=asns.asn
        )
    except Exception:
        logger.exception("click routing failed", offer_id=request.offer_id)
        return http.html(404, unavailable_page(http.header(event, "accept-language")))
    if outcome.reason is not None:
        logger.info("click refused", reason=outcome.reason.value, offer_id=request.offer_id)
    if outcome.location:
        return http.redirect(outcome.location)
    return http.html(404, unavailable_page(http.header(event, "accept-language")))
