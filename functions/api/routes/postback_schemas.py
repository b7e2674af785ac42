"""Request and response bodies of /api/postback-settings: the affiliate's postback settings and the
test button."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from partnerka.postbacks.models import MACROS, PostbackSettings
from partnerka.postbacks.service import TestExchange

EventName = Literal["click", "lead", "sale", "approved", "rejected"]


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


def settings_out(found: PostbackSettings) -> PostbackSettingsOut:
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
