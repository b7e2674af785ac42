"""/api/conversions: the advertiser's conversions and its decisions on them; an affiliate's own
conversions (never their revenue)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from typing import Annotated, Literal

from auth import accounts, actor_of, current, offers
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, Field

from partnerka.accounts.models import Role
from partnerka.accounts.permissions import Permission, require, workspace_tenant
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.config import get_settings
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.common.money import Money
from partnerka.conversions.composition import conversions_repository
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.conversions.repository import ConversionRepository
from partnerka.conversions.service import decide, txn_ids_from_csv

router = Router()  # type: ignore[no-untyped-call]
MAX_ROWS = 1000
MAX_DAYS = 93
StatusName = Literal["pending", "hold", "approved", "rejected"]
ReasonName = Literal["fraud", "duplicate", "invalid_data", "not_paid", "test", "other", "cap_reached"]


@cache
def _repo() -> ConversionRepository:
    return conversions_repository(get_settings())


class ConversionOut(BaseModel):
    id: str
    click_id: str
    offer_id: str
    offer_name: str
    affiliate_id: str
    affiliate_name: str
    goal: str
    status: StatusName
    payout: str
    revenue: str | None
    """Null for affiliates: they never see what the advertiser pays the network."""
    currency: str
    amount: str | None
    txn_id: str | None
    hold_until: str | None
    review: bool
    reason: ReasonName | None
    country: str
    sub1: str | None
    created_at: str
    updated_at: str


class ConversionList(BaseModel):
    items: list[ConversionOut]


class DecisionIn(BaseModel):
    status: Literal["approved", "rejected"]
    reason: Literal["fraud", "duplicate", "invalid_data", "not_paid", "test", "other"] | None = None
    ids: list[str] = Field(default_factory=list, max_length=1000)
    txn_ids: list[str] = Field(default_factory=list, max_length=1000)
    csv: str | None = Field(default=None, max_length=1_000_000)


class DecisionResultOut(BaseModel):
    ref: str
    ok: bool
    error: str | None


class DecisionsOut(BaseModel):
    updated: int
    results: list[DecisionResultOut]


def conversion_out(
    conversion: Conversion, offer_names: dict[str, str], affiliate_names: dict[str, str], with_revenue: bool
) -> ConversionOut:
    def money(minor: int) -> str:
        return Money(minor, conversion.currency).as_decimal_string()

    return ConversionOut(
        id=conversion.conversion_id,
        click_id=conversion.click_id,
        offer_id=conversion.offer_id,
        offer_name=offer_names.get(conversion.offer_id, conversion.offer_id),
        affiliate_id=conversion.affiliate_id,
        affiliate_name=affiliate_names.get(conversion.affiliate_id, conversion.affiliate_id),
        goal=conversion.goal,
        status=conversion.status.value,
        payout=money(conversion.payout_minor),
        revenue=money(conversion.revenue_minor) if with_revenue else None,
        currency=conversion.currency,
        amount=money(conversion.amount_minor) if conversion.amount_minor is not None else None,
        txn_id=conversion.txn_id or None,
        hold_until=iso_millis(conversion.hold_until) if conversion.hold_until else None,
        review=conversion.review,
        reason=conversion.reason,  # type: ignore[arg-type]
        country=conversion.country,
        sub1=conversion.subs.get("sub1"),
        created_at=iso_millis(conversion.created_at),
        updated_at=iso_millis(conversion.updated_at or conversion.created_at),
    )


@router.get("/conversions", summary="Conversions for a date range (UTC days), newest first")
def list_conversions(
    date_from: Annotated[date, Query(alias="from")],
    date_to: Annotated[date, Query(alias="to")],
    status: Annotated[StatusName | None, Query()] = None,
    offer_id: Annotated[str | None, Query(max_length=40)] = None,
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> ConversionList:
    principal, _ = current(router.current_event.headers)
    if date_to < date_from or (date_to - date_from).days >= MAX_DAYS:
        raise ValidationFailed(f"the range must be 1 to {MAX_DAYS} days, from before to")
    affiliate_view = principal.role is Role.AFFILIATE
    if affiliate_view:
        require(principal, Permission.OFFERS_RUN)
        if not principal.advertiser_id:
            raise Forbidden("select an advertiser first")
        tenant = principal.advertiser_id
    else:
        tenant = workspace_tenant(principal, advertiser_id, manage=False)
    first = iso_millis(datetime.combine(date_from, time.min, UTC))
    last = iso_millis(datetime.combine(date_to, time.max, UTC))
    # Filtering after the index read keeps the key range one tenant's; MAX_ROWS bounds the answer.
    found = [
        c
        for c in _repo().of_advertiser(tenant, first, last, MAX_ROWS * 5)
        if (not affiliate_view or c.affiliate_id == principal.affiliate_id)
        and (not status or c.status.value == status)
        and (not offer_id or c.offer_id == offer_id)
    ][:MAX_ROWS]
    offer_names = {o.offer_id: o.name for o in offers().offers.list_offers(tenant)}
    affiliate_names: dict[str, str] = {}
    for affiliate_id in {c.affiliate_id for c in found}:
        try:
            affiliate_names[affiliate_id] = accounts().accounts.get_affiliate(affiliate_id).name
        except NotFound:  # an affiliate id that names nobody ("-") just shows as it is
            affiliate_names[affiliate_id] = affiliate_id
    return ConversionList(
        items=[conversion_out(c, offer_names, affiliate_names, not affiliate_view) for c in found]
    )


@router.post(
    "/conversions/decisions", summary="Approve or reject conversions by id, txn_id or a CSV of txn_ids"
)
def decide_conversions(
    body: Annotated[DecisionIn, Body()], advertiser_id: Annotated[str | None, Query(max_length=40)] = None
) -> DecisionsOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    txn_ids = list(body.txn_ids) + (txn_ids_from_csv(body.csv) if body.csv else [])
    if not body.ids and not txn_ids:
        raise ValidationFailed("name the conversions: ids, txn_ids or csv")
    results = decide(
        _repo(), tenant, body.ids, txn_ids, ConversionStatus(body.status), body.reason, utc_now()
    )
    changed = [
        r for r in results if r.ok and r.conversion is not None and r.conversion.status.value != body.status
    ]
    accounts().audit.record(
        actor_of(router.current_event, user),
        tenant,
        f"conversions.{body.status}",
        f"conversions:{len(changed)}",
        after={
            "reason": body.reason,
            "ids": sorted({r.conversion.conversion_id for r in changed if r.conversion}),
        },
    )
    return DecisionsOut(
        updated=len(changed),
        results=[DecisionResultOut(ref=r.ref, ok=r.ok, error=r.error) for r in results],
    )
