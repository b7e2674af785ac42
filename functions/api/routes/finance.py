"""/api/finance: balances from the ledger, payouts, top-ups, invoices and the platform's overview.

Each route reads its input, asks the finance rules of tenancy (finance.access) whose books the caller
may read or move money in, and calls one finance service (composition.finance builds them); the
services audit every change. Support reads and moves no money; a payout can never exceed the approved
balance (a condition in the ledger)."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.files import report_files
from composition.finance import finance

from partnerka.finance.access import (
    advertiser_books,
    books_scope,
    deposit_tenant,
    invoice_tenant,
    overview_reader,
    paying_tenant,
    payout_requester,
)
from partnerka.finance.payouts import PayoutOrder
from partnerka.finance.topups import TopUpDecision
from routes.finance_schemas import BalancesOut, FinanceSettingsBody, OverviewOut, OverviewRowOut
from routes.invoice_schemas import DocumentLinkOut, InvoiceDetailOut, InvoicesOut
from routes.payment_schemas import (
    MoneyRequestsOut,
    PayoutIn,
    PayoutOut,
    PayoutRequestIn,
    PayoutsOut,
    TopupIn,
    TopupOut,
    TopupsOut,
)

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
MonthPath = Annotated[str, Path(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]


@router.get("/finance/balances", summary="Balances from the ledger: each affiliate's and the advertiser's")
def get_balances(advertiser_id: AdvertiserParam = None) -> BalancesOut:
    principal, _ = current(router.current_event.headers)
    return BalancesOut.of(finance().balances.sheet(books_scope(principal, advertiser_id)))


@router.post("/finance/payouts", summary="Pay approved balances: one affiliate, or all of them")
def create_payouts(body: Annotated[PayoutIn, Body()], advertiser_id: AdvertiserParam = None) -> PayoutsOut:
    principal, user = current(router.current_event.headers)
    tenant = paying_tenant(principal, advertiser_id)  # Support: refused
    order = PayoutOrder(body.method, body.reference, body.affiliate_id, body.currency, body.amount)
    made = finance().payouts.pay(tenant, order, actor_of(router.current_event, user))
    return PayoutsOut(items=[PayoutOut.of(journal) for journal in made])


@router.get("/finance/payouts", summary="Payout history, newest first")
def list_payouts(advertiser_id: AdvertiserParam = None) -> PayoutsOut:
    principal, _ = current(router.current_event.headers)
    made = finance().payouts.history(books_scope(principal, advertiser_id))
    return PayoutsOut(items=[PayoutOut.of(journal) for journal in made])


@router.post("/finance/topups", summary="Record an advertiser's top-up (Owner and Platform Admin)")
def create_topup(
    body: Annotated[TopupIn, Body()], advertiser_id: Annotated[str, Query(max_length=40)]
) -> TopupOut:
    principal, user = current(router.current_event.headers)
    tenant = deposit_tenant(principal, advertiser_id)
    actor = actor_of(router.current_event, user)
    return TopupOut.of(finance().topups.record(tenant, body.amount, body.currency, body.reference, actor))


@router.get("/finance/topups", summary="An advertiser's top-ups, newest first")
def list_topups(advertiser_id: AdvertiserParam = None) -> TopupsOut:
    principal, _ = current(router.current_event.headers)
    posted = finance().topups.history(advertiser_books(principal, advertiser_id))
    return TopupsOut(items=[TopupOut.of(journal) for journal in posted])


@router.get("/finance/settings", summary="The low-balance threshold and the minimum payout, per currency")
def get_finance_settings(advertiser_id: AdvertiserParam = None) -> FinanceSettingsBody:
    principal, _ = current(router.current_event.headers)
    return FinanceSettingsBody.of(finance().balances.settings(advertiser_books(principal, advertiser_id)))


@router.put("/finance/settings", summary="Set the low-balance threshold and the minimum payout")
def put_finance_settings(
    body: Annotated[FinanceSettingsBody, Body()], advertiser_id: AdvertiserParam = None
) -> FinanceSettingsBody:
    principal, user = current(router.current_event.headers)
    tenant = paying_tenant(principal, advertiser_id)
    saved = finance().balances.save_settings(
        tenant, body.low_balance_threshold, body.min_payout, actor_of(router.current_event, user)
    )
    return FinanceSettingsBody.of(saved)


@router.post(
    "/finance/payout-requests", summary="An affiliate asks its advertiser to pay its approved balance"
)
def request_payout(body: Annotated[PayoutRequestIn, Body()]) -> MoneyRequestsOut:
    principal, user = current(router.current_event.headers)
    tenant, affiliate_id = payout_requester(principal)
    actor = actor_of(router.current_event, user)
    asked = finance().payouts.request(tenant, affiliate_id, body.currency, body.amount, actor)
    return MoneyRequestsOut.of(asked.items, asked.affiliate_names)


@router.get("/finance/payout-requests", summary="Payout requests, newest first")
def list_payout_requests(advertiser_id: AdvertiserParam = None) -> MoneyRequestsOut:
    principal, _ = current(router.current_event.headers)
    found = finance().payouts.requests(books_scope(principal, advertiser_id))
    return MoneyRequestsOut.of(found.items, found.affiliate_names)


@router.post(
    "/finance/topup-requests", summary="An advertiser submits a top-up with its reference, for review"
)
def request_topup(
    body: Annotated[TopupIn, Body()], advertiser_id: AdvertiserParam = None
) -> MoneyRequestsOut:
    principal, user = current(router.current_event.headers)
    tenant = paying_tenant(principal, advertiser_id)
    actor = actor_of(router.current_event, user)
    return MoneyRequestsOut.of(
        [finance().topups.submit(tenant, body.amount, body.currency, body.reference, actor)]
    )


@router.get("/finance/topup-requests", summary="Top-ups submitted for review, newest first")
def list_topup_requests(advertiser_id: AdvertiserParam = None) -> MoneyRequestsOut:
    principal, _ = current(router.current_event.headers)
    return MoneyRequestsOut.of(finance().topups.submitted(advertiser_books(principal, advertiser_id)))


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
    tenant = deposit_tenant(principal, advertiser_id)
    actor = actor_of(router.current_event, user)
    return MoneyRequestsOut.of([finance().topups.decide(tenant, request_id, TopUpDecision(decision), actor)])


@router.get("/finance/invoices", summary="The advertiser's issued invoices, and this month's so far")
def list_invoices(advertiser_id: AdvertiserParam = None) -> InvoicesOut:
    principal, _ = current(router.current_event.headers)
    return InvoicesOut.of(finance().invoicing.listing(invoice_tenant(principal, advertiser_id)))


@router.get("/finance/invoices/<month>", summary="One month's invoice with its conversions")
def get_invoice(month: MonthPath, advertiser_id: AdvertiserParam = None) -> InvoiceDetailOut:
    principal, _ = current(router.current_event.headers)
    return InvoiceDetailOut.of_detail(
        finance().invoicing.detail(invoice_tenant(principal, advertiser_id), month)
    )


@router.get("/finance/invoices/<month>/document", summary="A link to an issued invoice's PDF")
def invoice_document(
    month: MonthPath,
    language: Annotated[Literal["en", "ru"], Query()] = "en",
    advertiser_id: AdvertiserParam = None,
) -> DocumentLinkOut:
    principal, _ = current(router.current_event.headers)
    document = finance().invoicing.document(invoice_tenant(principal, advertiser_id), month, language)
    link = report_files().link(document.key, document.file_name, "application/pdf")
    return DocumentLinkOut(download_url=link)


@router.get("/finance/overview", summary="Every advertiser's books in one table (platform staff)")
def finance_overview() -> OverviewOut:
    principal, _ = current(router.current_event.headers)
    overview_reader(principal)
    return OverviewOut(items=[OverviewRowOut.of(row) for row in finance().balances.overview()])
