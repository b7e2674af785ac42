"""/api/webhooks: the webhook endpoints of an advertiser's team (its advertiser's) or of an affiliate
(its own, for every advertiser it works with), their test button and their deliveries (the delivery
log's, one endpoint's). postbacks.webhooks decides the rest. Bodies: routes.webhook_schemas."""

from __future__ import annotations

from typing import Annotated

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.webhooks import webhooks

from partnerka.accounts.permissions import Permission, require, shows_secrets
from partnerka.accounts.tokens import Principal
from partnerka.notifications.webhooks import EndpointOwner, event_types_for
from partnerka.postbacks.webhooks import owner_of
from routes.operation_schemas import StatusName
from routes.postback_schemas import DeliveryList, TestOut, delivery_list, exchange_out
from routes.responses import NoContent, created, no_content
from routes.webhook_schemas import EndpointIn, EndpointList, EndpointOut, WebhookTestIn

router = Router()  # type: ignore[no-untyped-call]
EndpointId = Annotated[str, Path(max_length=40)]


def _owner(principal: Principal) -> EndpointOwner:
    require(principal, Permission.WEBHOOKS_OWN)
    return owner_of(principal)


@router.get("/webhooks", summary="The caller's webhook endpoints and the event types they may hear")
def list_endpoints() -> EndpointList:
    principal, _ = current(router.current_event.headers)
    owner = _owner(principal)
    return EndpointList(
        items=[EndpointOut.of(e, shows_secrets(principal)) for e in webhooks().endpoints(owner)],
        event_types=[t.value for t in event_types_for(owner.side)],  # type: ignore[misc]
    )


@router.post(
    "/webhooks", summary="Register a webhook endpoint (with a new signing secret)", responses={201: {}}
)
def create_endpoint(body: Annotated[EndpointIn, Body()]) -> Response[EndpointOut]:
    principal, user = current(router.current_event.headers)
    made = webhooks().create(
        _owner(principal),
        body.url,
        body.events,
        body.description,
        body.enabled,
        actor_of(router.current_event, user),
    )
    return created(EndpointOut.of(made))


@router.put("/webhooks/<endpoint_id>", summary="Replace a webhook endpoint's URL, events and state")
def update_endpoint(endpoint_id: EndpointId, body: Annotated[EndpointIn, Body()]) -> EndpointOut:
    principal, user = current(router.current_event.headers)
    updated = webhooks().update(
        _owner(principal),
        endpoint_id,
        body.url,
        body.events,
        body.description,
        body.enabled,
        actor_of(router.current_event, user),
    )
    return EndpointOut.of(updated)


@router.delete("/webhooks/<endpoint_id>", summary="Remove a webhook endpoint", responses={204: {}})
def delete_endpoint(endpoint_id: EndpointId) -> NoContent:
    principal, user = current(router.current_event.headers)
    webhooks().delete(_owner(principal), endpoint_id, actor_of(router.current_event, user))
    return no_content()


@router.post("/webhooks/<endpoint_id>/rotate-secret", summary="A new signing secret for the endpoint")
def rotate_endpoint_secret(endpoint_id: EndpointId) -> EndpointOut:
    principal, user = current(router.current_event.headers)
    rotated = webhooks().rotate_secret(_owner(principal), endpoint_id, actor_of(router.current_event, user))
    return EndpointOut.of(rotated)


@router.post("/webhooks/<endpoint_id>/test", summary="Send a sample event now and show the exchange")
def test_endpoint(endpoint_id: EndpointId, body: Annotated[WebhookTestIn, Body()]) -> TestOut:
    principal, user = current(router.current_event.headers)
    exchange = webhooks().test(
        _owner(principal),
        endpoint_id,
        body.type,
        principal.advertiser_id or "",
        actor_of(router.current_event, user),
    )
    return exchange_out(exchange)


@router.get("/webhooks/<endpoint_id>/deliveries", summary="The endpoint's deliveries, newest first")
def list_endpoint_deliveries(
    endpoint_id: EndpointId,
    status: Annotated[StatusName | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> DeliveryList:
    principal, _ = current(router.current_event.headers)
    page = webhooks().deliveries(principal, _owner(principal), endpoint_id, status or "", limit, cursor)
    return delivery_list(page)
