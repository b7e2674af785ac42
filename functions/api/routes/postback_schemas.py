"""Request and response bodies of /api/postback-settings (the affiliate's postback settings and the
test button) and of /api/deliveries (the postback deliveries)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from partnerka.postbacks.models import MACROS, Delivery, PostbackSettings, mask_url
from partnerka.postbacks.repository import DeliveryPage
from partnerka.postbacks.service import TestExchange
from routes.operation_schemas import ProgressOut, progress_out

EventName = Literal["click", "lead", "sale", "approved", "rejected"]
# What a webhook endpoint may hear (notifications.webhooks.event_types_for either side), as the
# delivery log names a webhook delivery's event.
WebhookEventName = Literal[
    "conversion.lead",
    "conversion.sale",
    "conversion.approved",
    "conversion.rejected",
    "conversion.reversed",
    "balance.low",
    "topup.confirmed",
    "topup.rejected",
    "payout.requested",
    "payout.paid",
    "postback.failing",
    "membership.applied",
    "membership.decided",
    "offer.cap_reached",
    "invoice.issued",
    "domain.status_changed",
    "accounts.suspended",
    "accounts.reactivated",
]


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


def settings_out(found: PostbackSettings, secret_shown: bool = True) -> PostbackSettingsOut:
    """The settings; without the signing secret ("") where the caller may not see it (view as)."""
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
        signing_secret=found.signing_secret if secret_shown else "",
        updated_at=found.updated_at,
        macros=["{" + m + "}" for m in MACROS],
    )


def exchange_out(exchange: TestExchange) -> TestOut:
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


class DeliveryOut(ProgressOut):
    """One event sent to one affiliate's postback URL, or to a webhook endpoint, with every attempt."""

    delivery_id: str
    """The event's id (`<event_id>.wh.<endpoint_id>` for a webhook endpoint): an event is delivered
    at most once to each destination."""
    event: EventName | WebhookEventName
    endpoint_id: str
    """The webhook endpoint it was made for; empty for a postback."""
    offer_id: str
    click_id: str
    conversion_id: str
    """Empty for a click's delivery."""
    method: str
    url: str
    """Secrets in the query are masked."""
    format: Literal["get", "webhook"]


class DeliveryList(BaseModel):
    items: list[DeliveryOut]
    cursor: str | None


def delivery_out(delivery: Delivery) -> DeliveryOut:
    request = delivery.request
    return DeliveryOut(
        delivery_id=delivery.delivery_id,
        event=request.event,  # type: ignore[arg-type]
        endpoint_id=request.endpoint_id,
        offer_id=request.offer_id,
        click_id=request.click_id,
        conversion_id=request.conversion_id,
        method=request.method,
        url=mask_url(request.url),
        format=request.format,  # type: ignore[arg-type]
        **progress_out(delivery),
    )


def delivery_list(page: DeliveryPage) -> DeliveryList:
    return DeliveryList(items=[delivery_out(d) for d in page.items], cursor=page.cursor)
