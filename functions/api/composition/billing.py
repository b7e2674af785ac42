"""The plans' side of the API functions: the gate every service that adds what a plan limits asks
(each API function that has such a service builds it), what an advertiser uses, counted by the
contexts that hold it, and the billing services of ApiBillingFunction (the plans, subscriptions,
invoices and their PDFs, the payment provider, the Owner's figures)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from composition import audit, service
from composition.files import report_files
from partnerka.accounts.repository import AccountRepository, AccountStore
from partnerka.accounts.workspace import approved_affiliates, team_seats
from partnerka.billing.book import SubscriptionReader
from partnerka.billing.composition import Billing, SubscriptionSettings, billing_services
from partnerka.billing.invoice_pdf import PlatformInvoiceDocuments, PlatformLegal
from partnerka.billing.limits import PlanGate
from partnerka.billing.models import Limit
from partnerka.billing.payments import PaymentProvider
from partnerka.billing.plans import PlanCatalogue
from partnerka.billing.repository import BillingRepository
from partnerka.billing.subscriptions import CheckoutSettings
from partnerka.billing.usage import CountedUsage, UsageReport
from partnerka.branding.repository import BrandRepository, BrandStore
from partnerka.branding.service import white_label_use
from partnerka.common.config import read_settings
from partnerka.common.pynamo import use_core_table
from partnerka.domains.repository import DomainRepository, DomainStore
from partnerka.domains.service import held_domains
from partnerka.offers.repository import OfferRepository, OfferStore
from partnerka.offers.service import active_offers
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.month_clicks import MonthClicks


@dataclass(frozen=True, slots=True)
class GateSettings:
    core_table: str  # subscriptions, plans and advertisers


@service
def plan_gate() -> PlanGate:
    """The gate the offers, workspace, domain and brand services ask: each advertiser's plan (or its
    trial), read as it stands when something is added."""
    table = read_settings(GateSettings).core_table
    use_core_table(table)
    store = BillingRepository(table)
    return PlanGate(SubscriptionReader(store, PlanCatalogue(store, audit()), AccountRepository()))


def counted_usage(
    offers: OfferStore, accounts: AccountStore, domains: DomainStore, brands: BrandStore
) -> CountedUsage:
    """Every limit but clicks, each counted as the service that holds it counts it for the gate."""
    return CountedUsage(
        {
            Limit.ACTIVE_OFFERS: partial(active_offers, offers),
            Limit.APPROVED_AFFILIATES: partial(approved_affiliates, accounts),
            Limit.TEAM_SEATS: partial(team_seats, accounts),
            Limit.CUSTOM_DOMAINS: partial(held_domains, domains),
            Limit.WHITE_LABEL: partial(white_label_use, brands, accounts, domains),
        }
    )


@dataclass(frozen=True, slots=True)
class UsageSettings:
    core_table: str  # where offers, memberships, users, domains and brands are


@service
def usage_counts() -> CountedUsage:
    """What advertisers use, from the core table (the usage page, and the check of a lower plan)."""
    use_core_table(read_settings(UsageSettings).core_table)
    return counted_usage(OfferRepository(), AccountRepository(), DomainRepository(), BrandRepository())


@service
def payments() -> PaymentProvider:
    """Stripe (its library imported here only: the billing function's cold start, no other's)."""
    from partnerka.billing.stripe import StripeSettings, stripe_payments

    return stripe_payments(read_settings(StripeSettings))


@service
def billing() -> Billing:
    return billing_services(
        read_settings(SubscriptionSettings),
        read_settings(CheckoutSettings),
        AccountRepository(),
        payments(),
        usage_counts(),
    )


@dataclass(frozen=True, slots=True)
class MeterSettings:
    stats_table: str  # the advertisers' daily totals, this month's clicks are counted from


@service
def usage_report() -> UsageReport:
    """The usage page's meters: the counts above, this month's clicks, against the plan."""
    return UsageReport(
        billing().subscriptions,
        usage_counts(),
        MonthClicks(CubeRepository(read_settings(MeterSettings).stats_table)),
    )


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    """The DocumentsLayer's fonts, and the platform as the seller (the template's PlatformLegal*
    parameters; an operator who has not set them gets invoices without them, not a broken page)."""

    fonts_dir: str
    platform_name: str
    platform_legal_name: str = ""
    platform_legal_address: str = ""
    platform_tax_id: str = ""
    platform_bank_details: str = ""


@service
def invoice_documents() -> PlatformInvoiceDocuments:
    settings = read_settings(DocumentSettings)
    seller = PlatformLegal(
        settings.platform_legal_name or settings.platform_name,
        settings.platform_legal_address,
        settings.platform_tax_id,
        settings.platform_bank_details,
    )
    return PlatformInvoiceDocuments(report_files(), seller, settings.fonts_dir)
