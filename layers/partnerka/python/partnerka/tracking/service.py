"""Recording a click and choosing where the visitor goes."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from partnerka.accounts.routing import AdvertiserRoute, AffiliateRoute
from partnerka.common.ids import is_id, new_click_id
from partnerka.common.observability import logger
from partnerka.offers.destinations import is_safe_destination
from partnerka.offers.routing import AccessRoute, CapMetric, CapPeriod, OfferRoute
from partnerka.tracking.blocking import Address, BlockList, Visit
from partnerka.tracking.bots import looks_like_bot
from partnerka.tracking.caps import CapCounter, CapSlot
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.macros import fill_macros
from partnerka.tracking.models import (
    MAX_SUB_LENGTH,
    MAX_USER_AGENT_LENGTH,
    SUB_KEYS,
    UNKNOWN_AFFILIATE,
    Click,
    ClickRequest,
)
from partnerka.tracking.repository import ClickStore, RouteSource


class RejectReason(StrEnum):
    """Why a click was not sent to the offer's landing; stored on the click as `reason`."""

    UNKNOWN_OFFER = "unknown_offer"
    OFFER_PAUSED = "offer_paused"
    UNKNOWN_AFFILIATE = "unknown_affiliate"
    AFFILIATE_NOT_APPROVED = "affiliate_not_approved"
    OFFER_NOT_ALLOWED = "offer_not_allowed"
    GEO_BLOCKED = "geo_blocked"
    CAP_REACHED = "cap_reached"
    BOT = "bot"
    # The landing takes its host from a macro or holds a control character: an offer saved before
    # the URL rule (offers.destinations); the visitor gets the fallback, never that URL.
    UNSAFE_LANDING = "unsafe_landing"
    # The link came by another advertiser's tracking domain: a custom domain serves only its own
    # advertiser's offers. The visitor gets the plain page (not the offer's fallback: the domain is
    # not that advertiser's to send traffic from).
    FOREIGN_DOMAIN = "foreign_domain"
    # The click matched one of the advertiser's or the offer's block lists (addresses, networks,
    # countries, sub-ids, referrers, browsers): counted as blocked, sent to the fallback.
    BLOCKED_BY_RULE = "blocked_by_rule"
    # Platform staff suspended the offer's advertiser, or the affiliate (everywhere, or in this
    # advertiser's program only).
    ADVERTISER_SUSPENDED = "advertiser_suspended"
    AFFILIATE_SUSPENDED = "affiliate_suspended"


@dataclass(frozen=True, slots=True)
class ClickOutcome:
    """Where the visitor goes (None: the plain page), the stored click, and why it was refused."""

    location: str | None
    click: Click | None
    reason: RejectReason | None = None


def no_asn(address: Address) -> int | None:
    """For a click path without the ASN database: no address has a known network."""
    return None


def record_click(
    request: ClickRequest,
    routes: RouteSource,
    clicks: ClickStore,
    geo: GeoLocator,
    now: datetime,
    ttl_days: int,
    caps: CapCounter,
    roll: Callable[[], float] = random.random,
    asns: Callable[[Address], int | None] = no_asn,
) -> ClickOutcome:
    """Check the click (suspensions; offer, affiliate, membership and access; GEO; block lists; a
    safe landing; caps; bot), store it in one write (two when a click cap applies: the counter
    first), and choose where the visitor goes: a landing by weight, else the offer's fallback URL
    (when that is safe too). `asns` names the network announcing an address, asked only when a block
    list has ASN entries.

    A refused click is stored too, with its reason, whenever it names a real offer; ids that are not
    even well-formed are refused before any lookup and store nothing, so junk links cost no reads.
    """
    if not is_id(request.offer_id):
        return ClickOutcome(None, None, RejectReason.UNKNOWN_OFFER)
    affiliate_id = request.affiliate_id if is_id(request.affiliate_id) else None
    found = routes.routes(request.offer_id, affiliate_id, request.host)
    offer, affiliate, access = found.offer, found.affiliate, found.access
    if offer is None:
        return ClickOutcome(None, None, RejectReason.UNKNOWN_OFFER)
    country = geo.country(request.ip, request.viewer_country)
    foreign = found.host_owner is not None and found.host_owner != offer.advertiser_id
    reason = (
        RejectReason.FOREIGN_DOMAIN
        if foreign
        else _check(found.advertiser, offer, affiliate, access, country)
    )
    subs = {key: value[:MAX_SUB_LENGTH] for key, value in request.subs.items() if key in SUB_KEYS and value}
    blocked_by = _blocked_by(found.blocks, request, country, subs, asns) if reason is None else None
    if blocked_by is not None:
        reason = RejectReason.BLOCKED_BY_RULE
    landing = offer.pick_landing(roll()) if reason is None else ""
    if reason is None and not is_safe_destination(landing):
        reason = RejectReason.UNSAFE_LANDING
    if reason is None and not caps.take(click_cap_slots(offer, access, now)):
        reason = RejectReason.CAP_REACHED
    if reason is None and looks_like_bot(request.user_agent):
        reason = RejectReason.BOT
    click = Click(
        click_id=new_click_id(),
        offer_id=offer.offer_id,
        affiliate_id=request.affiliate_id if affiliate is not None else UNKNOWN_AFFILIATE,
        advertiser_id=offer.advertiser_id,
        ip=request.ip,
        country=country,
        user_agent=request.user_agent[:MAX_USER_AGENT_LENGTH],
        created_at=now,
        expires_at=int((now + timedelta(days=ttl_days)).timestamp()),
        subs=subs,
        reason=reason.value if reason else None,
        blocked_by=blocked_by,
    )
    try:
        clicks.put(click)
    except Exception:
        # Never a 5xx to a visitor: the advertiser still gets the visit, and the lost click is logged
        # at error level (an alarm on the log, not a metric line per click, keeps clicks cheap).
        logger.exception("click not stored", click_id=click.click_id, offer_id=click.offer_id)
    target = landing if reason is None else offer.fallback_url
    if reason is RejectReason.FOREIGN_DOMAIN:
        return ClickOutcome(None, click, reason)
    if not target or not is_safe_destination(target):
        return ClickOutcome(None, click, reason)
    macro_values = {
        "click_id": click.click_id,
        "affiliate_id": click.affiliate_id,
        "offer_id": click.offer_id,
        "advertiser_id": click.advertiser_id,
        "country": country,
        "timestamp": str(int(now.timestamp())),
        **{key: subs.get(key, "") for key in SUB_KEYS},
    }
    return ClickOutcome(fill_macros(target, macro_values), click, reason)


def _check(
    advertiser: AdvertiserRoute | None,
    offer: OfferRoute,
    affiliate: AffiliateRoute | None,
    access: AccessRoute | None,
    country: str,
) -> RejectReason | None:
    """The first suspension, status, membership, access or GEO rule the click breaks, or None (block
    lists, a safe landing, caps and the bot pattern come after, in that order)."""
    if advertiser is not None and advertiser.is_suspended:
        return RejectReason.ADVERTISER_SUSPENDED
    if not offer.is_active:
        return RejectReason.OFFER_PAUSED
    if affiliate is None or access is None:
        return RejectReason.UNKNOWN_AFFILIATE
    if affiliate.is_suspended_by(offer.advertiser_id):
        return RejectReason.AFFILIATE_SUSPENDED
    if not affiliate.may_send_traffic_to(offer.advertiser_id):
        return RejectReason.AFFILIATE_NOT_APPROVED
    if not offer.admits(access.access):
        return RejectReason.OFFER_NOT_ALLOWED
    if not offer.admits_country(country):
        return RejectReason.GEO_BLOCKED
    return None


def _blocked_by(
    blocks: tuple[BlockList, ...],
    request: ClickRequest,
    country: str,
    subs: dict[str, str],
    asns: Callable[[Address], int | None],
) -> str | None:
    """The first entry of the advertiser's list, then the offer's, that the click matches."""
    if not blocks:
        return None
    visit = Visit(request.ip, country, subs, request.referrer, request.user_agent, asns)
    for block_list in blocks:
        entry = block_list.blocked_by(visit)
        if entry is not None:
            return entry
    return None


_BUCKET_LIFETIME = {CapPeriod.DAY: timedelta(days=2), CapPeriod.MONTH: timedelta(days=40)}


def cap_slots(
    offer: OfferRoute, access: AccessRoute | None, metric: CapMetric, now: datetime, amount: int = 1
) -> list[CapSlot]:
    """The counters one event counts into: the offer's caps on `metric` and the affiliate's own. A
    count (clicks, conversions) may be spread over shards (tracking.caps); a payout budget may not."""
    owners = [(f"CAP#{offer.offer_id}", offer.caps)]
    if access is not None:
        owners.append((f"CAP#{offer.offer_id}#AFF#{access.affiliate_id}", access.caps))
    slots = []
    for pk, caps in owners:
        for cap in caps:
            if cap.metric is metric:
                lifetime = _BUCKET_LIFETIME.get(cap.period)
                expires = int((now + lifetime).timestamp()) if lifetime else None
                sk = f"{metric.value}#{cap.period.value}#{cap.bucket(now)}"
                spread = metric is not CapMetric.PAYOUT
                slots.append(CapSlot(pk, sk, cap.limit, expires, amount, spread))
    return slots


def click_cap_slots(offer: OfferRoute, access: AccessRoute | None, now: datetime) -> list[CapSlot]:
    return cap_slots(offer, access, CapMetric.CLICKS, now)
