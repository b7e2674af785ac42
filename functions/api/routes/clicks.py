"""/api/clicks/{click_id}: one click's whole story as a user inspects it: what the visitor sent, what
the tracker decided, the orchestrator's quality verdict, the conversions attributed to it, and the
postbacks sent to the affiliate about them."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Annotated, Literal

from auth import accounts, current, offers
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.config import get_settings
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.conversions.composition import conversions_repository
from partnerka.conversions.models import Conversion
from partnerka.operations.models import Operation
from partnerka.orchestrator.quality import ClickQuality, recorded_quality
from partnerka.orchestrator.quality_store import QualityRepository
from partnerka.postbacks.models import PostbackEvent
from partnerka.postbacks.service import delivery_scope
from partnerka.stats.service import may_inspect
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository
from partnerka.tracking.user_agent import describe_user_agent
from routes.conversions import ConversionOut, conversion_out
from routes.postbacks import OperationOut, operation_out, operations

router = Router()  # type: ignore[no-untyped-call]
# The orchestrator judges a click within seconds; a click younger than this with nothing recorded may
# simply not have been judged yet, an older one was judged clean (only suspect clicks keep a verdict).
QUALITY_SETTLE = timedelta(seconds=60)


@cache
def _clicks() -> ClickRepository:
    return ClickRepository(get_settings().clicks_table)


@cache
def _quality() -> QualityRepository:
    return QualityRepository(get_settings().stats_table)


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
    country: str
    ip: str
    user_agent: str
    device: str
    os: str
    browser: str
    subs: dict[str, str]
    quality: ClickQualityOut
    conversions: list[ConversionOut]
    postbacks: list[OperationOut]
    """The deliveries to the affiliate's tracker about this click and its conversions, oldest first
    (empty for a viewer who may not see deliveries)."""


def _quality_out(click: Click) -> ClickQualityOut:
    found = recorded_quality(_quality(), click.as_item())
    if found is None and not click.reason and utc_now() - click.created_at < QUALITY_SETTLE:
        return ClickQualityOut(status="pending", unique=None, flood=False, bot=False, datacenter=None)
    found = found or ClickQuality(unique=None, flood=False, bot=False, datacenter=None)
    return ClickQualityOut(
        status="flagged" if found.flagged else "clean",
        unique=found.unique,
        flood=found.flood,
        bot=found.bot,
        datacenter=found.datacenter,
    )


@router.get("/clicks/<click_id>", summary="Inspect one click: request, decision, quality, conversions")
def get_click(click_id: Annotated[str, Path(max_length=64)]) -> ClickOut:
    principal, _ = current(router.current_event.headers)
    click = _clicks().get(click_id)
    # Someone else's click reads as missing: existence is not disclosed across tenants.
    if click is None or not may_inspect(principal, click.advertiser_id, click.affiliate_id):
        raise NotFound("no such click")
    with_revenue = principal.role is not Role.AFFILIATE
    offer_names = {o.offer_id: o.name for o in offers().offers.list_offers(click.advertiser_id)}
    try:
        affiliate_name = accounts().accounts.get_affiliate(click.affiliate_id).name
    except NotFound:  # "-": a link that named no affiliate
        affiliate_name = click.affiliate_id
    affiliate_names = {click.affiliate_id: affiliate_name}
    agent = describe_user_agent(click.user_agent)
    conversions = [
        c
        for c in conversions_repository(get_settings()).of_click(click.click_id)
        if c.advertiser_id == click.advertiser_id
    ]
    return ClickOut(
        click_id=click.click_id,
        created_at=iso_millis(click.created_at),
        advertiser_id=click.advertiser_id,
        offer_id=click.offer_id,
        offer_name=offer_names.get(click.offer_id, click.offer_id),
        affiliate_id=click.affiliate_id,
        affiliate_name=affiliate_name,
        reason=click.reason,
        country=click.country,
        ip=click.ip,
        user_agent=click.user_agent,
        device=agent.device,
        os=agent.os,
        browser=agent.browser,
        subs=click.subs,
        quality=_quality_out(click),
        conversions=[conversion_out(c, offer_names, affiliate_names, with_revenue) for c in conversions],
        postbacks=[operation_out(op) for op in _deliveries(principal, click, conversions)],
    )


def _deliveries(principal: Principal, click: Click, conversions: list[Conversion]) -> list[Operation]:
    """Every delivery the affiliate could have been sent about the click: delivery ids are event ids
    (`<click_id>.click`, `<conversion_id>.<event>`), so this is one batch read, no search."""
    try:
        scope = delivery_scope(principal, None)
    except (Forbidden, ValidationFailed):
        return []
    ids = [f"{click.click_id}.{PostbackEvent.CLICK}"] + [
        f"{c.conversion_id}.{event}"
        for c in conversions
        for event in PostbackEvent
        if event is not PostbackEvent.CLICK
    ]
    found = [op for op in operations().get_many(ids) if scope.admits(op)]
    return sorted(found, key=lambda op: (op.created_at, op.op_id))
