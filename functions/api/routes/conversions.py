"""/api/conversions: the advertiser's conversions and its decisions on them; an affiliate's own
conversions (never their revenue). The rules are the conversions' (`partnerka.conversions.review`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from composition.conversions import conversion_review
from pydantic import BaseModel, Field

from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.money import Money
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.conversions.review import NamedConversions

router = Router()  # type: ignore[no-untyped-call]
StatusName = Literal["pending", "hold", "approved", "rejected"]
ReasonName = Literal["fraud", "duplicate", "invalid_data", "not_paid", "test", "other", "cap_reached"]
FlagName = Literal["bot", "datacenter", "ip_flood", "duplicate_visitor", "too_fast", "too_slow"]


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
    flags: list[FlagName]
    """Every traffic-quality flag the click carried when the conversion arrived."""
    screening: Literal["held", "rejected"] | None
    """What a fraud rule did on arrival (null: accepted)."""
    screening_flag: FlagName | None
    """The flag whose rule acted."""
    screening_note: str | None
    """Why, in English (e.g. "click from a datacenter network, AS16509 (Amazon AWS)")."""
    screening_detail: dict[str, str | int]
    """What the note says, for a translated one: asn and network (datacenter); seconds and minimum
    or maximum (too_fast, too_slow)."""


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
        flags=list(conversion.flags),  # type: ignore[arg-type]
        screening=conversion.screening,  # type: ignore[arg-type]
        screening_flag=conversion.screening_flag,  # type: ignore[arg-type]
        screening_note=conversion.screening_note or None,
        screening_detail=conversion.screening_detail,
    )


def conversions_out(shown: NamedConversions) -> list[ConversionOut]:
    return [
        conversion_out(c, shown.offer_names, shown.affiliate_names, shown.sees_revenue) for c in shown.items
    ]


@router.get("/conversions", summary="Conversions for a date range (UTC days), newest first")
def list_conversions(
    date_from: Annotated[date, Query(alias="from")],
    date_to: Annotated[date, Query(alias="to")],
    status: Annotated[StatusName | None, Query()] = None,
    offer_id: Annotated[str | None, Query(max_length=40)] = None,
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> ConversionList:
    principal, _ = current(router.current_event.headers)
    shown = conversion_review().listed(principal, advertiser_id, date_from, date_to, status, offer_id)
    return ConversionList(items=conversions_out(shown))


@router.get(
    "/conversions/review",
    summary="The review queue: conversions held by a fraud rule or marked for review, not decided yet",
)
def review_queue(
    offer_id: Annotated[str | None, Query(max_length=40)] = None,
    flag: Annotated[FlagName | None, Query()] = None,
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> ConversionList:
    principal, _ = current(router.current_event.headers)
    shown = conversion_review().review_queue(principal, advertiser_id, offer_id, flag)
    return ConversionList(items=conversions_out(shown))


@router.post(
    "/conversions/decisions", summary="Approve or reject conversions by id, txn_id or a CSV of txn_ids"
)
def decide_conversions(
    body: Annotated[DecisionIn, Body()], advertiser_id: Annotated[str | None, Query(max_length=40)] = None
) -> DecisionsOut:
    principal, user = current(router.current_event.headers)
    decided = conversion_review().decide(
        principal,
        advertiser_id,
        ConversionStatus(body.status),
        body.reason,
        body.ids,
        body.txn_ids,
        body.csv,
        actor_of(router.current_event, user),
        utc_now(),
    )
    return DecisionsOut(
        updated=decided.updated,
        results=[DecisionResultOut(ref=r.ref, ok=r.ok, error=r.error) for r in decided.results],
    )
