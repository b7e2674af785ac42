"""Recording an advertiser's postback as a conversion."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from partnerka.common.errors import DomainError, ErrorCode, ValidationFailed
from partnerka.common.ids import is_click_id, new_id
from partnerka.common.money import currency_code, parse_amount
from partnerka.conversions.models import Conversion, ConversionStatus, PostbackRequest, dedupe_key
from partnerka.conversions.repository import ConversionStore
from partnerka.offers.routing import OfferRoute
from partnerka.tracking.repository import ClickStore, RouteSource

MAX_TXN_ID_LENGTH = 128


class ClickNotFound(DomainError):
    code = ErrorCode.CLICK_NOT_FOUND


class ClickExpired(DomainError):
    code = ErrorCode.CLICK_EXPIRED


class InvalidSecret(DomainError):
    code = ErrorCode.INVALID_SECRET


class SourceNotAllowed(DomainError):
    """The advertiser whitelisted the addresses its postbacks come from, and this is not one."""

    code = ErrorCode.IP_NOT_ALLOWED


@dataclass(frozen=True, slots=True)
class PostbackResult:
    conversion_id: str
    duplicate: bool


def record_conversion(
    postback: PostbackRequest,
    clicks: ClickStore,
    routes: RouteSource,
    conversions: ConversionStore,
    now: datetime,
) -> PostbackResult:
    """Validate the postback, price it by the offer's rules and store it exactly once.

    The repeat of a transaction id stores nothing and reports `duplicate`: advertisers retry, and a
    retried sale must never be paid twice.
    """
    status = _parse_status(postback.status)
    if not postback.click_id:
        raise ValidationFailed("click_id is required")
    if len(postback.txn_id) > MAX_TXN_ID_LENGTH:
        raise ValidationFailed(f"txn_id is longer than {MAX_TXN_ID_LENGTH} characters")
    click = clicks.get(postback.click_id) if is_click_id(postback.click_id) else None
    if click is None:
        raise ClickNotFound(f"no click with id '{postback.click_id}'")
    if click.reason:
        raise ClickNotFound(f"click '{postback.click_id}' was refused ({click.reason}) and cannot convert")
    if click.expires_at <= now.timestamp():
        raise ClickExpired(f"click '{postback.click_id}' is past its attribution window")
    found = routes.conversion_routes(click.offer_id, click.affiliate_id, click.advertiser_id)
    offer = found.offer
    if not found.rules.admits(postback.source_ip):
        raise SourceNotAllowed(f"postbacks from {postback.source_ip or 'this address'} are not allowed")
    if offer is None or not hmac.compare_digest(postback.secret.encode(), offer.postback_secret.encode()):
        raise InvalidSecret("the postback secret does not match the offer")
    goal_key = (postback.goal or status.value).strip().lower()
    payout, revenue, amount = _price(offer, found.access.payouts.get(goal_key), goal_key, status, postback)
    conversion = Conversion(
        conversion_id=new_id(),
        dedupe_key=dedupe_key(click.advertiser_id, click.offer_id, goal_key, click.click_id, postback.txn_id),
        click_id=click.click_id,
        offer_id=click.offer_id,
        affiliate_id=click.affiliate_id,
        advertiser_id=click.advertiser_id,
        status=status,
        payout_minor=payout,
        revenue_minor=revenue,
        goal=goal_key,
        amount_minor=amount,
        currency=offer.currency,
        created_at=now,
        txn_id=postback.txn_id,
        country=click.country,
        user_agent=click.user_agent,
        click_created_at=click.created_at,
        subs=click.subs,
    )
    existing = conversions.insert(conversion)
    if existing is not None:
        return PostbackResult(conversion_id=existing, duplicate=True)
    return PostbackResult(conversion_id=conversion.conversion_id, duplicate=False)


def _price(
    offer: OfferRoute,
    override: int | None,
    goal_key: str,
    status: ConversionStatus,
    postback: PostbackRequest,
) -> tuple[int, int, int | None]:
    """Payout, revenue and sale amount (minor units) by the offer's goal and the affiliate's override.

    A rejection pays nothing; a goal the offer does not price is recorded with no money; a goal
    priced as a percentage needs the sale amount. An explicit `payout` overrides the payout.
    """
    if postback.currency and currency_code(postback.currency) != offer.currency:
        raise ValidationFailed(f"this offer is paid in {offer.currency}, not {postback.currency.upper()}")
    amount = parse_amount(postback.amount, offer.currency).minor if postback.amount else None
    goal = offer.goal(goal_key)
    if status is ConversionStatus.REJECTED:
        return 0, 0, amount
    if goal is None:
        if postback.goal:
            raise ValidationFailed(f"the offer has no goal '{goal_key}'")
        return (parse_amount(postback.payout, offer.currency).minor if postback.payout else 0), 0, amount
    if goal.needs_amount and amount is None:
        raise ValidationFailed(f"goal '{goal_key}' pays a share of the sale: send amount")
    payout = (
        parse_amount(postback.payout, offer.currency).minor
        if postback.payout
        else goal.payout_for(amount, override)
    )
    return payout, goal.revenue_for(amount), amount


def _parse_status(value: str) -> ConversionStatus:
    try:
        return ConversionStatus(value.strip().lower())
    except ValueError:
        raise ValidationFailed("status must be one of lead, sale, rejected") from None
