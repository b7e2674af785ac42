"""/api/billing: an advertiser's subscription (choosing, changing, cancelling, paying), its usage
against its plan, the platform's invoices to it with their PDFs, its billing details, and Stripe's
signed webhook. partnerka.billing decides the rest. Bodies: routes.billing_schemas."""

from __future__ import annotations

import base64
from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.billing import billing, invoice_documents, payments, usage_report
from composition.files import report_files

from partnerka.accounts.permissions import billing_tenant
from partnerka.billing.models import Interval, Limit, PaymentMethod, Subscription, overage_amount
from partnerka.billing.subscriptions import ProfileDraft
from partnerka.common.http import header
from routes.billing_schemas import (
    ChangeIn,
    ChangeOut,
    MeterOut,
    OverageOut,
    PlatformInvoiceList,
    PlatformInvoiceOut,
    ProfileBody,
    RedirectOut,
    SubscriptionOut,
    UsageOut,
)
from routes.finance_schemas import amount_text
from routes.invoice_schemas import DocumentLinkOut
from routes.responses import NoContent, no_content

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
InvoicePath = Annotated[str, Path(max_length=200)]


def subscription_out(sub: Subscription) -> SubscriptionOut:
    """The subscription as its page shows it: with the plan it is billed at, and what comes next."""
    services = billing()
    plan = services.plans.version(sub.plan_code, sub.plan_version)
    has_card = services.subscriptions.profile(sub.advertiser_id).has_card
    return SubscriptionOut.of(sub, plan, has_card, services.subscriptions.next_invoice(sub))


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
