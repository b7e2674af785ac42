"""Request and response bodies of /api/offers and /api/my/offers, and how domain values become them.

Money is a decimal string in the offer's currency; percentages are decimal strings of percent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.experimental.missing_sentinel import MISSING

from partnerka.accounts.permissions import Permission, allows
from partnerka.accounts.tokens import Principal
from partnerka.offers.models import Offer
from partnerka.offers.service import AccessView, AffiliateOffer, CapInput, GoalInput, OfferDraft, draft_of

Money = Field(max_length=24)


class GoalModel(BaseModel):
    """A goal the offer pays: `click` is paid per unique non-bot click (fixed amounts only)."""

    key: str = Field(max_length=32)
    name: str = Field(max_length=80)
    payout_type: Literal["fixed", "percent"]
    payout: str = Money
    revenue_type: Literal["fixed", "percent"]
    revenue: str = Money


class LandingModel(BaseModel):
    url: str = Field(max_length=2000)
    weight: int = Field(ge=1, le=1000)


class CapModel(BaseModel):
    metric: Literal["clicks", "conversions", "payout", "paid_clicks", "click_budget"]
    """clicks, conversions and payout stop the traffic or the conversions past the limit;
    paid_clicks and click_budget (money) stop paying clicks (the goal `click`) past it."""
    period: Literal["day", "month", "total"]
    limit: str = Money


def draft_inputs(body: BaseModel, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of an offer body as OfferDraft names and types them."""
    inputs: dict[str, Any] = {}
    for name in names:
        value = getattr(body, name)
        if name == "goals":
            value = [
                GoalInput(g.key, g.name, g.payout_type, g.payout, g.revenue_type, g.revenue) for g in value
            ]
        elif name == "landings":
            value = [(landing.url, landing.weight) for landing in value]
        elif name == "caps":
            value = [CapInput(c.metric, c.period, c.limit) for c in value]
        elif name == "fallback_url":
            value = value or ""  # null clears it
        inputs[name] = value
    return inputs


class OfferFields(BaseModel):
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)
    model: Literal["CPA", "CPL", "CPS", "RevShare", "CPC"]
    currency: str = Field(min_length=3, max_length=3)
    goals: list[GoalModel] = Field(max_length=20)
    landings: list[LandingModel] = Field(max_length=20)
    geo_mode: Literal["all", "allow", "deny"] = "all"
    geo_countries: list[str] = Field(default_factory=list, max_length=250)
    caps: list[CapModel] = Field(default_factory=list, max_length=12)
    visibility: Literal["public", "approval", "private"] = "public"
    hold_days: int = Field(default=0, ge=0, le=365)
    attribution_days: int = Field(default=30, ge=1, le=365)
    min_conversion_seconds: int = Field(default=0, ge=0, le=86_400)
    """Conversions faster than this after their click are marked for review."""
    fallback_url: str | None = Field(default=None, max_length=2000)

    def draft(self) -> OfferDraft:
        return OfferDraft(**draft_inputs(self, OfferFields.model_fields))


class OfferPatch(BaseModel):
    """Any subset of an offer's fields, plus its status. A field is left out to keep it; only the
    fallback URL may be sent as null (to clear it): no other field of an offer can be empty."""

    name: str | MISSING = Field(default=MISSING, max_length=200)
    description: str | MISSING = Field(default=MISSING, max_length=5000)
    model: Literal["CPA", "CPL", "CPS", "RevShare", "CPC"] | MISSING = MISSING
    currency: str | MISSING = Field(default=MISSING, min_length=3, max_length=3)
    goals: list[GoalModel] | MISSING = Field(default=MISSING, max_length=20)
    landings: list[LandingModel] | MISSING = Field(default=MISSING, max_length=20)
    geo_mode: Literal["all", "allow", "deny"] | MISSING = MISSING
    geo_countries: list[str] | MISSING = Field(default=MISSING, max_length=250)
    caps: list[CapModel] | MISSING = Field(default=MISSING, max_length=12)
    visibility: Literal["public", "approval", "private"] | MISSING = MISSING
    hold_days: int | MISSING = Field(default=MISSING, ge=0, le=365)
    attribution_days: int | MISSING = Field(default=MISSING, ge=1, le=365)
    min_conversion_seconds: int | MISSING = Field(default=MISSING, ge=0, le=86_400)
    fallback_url: str | MISSING | None = Field(default=MISSING, max_length=2000)
    status: Literal["active", "paused", "archived"] | MISSING = MISSING

    def changes(self) -> dict[str, Any]:
        """The offer's fields this patch sends (its status aside), as OfferDraft names them."""
        return draft_inputs(self, self.model_fields_set - {"status"})


class OfferOut(OfferFields):
    # Every field is always present in a response: required here, so the generated client knows.
    description: str
    geo_mode: Literal["all", "allow", "deny"]
    geo_countries: list[str]
    caps: list[CapModel]
    visibility: Literal["public", "approval", "private"]
    hold_days: int
    attribution_days: int
    min_conversion_seconds: int
    fallback_url: str | None
    id: str
    advertiser_id: str
    status: Literal["active", "paused", "archived"]
    postback_secret: str | None
    """Null for a caller who may not see it (Support): it is enough to forge conversions."""
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, offer: Offer, principal: Principal) -> OfferOut:
        draft = draft_of(offer)
        return cls(
            id=offer.offer_id,
            advertiser_id=offer.advertiser_id,
            status=offer.status.value,
            postback_secret=offer.postback_secret
            if allows(principal, Permission.OFFER_SECRETS_READ)
            else None,
            created_at=offer.created_at,
            updated_at=offer.updated_at,
            name=draft.name,
            description=draft.description,
            model=draft.model,  # type: ignore[arg-type]
            currency=draft.currency,
            goals=[GoalModel.model_validate(asdict(g)) for g in draft.goals],
            landings=[LandingModel(url=url, weight=weight) for url, weight in draft.landings],
            geo_mode=draft.geo_mode,  # type: ignore[arg-type]
            geo_countries=list(draft.geo_countries),
            caps=[cap_out(c) for c in draft.caps],
            visibility=draft.visibility,  # type: ignore[arg-type]
            hold_days=draft.hold_days,
            attribution_days=draft.attribution_days,
            min_conversion_seconds=draft.min_conversion_seconds,
            fallback_url=draft.fallback_url or None,
        )


class OfferList(BaseModel):
    items: list[OfferOut]


class OfferAccessOut(BaseModel):
    affiliate_id: str
    affiliate_name: str
    affiliate_email: str
    access: Literal["approved", "requested", "rejected", "none"]
    payouts: dict[str, str]
    caps: list[CapModel]


class OfferAccessList(BaseModel):
    items: list[OfferAccessOut]


class AccessIn(BaseModel):
    access: Literal["approved", "rejected"] | None = None
    payouts: dict[str, str] | None = Field(default=None, max_length=20)
    caps: list[CapModel] | None = Field(default=None, max_length=12)


class AffiliateGoalOut(BaseModel):
    key: str
    name: str
    payout_type: Literal["fixed", "percent"]
    payout: str


class AffiliateOfferOut(BaseModel):
    """What an affiliate sees of an offer: never revenue, never the postback secret."""

    id: str
    name: str
    description: str
    model: Literal["CPA", "CPL", "CPS", "RevShare", "CPC"]
    currency: str
    goals: list[AffiliateGoalOut]
    visibility: Literal["public", "approval", "private"]
    access: Literal["open", "approved", "requested", "rejected", "none"]
    tracking_link: str | None
    epc: str | None
    """On an offer that pays clicks: what a paid click earns the affiliate (its EPC); else null."""


class AffiliateOfferList(BaseModel):
    items: list[AffiliateOfferOut]


def cap_out(cap: CapInput) -> CapModel:
    return CapModel.model_validate(asdict(cap))


def access_out(view: AccessView) -> OfferAccessOut:
    return OfferAccessOut(
        affiliate_id=view.affiliate_id,
        affiliate_name=view.affiliate_name,
        affiliate_email=view.affiliate_email,
        access=view.access,  # type: ignore[arg-type]
        payouts=view.payouts,
        caps=[cap_out(c) for c in view.caps],
    )


def affiliate_offer_out(offer: AffiliateOffer) -> AffiliateOfferOut:
    return AffiliateOfferOut(
        id=offer.offer_id,
        name=offer.name,
        description=offer.description,
        model=offer.model,  # type: ignore[arg-type]
        currency=offer.currency,
        goals=[AffiliateGoalOut.model_validate(asdict(g)) for g in offer.goals],
        visibility=offer.visibility,  # type: ignore[arg-type]
        access=offer.access,  # type: ignore[arg-type]
        tracking_link=offer.tracking_link,
        epc=offer.epc,
    )
