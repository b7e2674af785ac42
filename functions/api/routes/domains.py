"""/api/domains: an advertiser's own portal and tracking domains, the DNS records each needs, and
where each stands (domains.service moves them on; the scheduled DomainCheckFunction too)."""

from __future__ import annotations

from typing import Annotated

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.domains import domains

from partnerka.accounts.permissions import workspace_tenant
from partnerka.domains.models import DomainKind
from routes.domain_schemas import DomainIn, DomainList, DomainOut
from routes.responses import NoContent, created, no_content

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
DomainId = Annotated[str, Path(max_length=40)]


@router.get("/domains", summary="The advertiser's custom domains and the DNS records each needs")
def list_domains(advertiser_id: AdvertiserParam = None) -> DomainList:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    service = domains()
    found = service.of_advertiser(tenant)
    return DomainList(
        items=[DomainOut.of(d, service.cname_target) for d in found], cname_target=service.cname_target
    )


@router.post(
    "/domains", summary="Add a portal or tracking domain (it waits for its DNS records)", responses={201: {}}
)
def add_domain(
    body: Annotated[DomainIn, Body()], advertiser_id: AdvertiserParam = None
) -> Response[DomainOut]:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    service = domains()
    added = service.add(tenant, body.name, DomainKind(body.kind), actor_of(router.current_event, user))
    return created(DomainOut.of(added, service.cname_target))


@router.post("/domains/<domain_id>/check", summary="Check the domain's DNS records and certificate now")
def check_domain(domain_id: DomainId, advertiser_id: AdvertiserParam = None) -> DomainOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    service = domains()
    checked = service.check_now(tenant, domain_id, actor_of(router.current_event, user))
    return DomainOut.of(checked, service.cname_target)


@router.delete(
    "/domains/<domain_id>",
    summary="Remove the domain (its edge tenant goes in the background)",
    responses={204: {}},
)
def remove_domain(domain_id: DomainId, advertiser_id: AdvertiserParam = None) -> NoContent:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    domains().remove(tenant, domain_id, actor_of(router.current_event, user))
    return no_content()
