"""/api/clicks/{click_id}: one click's whole story as a user inspects it: what the visitor sent, what
the tracker decided, the orchestrator's quality verdict, the conversions attributed to it, and the
postback deliveries sent to the affiliate about them (`partnerka.stats.inspection`)."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path
from composition.stats import click_inspector
from pydantic import BaseModel

from partnerka.common.clock import iso_millis, utc_now
from routes.conversions import ConversionOut, conversions_out
from routes.postback_schemas import DeliveryOut, delivery_out

router = Router()  # type: ignore[no-untyped-call]


class ClickQualityOut(BaseModel):
    status: Literal["pending", "clean", "flagged"]
    """`pending`: not judged yet (the orchestrator runs seconds after the click)."""
    unique: bool | None
    """First click of this visitor (address and browser) on this link within 24 hours; null for a
    refused click, and once that is no longer known (a day after the visitor's window closed)."""
    flood: bool
    """More than the hourly limit of clicks came from this address to this advertiser."""
    bot: bool
    """The full crawler classification of the User-Agent."""
    datacenter: str | None
    """The hosting network that owns the address (e.g. "Amazon AWS"), when it is one."""


class ClickOut(BaseModel):
    click_id: str
    created_at: str
    advertiser_id: str
    offer_id: str
    offer_name: str
    affiliate_id: str
    affiliate_name: str
    reason: str | None
    """Why a check refused the click (`geo_blocked`, `cap_reached`, `bot`, …); null when it landed."""
    blocked_by: str | None = None
    """For `blocked_by_rule`: the block list entry that refused it (`cidr:203.0.113.0/24`, `asn:16509`,
    `referrer:spam.example`)."""
    country: str
    ip: str
    user_agent: str
    device: str
    os: str
    browser: str
    subs: dict[str, str]
    quality: ClickQualityOut
    conversions: list[ConversionOut]
    deliveries: list[DeliveryOut]
    """The postback deliveries to the affiliate's tracker about this click and its conversions, oldest first
    (empty for a viewer who may not see deliveries)."""


@router.get("/clicks/<click_id>", summary="Inspect one click: request, decision, quality, conversions")
def get_click(click_id: Annotated[str, Path(max_length=64)]) -> ClickOut:
    principal, _ = current(router.current_event.headers)
    found = click_inspector().inspect(principal, click_id, utc_now())
    click, quality = found.click, found.quality
    return ClickOut(
        click_id=click.click_id,
        created_at=iso_millis(click.created_at),
        advertiser_id=click.advertiser_id,
        offer_id=click.offer_id,
        offer_name=found.offer_name,
        affiliate_id=click.affiliate_id,
        affiliate_name=found.affiliate_name,
        reason=click.reason,
        blocked_by=click.blocked_by,
        country=click.country,
        ip=click.ip,
        user_agent=click.user_agent,
        device=found.agent.device,
        os=found.agent.os,
        browser=found.agent.browser,
        subs=click.subs,
        quality=ClickQualityOut(
            status=quality.status,
            unique=quality.unique,
            flood=quality.flood,
            bot=quality.bot,
            datacenter=quality.datacenter,
        ),
        conversions=conversions_out(found.conversions),
        deliveries=[delivery_out(d) for d in found.deliveries],
    )
