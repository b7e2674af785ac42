"""/api/finance: balances from the ledger, payouts, top-ups, invoices and the platform's overview. Every money-moving call is audited and
refused to Support; a payout can never exceed the approved balance (a condition in the ledger)."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from auth import accounts, actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import BaseModel, Field

from partnerka.accounts.models import Role
from partnerka.accounts.permissions import Permission, require, workspace_tenant
from partnerka.accounts.tokens import Principal
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.config import get_settings
from partnerka.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.money import Money, currency_code, parse_amount
from partnerka.finance.billing import document_key
from partnerka.finance.invoices import (
    Invoice,
    InvoiceItem,
    InvoiceRepository,
    InvoiceStatus,
    invoice_items,
    invoice_lines,
    month_of,
)
from partnerka.finance.ledger import Journal, invoice_index, payout, topup
from partnerka.finance.ledger_store import InsufficientBalance, LedgerRepository
from partnerka.finance.requests import MoneyRequest, MoneyRequestRepository, RequestKind, RequestStatus
from partnerka.finance.service import AdvertiserBalance, payouts_due, read_books
from partnerka.finance.settings import FinanceSettings, FinanceSettingsRepository
from partnerka.stats.names import group_names
from routes.exports import download_link

router = Router()  # type: ignore[no-untyped-call]


@cache
def _ledger() -> LedgerRepository:
    return LedgerRepository(get_settings().ledger_table)


@cache
def _settings() -> FinanceSettingsRepository:
    return FinanceSettingsRepository(get_settings().core_table)


@cache
def _requests() -> MoneyRequestRepository:
    return MoneyRequestRepository(get_settings().core_table)


def _decimal(minor: int, currency: str) -> str:
    return Money(minor, currency).as_decimal_string()


def _books_scope(principal: Principal, advertiser_id: str | None) -> tuple[str, str | None]:
    """(advertiser, the affiliate when the caller is one): an affiliate reads its own balances in its
    current advertiser; the advertiser and platform staff read the whole books."""
    if principal.role is Role.AFFILIATE:
        if not principal.advertiser_id or not principal.affiliate_id:
            raise Forbidden("select an advertiser first")
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("this belongs to another advertiser")
        return principal.advertiser_id, principal.affiliate_id
    return workspace_tenant(principal, advertiser_id, manage=False), None


class AffiliateBalanceOut(BaseModel):
    affiliate_id: str
    affiliate_name: str
    currency: str
    hold: str
    """Earned, waiting for the hold to end or the advertiser's approval."""
    approved: str
    """Payable now."""
    paid: str
    min_payout: str | None
    """The advertiser's minimum payout request in this currency (null: any amount above zero)."""


class ResultsOut(BaseModel):
    currency: str
    pending: str
    """Payouts on hold or awaiting approval."""
    spend: str
    """Approved payouts."""
    revenue: str
    """What approved conversions earned (the offers' revenue)."""
    profit: str
    """revenue - spend."""
    roi: float | None
    """profit / spend × 100, in percent; null without spend."""


class AdvertiserBalanceOut(ResultsOut):
    deposits: str
    balance: str
    """deposits - spend."""
    low_balance: bool
    """Below the low-balance threshold the advertiser set for this currency."""


class OfferSpendOut(ResultsOut):
    offer_id: str
    offer_name: str


class BalancesOut(BaseModel):
    advertiser_id: str
    affiliates: list[AffiliateBalanceOut]
    advertiser: list[AdvertiserBalanceOut] | None
    """The advertiser's own accounts; null for an affiliate."""
    offers: list[OfferSpendOut] | None


@router.get("/finance/balances", summary="Balances from the ledger: each affiliate's and the advertiser's")
def get_balances(advertiser_id: Annotated[str | None, Query(max_length=40)] = None) -> BalancesOut:
    principal, _ = current(router.current_event.headers)
    tenant, own = _books_scope(principal, advertiser_id)
    books = read_books(_ledger().balances(f"aff:{tenant}:{own}") if own else _ledger().books(tenant))
    affiliates = [row for row in books.affiliates if own is None or row.affiliate_id == own]
    names = group_names("affiliate", sorted({row.affiliate_id for row in affiliates}), [tenant])
    offer_names = group_names("offer", [], [tenant]) if own is None else {}
    thresholds = _settings().get(tenant)
    return BalancesOut(
        advertiser_id=tenant,
        affiliates=[
            AffiliateBalanceOut(
                affiliate_id=row.affiliate_id,
                affiliate_name=names.get(row.affiliate_id, row.affiliate_id),
                currency=row.currency,
                hold=_decimal(row.hold, row.currency),
                approved=_decimal(row.approved, row.currency),
                paid=_decimal(row.paid, row.currency),
                min_payout=_decimal(thresholds.min_payout[row.currency], row.currency)
                if row.currency in thresholds.min_payout
                else None,
            )
            for row in affiliates
        ],
        advertiser=None
        if own
        else [
            AdvertiserBalanceOut(
                **_results(row),
                deposits=_decimal(row.deposits, row.currency),
                balance=_decimal(row.balance, row.currency),
                low_balance=thresholds.is_low(row.currency, row.balance),
            )
            for row in books.advertiser
        ],
        offers=None
        if own
        else [
            OfferSpendOut(
                **_results(row),
                offer_id=row.offer_id or "",
                offer_name=offer_names.get(row.offer_id or "", row.offer_id or ""),
            )
            for row in books.offers
        ],
    )


def _results(row: AdvertiserBalance) -> dict[str, Any]:
    return {
        "currency": row.currency,
        "pending": _decimal(row.pending, row.currency),
        "spend": _decimal(row.spend, row.currency),
        "revenue": _decimal(row.revenue, row.currency),
        "profit": _decimal(row.profit, row.currency),
        "roi": round(row.profit * 100 / row.spend, 2) if row.spend else None,
    }


class PayoutIn(BaseModel):
    affiliate_id: str | None = Field(None, max_length=40)
    """One affiliate; omitted: every affiliate with an approved balance (a bulk payout)."""
    currency: str | None = Field(None, min_length=3, max_length=3)
    """Omitted: every currency."""
    amount: str | None = Field(None, max_length=24)
    """A decimal amount (one affiliate and one currency only); omitted: the whole approved balance."""
    method: str = Field(min_length=1, max_length=40)
    """How it was paid: wire, PayPal, USDT, …"""
    reference: str = Field("", max_length=200)


class PayoutOut(BaseModel):
    id: str
    affiliate_id: str
    currency: str
    amount: str
    method: str
    reference: str
    created_at: str


class PayoutsOut(BaseModel):
    items: list[PayoutOut]


def _credited(journal: Journal, kind: str) -> tuple[str, str]:
    """(currency, decimal amount) the journal credited to its account of `kind`: what a payout paid
    (`paid`) or a top-up deposited (`deposits`)."""
    entry = next(e for e in journal.entries if e.account.kind == kind)
    return entry.account.currency, _decimal(-entry.amount, entry.account.currency)


def _payout_out(journal: Journal) -> PayoutOut:
    currency, amount = _credited(journal, "paid")
    return PayoutOut(
        id=journal.key.removeprefix("payout."),
        affiliate_id=journal.detail.get("affiliate_id", ""),
        currency=currency,
        amount=amount,
        method=journal.detail.get("method", ""),
        reference=journal.detail.get("reference", ""),
        created_at=iso_millis(journal.created_at),
    )


@router.post("/finance/payouts", summary="Pay approved balances: one affiliate, or all of them")
def create_payouts(
    body: Annotated[PayoutIn, Body()], advertiser_id: Annotated[str | None, Query(max_length=40)] = None
) -> PayoutsOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)  # Support: refused
    currency = currency_code(body.currency) if body.currency else None
    now = utc_now()
    if body.amount is not None:
        if not body.affiliate_id or not currency:
            raise ValidationFailed("an amount pays one affiliate in one currency")
        wanted = [(body.affiliate_id, currency, parse_amount(body.amount, currency).minor)]
    else:
        due = payouts_due(read_books(_ledger().books(tenant)), body.affiliate_id, currency)
        wanted = [(row.affiliate_id, row.currency, row.approved) for row in due]
    if not wanted:
        raise ValidationFailed("there is no approved balance to pay")
    made: list[Journal] = []
    for affiliate_id, paid_currency, amount in wanted:
        if amount <= 0:
            raise ValidationFailed("an amount is positive")
        journal = payout(
            tenant,
            affiliate_id,
            paid_currency,
            amount,
            new_id(),
            now,
            {"method": body.method, "reference": body.reference, "by": principal.user_id},
        )
        try:
            _ledger().post(journal)
        except InsufficientBalance:
            if body.amount is not None:
                raise
            continue  # paid meanwhile by someone else: the bulk pays the rest
        made.append(journal)
        _requests().answer_payouts(tenant, affiliate_id, paid_currency, journal.key.removeprefix("payout."))
        accounts().audit.record(
            actor_of(router.current_event, user),
            tenant,
            "finance.payout",
            f"affiliate:{affiliate_id}",
            after={
                "currency": paid_currency,
                "amount": amount,
                "method": body.method,
                "reference": body.reference,
            },
        )
    return PayoutsOut(items=[_payout_out(journal) for journal in made])


@router.get("/finance/payouts", summary="Payout history, newest first")
def list_payouts(advertiser_id: Annotated[str | None, Query(max_length=40)] = None) -> PayoutsOut:
    principal, _ = current(router.current_event.headers)
    tenant, own = _books_scope(principal, advertiser_id)
    index = f"payouts#{tenant}" + (f"#{own}" if own else "")
    return PayoutsOut(items=[_payout_out(journal) for journal in _ledger().history(index, 200)])


class TopupIn(BaseModel):
    amount: str = Field(max_length=24)
    currency: str = Field(min_length=3, max_length=3)
    reference: str = Field(min_length=1, max_length=200)
    """The bank transfer or payment it came with."""


class TopupOut(BaseModel):
    id: str
    currency: str
    amount: str
    reference: str
    created_at: str


class TopupsOut(BaseModel):
    items: list[TopupOut]


def _topup_out(journal: Journal) -> TopupOut:
    currency, amount = _credited(journal, "deposits")
    return TopupOut(
        id=journal.key.removeprefix("topup."),
        currency=currency,
        amount=amount,
        reference=journal.detail.get("reference", ""),
        created_at=iso_millis(journal.created_at),
    )


@router.post("/finance/topups", summary="Record an advertiser's top-up (Owner and Platform Admin)")
def create_topup(
    body: Annotated[TopupIn, Body()], advertiser_id: Annotated[str, Query(max_length=40)]
) -> TopupOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.WORKSPACE_MANAGE_ANY)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    currency = currency_code(body.currency)
    money = parse_amount(body.amount, currency)
    if money.minor <= 0:
        raise ValidationFailed("a top-up is positive")
    journal = topup(tenant, currency, money.minor, new_id(), utc_now(), {"reference": body.reference})
    _ledger().post(journal)
    accounts().audit.record(
        actor_of(router.current_event, user),
        tenant,
        "finance.topup",
        f"advertiser:{tenant}",
        after={"currency": currency, "amount": money.minor, "reference": body.reference},
    )
    return _topup_out(journal)


@router.get("/finance/topups", summary="An advertiser's top-ups, newest first")
def list_topups(advertiser_id: Annotated[str | None, Query(max_length=40)] = None) -> TopupsOut:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return TopupsOut(items=[_topup_out(journal) for journal in _ledger().history(f"topups#{tenant}", 200)])


class FinanceSettingsBody(BaseModel):
    low_balance_threshold: dict[str, str] = Field(default_factory=dict, max_length=20)
    """Currency → decimal amount: below it, the advertiser's balance shows as low."""
    min_payout: dict[str, str] = Field(default_factory=dict, max_length=20)
    """Currency → decimal amount: the least an affiliate may ask to be paid."""


def _amounts(amounts: dict[str, str]) -> dict[str, int]:
    parsed = {}
    for code, text in amounts.items():
        currency = currency_code(code)
        parsed[currency] = parse_amount(text, currency).minor
    return parsed


def _settings_out(found: FinanceSettings) -> FinanceSettingsBody:
    return FinanceSettingsBody(
        low_balance_threshold={c: _decimal(m, c) for c, m in sorted(found.low_balance_threshold.items())},
        min_payout={c: _decimal(m, c) for c, m in sorted(found.min_payout.items())},
    )


@router.get("/finance/settings", summary="The low-balance threshold and the minimum payout, per currency")
def get_finance_settings(
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> FinanceSettingsBody:
    principal, _ = current(router.current_event.headers)
    return _settings_out(_settings().get(workspace_tenant(principal, advertiser_id, manage=False)))


@router.put("/finance/settings", summary="Set the low-balance threshold and the minimum payout")
def put_finance_settings(
    body: Annotated[FinanceSettingsBody, Body()],
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> FinanceSettingsBody:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    before = _settings().get(tenant)
    after = FinanceSettings(tenant, _amounts(body.low_balance_threshold), _amounts(body.min_payout))
    _settings().save(after)
    accounts().audit.record(
        actor_of(router.current_event, user),
        tenant,
        "finance.settings",
        f"advertiser:{tenant}",
        before={"low_balance_threshold": before.low_balance_threshold, "min_payout": before.min_payout},
        after={"low_balance_threshold": after.low_balance_threshold, "min_payout": after.min_payout},
    )
    return _settings_out(after)


class PayoutRequestIn(BaseModel):
    currency: str = Field(min_length=3, max_length=3)
    amount: str | None = Field(None, max_length=24)
    """Omitted: the whole approved balance in that currency."""


class MoneyRequestOut(BaseModel):
    id: str
    kind: Literal["payout", "topup"]
    affiliate_id: str | None
    affiliate_name: str | None
    currency: str
    amount: str
    reference: str
    status: Literal["open", "done", "rejected"]
    """done: paid (a payout request) or confirmed and posted (a top-up)."""
    answer: str | None
    """The payout that paid it, or the top-up it became."""
    created_at: str


class MoneyRequestsOut(BaseModel):
    items: list[MoneyRequestOut]


def _requests_out(found: list[MoneyRequest], advertiser_id: str) -> MoneyRequestsOut:
    names = group_names(
        "affiliate", sorted({r.affiliate_id for r in found if r.affiliate_id}), [advertiser_id]
    )
    return MoneyRequestsOut(
        items=[
            MoneyRequestOut(
                id=r.request_id,
                kind=r.kind.value,
                affiliate_id=r.affiliate_id or None,
                affiliate_name=names.get(r.affiliate_id, r.affiliate_id) if r.affiliate_id else None,
                currency=r.currency,
                amount=_decimal(r.amount, r.currency),
                reference=r.reference,
                status=r.status.value,
                answer=r.answer or None,
                created_at=iso_millis(r.created_at),
            )
            for r in found
        ]
    )


@router.post(
    "/finance/payout-requests", summary="An affiliate asks its advertiser to pay its approved balance"
)
def request_payout(body: Annotated[PayoutRequestIn, Body()]) -> MoneyRequestsOut:
    principal, user = current(router.current_event.headers)
    if principal.role is not Role.AFFILIATE:
        raise Forbidden("payout requests are an affiliate's")
    tenant, own = _books_scope(principal, None)
    if own is None:
        raise Forbidden("payout requests are an affiliate's")
    currency = currency_code(body.currency)
    approved = next(
        (
            row.approved
            for row in read_books(_ledger().balances(f"aff:{tenant}:{own}")).affiliates
            if row.currency == currency
        ),
        0,
    )
    amount = parse_amount(body.amount, currency).minor if body.amount is not None else approved
    minimum = max(_settings().get(tenant).min_payout.get(currency, 1), 1)
    if amount < minimum:
        raise ValidationFailed(f"the minimum payout is {_decimal(minimum, currency)} {currency}")
    if amount > approved:
        raise ValidationFailed(f"the approved balance is {_decimal(approved, currency)} {currency}")
    request = MoneyRequest(
        RequestKind.PAYOUT, new_id(), tenant, currency, amount, utc_now(), affiliate_id=own
    )
    _requests().add(request)
    accounts().audit.record(
        actor_of(router.current_event, user),
        tenant,
        "finance.payout_request",
        f"affiliate:{own}",
        after={"currency": currency, "amount": amount},
    )
    return _requests_out([request], tenant)


@router.get("/finance/payout-requests", summary="Payout requests, newest first")
def list_payout_requests(
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> MoneyRequestsOut:
    principal, _ = current(router.current_event.headers)
    tenant, own = _books_scope(principal, advertiser_id)
    return _requests_out(_requests().of_advertiser(RequestKind.PAYOUT, tenant, own), tenant)


@router.post(
    "/finance/topup-requests", summary="An advertiser submits a top-up with its reference, for review"
)
def request_topup(
    body: Annotated[TopupIn, Body()], advertiser_id: Annotated[str | None, Query(max_length=40)] = None
) -> MoneyRequestsOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    currency = currency_code(body.currency)
    amount = parse_amount(body.amount, currency).minor
    if amount <= 0:
        raise ValidationFailed("a top-up is positive")
    request = MoneyRequest(
        RequestKind.TOPUP, new_id(), tenant, currency, amount, utc_now(), reference=body.reference
    )
    _requests().add(request)
    accounts().audit.record(
        actor_of(router.current_event, user),
        tenant,
        "finance.topup_request",
        f"advertiser:{tenant}",
        after={"currency": currency, "amount": amount, "reference": body.reference},
    )
    return _requests_out([request], tenant)


@router.get("/finance/topup-requests", summary="Top-ups submitted for review, newest first")
def list_topup_requests(
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> MoneyRequestsOut:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return _requests_out(_requests().of_advertiser(RequestKind.TOPUP, tenant), tenant)


@router.post(
    "/finance/topup-requests/<request_id>/<decision>",
    summary="Confirm a submitted top-up (it is posted) or reject it (Owner and Platform Admin)",
)
def decide_topup(
    request_id: Annotated[str, Path(max_length=40)],
    decision: Annotated[Literal["confirm", "reject"], Path()],
    advertiser_id: Annotated[str, Query(max_length=40)],
) -> MoneyRequestsOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.WORKSPACE_MANAGE_ANY)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    found = _requests().get(RequestKind.TOPUP, tenant, request_id)
    if found is None:
        raise NotFound("no such top-up request")
    if found.status is not RequestStatus.OPEN:
        raise Conflict(f"this top-up is {found.status.value} already")
    if decision == "confirm":
        # Posted under the request's own id first: a retry after a failure here posts nothing twice.
        journal = topup(
            tenant, found.currency, found.amount, request_id, utc_now(), {"reference": found.reference}
        )
        _ledger().post(journal)
        closed = _requests().close(found, RequestStatus.DONE, request_id)
    else:
        closed = _requests().close(found, RequestStatus.REJECTED, "")
    if not closed:
        raise Conflict("this top-up was decided meanwhile")
    accounts().audit.record(
        actor_of(router.current_event, user),
        tenant,
        f"finance.topup_{decision}",
        f"advertiser:{tenant}",
        after={"request": request_id, "currency": found.currency, "amount": found.amount},
    )
    return _requests_out([_requests().get(RequestKind.TOPUP, tenant, request_id) or found], tenant)


# ------------------------------------------------------------------ invoices


@cache
def _invoices() -> InvoiceRepository:
    return InvoiceRepository(get_settings().ledger_table)


ITEMS_SHOWN = 1000


class InvoiceLineOut(BaseModel):
    offer_id: str
    offer_name: str
    currency: str
    conversions: int
    """Approved in the month, less those reversed in it."""
    amount: str
    """What the conversions cost in payouts: the amount due."""
    revenue: str


class InvoiceTotalOut(BaseModel):
    currency: str
    conversions: int
    amount: str
    revenue: str


class InvoiceOut(BaseModel):
    month: str
    status: Literal["open", "closing", "issued", "empty"]
    """open: the month's books are open and this is a preview; issued: final, numbered."""
    number: str | None
    issued_at: str | None
    lines: list[InvoiceLineOut]
    totals: list[InvoiceTotalOut]
    documents: list[str]
    """Languages whose PDF is ready."""


class InvoiceItemOut(BaseModel):
    conversion_id: str
    offer_id: str
    affiliate_id: str
    affiliate_name: str
    currency: str
    at: str
    reversed: bool
    amount: str


class InvoicesOut(BaseModel):
    advertiser_id: str
    current: InvoiceOut
    """This month so far (a preview)."""
    items: list[InvoiceOut]
    """Issued invoices, newest first."""


class InvoiceDetailOut(InvoiceOut):
    advertiser_id: str
    items: list[InvoiceItemOut]
    """The conversions on the invoice, by offer then time (the first 1,000)."""
    items_total: int


def _invoice_tenant(principal: Principal, advertiser_id: str | None) -> str:
    """Invoices are the advertiser's (and platform staff's); an affiliate has none."""
    if principal.role is Role.AFFILIATE:
        raise Forbidden("invoices are the advertiser's")
    return workspace_tenant(principal, advertiser_id, manage=False)


def _invoice_out(invoice: Invoice, offer_names: dict[str, str]) -> InvoiceOut:
    return InvoiceOut(
        month=invoice.month,
        status=invoice.status.value,
        number=invoice.number,
        issued_at=iso_millis(invoice.issued_at) if invoice.issued_at else None,
        lines=[
            InvoiceLineOut(
                offer_id=line.offer_id,
                offer_name=offer_names.get(line.offer_id, line.offer_id),
                currency=line.currency,
                conversions=line.conversions,
                amount=_decimal(line.payout, line.currency),
                revenue=_decimal(line.revenue, line.currency),
            )
            for line in invoice.lines
        ],
        totals=[
            InvoiceTotalOut(
                currency=currency,
                conversions=count,
                amount=_decimal(payout_total, currency),
                revenue=_decimal(revenue, currency),
            )
            for currency, (count, payout_total, revenue) in invoice.totals().items()
        ],
        documents=list(invoice.documents),
    )


def _stored_or_preview(tenant: str, month: str) -> tuple[Invoice, list[InvoiceItem]]:
    stored = _invoices().get(tenant, month)
    items = invoice_items(_ledger().listed(invoice_index(tenant, month)))
    if stored is None or stored.status is InvoiceStatus.CLOSING:
        return Invoice(tenant, month, InvoiceStatus.OPEN, lines=invoice_lines(items)), items
    return stored, items


@router.get("/finance/invoices", summary="The advertiser's issued invoices, and this month's so far")
def list_invoices(advertiser_id: Annotated[str | None, Query(max_length=40)] = None) -> InvoicesOut:
    principal, _ = current(router.current_event.headers)
    tenant = _invoice_tenant(principal, advertiser_id)
    offer_names = group_names("offer", [], [tenant])
    current_month, _ = _stored_or_preview(tenant, month_of(utc_now()))
    return InvoicesOut(
        advertiser_id=tenant,
        current=_invoice_out(current_month, offer_names),
        items=[_invoice_out(invoice, offer_names) for invoice in _invoices().issued(tenant)],
    )


MonthPath = Annotated[str, Path(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]


@router.get("/finance/invoices/<month>", summary="One month's invoice with its conversions")
def get_invoice(
    month: MonthPath, advertiser_id: Annotated[str | None, Query(max_length=40)] = None
) -> InvoiceDetailOut:
    principal, _ = current(router.current_event.headers)
    tenant = _invoice_tenant(principal, advertiser_id)
    invoice, items = _stored_or_preview(tenant, month)
    shown = sorted(items, key=lambda item: (item.offer_id, item.at))[:ITEMS_SHOWN]
    names = group_names("affiliate", sorted({item.affiliate_id for item in shown}), [tenant])
    return InvoiceDetailOut(
        **_invoice_out(invoice, group_names("offer", [], [tenant])).model_dump(),
        advertiser_id=tenant,
        items=[
            InvoiceItemOut(
                conversion_id=item.conversion_id,
                offer_id=item.offer_id,
                affiliate_id=item.affiliate_id,
                affiliate_name=names.get(item.affiliate_id, item.affiliate_id),
                currency=item.currency,
                at=iso_millis(item.at),
                reversed=item.reversed,
                amount=_decimal(item.payout, item.currency),
            )
            for item in shown
        ],
        items_total=len(items),
    )


class DocumentLinkOut(BaseModel):
    download_url: str
    """A link valid for 15 minutes."""


@router.get("/finance/invoices/<month>/document", summary="A link to an issued invoice's PDF")
def invoice_document(
    month: MonthPath,
    language: Annotated[Literal["en", "ru"], Query()] = "en",
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> DocumentLinkOut:
    principal, _ = current(router.current_event.headers)
    tenant = _invoice_tenant(principal, advertiser_id)
    invoice = _invoices().get(tenant, month)
    if invoice is None or invoice.status is not InvoiceStatus.ISSUED:
        raise NotFound("this month has no issued invoice")
    if language not in invoice.documents:
        raise Conflict("the invoice's PDF is being drawn: try again in a minute")
    return DocumentLinkOut(
        download_url=download_link(
            document_key(invoice, language), f"{invoice.number}-{language}.pdf", "application/pdf"
        )
    )


# ------------------------------------------------------------------ the platform's overview


class OverviewRowOut(ResultsOut):
    advertiser_id: str
    advertiser_name: str
    deposits: str
    balance: str
    low_balance: bool
    hold: str
    """What affiliates have on hold with this advertiser."""
    approved: str
    """What the advertiser owes its affiliates now."""
    paid: str
    open_topups: int
    """Top-ups submitted and waiting for review."""


class OverviewOut(BaseModel):
    items: list[OverviewRowOut]


@router.get("/finance/overview", summary="Every advertiser's books in one table (platform staff)")
def finance_overview() -> OverviewOut:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.WORKSPACE_READ_ANY)
    rows: list[OverviewRowOut] = []
    for advertiser in sorted(accounts().accounts.list_advertisers(), key=lambda a: a.name.lower()):
        books = read_books(_ledger().books(advertiser.id))
        thresholds = _settings().get(advertiser.id)
        waiting = [
            r
            for r in _requests().of_advertiser(RequestKind.TOPUP, advertiser.id)
            if r.status is RequestStatus.OPEN
        ]
        for row in books.advertiser:
            owed = [a for a in books.affiliates if a.currency == row.currency]
            rows.append(
                OverviewRowOut(
                    **_results(row),
                    advertiser_id=advertiser.id,
                    advertiser_name=advertiser.name,
                    deposits=_decimal(row.deposits, row.currency),
                    balance=_decimal(row.balance, row.currency),
                    low_balance=thresholds.is_low(row.currency, row.balance),
                    hold=_decimal(sum(a.hold for a in owed), row.currency),
                    approved=_decimal(sum(a.approved for a in owed), row.currency),
                    paid=_decimal(sum(a.paid for a in owed), row.currency),
                    open_topups=sum(1 for r in waiting if r.currency == row.currency),
                )
            )
    return OverviewOut(items=rows)
