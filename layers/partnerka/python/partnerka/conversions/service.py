"""Recording advertisers' postbacks as conversions, and moving conversions between statuses."""

from __future__ import annotations

import csv
import hmac
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from partnerka.common.errors import DomainError, ErrorCode, Forbidden, NotFound, ValidationFailed
from partnerka.common.ids import is_click_id, new_id
from partnerka.common.money import currency_code, parse_amount
from partnerka.conversions.models import (
    TRANSITIONS,
    Conversion,
    ConversionStatus,
    PostbackRequest,
    PostbackStatus,
    RejectionReason,
    ScreeningAction,
    dedupe_key,
)
from partnerka.conversions.repository import ConversionLookup, ConversionStore, HoldStore
from partnerka.conversions.screening import (
    ClickInspector,
    ClickSignals,
    FraudRules,
    Screening,
    effective_rules,
    screen,
)
from partnerka.offers.routing import CLICK_GOAL, CapMetric, OfferRoute
from partnerka.tracking.caps import CapCounter
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickStore, ConversionRoutes, RouteSource
from partnerka.tracking.service import cap_slots

MAX_TXN_ID_LENGTH = 128


class ClickNotFound(DomainError):
    code = ErrorCode.CLICK_NOT_FOUND


# Until the caller has shown the offer's secret (or, on the pixel, a whitelisted address), every
# refusal is this one, word for word: whether the click exists, expired, was a bot or belongs to
# another offer is the advertiser's business, not a stranger's.
NO_SUCH_CLICK = "no click with this id accepts this secret: check click_id and the offer's postback secret"
# Compared against when there is no offer to compare with, so an unknown click costs the same work.
_NO_SECRET = "-" * 32


class ForeignDomain(Forbidden):
    """Sent to another advertiser's custom tracking domain."""


class ClickExpired(DomainError):
    code = ErrorCode.CLICK_EXPIRED


class ClickOfferMismatch(DomainError):
    """The postback names an offer, and the click was made on another one."""

    code = ErrorCode.CLICK_OFFER_MISMATCH


class SourceNotAllowed(DomainError):
    """The advertiser whitelisted the addresses its postbacks come from, and this is not one."""

    code = ErrorCode.IP_NOT_ALLOWED


@dataclass(frozen=True, slots=True)
class PostbackResult:
    conversion_id: str
    outcome: str  # recorded | duplicate | rejected


def record_conversion(
    postback: PostbackRequest,
    clicks: ClickStore,
    routes: RouteSource,
    conversions: ConversionStore,
    now: datetime,
    caps: CapCounter | None = None,
    inspector: ClickInspector | None = None,
) -> PostbackResult:
    """Attribute the postback to its click, price it and store it exactly once; or, for
    `status=rejected`, take back the conversion reported before.

    The advertiser's fraud rules screen it first (conversions.screening, with what `inspector` knows
    of the click): a rule that rejects stores it rejected with the rule's reason, one that holds marks
    it for review. A conversion over one of the offer's or the affiliate's conversion or payout caps is
    stored rejected with `cap_reached`; one a rule rejected takes no cap slot.

    A repeat of a transaction stores nothing and reports `duplicate`: advertisers retry, and a
    retried sale must never be paid twice.
    """
    status = _parse_status(postback.status)
    if not postback.click_id:
        raise ValidationFailed("click_id is required")
    if len(postback.txn_id) > MAX_TXN_ID_LENGTH:
        raise ValidationFailed(f"txn_id is longer than {MAX_TXN_ID_LENGTH} characters")
    click = clicks.get(postback.click_id) if is_click_id(postback.click_id) else None
    if click is None:
        hmac.compare_digest(postback.secret.encode(), _NO_SECRET.encode())
        raise ClickNotFound(NO_SUCH_CLICK)
    found = routes.conversion_routes(click.offer_id, click.affiliate_id, click.advertiser_id, postback.host)
    offer = _authorised_offer(postback, found)
    # From here on the caller holds the offer's secret: the real reasons are theirs to read.
    if found.host_owner is not None and found.host_owner != click.advertiser_id:
        raise ForeignDomain(
            "this tracking domain belongs to another advertiser; send the postback to your own"
        )
    if click.reason:
        raise ClickNotFound(f"click '{postback.click_id}' was refused ({click.reason}) and cannot convert")
    if postback.offer_id and postback.offer_id != click.offer_id:
        raise ClickOfferMismatch(
            f"click '{postback.click_id}' does not belong to offer '{postback.offer_id}'"
        )
    if now > click.created_at + timedelta(days=offer.attribution_days) or click.expires_at <= now.timestamp():
        raise ClickExpired(f"click '{postback.click_id}' is past its attribution window")
    if status is PostbackStatus.REJECTED:
        return _take_back(postback, click, conversions, now)
    goal_key = (postback.goal or status.value).strip().lower()
    payout, revenue, amount = _price(offer, found.access.payouts.get(goal_key), goal_key, postback)
    key = dedupe_key(click.advertiser_id, click.offer_id, goal_key, click.click_id, postback.txn_id)
    screening = _screened(click, found, offer, inspector, now)
    refused = screening.reason is not None
    over_cap = False
    slots = cap_slots(offer, found.access, CapMetric.CONVERSIONS, now)
    if payout:
        slots += cap_slots(offer, found.access, CapMetric.PAYOUT, now, amount=payout)
    if slots and caps is not None and not refused:
        # Only when a cap applies: a repeat must not spend a slot (two racing repeats still might,
        # which can only make a cap stricter, never pay more).
        earlier = conversions.get(key)
        if earlier is not None:
            return PostbackResult(conversion_id=earlier.conversion_id, outcome="duplicate")
        over_cap = not caps.take(slots)
    rejected_for = screening.reason.value if screening.reason else None
    if over_cap:
        rejected_for = RejectionReason.CAP_REACHED.value
        # The cap decided: a rule's hold is moot for a conversion that never waits for review.
        screening = replace(screening, action=ScreeningAction.ACCEPTED, flag=None, note="", detail={})
    held = offer.hold_days > 0 and rejected_for is None
    conversion = Conversion(
        conversion_id=new_id(),
        dedupe_key=key,
        click_id=click.click_id,
        offer_id=click.offer_id,
        affiliate_id=click.affiliate_id,
        advertiser_id=click.advertiser_id,
        goal=goal_key,
        status=ConversionStatus.REJECTED
        if rejected_for
        else ConversionStatus.HOLD
        if held
        else ConversionStatus.PENDING,
        reason=rejected_for,
        payout_minor=payout,
        revenue_minor=revenue,
        currency=offer.currency,
        created_at=now,
        txn_id=postback.txn_id,
        amount_minor=amount,
        hold_until=now + timedelta(days=offer.hold_days) if held else None,
        review=screening.action is ScreeningAction.HELD,
        country=click.country,
        user_agent=click.user_agent,
        click_created_at=click.created_at,
        subs=click.subs,
        flags=tuple(flag.value for flag in screening.flags),
        screening=screening.action.value if screening.action is not ScreeningAction.ACCEPTED else None,
        screening_flag=screening.flag.value if screening.flag else None,
        screening_note=screening.note,
        screening_detail=screening.detail,
    )
    existing = conversions.insert(conversion)
    if existing is not None:
        return PostbackResult(conversion_id=existing, outcome="duplicate")
    return PostbackResult(conversion_id=conversion.conversion_id, outcome="recorded")


def _screened(
    click: Click, found: ConversionRoutes, offer: OfferRoute, inspector: ClickInspector | None, now: datetime
) -> Screening:
    """The fraud rules' decision on a conversion of `click` arriving `now`."""
    rules = effective_rules(
        FraudRules.from_item(found.fraud_rules),
        FraudRules.from_item(found.offer_fraud_rules),
        offer.min_conversion_seconds,
    )
    # Read even when no rule would act: the conversion keeps every flag its click carried.
    signals = inspector.signals(click) if inspector is not None else ClickSignals()
    return screen(rules, signals, (now - click.created_at).total_seconds())


def _authorised_offer(postback: PostbackRequest, found: ConversionRoutes) -> OfferRoute:
    """The secret must match, except on the pixel, where a whitelisted address may stand in for it;
    and the source address must be whitelisted (when the advertiser keeps a whitelist).

    A caller without the secret (or the pixel's whitelisted address) gets `NO_SUCH_CLICK`,
    the answer an unknown click gets; only the secret's holder learns that its address is refused.
    """
    offer = found.offer
    expected = offer.postback_secret if offer is not None else _NO_SECRET
    secret_matches = hmac.compare_digest(postback.secret.encode(), expected.encode()) and offer is not None
    whitelisted = bool(found.rules.allowed_networks) and found.rules.admits(postback.source_ip)
    pixel_by_address = postback.secret_optional and not postback.secret and whitelisted
    if offer is None or not (secret_matches or pixel_by_address):
        raise ClickNotFound(NO_SUCH_CLICK)
    if not found.rules.admits(postback.source_ip):
        raise SourceNotAllowed(f"postbacks from {postback.source_ip or 'this address'} are not allowed")
    return offer


def _take_back(
    postback: PostbackRequest, click: Click, conversions: ConversionStore, now: datetime
) -> PostbackResult:
    """`status=rejected`: reject the goal's conversion of this click (or transaction)."""
    reason = _reason(postback.reason or RejectionReason.OTHER.value)
    goals = [postback.goal.strip().lower()] if postback.goal else ["sale", "lead"]
    for goal in goals:
        key = dedupe_key(click.advertiser_id, click.offer_id, goal, click.click_id, postback.txn_id)
        conversion = conversions.get(key)
        if conversion is None:
            continue
        if conversion.status is ConversionStatus.REJECTED:
            return PostbackResult(conversion.conversion_id, "duplicate")
        if conversions.transition(conversion, ConversionStatus.REJECTED, reason, now):
            return PostbackResult(conversion.conversion_id, "rejected")
        raise DomainError("the conversion changed meanwhile; send the postback again", ErrorCode.CONFLICT)
    raise NotFound("no conversion of this click to reject")


def _price(
    offer: OfferRoute, override: int | None, goal_key: str, postback: PostbackRequest
) -> tuple[int, int, int | None]:
    """Payout, revenue and sale amount (minor units) by the offer's goal and the affiliate's override.

    A goal the offer does not price is recorded with no money; a goal priced as a percentage needs
    the sale amount. An explicit `payout` overrides the payout.
    """
    if postback.currency and currency_code(postback.currency) != offer.currency:
        raise ValidationFailed(f"this offer is paid in {offer.currency}, not {postback.currency.upper()}")
    amount = parse_amount(postback.amount, offer.currency).minor if postback.amount else None
    explicit = parse_amount(postback.payout, offer.currency).minor if postback.payout else None
    if goal_key == CLICK_GOAL:
        # Clicks are paid by the orchestrator, per unique non-bot click; a postback would pay twice.
        raise ValidationFailed(f"goal '{CLICK_GOAL}' is paid per click, never by a postback")
    goal = offer.goal(goal_key)
    if goal is None:
        if postback.goal:
            raise ValidationFailed(f"the offer has no goal '{goal_key}'")
        return explicit or 0, 0, amount
    if goal.needs_amount and amount is None:
        raise ValidationFailed(f"goal '{goal_key}' pays a share of the sale: send amount")
    payout = explicit if explicit is not None else goal.payout_for(amount, override)
    return payout, goal.revenue_for(amount), amount


def _parse_status(value: str) -> PostbackStatus:
    try:
        return PostbackStatus(value.strip().lower())
    except ValueError:
        raise ValidationFailed("status must be one of lead, sale, rejected") from None


def _reason(value: str) -> str:
    try:
        return RejectionReason(value.strip().lower()).value
    except ValueError:
        raise ValidationFailed(
            f"reason must be one of {', '.join(r.value for r in RejectionReason)}"
        ) from None


# ---------------------------------------------------------------------- the advertiser's decisions
@dataclass(frozen=True, slots=True)
class Decision:
    ref: str
    ok: bool
    error: str | None = None
    conversion: Conversion | None = None


def decide(
    conversions: ConversionLookup,
    advertiser_id: str,
    ids: Iterable[str],
    txn_ids: Iterable[str],
    to: ConversionStatus,
    reason: str | None,
    now: datetime,
) -> list[Decision]:
    """Approve or reject conversions of one advertiser, by id or by transaction id; each ref gets
    its own result, and another advertiser's conversion is simply not found."""
    if to not in (ConversionStatus.APPROVED, ConversionStatus.REJECTED):
        raise ValidationFailed("status must be approved or rejected")
    checked_reason = _reason(reason) if reason else None
    if to is ConversionStatus.REJECTED and checked_reason is None:
        raise ValidationFailed("a rejection needs a reason")
    results = []
    for ref, found in _resolve(conversions, advertiser_id, ids, txn_ids):
        if not found:
            results.append(Decision(ref, False, "not found"))
            continue
        for conversion in found:
            results.append(_apply(conversions, ref, conversion, to, checked_reason, now))
    return results


def _resolve(
    conversions: ConversionLookup, advertiser_id: str, ids: Iterable[str], txn_ids: Iterable[str]
) -> Iterable[tuple[str, list[Conversion]]]:
    for conversion_id in dict.fromkeys(i.strip() for i in ids if i.strip()):
        found = conversions.by_id(conversion_id)
        yield conversion_id, [found] if found is not None and found.advertiser_id == advertiser_id else []
    for txn_id in dict.fromkeys(t.strip() for t in txn_ids if t.strip()):
        yield txn_id, conversions.by_txn(advertiser_id, txn_id)


def _apply(
    conversions: ConversionStore,
    ref: str,
    conversion: Conversion,
    to: ConversionStatus,
    reason: str | None,
    now: datetime,
) -> Decision:
    if conversion.status is to:
        return Decision(ref, True, None, conversion)
    if to not in TRANSITIONS[conversion.status]:
        return Decision(
            ref, False, f"a {conversion.status.value} conversion cannot become {to.value}", conversion
        )
    if not conversions.transition(conversion, to, reason if to is ConversionStatus.REJECTED else None, now):
        return Decision(ref, False, "changed meanwhile; try again", conversion)
    return Decision(ref, True, None, conversion)


def txn_ids_from_csv(text: str, limit: int = 10_000) -> list[str]:
    """Transaction ids from CSV text: the column named txn_id, else the first; a header is optional."""
    rows = [row for row in csv.reader(io.StringIO(text)) if row and any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("txn_id") if "txn_id" in header else 0
    body = rows[1:] if "txn_id" in header else rows
    ids = [row[column].strip() for row in body if len(row) > column and row[column].strip()]
    if len(ids) > limit:
        raise ValidationFailed(f"at most {limit} transaction ids per upload")
    return ids


# Held conversions are indexed by the month their hold ends; the release looks this many months back
# (the current one included), so a schedule that stopped for a year still finds every due hold.
HOLD_MONTHS_LOOKED_AT = 14


def hold_months(now: datetime, count: int = HOLD_MONTHS_LOOKED_AT) -> list[str]:
    """The `count` calendar months up to `now`'s, oldest first (`2026-01`, …): month arithmetic, not
    days (stepping back 31 days from the 1st of March lands in January and skips February)."""
    index = now.year * 12 + now.month - 1
    return [f"{(index - back) // 12:04d}-{(index - back) % 12 + 1:02d}" for back in range(count - 1, -1, -1)]


def release_holds(conversions: HoldStore, now: datetime) -> int:
    """Approve every held conversion whose hold has ended (those marked for review wait for a
    person). Runs on a schedule; a conversion approved or rejected meanwhile is left alone."""
    released = 0
    for conversion in conversions.due_holds(hold_months(now), now):
        if conversion.review:
            continue
        if conversions.transition(conversion, ConversionStatus.APPROVED, None, now):
            released += 1
    return released
