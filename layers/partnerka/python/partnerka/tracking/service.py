"""Recording a click and choosing where the visitor goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from partnerka.common.ids import is_id, new_click_id
from partnerka.common.observability import logger
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.macros import fill_macros
from partnerka.tracking.models import MAX_SUB_LENGTH, MAX_USER_AGENT_LENGTH, SUB_KEYS, Click, ClickRequest
from partnerka.tracking.repository import ClickStore, RouteSource


class RejectReason(StrEnum):
    UNKNOWN_OFFER = "unknown_offer"
    OFFER_INACTIVE = "offer_inactive"
    UNKNOWN_AFFILIATE = "unknown_affiliate"
    AFFILIATE_NOT_APPROVED = "affiliate_not_approved"


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str
    click: Click


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: RejectReason


def record_click(
    request: ClickRequest,
    routes: RouteSource,
    clicks: ClickStore,
    geo: GeoLocator,
    now: datetime,
    ttl_days: int,
) -> Redirect | Rejected:
    """Check the offer and the affiliate, store the click in one write, and build the landing URL.

    Ids that are not well-formed are refused before any lookup, so junk links cost no reads.
    """
    if not is_id(request.offer_id):
        return Rejected(RejectReason.UNKNOWN_OFFER)
    if not is_id(request.affiliate_id):
        return Rejected(RejectReason.UNKNOWN_AFFILIATE)
    offer, affiliate = routes.routes(request.offer_id, request.affiliate_id)
    if offer is None:
        return Rejected(RejectReason.UNKNOWN_OFFER)
    if not offer.is_active:
        return Rejected(RejectReason.OFFER_INACTIVE)
    if affiliate is None:
        return Rejected(RejectReason.UNKNOWN_AFFILIATE)
    if not affiliate.may_send_traffic_to(offer.advertiser_id):
        return Rejected(RejectReason.AFFILIATE_NOT_APPROVED)

    subs = {key: value[:MAX_SUB_LENGTH] for key, value in request.subs.items() if key in SUB_KEYS and value}
    click = Click(
        click_id=new_click_id(),
        offer_id=offer.offer_id,
        affiliate_id=request.affiliate_id,
        advertiser_id=offer.advertiser_id,
        ip=request.ip,
        country=geo.country(request.ip, request.viewer_country),
        user_agent=request.user_agent[:MAX_USER_AGENT_LENGTH],
        created_at=now,
        expires_at=int((now + timedelta(days=ttl_days)).timestamp()),
        subs=subs,
    )
    try:
        clicks.put(click)
    except Exception:
        # Never a 5xx to a visitor: the advertiser still gets the visit, and the lost click is logged
        # at error level (an alarm on the log, not a metric line per click, keeps clicks cheap).
        logger.exception("click not stored", click_id=click.click_id, offer_id=click.offer_id)
    macro_values = {
        "click_id": click.click_id,
        "affiliate_id": click.affiliate_id,
        "offer_id": click.offer_id,
        "advertiser_id": click.advertiser_id,
        **{key: subs.get(key, "") for key in SUB_KEYS},
    }
    return Redirect(location=fill_macros(offer.landing_url, macro_values), click=click)
