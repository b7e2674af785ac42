"""Affiliate postbacks: the affiliate's settings and test button (/postback-settings), and the
delivery log everybody sees their own slice of (/deliveries): the affiliate its own deliveries in
its current advertiser, the advertiser the deliveries of its events, platform staff all of them
(postbacks.service decides who sees what). Settings bodies: routes.postback_schemas."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.postbacks import postbacks
from pydantic import BaseModel

from partnerka.accounts.permissions import Permission, require
from partnerka.accounts.tokens import Principal
from partnerka.common.clock import iso_millis
from partnerka.common.errors import Forbidden
from partnerka.operations.models import Operation
from partnerka.operations.repository import Page
from partnerka.postbacks.models import mask_url
from partnerka.postbacks.service import OverrideInput
from routes.postback_schemas import (
    EventName,
    PostbackSettingsIn,
    PostbackSettingsOut,
    TestIn,
    TestOut,
    exchange_out,
    settings_out,
)

router = Router()  # type: ignore[no-untyped-call]

StatusName = Literal["pending", "retrying", "success", "failed"]


# ---------------------------------------------------------------------- the delivery log's bodies
class AttemptOut(BaseModel):
    number: int
    at: str
    ok: bool
    latency_ms: int
    url: str
    http_status: int | None
    error_class: str
    error: str
    response: str
    """The first KiB of the answer."""


class OperationOut(BaseModel):
    op_id: str
    type: str
    subject_type: str
    subject_id: str
    status: StatusName
    advertiser_id: str
    affiliate_id: str
    attempts: int
    max_attempts: int
    created_at: str
    updated_at: str
    next_attempt_at: str | None
    finished_at: str | None
    last_error: str
    replays: int
    detail: dict[str, int]
    event: str
    method: str
    url: str
    """Secrets in the query are masked."""
    format: str
    click_id: str
    conversion_id: str
    offer_id: str
    history: list[AttemptOut]
    payload: str = ""
    """What the operation was handed, kept for repair: a stream record the orchestrator parked, as
    Lambda delivered it (JSON); empty for other operations."""


class OperationList(BaseModel):
    items: list[OperationOut]
    cursor: str | None


def operation_out(op: Operation) -> OperationOut:
    d = op.delivery
    return OperationOut(
        op_id=op.op_id,
        type=op.type.value,
        subject_type=op.subject_type,
        subject_id=op.subject_id,
        status=op.status.value,
        advertiser_id=op.advertiser_id,
        affiliate_id=op.affiliate_id,
        attempts=op.attempts,
        max_attempts=op.max_attempts,
        created_at=iso_millis(op.created_at),
        updated_at=iso_millis(op.updated_at),
        next_attempt_at=iso_millis(op.next_attempt_at) if op.next_attempt_at else None,
        finished_at=iso_millis(op.finished_at) if op.finished_at else None,
        last_error=op.last_error,
        replays=op.replays,
        detail=op.detail,
        event=d.event if d else "",
        method=d.method if d else "",
        url=mask_url(d.url) if d else "",
        format=d.format if d else "",
        click_id=d.click_id if d else "",
        conversion_id=d.conversion_id if d else "",
        offer_id=d.offer_id if d else "",
        payload=op.payload,
        history=[
            AttemptOut(
                number=a.number,
                at=iso_millis(a.at),
                ok=a.ok,
                latency_ms=a.latency_ms,
                url=a.url,
                http_status=a.http_status,
                error_class=a.error_class,
                error=a.error,
                response=a.response,
            )
            for a in op.history
        ],
    )


def operation_list(page: Page) -> OperationList:
    return OperationList(items=[operation_out(op) for op in page.items], cursor=page.cursor)


def _affiliate(principal: Principal) -> str:
    require(principal, Permission.POSTBACKS_OWN)
    if not principal.affiliate_id:
        raise Forbidden("only affiliates have postback settings")
    return principal.affiliate_id


# ---------------------------------------------------------------------- settings
@router.get("/postback-settings", summary="The affiliate's postback settings")
def get_postback_settings() -> PostbackSettingsOut:
    principal, _ = current(router.current_event.headers)
    return settings_out(postbacks().settings(_affiliate(principal)))


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
    event: Annotated[EventName | None, Query()] = None,
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> OperationList:
    principal, _ = current(router.current_event.headers)
    page = postbacks().deliveries(principal, advertiser_id, status or "", event or "", limit, cursor)
    return operation_list(page)


@router.get("/deliveries/<op_id>", summary="One delivery with every attempt")
def get_delivery(op_id: Annotated[str, Path(max_length=120)]) -> OperationOut:
    principal, _ = current(router.current_event.headers)
    return operation_out(postbacks().visible_delivery(principal, op_id))


@router.post("/deliveries/<op_id>/replay", summary="Send a delivery again, with fresh retries")
def replay_delivery(op_id: Annotated[str, Path(max_length=120)]) -> OperationOut:
    principal, user = current(router.current_event.headers)
    replayed = postbacks().replay_delivery(principal, op_id, actor_of(router.current_event, user))
    return operation_out(replayed)
