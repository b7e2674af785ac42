"""/api/offers (the advertiser's offers and who may run them) and /api/my/offers (the affiliate's view).

Money is a decimal string in the offer's currency; percentages are decimal strings of percent.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from auth import actor_of, base_url, current, offers, workspace
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, Field
from pydantic.experimental.missing_sentinel import MISSING

from partnerka.accounts.models import User
from partnerka.accounts.permissions import Permission, allows, require, workspace_tenant
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden
from partnerka.offers.models import Offer, OfferAccess
from partnerka.offers.routing import Access, OfferStatus, decode_caps, decode_goals
from partnerka.offers.service import CapInput, GoalInput, OfferDraft, cap_limit_text, draft_of, show_amount
from routes.responses import created

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
Money = Field(max_length=24)


class GoalModel(BaseModel):
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
    metric: Literal["clicks", "conversions", "payout"]
    period: Literal["day", "month", "total"]
    limit: str = Money


class OfferFields(BaseModel):
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)
    model: Literal["CPA", "CPL", "CPS", "RevShare"]
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
        return OfferDraft(
            name=self.name,
            description=self.description,
            model=self.model,
            currency=self.currency,
            goals=[
                GoalInput(g.key, g.name, g.payout_type, g.payout, g.revenue_type, g.revenue)
                for g in self.goals
            ],
            landings=[(landing.url, landing.weight) for landing in self.landings],
            geo_mode=self.geo_mode,
            geo_countries=self.geo_countries,
            caps=[CapInput(c.metric, c.period, c.limit) for c in self.caps],
            visibility=self.visibility,
            hold_days=self.hold_days,
            attribution_days=self.attribution_days,
            fallback_url=self.fallback_url or "",
            min_conversion_seconds=self.min_conversion_seconds,
        )


class OfferPatch(BaseModel):
    """Any subset of an offer's fields, plus its status. A field is left out to keep it; only the
    fallback URL may be sent as null (to clear it): no other field of an offer can be empty."""

    name: str | MISSING = Field(default=MISSING, max_length=200)
    description: str | MISSING = Field(default=MISSING, max_length=5000)
    model: Literal["CPA", "CPL", "CPS", "RevShare"] | MISSING = MISSING
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
            status=offer.status,  # type: ignore[arg-type]
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
            caps=[CapModel.model_validate(asdict(c)) for c in draft.caps],
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
    model: Literal["CPA", "CPL", "CPS", "RevShare"]
    currency: str
    goals: list[AffiliateGoalOut]
    visibility: Literal["public", "approval", "private"]
    access: Literal["open", "approved", "requested", "rejected", "none"]
    tracking_link: str | None


class AffiliateOfferList(BaseModel):
    items: list[AffiliateOfferOut]


def _access_out(offer: Offer, affiliate_id: str, access: OfferAccess | None) -> OfferAccessOut:
    affiliate = workspace().accounts.get_affiliate(affiliate_id)
    goals = {goal.key: goal for goal in decode_goals(offer.goals)}
    payouts: dict[str, str] = {}
    caps: list[CapModel] = []
    if access is not None:
        route = access.route()
        payouts = {
            key: show_amount(goals[key].payout_type, value, offer.currency)
            for key, value in route.payouts.items()
            if key in goals
        }
        caps = [
            CapModel(metric=c.metric.value, period=c.period.value, limit=cap_limit_text(c, offer.currency))
            for c in decode_caps(access.caps)
        ]
    return OfferAccessOut(
        affiliate_id=affiliate_id,
        affiliate_name=affiliate.name,
        affiliate_email=affiliate.email,
        access=access.access if access else "none",  # type: ignore[arg-type]
        payouts=payouts,
        caps=caps,
    )


def _affiliate_out(
    offer: Offer, access: Access, affiliate_id: str, origin: str, overrides: dict[str, int]
) -> AffiliateOfferOut:
    route = offer.route()
    runnable = route.admits(access)
    shown = "open" if runnable and access is Access.NONE else access.value
    goals = [
        AffiliateGoalOut(
            key=g.key,
            name=g.name,
            payout_type=g.payout_type.value,
            payout=show_amount(g.payout_type, overrides.get(g.key, g.payout), offer.currency),
        )
        for g in route.goals
    ]
    return AffiliateOfferOut(
        id=offer.offer_id,
        name=offer.name,
        description=offer.description or "",
        model=offer.model,  # type: ignore[arg-type]
        currency=offer.currency,
        goals=goals,
        visibility=offer.visibility,  # type: ignore[arg-type]
        access=shown,  # type: ignore[arg-type]
        tracking_link=f"{origin}/click?o={offer.offer_id}&a={affiliate_id}" if runnable else None,
    )


# ---------------------------------------------------------------------- advertiser
@router.get("/offers", summary="The advertiser's offers")
def list_offers(
    status: Annotated[Literal["active", "paused", "archived"] | None, Query()] = None,
    advertiser_id: AdvertiserParam = None,
) -> OfferList:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    found = offers().offers.list_offers(tenant)
    return OfferList(items=[OfferOut.of(o, principal) for o in found if not status or o.status == status])


@router.post("/offers", summary="Create an offer (active, with a fresh postback secret)", responses={201: {}})
def create_offer(
    body: Annotated[OfferFields, Body()], advertiser_id: AdvertiserParam = None
) -> Response[OfferOut]:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    offer = offers().create(tenant, body.draft(), actor_of(router.current_event, user))
    return created(OfferOut.of(offer, principal))


@router.get("/offers/<offer_id>", summary="One offer, with its postback secret for those who may see it")
def get_offer(offer_id: str, advertiser_id: AdvertiserParam = None) -> OfferOut:
    principal, _ = current(router.current_event.headers)
    return OfferOut.of(
        offers().offers.get(workspace_tenant(principal, advertiser_id, manage=False), offer_id), principal
    )


@router.patch("/offers/<offer_id>", summary="Change an offer's fields or status")
def update_offer(
    offer_id: str, body: Annotated[OfferPatch, Body()], advertiser_id: AdvertiserParam = None
) -> OfferOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    service = offers()
    current_fields = OfferOut.of(service.offers.get(tenant, offer_id), principal).model_dump()
    changes = body.model_dump(exclude_unset=True)
    status = changes.pop("status", None)
    merged = OfferFields.model_validate({**current_fields, **changes})
    offer = service.update(
        tenant,
        offer_id,
        merged.draft(),
        OfferStatus(status) if status else None,
        actor_of(router.current_event, user),
    )
    return OfferOut.of(offer, principal)


@router.post("/offers/<offer_id>/rotate-secret", summary="Give the offer a new postback secret")
def rotate_secret(offer_id: str, advertiser_id: AdvertiserParam = None) -> OfferOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    rotated = offers().rotate_secret(tenant, offer_id, actor_of(router.current_event, user))
    return OfferOut.of(rotated, principal)


@router.get("/offers/<offer_id>/access", summary="Every active affiliate's access to the offer")
def list_access(offer_id: str, advertiser_id: AdvertiserParam = None) -> OfferAccessList:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    service = offers()
    offer = service.offers.get(tenant, offer_id)
    return OfferAccessList(
        items=[_access_out(offer, aff, acc) for aff, acc in service.access_list(tenant, offer_id)]
    )


@router.put(
    "/offers/<offer_id>/access/<affiliate_id>", summary="Approve/reject an affiliate; its payouts and caps"
)
def set_access(
    offer_id: str, affiliate_id: str, body: Annotated[AccessIn, Body()], advertiser_id: AdvertiserParam = None
) -> OfferAccessOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    service = offers()
    caps = [CapInput(c.metric, c.period, c.limit) for c in body.caps] if body.caps is not None else None
    access = service.set_access(
        tenant,
        offer_id,
        affiliate_id,
        Access(body.access) if body.access else None,
        body.payouts,
        caps,
        actor_of(router.current_event, user),
    )
    return _access_out(service.offers.get(tenant, offer_id), affiliate_id, access)


# ---------------------------------------------------------------------- affiliate
def _affiliate_context() -> tuple[str, str, User]:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.OFFERS_RUN)
    if not principal.advertiser_id or not principal.affiliate_id:
        raise Forbidden("select an advertiser first")
    return principal.advertiser_id, principal.affiliate_id, user


@router.get("/my/offers", summary="Affiliate: the offers of its current advertiser it may see")
def my_offers() -> AffiliateOfferList:
    advertiser_id, affiliate_id, _ = _affiliate_context()
    service = offers()
    origin = base_url()
    overrides = {
        a.offer_id: a.route().payouts
        for a in service.offers.accesses(advertiser_id)
        if a.affiliate_id == affiliate_id
    }
    return AffiliateOfferList(
        items=[
            _affiliate_out(offer, access, affiliate_id, origin, overrides.get(offer.offer_id, {}))
            for offer, access in service.offers_for_affiliate(advertiser_id, affiliate_id)
        ]
    )


@router.post(
    "/my/offers/<offer_id>/request-access",
    summary="Affiliate: ask to run an approval-required offer",
    responses={201: {}},
)
def request_access(offer_id: str) -> Response[AffiliateOfferOut]:
    advertiser_id, affiliate_id, user = _affiliate_context()
    offer, access = offers().request_access(
        advertiser_id, offer_id, affiliate_id, actor_of(router.current_event, user)
    )
    body = _affiliate_out(offer, access, affiliate_id, base_url(), {})
    return created(body)
