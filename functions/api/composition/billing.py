"""The plans' side of the API functions: the gate every service that adds what a plan limits asks,
and what an advertiser uses, counted by the contexts that hold it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from composition import service
from partnerka.accounts.repository import AccountRepository, AccountStore
from partnerka.accounts.workspace import approved_affiliates, team_seats
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.billing.models import Limit
from partnerka.billing.usage import CountedUsage
from partnerka.branding.repository import BrandRepository, BrandStore
from partnerka.branding.service import white_label_use
from partnerka.common.config import read_settings
from partnerka.common.pynamo import use_core_table
from partnerka.domains.repository import DomainRepository, DomainStore
from partnerka.domains.service import held_domains
from partnerka.offers.repository import OfferRepository, OfferStore
from partnerka.offers.service import active_offers


@service
def plan_gate() -> PlanGate:
    """The gate the offers, workspace, domain and brand services ask. Until the API builds the
    subscription service (billing.subscriptions), which answers each advertiser's entitlements, no
    plan limits anything here: the gate of the platform that sells no plans."""
    return UNLIMITED


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
