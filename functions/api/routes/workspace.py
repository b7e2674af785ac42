"""An advertiser's workspace: team, registration links, affiliates (memberships), API keys, settings.

Advertisers act on their own tenant; platform staff name one with `?advertiser_id=`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current, site_of
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from composition.accounts import workspace
from pydantic import BaseModel, Field

from partnerka.accounts.models import MembershipStatus
from partnerka.accounts.permissions import credentials_tenant, workspace_tenant
from routes.responses import created, no_content
from routes.schemas import (
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyOut,
    LinkList,
    LinkOut,
    MembershipList,
    MembershipOut,
    MembershipStatusName,
    UserEnvelope,
    UserList,
    UserOut,
)

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]


class TeamInviteIn(BaseModel):
    email: str = Field(max_length=254)
    name: str | None = Field(default=None, max_length=120)


class LabelIn(BaseModel):
    label: str = Field(max_length=120)


class MembershipDecisionIn(BaseModel):
    status: Literal["active", "rejected", "blocked"]


class PostbackIpsIn(BaseModel):
    ips: list[str] = Field(max_length=50)


class PostbackIpsOut(BaseModel):
    ips: list[str]


class PostbackDomainsIn(BaseModel):
    domains: list[str] = Field(max_length=50)


class PostbackDomainsOut(BaseModel):
    domains: list[str]


# ---------------------------------------------------------------------- team
@router.get("/team", summary="The advertiser's team")
def list_team(advertiser_id: AdvertiserParam = None) -> UserList:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return UserList(items=[UserOut.of(u) for u in workspace().team(tenant)])


@router.post("/team/invite", summary="Invite a teammate", responses={201: {}})
def invite_teammate(
    body: Annotated[TeamInviteIn, Body()], advertiser_id: AdvertiserParam = None
) -> Response[UserEnvelope]:
    principal, user = current(router.current_event.headers)
    tenant = credentials_tenant(principal, advertiser_id)
    invited = workspace().invite_teammate(tenant, body.email, body.name, actor_of(router.current_event, user))
    return created(UserEnvelope(user=UserOut.of(invited)))


# ---------------------------------------------------------------------- registration links
@router.get("/registration-links", summary="The advertiser's affiliate registration links")
def list_links(advertiser_id: AdvertiserParam = None) -> LinkList:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    base = workspace().link_base(tenant)
    return LinkList(items=[LinkOut.of(link, base) for link in workspace().links(tenant)])


@router.post("/registration-links", summary="Create a registration link", responses={201: {}})
def create_link(body: Annotated[LabelIn, Body()], advertiser_id: AdvertiserParam = None) -> Response[LinkOut]:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    return created(
        LinkOut.of(
            workspace().create_link(tenant, body.label, actor_of(router.current_event, user)),
            workspace().link_base(tenant),
        )
    )


@router.delete("/registration-links/<code>", summary="Deactivate a registration link", responses={204: {}})
def deactivate_link(code: str, advertiser_id: AdvertiserParam = None) -> Response[None]:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    workspace().deactivate_link(tenant, code, actor_of(router.current_event, user))
    return no_content()


# ---------------------------------------------------------------------- memberships
@router.get("/memberships", summary="Advertiser: its affiliates. Affiliate: its advertisers.")
def list_memberships(
    status: Annotated[MembershipStatusName | None, Query()] = None, advertiser_id: AdvertiserParam = None
) -> MembershipList:
    principal, _ = current(router.current_event.headers)
    views = workspace().memberships(principal, advertiser_id, status, site_of(router.current_event))
    return MembershipList(items=[MembershipOut.of(v) for v in views])


@router.patch("/memberships/<affiliate_id>", summary="Approve, reject or block an affiliate")
def decide_membership(
    affiliate_id: str, body: Annotated[MembershipDecisionIn, Body()], advertiser_id: AdvertiserParam = None
) -> MembershipOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    view = workspace().decide_membership(
        tenant, affiliate_id, MembershipStatus(body.status), actor_of(router.current_event, user)
    )
    return MembershipOut.of(view)


# ---------------------------------------------------------------------- API keys
@router.get("/api-keys", summary="The advertiser's API keys (never their secrets)")
def list_api_keys(advertiser_id: AdvertiserParam = None) -> ApiKeyList:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return ApiKeyList(items=[ApiKeyOut.of(k) for k in workspace().api_keys(tenant)])


@router.post("/api-keys", summary="Create an API key; its secret is shown once", responses={201: {}})
def create_api_key(
    body: Annotated[LabelIn, Body()], advertiser_id: AdvertiserParam = None
) -> Response[ApiKeyCreated]:
    principal, user = current(router.current_event.headers)
    tenant = credentials_tenant(principal, advertiser_id)
    key, secret = workspace().create_api_key(tenant, body.label, actor_of(router.current_event, user))
    return created(ApiKeyCreated(key=ApiKeyOut.of(key), secret=secret))


@router.delete("/api-keys/<key_id>", summary="Revoke an API key", responses={204: {}})
def revoke_api_key(key_id: str, advertiser_id: AdvertiserParam = None) -> Response[None]:
    principal, user = current(router.current_event.headers)
    tenant = credentials_tenant(principal, advertiser_id)
    workspace().revoke_api_key(tenant, key_id, actor_of(router.current_event, user))
    return no_content()


# ---------------------------------------------------------------------- settings
@router.get("/settings/postback-ips", summary="Addresses allowed to send conversion postbacks")
def get_postback_ips(advertiser_id: AdvertiserParam = None) -> PostbackIpsOut:
    principal, _ = current(router.current_event.headers)
    return PostbackIpsOut(
        ips=workspace().postback_ips(workspace_tenant(principal, advertiser_id, manage=False))
    )


@router.put("/settings/postback-ips", summary="Replace the postback IP whitelist (empty: any address)")
def set_postback_ips(
    body: Annotated[PostbackIpsIn, Body()], advertiser_id: AdvertiserParam = None
) -> PostbackIpsOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    return PostbackIpsOut(
        ips=workspace().set_postback_ips(tenant, body.ips, actor_of(router.current_event, user))
    )


@router.get("/settings/postback-domains", summary="Hosts affiliate postbacks for this advertiser may reach")
def get_postback_domains(advertiser_id: AdvertiserParam = None) -> PostbackDomainsOut:
    principal, _ = current(router.current_event.headers)
    return PostbackDomainsOut(
        domains=workspace().postback_domains(workspace_tenant(principal, advertiser_id, manage=False))
    )


@router.put("/settings/postback-domains", summary="Replace the postback domain whitelist (empty: any host)")
def set_postback_domains(
    body: Annotated[PostbackDomainsIn, Body()], advertiser_id: AdvertiserParam = None
) -> PostbackDomainsOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    return PostbackDomainsOut(
        domains=workspace().set_postback_domains(tenant, body.domains, actor_of(router.current_event, user))
    )
