"""/api/admin/billing and /api/admin/subscriptions: the Owner's revenue figures, the platform's
invoices to every advertiser and the bank transfers that paid them, every subscription, and an
Enterprise subscriber's own terms. partnerka.billing decides the rest. Bodies:
routes.billing_admin_schemas."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.billing import billing

from partnerka.accounts.permissions import Permission, require
from partnerka.billing.metrics import NamedInvoice, NamedSubscription
from partnerka.billing.models import InvoiceStatus, SubscriptionState
from routes.billing import InvoicePath, subscription_out
from routes.billing_admin_schemas import (
    AmountOut,
    BillingOverviewOut,
    ChurnMonthOut,
    MarkPaidIn,
    PlanStateCount,
    StaffInvoiceList,
    StaffInvoiceOut,
    StaffSubscriptionList,
    StaffSubscriptionOut,
    TermsIn,
    TrialEndingOut,
)
from routes.billing_schemas import PlatformInvoiceOut, StateName, SubscriptionOut
from routes.finance_schemas import amount_text
from routes.plan_schemas import TermsOut

router = Router()  # type: ignore[no-untyped-call]
AdvertiserPath = Annotated[str, Path(max_length=40)]


@router.get(
    "/admin/billing/overview",
    summary="Recurring revenue, subscriptions, trials ending, overdue invoices and churn (Owner)",
)
def overview() -> BillingOverviewOut:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    figures = billing().overview.overview()
    return BillingOverviewOut(
        mrr=[AmountOut(currency=c, amount=amount_text(a, c)) for c, a in sorted(figures.mrr.items())],
        arr=[AmountOut(currency=c, amount=amount_text(a, c)) for c, a in sorted(figures.arr.items())],
        by_plan=[
            PlanStateCount(plan_code=plan, state=state.value, count=count)
            for plan, state, count in figures.by_plan
        ],
        trials_ending=[
            TrialEndingOut(
                advertiser_id=t.advertiser_id,
                advertiser_name=t.advertiser_name,
                plan_code=t.plan_code,
                trial_end=t.trial_end,
            )
            for t in figures.trials_ending
        ],
        overdue=[_staff_invoice(named) for named in figures.overdue],
        churn=[
            ChurnMonthOut(
                month=m.month, active_at_start=m.active_at_start, canceled=m.canceled, rate_bp=m.rate_bp
            )
            for m in figures.churn
        ],
    )


@router.get("/admin/billing/invoices", summary="The platform's invoices to every advertiser (Owner)")
def staff_invoices(status: Annotated[Literal["open", "paid", "void"], Query()] = "open") -> StaffInvoiceList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    found = billing().overview.invoices(InvoiceStatus(status))
    return StaffInvoiceList(invoices=[_staff_invoice(named) for named in found])


@router.post(
    "/admin/billing/invoices/<advertiser_id>/<invoice_id>/paid",
    summary="Record the bank transfer that paid an invoice (Owner)",
)
def mark_paid(
    advertiser_id: AdvertiserPath, invoice_id: InvoicePath, body: Annotated[MarkPaidIn, Body()]
) -> PlatformInvoiceOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    actor = actor_of(router.current_event, user)
    return PlatformInvoiceOut.of(
        billing().subscriptions.mark_paid(advertiser_id, invoice_id, body.reference, actor)
    )


@router.get(
    "/admin/subscriptions",
    summary="Every advertiser's subscription, by the advertiser's name (Owner and platform staff)",
)
def staff_subscriptions(state: Annotated[StateName | None, Query()] = None) -> StaffSubscriptionList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.BILLING_READ_ANY)
    found = billing().overview.subscriptions(SubscriptionState(state) if state else None)
    return StaffSubscriptionList(items=[_staff_subscription(named) for named in found])


@router.put(
    "/admin/subscriptions/<advertiser_id>/terms",
    summary="An Enterprise subscriber's own price and limits (Owner)",
)
def set_terms(advertiser_id: AdvertiserPath, body: Annotated[TermsIn, Body()]) -> SubscriptionOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    terms, currency = body.terms()
    actor = actor_of(router.current_event, user)
    return subscription_out(billing().subscriptions.set_custom_terms(advertiser_id, terms, currency, actor))


def _staff_invoice(named: NamedInvoice) -> StaffInvoiceOut:
    base = PlatformInvoiceOut.of(named.invoice)
    return StaffInvoiceOut(
        **base.model_dump(), advertiser_id=named.invoice.advertiser_id, advertiser_name=named.advertiser_name
    )


def _staff_subscription(named: NamedSubscription) -> StaffSubscriptionOut:
    sub = named.subscription
    return StaffSubscriptionOut(
        advertiser_id=sub.advertiser_id,
        advertiser_name=named.advertiser_name,
        state=sub.state.value,
        plan_code=sub.plan_code,
        interval=sub.interval.value,
        currency=sub.currency,
        price=amount_text(sub.price, sub.currency),
        period_end=sub.period_end,
        trial_end=sub.trial_end,
        cancel_at_period_end=sub.cancel_at_period_end,
        custom_terms=TermsOut.of(sub.custom_terms, sub.currency) if sub.custom_terms else None,
    )
