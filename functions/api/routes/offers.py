"""/api/offers (the advertiser's offers and who may run them) and /api/my/offers (the affiliate's view).

The advertiser's routes act on the tenant the permission matrix narrows them to (`workspace_tenant`);
the affiliate's on its current advertiser context. Bodies: routes.offer_schemas.
"""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from composition.offers import offers

from partnerka.accounts.permissions import Permission, affiliate_context, workspace_tenant
from partnerka.offers.routing import Access, OfferStatus
from partnerka.offers.service import CapInput
from routes.offer_schemas import (
    AccessIn,
    AffiliateOfferList,
    AffiliateOfferOut,
    OfferAccessList,
    OfferAccessOut,
    OfferFields,
    OfferList,
    OfferOut,
    OfferPatch,
    access_out,
    affiliate_offer_out,
)
from routes.responses import created

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]


# ---------------------------------------------------------------------- advertiser
@router.get("/offers", summary="The advertiser's offers")
def list_offers(
    status: Annotated[Literal["active", "paused", "archived"] | None, Query()] = None,
    advertiser_id: AdvertiserParam = None,
) -> OfferList:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    found = offers().list_offers(tenant, OfferStatus(status) if status else None)
    return OfferList(items=[OfferOut.of(o, principal) for o in found])


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
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return OfferOut.of(offers().offer(tenant, offer_id), principal)


@router.patch("/offers/<offer_id>", summary="Change an offer's fields or status")
def update_offer(
    offer_id: str, body: Annotated[OfferPatch, Body()], advertiser_id: AdvertiserParam = None
) -> OfferOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    status = OfferStatus(body.status) if isinstance(body.status, str) else None
    offer = offers().update(tenant, offer_id, body.changes(), status, actor_of(router.current_event, user))
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
    return OfferAccessList(items=[access_out(view) for view in offers().access_list(tenant, offer_id)])


@router.put(
    "/offers/<offer_id>/access/<affiliate_id>", summary="Approve/reject an affiliate; its payouts and caps"
)
def set_access(
    offer_id: str, affiliate_id: str, body: Annotated[AccessIn, Body()], advertiser_id: AdvertiserParam = None
) -> OfferAccessOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    caps = [CapInput(c.metric, c.period, c.limit) for c in body.caps] if body.caps is not None else None
    view = offers().set_access(
        tenant,
        offer_id,
        affiliate_id,
        Access(body.access) if body.access else None,
        body.payouts,
        caps,
        actor_of(router.current_event, user),
    )
    return access_out(view)


# ---------------------------------------------------------------------- affiliate
@router.get("/my/offers", summary="Affiliate: the offers of its current advertiser it may see")
def my_offers() -> AffiliateOfferList:
    principal, _ = current(router.current_event.headers)
    advertiser_id, affiliate_id = affiliate_context(principal, Permission.OFFERS_RUN)
    found = offers().offers_for_affiliate(advertiser_id, affiliate_id)
    return AffiliateOfferList(items=[affiliate_offer_out(offer) for offer in found])


@router.post(
    "/my/offers/<offer_id>/request-access",
    summary="Affiliate: ask to run an approval-required offer",
    responses={201: {}},
)
def request_access(offer_id: str) -> Response[AffiliateOfferOut]:
    principal, user = current(router.current_event.headers)
    advertiser_id, affiliate_id = affiliate_context(principal, Permission.OFFERS_RUN)
    requested = offers().request_access(
        advertiser_id, offer_id, affiliate_id, actor_of(router.current_event, user)
    )
    return created(affiliate_offer_out(requested))
