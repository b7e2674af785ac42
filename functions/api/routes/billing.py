"""/api/plans, /api/billing and /api/admin/billing: the platform's plans, an advertiser's subscription
(choosing, changing, cancelling, paying), its usage against its plan, the platform's invoices to it,
Stripe's webhook, and the Owner's plans, figures and bank transfers. partnerka.billing decides the
rest. Bodies: routes.billing_schemas."""

from __future__ import annotations

import base64
from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.billing import billing, invoice_documents, payments, usage_report
from composition.files import report_files

from partnerka.accounts.permissions import Permission, billing_tenant, require
from partnerka.billing.book import suspends_at
from partnerka.billing.metrics import NamedInvoice, NamedSubscription
from partnerka.billing.models import (
    CustomTerms,
    Interval,
    InvoiceStatus,
    Limit,
    PaymentMethod,
    Subscription,
    SubscriptionState,
    overage_amount,
)
from partnerka.billing.plans import PlanDraft
from partnerka.billing.subscriptions import ProfileDraft
from partnerka.common.errors import ValidationFailed
from partnerka.common.http import header
from partnerka.common.money import currency_code, parse_amount
from routes.billing_schemas import (
    AmountOut,
    BillingOverviewOut,
    ChangeIn,
    ChangeOut,
    ChurnMonthOut,
    MarkPaidIn,
    MeterOut,
    NewPlanIn,
    NextInvoiceOut,
    OverageOut,
    PendingOut,
    PlanIn,
    PlanList,
    PlanOut,
    PlanStateCount,
    PlatformInvoiceList,
    PlatformInvoiceOut,
    ProfileBody,
    RedirectOut,
    StaffInvoiceList,
    StaffInvoiceOut,
    StaffSubscriptionList,
    StaffSubscriptionOut,
    StateName,
    SubscriptionOut,
    TermsIn,
    TermsOut,
    TrialEndingOut,
    UsageOut,
)
from routes.finance_schemas import amount_text
from routes.invoice_schemas import DocumentLinkOut
from routes.responses import NoContent, created, no_content

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
PlanCodePath = Annotated[str, Path(max_length=30)]
InvoicePath = Annotated[str, Path(max_length=200)]
AdvertiserPath = Annotated[str, Path(max_length=40)]


def subscription_out(sub: Subscription) -> SubscriptionOut:
    """The subscription as its page shows it: with the plan it is billed at, and what comes next."""
    services = billing()
    plan = services.plans.version(sub.plan_code, sub.plan_version)
    currency = sub.currency
    upcoming = services.subscriptions.next_invoice(sub)
    return SubscriptionOut(
        advertiser_id=sub.advertiser_id,
        state=sub.state.value,
        plan=PlanOut.of(plan),
        plan_version=sub.plan_version,
        interval=sub.interval.value,
        currency=currency,
        price=amount_text(sub.price, currency),
        period_start=sub.period_start,
        period_end=sub.period_end,
        trial_end=sub.trial_end,
        cancel_at_period_end=sub.cancel_at_period_end,
        pending=(
            PendingOut(
                plan_code=sub.pending.plan_code,
                interval=sub.pending.interval.value,
                effective_at=sub.period_end,
            )
            if sub.pending
            else None
        ),
        payment_method=sub.payment_method.value,
        has_card=services.subscriptions.profile(sub.advertiser_id).has_card,
        past_due_since=sub.past_due_since,
        suspends_at=suspends_at(sub),
        next_invoice=(
            NextInvoiceOut(
                date=upcoming.date,
                amount=amount_text(upcoming.amount, upcoming.currency),
                currency=upcoming.currency,
            )
            if upcoming
            else None
        ),
        custom_terms=TermsOut.of(sub.custom_terms, currency) if sub.custom_terms else None,
    )


def _minor(text: str | None, currency: str) -> int | None:
    return None if text is None else parse_amount(text, currency).minor


def _draft(body: PlanIn) -> PlanDraft:
    prices: dict[str, int] = {}
    overage: dict[str, int] = {}
    for price in body.prices:
        currency = currency_code(price.currency)
        if currency in prices:
            raise ValidationFailed(f"prices: {currency} is given twice")
        prices[currency] = parse_amount(price.monthly, currency).minor
        if price.overage_per_1000 is not None:
            overage[currency] = parse_amount(price.overage_per_1000, currency).minor
    return PlanDraft(
        name=body.name,
        limits=body.limits.limits(),
        monthly_prices=prices,
        overage_per_1000=overage,
        contact_us=body.contact_us,
        public=body.public,
        rank=body.rank,
    )


# ------------------------------------------------------------------------------------------ plans
@router.get("/plans", summary="The plans offered, side by side (anyone, signed in or not)")
def public_plans() -> PlanList:
    return PlanList(plans=[PlanOut.of(plan) for plan in billing().plans.public_plans()])


@router.get("/admin/plans", summary="Every plan, offered or not (Owner)")
def all_plans() -> PlanList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    return PlanList(plans=[PlanOut.of(plan) for plan in billing().plans.all_plans()])


@router.post("/admin/plans", summary="Add a plan (Owner)", responses={201: {}})
def create_plan(body: Annotated[NewPlanIn, Body()]) -> Response[PlanOut]:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    plan = billing().plans.create(body.code, _draft(body), actor_of(router.current_event, user))
    return created(PlanOut.of(plan))


@router.put(
    "/admin/plans/<code>",
    summary="Change a plan: its next version, which subscribers get at their next period (Owner)",
)
def edit_plan(code: PlanCodePath, body: Annotated[PlanIn, Body()]) -> PlanOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    return PlanOut.of(billing().plans.edit(code, _draft(body), actor_of(router.current_event, user)))


# ----------------------------------------------------------------------------------- subscription
@router.get("/billing/subscription", summary="The advertiser's subscription, and what it pays next")
def get_subscription(advertiser_id: AdvertiserParam = None) -> SubscriptionOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=False)
    return subscription_out(billing().subscriptions.current(tenant))


@router.get("/billing/usage", summary="This month's usage against the plan's limits")
def get_usage(advertiser_id: AdvertiserParam = None) -> UsageOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=False)
    usage = usage_report().usage(tenant)
    entitled = billing().subscriptions.entitlements(tenant)
    clicks = usage.meter(Limit.CLICKS_PER_MONTH)
    over = max(clicks.usage - clicks.allowed, 0) if clicks.allowed is not None else 0
    per_1000 = entitled.overage_per_1000
    return UsageOut(
        month=usage.month,
        plan_code=usage.plan_code,
        meters=[
            MeterOut(limit=m.limit.value, usage=m.usage, allowed=m.allowed, percent=m.percent)
            for m in usage.meters
        ],
        overage=(
            OverageOut(
                clicks=over,
                amount=(
                    amount_text(overage_amount(over, per_1000), entitled.currency)
                    if per_1000 is not None
                    else None
                ),
                currency=entitled.currency,
            )
            if over
            else None
        ),
    )


@router.post(
    "/billing/subscription/change",
    summary="Choose a plan and its billing: a first choice or an upgrade now, a downgrade at the period's end",
)
def change_subscription(
    body: Annotated[ChangeIn, Body()], advertiser_id: AdvertiserParam = None
) -> ChangeOut:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    result = billing().subscriptions.change(
        tenant,
        body.plan_code,
        Interval(body.interval),
        actor_of(router.current_event, user),
        currency=body.currency,
    )
    return ChangeOut(
        subscription=subscription_out(result.subscription),
        effective=result.effective,
        invoice=PlatformInvoiceOut.of(result.invoice) if result.invoice else None,
        checkout_url=result.checkout_url,
    )


@router.post("/billing/subscription/cancel", summary="Cancel at the period's end")
def cancel_subscription(advertiser_id: AdvertiserParam = None) -> SubscriptionOut:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return subscription_out(billing().subscriptions.cancel(tenant, actor_of(router.current_event, user)))


@router.post("/billing/subscription/resume", summary="Keep a subscription that was to end")
def resume_subscription(advertiser_id: AdvertiserParam = None) -> SubscriptionOut:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return subscription_out(billing().subscriptions.resume(tenant, actor_of(router.current_event, user)))


# ------------------------------------------------------------------------------- invoices, paying
@router.get("/billing/invoices", summary="The platform's invoices to the advertiser, newest first")
def list_invoices(advertiser_id: AdvertiserParam = None) -> PlatformInvoiceList:
    principal, _ = current(router.current_event.headers)
    made = billing().subscriptions.invoices(billing_tenant(principal, advertiser_id, manage=False))
    return PlatformInvoiceList(invoices=[PlatformInvoiceOut.of(invoice) for invoice in made])


@router.get("/billing/invoices/<invoice_id>/document", summary="A link to an invoice's PDF")
def invoice_document(
    invoice_id: InvoicePath,
    language: Annotated[Literal["en", "ru"], Query()] = "en",
    advertiser_id: AdvertiserParam = None,
) -> DocumentLinkOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=False)
    invoice = billing().subscriptions.invoice(tenant, invoice_id)
    document = invoice_documents().stored(invoice, language)
    return DocumentLinkOut(
        download_url=report_files().link(document.key, document.file_name, "application/pdf")
    )


@router.post(
    "/billing/invoices/<invoice_id>/checkout", summary="Pay an open invoice by card (the provider's page)"
)
def checkout(invoice_id: InvoicePath, advertiser_id: AdvertiserParam = None) -> RedirectOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return RedirectOut(url=billing().subscriptions.checkout(tenant, invoice_id))


@router.post("/billing/card", summary="Save or replace the card later periods are charged to")
def card_setup(advertiser_id: AdvertiserParam = None) -> RedirectOut:
    principal, _ = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    return RedirectOut(url=billing().subscriptions.card_setup(tenant))


def _profile_out(tenant: str) -> ProfileBody:
    services = billing().subscriptions
    profile = services.profile(tenant)
    return ProfileBody(
        legal_name=profile.legal_name,
        address=profile.address,
        tax_id=profile.tax_id,
        email=profile.email,
        locale="ru" if profile.locale == "ru" else "en",
        payment_method=services.current(tenant).payment_method.value,
    )


@router.get("/billing/profile", summary="Whom invoices are addressed to, and how they are paid")
def get_profile(advertiser_id: AdvertiserParam = None) -> ProfileBody:
    principal, _ = current(router.current_event.headers)
    return _profile_out(billing_tenant(principal, advertiser_id, manage=False))


@router.put("/billing/profile", summary="Change whom invoices are addressed to, and how they are paid")
def save_profile(body: Annotated[ProfileBody, Body()], advertiser_id: AdvertiserParam = None) -> ProfileBody:
    principal, user = current(router.current_event.headers)
    tenant = billing_tenant(principal, advertiser_id, manage=True)
    draft = ProfileDraft(
        legal_name=body.legal_name,
        address=body.address,
        tax_id=body.tax_id,
        email=body.email,
        locale=body.locale,
        payment_method=PaymentMethod(body.payment_method),
    )
    billing().subscriptions.save_profile(tenant, draft, actor_of(router.current_event, user))
    return _profile_out(tenant)


@router.post(
    "/billing/stripe/webhook",
    summary="Stripe's events (anyone may call: the signature decides)",
    responses={204: {}},
)
def stripe_webhook() -> NoContent:
    event = router.current_event
    raw = event.body or ""
    payload = base64.b64decode(raw) if event.is_base64_encoded else raw.encode("utf-8", "surrogateescape")
    found = payments().parse_webhook(payload, header(event.raw_event, "stripe-signature"))
    if found is not None:
        billing().subscriptions.apply_payment(found)
    return no_content()


# ------------------------------------------------------------------------------------ the Owner's
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
    currency = currency_code(body.currency)
    terms = CustomTerms(
        monthly_price=parse_amount(body.monthly_price, currency).minor,
        limits=body.limits.limits(),
        overage_per_1000=_minor(body.overage_per_1000, currency),
        note=body.note,
    )
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
