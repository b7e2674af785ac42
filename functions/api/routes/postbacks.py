"""Affiliate postbacks: the affiliate's settings and test button (/postback-settings), and the
delivery log everybody sees their own slice of (/deliveries): the affiliate its own deliveries in
its current advertiser, the advertiser the deliveries of its events, platform staff all of them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Annotated, Literal

from auth import accounts, actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel, Field

from partnerka.accounts.permissions import Permission, allows, require
from partnerka.accounts.tokens import Principal
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.config import get_settings
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.operations.models import Operation, OperationType
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import Filters, OperationsRepository, Page
from partnerka.postbacks.models import MACROS, PostbackSettings, mask_url
from partnerka.postbacks.repository import PostbackSettingsRepository
from partnerka.postbacks.sender import HttpSender
from partnerka.postbacks.service import OverrideInput, PostbackService
from partnerka.postbacks.ssrf import loopback_allowed

router = Router()  # type: ignore[no-untyped-call]

EventName = Literal["click", "lead", "sale", "approved", "rejected"]
StatusName = Literal["pending", "retrying", "success", "failed"]


@cache
def operations() -> OperationsRepository:
    return OperationsRepository(get_settings().operations_table)


@cache
def postbacks() -> PostbackService:
    settings = get_settings()
    store = PostbackSettingsRepository(settings.core_table)
    allow_loopback = loopback_allowed(settings.stage, settings.allow_loopback_postbacks)
    return PostbackService(
        store,
        operations(),
        # The test button answers within the API function's 10 s timeout.
        HttpSender(
            allow_loopback=allow_loopback,
            platform_domains=settings.postback_allowed_domains,
            total_timeout=5.0,
        ),
        SqsQueue(settings.postback_queue_url).send,
        allow_loopback,
        store.advertiser_domains,
        accounts().audit,
    )


# ---------------------------------------------------------------------- models
class OverrideModel(BaseModel):
    advertiser_id: str = Field(max_length=40)
    offer_id: str = Field(default="", max_length=40)
    """Empty: every offer of the advertiser."""
    url: str = Field(max_length=2048)
    """Empty: send nothing for this advertiser (or offer)."""
    events: list[EventName] | None = None
    """Null: the same events as the global URL."""


class PostbackSettingsIn(BaseModel):
    url: str = Field(max_length=2048)
    """The global postback URL with macros; empty turns postbacks off."""
    events: list[EventName] = Field(max_length=5)
    format: Literal["get", "webhook"] = "get"
    """`get`: the URL with macros filled; `webhook`: a signed JSON POST (Standard Webhooks)."""
    overrides: list[OverrideModel] = Field(default_factory=list, max_length=100)


class PostbackSettingsOut(PostbackSettingsIn):
    signing_secret: str
    """`whsec_…`: verifies the `webhook-signature` header of webhook deliveries."""
    updated_at: str
    macros: list[str]


class TestIn(BaseModel):
    event: EventName = "sale"
    url: str | None = Field(default=None, max_length=2048)
    """A URL to try before saving it; default: where the settings send this event."""


class TestRequestOut(BaseModel):
    method: str
    url: str
    headers: dict[str, str]
    body: str


class TestResponseOut(BaseModel):
    ok: bool
    http_status: int | None
    latency_ms: int
    error_class: str
    error: str
    body: str


class TestOut(BaseModel):
    request: TestRequestOut
    response: TestResponseOut


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


def _settings_out(found: PostbackSettings) -> PostbackSettingsOut:
    return PostbackSettingsOut(
        url=found.url,
        events=sorted(found.events),  # type: ignore[arg-type]
        format=found.format.value,
        overrides=[
            OverrideModel(
                advertiser_id=o.advertiser_id,
                offer_id=o.offer_id,
                url=o.url,
                events=sorted(o.events) if o.events is not None else None,  # type: ignore[arg-type]
            )
            for o in found.overrides
        ],
        signing_secret=found.signing_secret,
        updated_at=found.updated_at,
        macros=["{" + m + "}" for m in MACROS],
    )


def _affiliate(principal: Principal) -> str:
    require(principal, Permission.POSTBACKS_OWN)
    if not principal.affiliate_id:
        raise Forbidden("only affiliates have postback settings")
    return principal.affiliate_id


# ---------------------------------------------------------------------- settings
@router.get("/postback-settings", summary="The affiliate's postback settings")
def get_postback_settings() -> PostbackSettingsOut:
    principal, _ = current(router.current_event.headers)
    return _settings_out(postbacks().settings(_affiliate(principal)))


@router.put("/postback-settings", summary="Replace the affiliate's postback settings")
def put_postback_settings(body: Annotated[PostbackSettingsIn, Body()]) -> PostbackSettingsOut:
    principal, user = current(router.current_event.headers)
    affiliate_id = _affiliate(principal)
    advertisers = frozenset(accounts().accounts.get_affiliate(affiliate_id).approved_advertisers or ())
    saved = postbacks().save(
        affiliate_id,
        body.url,
        body.events,
        body.format,
        [OverrideInput(o.advertiser_id, o.url, o.offer_id, o.events) for o in body.overrides],
        advertisers,
        actor_of(router.current_event, user),
    )
    return _settings_out(saved)


@router.post("/postback-settings/rotate-secret", summary="A new webhook signing secret")
def rotate_secret() -> PostbackSettingsOut:
    principal, user = current(router.current_event.headers)
    rotated = postbacks().rotate_secret(_affiliate(principal), actor_of(router.current_event, user))
    return _settings_out(rotated)


@router.post("/postback-settings/test", summary="Send a sample event now and show the exchange")
def test_postback(body: Annotated[TestIn, Body()]) -> TestOut:
    principal, user = current(router.current_event.headers)
    affiliate_id = _affiliate(principal)
    exchange = postbacks().test(
        affiliate_id,
        principal.advertiser_id or "",
        body.event,
        body.url,
        actor_of(router.current_event, user),
    )
    result = exchange.result
    return TestOut(
        request=TestRequestOut(
            method=exchange.method, url=exchange.url, headers=exchange.headers, body=exchange.body
        ),
        response=TestResponseOut(
            ok=result.ok,
            http_status=result.http_status,
            latency_ms=result.latency_ms,
            error_class=result.error_class,
            error=result.error,
            body=result.response,
        ),
    )


# ---------------------------------------------------------------------- deliveries
@dataclass(frozen=True, slots=True)
class DeliveryScope:
    """The deliveries a principal sees: every advertiser's (both None), one advertiser's, or one
    affiliate's own within its current advertiser."""

    advertiser_id: str | None = None
    affiliate_id: str | None = None

    def admits(self, op: Operation) -> bool:
        return (self.advertiser_id is None or op.advertiser_id == self.advertiser_id) and (
            self.affiliate_id is None or op.affiliate_id == self.affiliate_id
        )


def delivery_scope(principal: Principal, advertiser_id: str | None) -> DeliveryScope:
    """The one rule for listing and for opening deliveries (`advertiser_id`: staff's filter)."""
    if allows(principal, Permission.DELIVERIES_READ_ANY):
        return DeliveryScope(advertiser_id or None)
    own_advertiser = allows(principal, Permission.DELIVERIES_READ_OWN_ADVERTISER) and principal.advertiser_id
    own_affiliate = allows(principal, Permission.POSTBACKS_OWN) and principal.affiliate_id
    if not (own_advertiser or own_affiliate):
        raise Forbidden("you may not do this")
    if not principal.advertiser_id:
        raise ValidationFailed("select an advertiser first")
    if advertiser_id and advertiser_id != principal.advertiser_id:
        raise Forbidden("deliveries of another advertiser")
    return DeliveryScope(principal.advertiser_id, None if own_advertiser else principal.affiliate_id)


@router.get("/deliveries", summary="Postback deliveries, newest first")
def list_deliveries(
    status: Annotated[StatusName | None, Query()] = None,
    event: Annotated[EventName | None, Query()] = None,
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> OperationList:
    principal, _ = current(router.current_event.headers)
    scope = delivery_scope(principal, advertiser_id)
    filters = Filters(status=status or "", event=event or "")
    repository = operations()
    if scope.affiliate_id and scope.advertiser_id:
        page = repository.of_affiliate(scope.affiliate_id, scope.advertiser_id, filters, limit, cursor)
    elif scope.advertiser_id:
        page = repository.of_advertiser(scope.advertiser_id, filters, limit, cursor)
    else:
        everyone = Filters(status=filters.status, event=filters.event, type=OperationType.POSTBACK.value)
        page = repository.recent(utc_now(), everyone, limit, cursor)
    return operation_list(page)


def _visible(principal: Principal, op_id: str) -> Operation:
    found = postbacks().delivery(op_id)
    try:
        visible = delivery_scope(principal, None).admits(found)
    except (Forbidden, ValidationFailed):
        visible = False
    if not visible:
        raise NotFound("no such delivery")
    return found


@router.get("/deliveries/<op_id>", summary="One delivery with every attempt")
def get_delivery(op_id: Annotated[str, Path(max_length=120)]) -> OperationOut:
    principal, _ = current(router.current_event.headers)
    return operation_out(_visible(principal, op_id))


@router.post("/deliveries/<op_id>/replay", summary="Send a delivery again, with fresh retries")
def replay_delivery(op_id: Annotated[str, Path(max_length=120)]) -> OperationOut:
    principal, user = current(router.current_event.headers)
    found = _visible(principal, op_id)
    if not (allows(principal, Permission.MONITOR) or allows(principal, Permission.POSTBACKS_OWN)):
        raise Forbidden("you may not replay deliveries")
    return operation_out(postbacks().replay(found, actor_of(router.current_event, user)))
