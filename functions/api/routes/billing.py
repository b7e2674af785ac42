"""/api/plans, /api/billing and /api/admin/billing: the platform's plans, an advertiser's subscription
(choosing, changing, cancelling, paying), its usage against its plan, the platform's invoices to it,
Stripe's webhook, and the Owner's plans, figures and bank transfers. partnerka.billing decides the
rest. Bodies: routes.billing_schemas."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.billing import desk
from composition.files import report_files

from partnerka.accounts.permissions import Permission, billing_tenant, require
from partnerka.billing.desk import Summary
from partnerka.billing.models import Interval, InvoiceStatus, PaymentMethod
from partnerka.common.http import header
from routes.billing_schemas import (
    AmountOut,
    ChangeIn,
    ChangeOut,
    ChurnMonthOut,
    DocumentLinkOut,
    InvoiceList,
    InvoiceOut,
    MarkPaidIn,
    MeterOut,
    NewPlanIn,
    NextInvoiceOut,
    OverageOut,
    OverviewOut,
    PendingOut,
    PlanIn,
    PlanList,
    PlanOut,
    PlanStateCount,
    ProfileBody,
    RedirectOut,
    StaffInvoiceList,
    StaffInvoiceOut,
    SubscriptionOut,
    TermsIn,
    TermsOut,
    TrialEndingOut,
    UsageOut,
)
from routes.finance_schemas import amount_text
from routes.responses import NoContent, no_content

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
PlanCodePath = Annotated[str, Path(max_length=30)]
InvoicePath = Annotated[str, Path(max_length=120)]


def subscription_out(summary: Summary) -> SubscriptionOut:
    sub = summary.subscription
    currency = sub.currency
    return SubscriptionOut(
        advertiser_id=sub.advertiser_id,
        state=sub.state.value,
        plan=PlanOut.of(summary.plan),
        plan_version=sub.plan_version,
        interval=sub.interval.value,
        currency=currency,
        price=amount_text(sub.price, currency),
        period_start=sub.period_start,
        period_end=sub.period_end,
        trial_end=sub.trial_end,
        cancel_at_period_end=sub.cancel_at_period_end,
        pending=(
            PendingOut(plan_code=sub.pending.plan_code, interval=sub.pending.interval.value, effective_at=sub.period_end)
            if sub.pending
            else None
        ),
        payment_method=sub.payment_method.value,
        has_card=summary.has_card,
        past_due_since=sub.past_due_since,
        suspends_at=summary.suspends_at,
        next_invoice=(
            NextInvoiceOut(
                date=summary.next_invoice.date,
                amount=amount_text(summary.next_invoice.amount, summary.next_invoice.currency),
                currency=summary.next_invoice.currency,
            )
            if summary.next_invoice
            else None
        ),
        custom_terms=TermsOut.of(sub.custom_terms, currency) if sub.custom_terms else None,
    )


# ------------------------------------------------------------------------------------------ plans
@router.get("/plans", summary="The plans offered, side by side (anyone, signed in or not)")
def public_plans() -> PlanList:
    return PlanList(plans=[PlanOut.of(plan) for plan in desk().public_plans()])


@router.get("/admin/plans", summary="Every plan, offered or not (Owner)")
def all_plans() -> PlanList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    return PlanList(plans=[PlanOut.of(plan) for plan in desk().all_plans()])


@router.post("/admin/plans", summary="Add a plan (Owner)", responses={201: {}})
def create_plan(body: Annotated[NewPlanIn, Body()]) -> PlanOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    plan = desk().save_plan(body.code, body, actor_of(router.current_event, user), new=True)
    return PlanOut.of(plan)


@router.put("/admin/plans/<code>", summary="Change a plan: a new version; subscribers keep theirs until their next period")
def edit_plan(code: PlanCodePath, body: Annotated[PlanIn, Body()]) -> PlanOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    return PlanOut.of(desk().save_plan(code, body, actor_of(router.current_event, user), new=False))


# ----------------------------------------------------------------------------------- subscription
@router.get("/billing/subscription", summary="The advertiser's subscription, and what it pays next")
def get_subscription(advertiser_id: AdvertiserParam = None) -> SubscriptionOut:
    principal, _ = current(router.current_event.headers)
    return subscription_out(desk().summary(billing_tenant(principal, advertiser_id, manage=False)))


@router.get("/billing/usage", summary="This month's usage against the plan's limits")
def get_usage(advertiser_id: AdvertiserParam = None) -> UsageOut:
    principal, _ = current(router.current_event.headers)
    sheet = desk().usage(billing_tenant(principal, advertiser_id, manage=False))
    over = sheet.overage_clicks
    return UsageOut(
        month=sheet.month,
        plan_code=sheet.plan_code,
        meters=[
            MeterOut(limit=m.limit.value, usage=m.usage, allowed=m.allowed, percent=m.percent)  # type: ignore[arg-type]
            for m in sheet.meters
        ],
        overage=(
            OverageOut(
                clicks=over,
                amount=amount_text(sheet.overage_amount, sheet.currency) if sheet.overage_amount is not None else None,
                currency=sheet.currency,
            )
            if over
            else None
        ),
    )


@router.post("/billing/subscription/change", summary="Choose a plan and its billing: upgrades now, downgrades at the period's end")
def change_subscription(body: Annotated[ChangeIn, Body()], advertiser_id: AdvertiserParam = None) -> ChangeOut:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    outcome = desk().change(
        tenant,
        body.plan_code,
        Interval(body.interval),
        body.currency,
        actor_of(router.current_event, user),
        return_url=_return_url(),
    )
    return ChangeOut(
        subscription=subscription_out(outcome.summary),
        effective="now" if outcome.effective_now else "period_end",
        invoice=InvoiceOut.of(outcome.invoice) if outcome.invoice else None,
        checkout_url=outcome.checkout_url,
    )


@router.post("/billing/subscription/cancel", summary="Cancel at the period's end")
def cancel_subscription(advertiser_id: AdvertiserParam = None) -> SubscriptionOut:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return subscription_out(desk().cancel(tenant, actor_of(router.current_event, user)))


@router.post("/billing/subscription/resume", summary="Keep a subscription that was to end")
def resume_subscription(advertiser_id: AdvertiserParam = None) -> SubscriptionOut:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return subscription_out(desk().resume(tenant, actor_of(router.current_event, user)))


# ------------------------------------------------------------------------------- invoices, paying
@router.get("/billing/invoices", summary="The platform's invoices to the advertiser, newest first")
def list_invoices(advertiser_id: AdvertiserParam = None) -> InvoiceList:
    principal, _ = current(router.current_event.headers)
    made = desk().invoices(billing_tenant(principal, advertiser_id, manage=False))
    return InvoiceList(invoices=[InvoiceOut.of(invoice) for invoice in made])


@router.get("/billing/invoices/<invoice_id>/document", summary="A link to an invoice's PDF")
def invoice_document(
    invoice_id: InvoicePath,
    language: Annotated[Literal["en", "ru"], Query()] = "en",
    advertiser_id: AdvertiserParam = None,
) -> DocumentLinkOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=False)
    document = desk().document(tenant, invoice_id, language)
    return DocumentLinkOut(download_url=report_files().link(document.key, document.file_name, "application/pdf"))


@router.post("/billing/invoices/<invoice_id>/checkout", summary="Pay an open invoice by card (the provider's page)")
def checkout(invoice_id: InvoicePath, advertiser_id: AdvertiserParam = None) -> RedirectOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return RedirectOut(url=desk().checkout(tenant, invoice_id, _return_url()))


@router.post("/billing/card", summary="Save or replace the card later periods are charged to")
def card_setup(advertiser_id: AdvertiserParam = None) -> RedirectOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return RedirectOut(url=desk().card_setup(tenant, _return_url()))


@router.get("/billing/profile", summary="Whom invoices are addressed to, and how they are paid")
def get_profile(advertiser_id: AdvertiserParam = None) -> ProfileBody:
    principal, _ = current(router.current_event.headers)
    profile, method = desk().profile(billing_tenant(principal, advertiser_id, manage=False))
    return ProfileBody(
        legal_name=profile.legal_name,
        address=profile.address,
        tax_id=profile.tax_id,
        email=profile.email,
        locale="ru" if profile.locale == "ru" else "en",
        payment_method=method.value,
    )


@router.put("/billing/profile", summary="Change whom invoices are addressed to, and how they are paid")
def save_profile(body: Annotated[ProfileBody, Body()], advertiser_id: AdvertiserParam = None) -> ProfileBody:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    desk().save_profile(
        tenant,
        body.legal_name,
        body.address,
        body.tax_id,
        body.email,
        body.locale,
        PaymentMethod(body.payment_method),
        actor_of(router.current_event, user),
    )
    return get_profile(advertiser_id)


@router.post("/billing/stripe/webhook", summary="Stripe's events (signed; anyone may call, the signature decides)", responses={204: {}})
def stripe_webhook() -> NoContent:
    event = router.current_event
    desk().webhook(event.decoded_body.encode("utf-8", "surrogateescape") if isinstance(event.decoded_body, str) else b"", header(event.headers, "stripe-signature") or "")
    return no_content()


# ------------------------------------------------------------------------------------ the Owner's
@router.get("/admin/billing/overview", summary="Recurring revenue, subscriptions, trials ending, overdue invoices and churn (Owner)")
def overview() -> OverviewOut:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    figures = desk().overview()
    mrr = sorted(figures.mrr.items())
    return OverviewOut(
        mrr=[AmountOut(currency=c, amount=amount_text(a, c)) for c, a in mrr],
        arr=[AmountOut(currency=c, amount=amount_text(a * 12, c)) for c, a in mrr],
        by_plan=[PlanStateCount(plan_code=p, state=s.value, count=n) for p, s, n in figures.by_plan],  # type: ignore[arg-type]
        trials_ending=[
            TrialEndingOut(advertiser_id=t.advertiser_id, advertiser_name=t.advertiser_name, plan_code=t.plan_code, trial_end=t.trial_end)
            for t in figures.trials_ending
        ],
        overdue=[_staff_invoice(invoice, name) for invoice, name in figures.overdue],
        churn=[
            ChurnMonthOut(month=m.month, active_at_start=m.active_at_start, canceled=m.canceled, rate_bp=m.rate_bp)
            for m in figures.churn
        ],
    )


@router.get("/admin/billing/invoices", summary="The platform's invoices to every advertiser (Owner)")
def staff_invoices(status: Annotated[Literal["open", "paid", "void"], Query()] = "open") -> StaffInvoiceList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    found = desk().staff_invoices(InvoiceStatus(status))
    return StaffInvoiceList(invoices=[_staff_invoice(invoice, name) for invoice, name in found])


@router.post("/admin/billing/invoices/<advertiser_id>/<invoice_id>/paid", summary="Record a bank transfer that paid an invoice (Owner)")
def mark_paid(advertiser_id: Annotated[str, Path(max_length=40)], invoice_id: InvoicePath, body: Annotated[MarkPaidIn, Body()]) -> InvoiceOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    paid = desk().mark_paid(advertiser_id, invoice_id, body.reference, actor_of(router.current_event, user))
    return InvoiceOut.of(paid)


@router.put("/admin/subscriptions/<advertiser_id>/terms", summary="An Enterprise subscriber's own price and limits (Owner)")
def set_terms(advertiser_id: Annotated[str, Path(max_length=40)], body: Annotated[TermsIn, Body()]) -> SubscriptionOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.BILLING_MANAGE_ANY)
    return subscription_out(desk().set_terms(advertiser_id, body, actor_of(router.current_event, user)))


def _staff_invoice(invoice: object, name: str) -> StaffInvoiceOut:
    base = InvoiceOut.of(invoice)  # type: ignore[arg-type]
    return StaffInvoiceOut(**base.model_dump(), advertiser_id=invoice.advertiser_id, advertiser_name=name)  # type: ignore[attr-defined]


def _return_url() -> str:
    """Where the payment provider sends the browser back: the billing page of the site asked on."""
    return desk().billing_page_url(router.current_event.headers)
