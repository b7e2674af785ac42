"""/api/brand (an advertiser's brand, its images uploaded and attached) and /api/portal (the brand a
page shows, for anyone).

The advertiser's routes act on the tenant the permission matrix narrows them to; platform staff name
one with `?advertiser_id=`. Bodies: routes.branding_schemas.
"""

from __future__ import annotations

from typing import Annotated

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from composition import edge
from composition.branding import brands

from partnerka.accounts.permissions import branding_tenant, workspace_tenant
from partnerka.branding.models import AssetKind
from routes.branding_schemas import (
    AssetKindName,
    AttachIn,
    BrandIn,
    BrandOut,
    PortalOut,
    UploadIn,
    UploadOut,
)

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
# The edge caches nothing under /api/* (CachingDisabled); a browser may keep the portal's brand a
# minute, across the pages it loads, so a change shows within that minute (the dashboard that saved
# it asks again at once). The answer depends on the URL alone (its host and query), never on a caller.
PORTAL_CACHE = "public, max-age=60"


@router.get("/brand", summary="The advertiser's brand (its own, or for staff the advertiser named)")
def get_brand(advertiser_id: AdvertiserParam = None) -> BrandOut:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return BrandOut.of(brands().brand(tenant))


@router.put("/brand", summary="Save the brand's name, colours, support address, sender name and links")
def save_brand(body: Annotated[BrandIn, Body()], advertiser_id: AdvertiserParam = None) -> BrandOut:
    principal, user = current(router.current_event.headers)
    tenant = branding_tenant(principal, advertiser_id)
    return BrandOut.of(brands().save(tenant, body.draft(), actor_of(router.current_event, user)))


@router.post("/brand/uploads", summary="A form to upload one of the brand's images straight to storage")
def start_upload(body: Annotated[UploadIn, Body()], advertiser_id: AdvertiserParam = None) -> UploadOut:
    principal, user = current(router.current_event.headers)
    tenant = branding_tenant(principal, advertiser_id)
    form = brands().start_upload(
        tenant, AssetKind(body.kind), body.content_type, body.size, actor_of(router.current_event, user)
    )
    return UploadOut.of(form)


@router.put("/brand/assets/<kind>", summary="Check an uploaded image and make it the brand's logo or favicon")
def attach_asset(
    kind: AssetKindName, body: Annotated[AttachIn, Body()], advertiser_id: AdvertiserParam = None
) -> BrandOut:
    principal, user = current(router.current_event.headers)
    tenant = branding_tenant(principal, advertiser_id)
    attached = brands().attach(tenant, AssetKind(kind), body.key, actor_of(router.current_event, user))
    return BrandOut.of(attached)


@router.delete("/brand/assets/<kind>", summary="Remove the brand's logo or favicon (the platform's shows)")
def remove_asset(kind: AssetKindName, advertiser_id: AdvertiserParam = None) -> BrandOut:
    principal, user = current(router.current_event.headers)
    tenant = branding_tenant(principal, advertiser_id)
    return BrandOut.of(brands().remove_asset(tenant, AssetKind(kind), actor_of(router.current_event, user)))


@router.get("/portal", summary="Whose portal this is and its brand, by the host asked (anyone may ask)")
def portal(advertiser_id: AdvertiserParam = None) -> Response[PortalOut]:
    host = edge().viewer(router.current_event.raw_event).host
    found = brands().portal(host, advertiser_id)
    return Response(
        status_code=200,
        content_type="application/json",
        body=PortalOut.of(found),
        headers={"Cache-Control": PORTAL_CACHE},
    )
