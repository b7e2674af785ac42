"""Creating and changing offers, and who may run them at what price."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from partnerka.accounts.models import MembershipStatus
from partnerka.accounts.repository import AccountStore
from partnerka.audit.service import Actor, AuditTrail
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.billing.models import Limit
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.money import Money, currency_code, parse_amount, plain_decimal
from partnerka.offers.destinations import destination_problem
from partnerka.offers.models import Offer, OfferAccess
from partnerka.offers.repository import OfferStore
from partnerka.offers.routing import (
    CLICK_GOAL,
    Access,
    AccessRoute,
    AmountType,
    Cap,
    CapMetric,
    CapPeriod,
    Goal,
    Landing,
    OfferRoute,
    OfferStatus,
    PayoutModel,
    Visibility,
    encode_caps,
    encode_goals,
    encode_landings,
)

MAX_LANDINGS = 20
MAX_GOALS = 20
MAX_CAPS = 12
_GOAL_KEY = re.compile(r"^[a-z0-9_]{1,32}$")
MONEY_CAPS = (CapMetric.PAYOUT, CapMetric.CLICK_BUDGET)  # limits in minor units, not counts


# ---------------------------------------------------------------------- input, as people type it
@dataclass(frozen=True, slots=True)
class GoalInput:
    key: str
    name: str
    payout_type: str
    payout: str
    revenue_type: str
    revenue: str


@dataclass(frozen=True, slots=True)
class CapInput:
    metric: str
    period: str
    limit: str


@dataclass(frozen=True, slots=True)
class OfferDraft:
    """Every writable field of an offer, as the API or a script gives it (amounts as decimal strings)."""

    name: str
    model: str
    currency: str
    goals: Sequence[GoalInput]
    landings: Sequence[tuple[str, int]]
    description: str = ""
    geo_mode: str = "all"
    geo_countries: Sequence[str] = ()
    caps: Sequence[CapInput] = ()
    visibility: str = "public"
    hold_days: int = 0
    attribution_days: int = 30
    fallback_url: str = ""
    min_conversion_seconds: int = 0


def _url(value: str, field: str) -> str:
    """A landing or fallback URL template, refused with the field's name when the host is not fixed
    (see offers.destinations) or a control character would reach the visitor's `Location`."""
    url = value.strip()
    problem = destination_problem(url)
    if problem is not None:
        raise ValidationFailed(f"{field}: {problem}")
    return url


def _choice[E: (PayoutModel, Visibility, AmountType, CapMetric, CapPeriod, OfferStatus)](
    kind: type[E], value: str, what: str
) -> E:
    try:
        return kind(value)
    except ValueError:
        raise ValidationFailed(f"{what} must be one of {', '.join(k.value for k in kind)}") from None


def _percent_bps(text: str) -> int:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValidationFailed(f"'{text}' is not a percentage") from None
    if not value.is_finite() or not 0 <= value <= 100 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationFailed(f"'{text}' is not a percentage from 0 to 100 with at most two decimals")
    return int(value * 100)


def _amount(kind: AmountType, text: str, currency: str) -> int:
    return parse_amount(text, currency).minor if kind is AmountType.FIXED else _percent_bps(text)


def show_amount(kind: AmountType, value: int, currency: str) -> str:
    """Back to what people typed: `12.50` for money, `7.5` for percent."""
    if kind is AmountType.FIXED:
        return Money(value, currency).as_decimal_string()
    return plain_decimal((Decimal(value) / 100).normalize())


def parse_goals(inputs: Sequence[GoalInput], currency: str) -> tuple[Goal, ...]:
    if not 1 <= len(inputs) <= MAX_GOALS:
        raise ValidationFailed(f"an offer needs 1 to {MAX_GOALS} goals")
    goals = []
    for entry in inputs:
        key = entry.key.strip().lower()
        if not _GOAL_KEY.match(key):
            raise ValidationFailed(f"goal key '{entry.key}' must be 1–32 of a-z, 0-9 and _")
        payout_type = _choice(AmountType, entry.payout_type, "payout_type")
        revenue_type = _choice(AmountType, entry.revenue_type, "revenue_type")
        goals.append(
            Goal(
                key,
                entry.name.strip() or key,
                payout_type,
                _amount(payout_type, entry.payout, currency),
                revenue_type,
                _amount(revenue_type, entry.revenue, currency),
            )
        )
    if len({goal.key for goal in goals}) != len(goals):
        raise ValidationFailed("goal keys must be unique")
    click = next((goal for goal in goals if goal.key == CLICK_GOAL), None)
    if click is not None and click.needs_amount:
        raise ValidationFailed(
            f"goal '{CLICK_GOAL}' is paid per click: its payout and revenue are fixed amounts, "
            "not a percentage (a click has no sale amount)"
        )
    return tuple(goals)


def parse_caps(inputs: Sequence[CapInput], currency: str) -> tuple[Cap, ...]:
    if len(inputs) > MAX_CAPS:
        raise ValidationFailed(f"at most {MAX_CAPS} caps")
    caps = []
    for entry in inputs:
        metric = _choice(CapMetric, entry.metric, "cap metric")
        period = _choice(CapPeriod, entry.period, "cap period")
        if metric in MONEY_CAPS:
            limit = parse_amount(entry.limit, currency).minor
        elif entry.limit.strip().isdigit():
            limit = int(entry.limit.strip())
        else:
            raise ValidationFailed(f"a {metric.value} cap is a whole number, not '{entry.limit}'")
        if limit < 1:
            raise ValidationFailed("a cap's limit is at least 1")
        caps.append(Cap(metric, period, limit))
    if len({(c.metric, c.period) for c in caps}) != len(caps):
        raise ValidationFailed("one cap per metric and period")
    return tuple(caps)


def _landings(entries: Sequence[tuple[str, int]]) -> tuple[Landing, ...]:
    if not 1 <= len(entries) <= MAX_LANDINGS:
        raise ValidationFailed(f"an offer needs 1 to {MAX_LANDINGS} landing URLs")
    landings = []
    for index, (url, weight) in enumerate(entries):
        if not 1 <= int(weight) <= 1000:
            raise ValidationFailed(f"landings[{index}].weight: a landing's weight is 1 to 1000")
        landings.append(Landing(_url(url, f"landings[{index}].url"), int(weight)))
    return tuple(landings)


def _countries(values: Iterable[str]) -> set[str] | None:
    codes = {value.strip().upper() for value in values if value.strip()}
    bad = sorted(code for code in codes if len(code) != 2 or not code.isalpha())
    if bad:
        raise ValidationFailed(f"not ISO country codes: {', '.join(bad)}")
    return codes or None


def _days(value: int, what: str, low: int, high: int) -> int:
    if not low <= int(value) <= high:
        raise ValidationFailed(f"{what} is {low} to {high} days")
    return int(value)


def apply_draft(offer: Offer, draft: OfferDraft) -> Offer:
    """The offer with every field of the draft, validated (nothing is stored yet)."""
    return replace(offer, **_draft_fields(draft))


def _draft_fields(draft: OfferDraft) -> dict[str, Any]:
    """Every field of the draft, validated, as the offer's fields."""
    name = draft.name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("name is required (at most 200 characters)")
    if len(draft.description) > 5000:
        raise ValidationFailed("the description is at most 5000 characters")
    code = currency_code(draft.currency)
    geo_mode = draft.geo_mode
    if geo_mode not in ("all", "allow", "deny"):
        raise ValidationFailed("geo_mode must be all, allow or deny")
    countries = _countries(draft.geo_countries)
    if geo_mode != "all" and not countries:
        raise ValidationFailed(f"a GEO {geo_mode} list needs at least one country")
    model = _choice(PayoutModel, draft.model, "model")
    goals = parse_goals(draft.goals, code)
    if model is PayoutModel.CPC and not any(goal.key == CLICK_GOAL for goal in goals):
        raise ValidationFailed(f"a CPC offer needs the goal '{CLICK_GOAL}' with its price per click")
    fields = {
        "name": name,
        "description": draft.description.strip(),
        "model": model,
        "currency": code,
        "goals": goals,
        "landings": _landings(draft.landings),
        "geo_allow": frozenset(countries or ()) if geo_mode == "allow" else frozenset(),
        "geo_deny": frozenset(countries or ()) if geo_mode == "deny" else frozenset(),
        "caps": parse_caps(draft.caps, code),
        "visibility": _choice(Visibility, draft.visibility, "visibility"),
        "hold_days": _days(draft.hold_days, "the hold period", 0, 365),
        "attribution_days": _days(draft.attribution_days, "the attribution window", 1, 365),
    }
    if not 0 <= int(draft.min_conversion_seconds) <= 86_400:
        raise ValidationFailed("min_conversion_seconds is 0 to 86400")
    fields["min_conversion_seconds"] = int(draft.min_conversion_seconds)
    fields["fallback_url"] = _url(draft.fallback_url, "fallback_url") if draft.fallback_url.strip() else ""
    return fields


def draft_of(offer: Offer) -> OfferDraft:
    """The offer as a draft again: what PATCH starts from before it applies the changes."""
    currency = offer.currency
    goals = [
        GoalInput(
            g.key,
            g.name,
            g.payout_type.value,
            show_amount(g.payout_type, g.payout, currency),
            g.revenue_type.value,
            show_amount(g.revenue_type, g.revenue, currency),
        )
        for g in offer.goals
    ]
    caps = [cap_input(c, currency) for c in offer.caps]
    geo_mode = "allow" if offer.geo_allow else "deny" if offer.geo_deny else "all"
    return OfferDraft(
        name=offer.name,
        model=offer.model.value,
        currency=currency,
        goals=goals,
        landings=[(landing.url, landing.weight) for landing in offer.landings],
        description=offer.description,
        geo_mode=geo_mode,
        geo_countries=sorted(offer.geo_allow or offer.geo_deny or ()),
        caps=caps,
        visibility=offer.visibility.value,
        hold_days=offer.hold_days,
        attribution_days=offer.attribution_days,
        fallback_url=offer.fallback_url,
        min_conversion_seconds=offer.min_conversion_seconds,
    )


def cap_limit_text(cap: Cap, currency: str) -> str:
    return Money(cap.limit, currency).as_decimal_string() if cap.metric in MONEY_CAPS else str(cap.limit)


def cap_input(cap: Cap, currency: str) -> CapInput:
    """A stored cap as people typed it."""
    return CapInput(cap.metric.value, cap.period.value, cap_limit_text(cap, currency))


def default_goals(model: str, payout: str, revenue: str) -> list[GoalInput]:
    """One goal that fits the model: a lead for CPL, a click for CPC, a sale otherwise (RevShare:
    percentages)."""
    if model == PayoutModel.CPL.value:
        return [GoalInput("lead", "Lead", "fixed", payout, "fixed", revenue)]
    if model == PayoutModel.CPC.value:
        return [GoalInput(CLICK_GOAL, "Click", "fixed", payout, "fixed", revenue)]
    kind = "percent" if model == PayoutModel.REVSHARE.value else "fixed"
    return [GoalInput("sale", "Sale", kind, payout, kind, revenue)]


# ---------------------------------------------------------------------- offers
def create_offer(
    repo: OfferStore,
    advertiser_id: str,
    name: str,
    model: str,
    landing: str | Sequence[tuple[str, int]],
    payout: str,
    revenue: str,
    currency: str,
    geo_allow: Iterable[str] = (),
    geo_deny: Iterable[str] = (),
    fallback_url: str = "",
) -> Offer:
    """A quick offer with one goal that fits its model (scripts and tests); the API passes a full draft."""
    allow, deny = list(geo_allow), list(geo_deny)
    draft = OfferDraft(
        name=name,
        model=model,
        currency=currency,
        goals=default_goals(model, payout, revenue),
        landings=[(landing, 1)] if isinstance(landing, str) else list(landing),
        geo_mode="allow" if allow else "deny" if deny else "all",
        geo_countries=allow or deny,
        fallback_url=fallback_url,
    )
    return store_new_offer(repo, advertiser_id, draft)


def store_new_offer(repo: OfferStore, advertiser_id: str, draft: OfferDraft) -> Offer:
    """A new active offer with a fresh postback secret."""
    now = iso_millis(utc_now())
    offer = Offer(
        offer_id=new_id(),
        advertiser_id=advertiser_id,
        status=OfferStatus.ACTIVE,
        postback_secret=secrets.token_urlsafe(24),
        created_at=now,
        updated_at=now,
        **_draft_fields(draft),
    )
    repo.save(offer)
    return offer


def active_offers(repo: OfferStore, advertiser_id: str) -> int:
    """What the plan's limit of active offers counts: the offers running now (paused and archived ones
    do not)."""
    return sum(1 for offer in repo.list_offers(advertiser_id) if offer.status is OfferStatus.ACTIVE)


def set_offer_status(repo: OfferStore, advertiser_id: str, offer_id: str, status: OfferStatus) -> Offer:
    offer = replace(repo.get(advertiser_id, offer_id), status=status, updated_at=iso_millis(utc_now()))
    repo.save(offer)
    return offer


def _offer_snapshot(offer: Offer) -> dict[str, object]:
    """What audit entries keep of an offer: its settings, never its secret."""
    return {
        "name": offer.name,
        "status": offer.status.value,
        "model": offer.model.value,
        "goals": encode_goals(offer.goals),
        "landings": encode_landings(offer.landings),
        "caps": encode_caps(offer.caps),
        "visibility": offer.visibility.value,
        "geo_allow": sorted(offer.geo_allow),
        "geo_deny": sorted(offer.geo_deny),
        "hold_days": offer.hold_days,
        "attribution_days": offer.attribution_days,
        "fallback_url": offer.fallback_url or None,
    }


def _access_snapshot(access: OfferAccess) -> dict[str, object]:
    """What audit entries keep of an affiliate's access to an offer."""
    return {"access": access.access.value, "payouts": dict(access.payouts), "caps": encode_caps(access.caps)}


_DRAFT_FIELDS = frozenset(f.name for f in fields(OfferDraft))


class TrackingBases(Protocol):
    def tracking_base(self, advertiser_id: str) -> str:
        """The base URL of the advertiser's tracking links: its own tracking domain when it has an
        active one, else the platform's."""
        ...


def tracking_link(base_url: str, offer_id: str, affiliate_id: str) -> str:
    """The affiliate's click link for the offer, on `base_url` (the platform's domain, or the
    advertiser's own tracking domain)."""
    return f"{base_url}/click?o={offer_id}&a={affiliate_id}"


# ---------------------------------------------------------------------- what people see
@dataclass(frozen=True, slots=True)
class AccessView:
    """An affiliate's access to an offer as the advertiser manages it, amounts as people type them."""

    affiliate_id: str
    affiliate_name: str
    affiliate_email: str
    access: str  # an Access value; "none" when never set
    payouts: dict[str, str]  # goal key → the affiliate's own payout
    caps: list[CapInput]


@dataclass(frozen=True, slots=True)
class AffiliateGoal:
    key: str
    name: str
    payout_type: str
    payout: str  # the affiliate's own payout where the advertiser set one


@dataclass(frozen=True, slots=True)
class AffiliateOffer:
    """What an affiliate sees of an offer: never revenue, never the postback secret."""

    offer_id: str
    name: str
    description: str
    model: str
    currency: str
    goals: list[AffiliateGoal]
    visibility: str
    access: str  # "open" (runs without approval), or the affiliate's Access value
    tracking_link: str | None  # only while the affiliate may run the offer
    epc: str | None = None  # what a paid click earns the affiliate, on an offer that pays clicks


def _click_epc(route: OfferRoute, payouts: Mapping[str, int]) -> str | None:
    """A CPC offer's earnings per click are its price per click (the affiliate's own, where set)."""
    if route.goal(CLICK_GOAL) is None:
        return None
    price = route.click_payout(AccessRoute(route.offer_id, "", payouts=dict(payouts)))
    return Money(price, route.currency).as_decimal_string()


class OfferService:
    """The advertiser's offers and each affiliate's access to them; every change is audited.

    Callers pass the advertiser already narrowed by the permission matrix (accounts.permissions)."""

    def __init__(
        self,
        offers: OfferStore,
        accounts: AccountStore,
        audit: AuditTrail,
        link_base_url: str,
        tracking_bases: TrackingBases | None = None,
        limits: PlanGate = UNLIMITED,
    ) -> None:
        """`tracking_bases`: where an advertiser's tracking links point (its own active tracking
        domain); without it, at `link_base_url`, the platform's. `limits`: the plans' gate, asked
        before an offer starts running."""
        self.offers = offers
        self.accounts = accounts
        self.audit = audit
        self.link_base_url = link_base_url.rstrip("/")
        self.tracking_bases = tracking_bases
        self.limits = limits

    def _tracking_base(self, advertiser_id: str) -> str:
        if self.tracking_bases is None:
            return self.link_base_url
        return self.tracking_bases.tracking_base(advertiser_id)

    # ------------------------------------------------------------------ the advertiser's offers
    def list_offers(self, advertiser_id: str, status: OfferStatus | None = None) -> list[Offer]:
        return [o for o in self.offers.list_offers(advertiser_id) if status is None or o.status == status]

    def offer(self, advertiser_id: str, offer_id: str) -> Offer:
        return self.offers.get(advertiser_id, offer_id)

    def _ensure_room_for_active_offer(self, advertiser_id: str) -> None:
        self.limits.ensure(
            advertiser_id, Limit.ACTIVE_OFFERS, lambda: active_offers(self.offers, advertiser_id)
        )

    def create(self, advertiser_id: str, draft: OfferDraft, actor: Actor) -> Offer:
        """A new offer, running at once: refused (PlanLimitExceeded) when the plan runs no more."""
        self._ensure_room_for_active_offer(advertiser_id)
        offer = store_new_offer(self.offers, advertiser_id, draft)
        self.audit.record(
            actor, advertiser_id, "offer.created", f"offer:{offer.offer_id}", after=_offer_snapshot(offer)
        )
        return offer

    def update(
        self,
        advertiser_id: str,
        offer_id: str,
        changes: Mapping[str, Any],
        status: OfferStatus | None,
        actor: Actor,
    ) -> Offer:
        """Change some of the offer's fields (named as OfferDraft names them) and its status; the
        others keep their values, and the whole offer is validated again as on creation. An offer that
        starts running again is refused (PlanLimitExceeded) when the plan runs no more."""
        unknown = sorted(set(changes) - _DRAFT_FIELDS)
        if unknown:
            raise ValidationFailed(f"an offer has no fields {', '.join(unknown)}")
        stored = self.offers.get(advertiser_id, offer_id)
        before = _offer_snapshot(stored)
        offer = replace(
            apply_draft(stored, replace(draft_of(stored), **changes)),
            status=stored.status if status is None else status,
            updated_at=iso_millis(utc_now()),
        )
        if offer.status is OfferStatus.ACTIVE and stored.status is not OfferStatus.ACTIVE:
            self._ensure_room_for_active_offer(advertiser_id)
        self.offers.save(offer)
        self.audit.record(
            actor, advertiser_id, "offer.changed", f"offer:{offer_id}", before, _offer_snapshot(offer)
        )
        return offer

    def rotate_secret(self, advertiser_id: str, offer_id: str, actor: Actor) -> Offer:
        offer = replace(
            self.offers.get(advertiser_id, offer_id),
            postback_secret=secrets.token_urlsafe(24),
            updated_at=iso_millis(utc_now()),
        )
        self.offers.save(offer)
        self.audit.record(actor, advertiser_id, "offer.secret_rotated", f"offer:{offer_id}")
        return offer

    # ------------------------------------------------------------------ access
    def _active_member(self, advertiser_id: str, affiliate_id: str) -> None:
        membership = self.accounts.get_membership(advertiser_id, affiliate_id)
        if membership is None or membership.status != MembershipStatus.ACTIVE.value:
            raise NotFound(f"no active affiliate '{affiliate_id}' in this program")

    def _access_view(self, offer: Offer, affiliate_id: str, access: OfferAccess | None) -> AccessView:
        affiliate = self.accounts.get_affiliate(affiliate_id)
        if access is None:
            return AccessView(affiliate_id, affiliate.name, affiliate.email, Access.NONE.value, {}, [])
        goals = {goal.key: goal for goal in offer.goals}
        payouts = {
            key: show_amount(goals[key].payout_type, value, offer.currency)
            for key, value in access.payouts.items()
            if key in goals
        }
        caps = [cap_input(cap, offer.currency) for cap in access.caps]
        return AccessView(affiliate_id, affiliate.name, affiliate.email, access.access.value, payouts, caps)

    def access_list(self, advertiser_id: str, offer_id: str) -> list[AccessView]:
        """Every active partner of the program with its access to the offer ("none": never set)."""
        offer = self.offers.get(advertiser_id, offer_id)
        by_affiliate = {a.affiliate_id: a for a in self.offers.accesses(advertiser_id, offer_id)}
        return [
            self._access_view(offer, m.affiliate_id, by_affiliate.get(m.affiliate_id))
            for m in self.accounts.memberships_of_advertiser(advertiser_id)
            if m.status == MembershipStatus.ACTIVE.value
        ]

    def set_access(
        self,
        advertiser_id: str,
        offer_id: str,
        affiliate_id: str,
        access: Access | None,
        payouts: dict[str, str] | None,
        caps: Sequence[CapInput] | None,
        actor: Actor,
    ) -> AccessView:
        """Approve or reject an affiliate for the offer and set its own payouts and caps (None: keep)."""
        offer = self.offers.get(advertiser_id, offer_id)
        self._active_member(advertiser_id, affiliate_id)
        current = self.offers.get_access(advertiser_id, offer_id, affiliate_id) or OfferAccess(
            offer_id=offer_id, advertiser_id=advertiser_id, affiliate_id=affiliate_id
        )
        before = _access_snapshot(current)
        if access is not None:
            if access not in (Access.APPROVED, Access.REJECTED):
                raise ValidationFailed("access must be approved or rejected")
            current = replace(current, access=access)
        if payouts is not None:
            goals = {goal.key: goal for goal in offer.goals}
            unknown = sorted(set(payouts) - set(goals))
            if unknown:
                raise ValidationFailed(f"the offer has no goals {', '.join(unknown)}")
            parsed = {
                key: _amount(goals[key].payout_type, text, offer.currency) for key, text in payouts.items()
            }
            current = replace(current, payouts=parsed)
        if caps is not None:
            current = replace(current, caps=parse_caps(caps, offer.currency))
        current = replace(current, updated_at=iso_millis(utc_now()))
        self.offers.save_access(current)
        after = _access_snapshot(current)
        self.audit.record(
            actor,
            advertiser_id,
            "offer.access_changed",
            f"offer:{offer_id}/affiliate:{affiliate_id}",
            before,
            after,
        )
        return self._access_view(offer, affiliate_id, current)

    # ------------------------------------------------------------------ the affiliate's side
    def _affiliate_offer(
        self, offer: Offer, access: Access, affiliate_id: str, payouts: Mapping[str, int], base: str
    ) -> AffiliateOffer:
        route = offer.route()
        runnable = route.admits(access)
        goals = [
            AffiliateGoal(
                g.key,
                g.name,
                g.payout_type.value,
                show_amount(g.payout_type, payouts.get(g.key, g.payout), offer.currency),
            )
            for g in route.goals
        ]
        return AffiliateOffer(
            offer_id=offer.offer_id,
            name=offer.name,
            description=offer.description,
            model=offer.model.value,
            currency=offer.currency,
            goals=goals,
            visibility=offer.visibility.value,
            access="open" if runnable and access is Access.NONE else access.value,
            tracking_link=tracking_link(base, offer.offer_id, affiliate_id) if runnable else None,
            epc=_click_epc(route, payouts),
        )

    def offers_for_affiliate(self, advertiser_id: str, affiliate_id: str) -> list[AffiliateOffer]:
        """Active offers of the advertiser the affiliate may see (private ones only once approved), at
        the affiliate's own payouts where the advertiser set them."""
        self._active_member(advertiser_id, affiliate_id)
        accesses = {
            a.offer_id: a for a in self.offers.accesses(advertiser_id) if a.affiliate_id == affiliate_id
        }
        visible = []
        base = self._tracking_base(advertiser_id)
        for offer in self.offers.list_offers(advertiser_id):
            found = accesses.get(offer.offer_id)
            access = found.access if found else Access.NONE
            if offer.status is not OfferStatus.ACTIVE:
                continue
            if offer.visibility is Visibility.PRIVATE and access is not Access.APPROVED:
                continue
            payouts = found.payouts if found else {}
            visible.append(self._affiliate_offer(offer, access, affiliate_id, payouts, base))
        return visible

    def request_access(
        self, advertiser_id: str, offer_id: str, affiliate_id: str, actor: Actor
    ) -> AffiliateOffer:
        """An affiliate asks to run an offer that needs the advertiser's approval."""
        self._active_member(advertiser_id, affiliate_id)
        offer = self.offers.get(advertiser_id, offer_id)
        if offer.status is not OfferStatus.ACTIVE or offer.visibility is Visibility.PRIVATE:
            raise NotFound(f"no offer '{offer_id}'")
        if offer.visibility is not Visibility.APPROVAL:
            raise Conflict("this offer needs no approval")
        existing = self.offers.get_access(advertiser_id, offer_id, affiliate_id)
        if existing is not None and existing.access is not Access.NONE:
            raise Conflict(f"access is already {existing.access.value}")
        access = replace(
            existing
            or OfferAccess(offer_id=offer_id, advertiser_id=advertiser_id, affiliate_id=affiliate_id),
            access=Access.REQUESTED,
            updated_at=iso_millis(utc_now()),
        )
        self.offers.save_access(access)
        self.audit.record(
            actor, advertiser_id, "offer.access_requested", f"offer:{offer_id}/affiliate:{affiliate_id}"
        )
        return self._affiliate_offer(
            offer, Access.REQUESTED, affiliate_id, {}, self._tracking_base(advertiser_id)
        )
