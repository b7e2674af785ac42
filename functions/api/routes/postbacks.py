"""Affiliate postbacks: the affiliate's settings and test button (/postback-settings), and the
delivery log everybody sees their own slice of (/deliveries): the affiliate its own deliveries in
its current advertiser, the advertiser the deliveries of its events, platform staff all of them
(postbacks.service decides who sees what). Bodies: routes.postback_schemas."""

from __future__ import annotations

from typing import Annotated

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.postbacks import postbacks

from partnerka.accounts.permissions import Permission, require, shows_secrets
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden
from partnerka.postbacks.service import OverrideInput
from routes.operation_schemas import StatusName
from routes.postback_schemas import (
    DeliveryList,
    DeliveryOut,
    EventName,
    PostbackSettingsIn,
    PostbackSettingsOut,
    TestIn,
    TestOut,
    WebhookEventName,
    delivery_list,
    delivery_out,
    exchange_out,
    settings_out,
)

router = Router()  # type: ignore[no-untyped-call]
DELIVERY_ID_LENGTH = 240  # an event's id, and a webhook endpoint's after it


def _affiliate(principal: Principal) -> str:
    require(principal, Permission.POSTBACKS_OWN)
    if not principal.affiliate_id:
        raise Forbidden("only affiliates have postback settings")
    return principal.affiliate_id


# ---------------------------------------------------------------------- settings
@router.get("/postback-settings", summary="The affiliate's postback settings")
def get_postback_settings() -> PostbackSettingsOut:
    principal, _ = current(router.current_event.headers)
    return settings_out(postbacks().settings(_affiliate(principal)), shows_secrets(principal))


@router.put("/postback-settings", summary="Replace the affiliate's postback settings")
def put_postback_settings(body: Annotated[PostbackSettingsIn, Body()]) -> PostbackSettingsOut:
    principal, user = current(router.current_event.headers)
    saved = postbacks().save(
        _affiliate(principal),
        body.url,
        body.events,
        body.format,
        [OverrideInput(o.advertiser_id, o.url, o.offer_id, o.events) for o in body.overrides],
        actor_of(router.current_event, user),
    )
    return settings_out(saved)


@router.post("/postback-settings/rotate-secret", summary="A new webhook signing secret")
def rotate_secret() -> PostbackSettingsOut:
    principal, user = current(router.current_event.headers)
    rotated = postbacks().rotate_secret(_affiliate(principal), actor_of(router.current_event, user))
    return settings_out(rotated)


@router.post("/postback-settings/test", summary="Send a sample event now and show the exchange")
def test_postback(body: Annotated[TestIn, Body()]) -> TestOut:
    principal, user = current(router.current_event.headers)
    exchange = postbacks().test(
        _affiliate(principal),
        principal.advertiser_id or "",
        body.event,
        body.url,
        actor_of(router.current_event, user),
    )
    return exchange_out(exchange)


# ---------------------------------------------------------------------- deliveries
@router.get("/deliveries", summary="Postback deliveries, newest first")
def list_deliveries(
    status: Annotated[StatusName | None, Query()] = None,
    event: Annotated[EventName | WebhookEventName | None, Query()] = None,
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> DeliveryList:
    principal, _ = current(router.current_event.headers)
    page = postbacks().deliveries(principal, advertiser_id, status or "", event or "", limit, cursor)
    return delivery_list(page)


@router.get("/deliveries/<delivery_id>", summary="One delivery with every attempt")
def get_delivery(delivery_id: Annotated[str, Path(max_length=DELIVERY_ID_LENGTH)]) -> DeliveryOut:
    principal, _ = current(router.current_event.headers)
    return delivery_out(postbacks().visible_delivery(principal, delivery_id))


@router.post("/deliveries/<delivery_id>/replay", summary="Send a delivery again, with fresh retries")
def replay_delivery(delivery_id: Annotated[str, Path(max_length=DELIVERY_ID_LENGTH)]) -> DeliveryOut:
    principal, user = current(router.current_event.headers)
    replayed = postbacks().replay_delivery(principal, delivery_id, actor_of(router.current_event, user))
    return delivery_out(replayed)
