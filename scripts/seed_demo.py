"""Demo data: the platform's default plans, an owner, an advertiser with two offers and a
registration link, affiliates connected to it (one with a login), each person with a password, two
weeks of traffic history, and a dozen sales approved last month with that month's invoice issued.
The advertiser runs its program under its own brand, on its own portal and tracking domains
(`partners.acme.localhost`, `track.acme.localhost`: browsers resolve `*.localhost` to this machine);
a second advertiser, without a brand, has a registration link of its own.

The history is written where the tracker writes clicks and conversions (the Clicks and Conversions
tables), so the platform's own orchestrator counts it into statistics from the tables' streams, as it
counts live traffic; the seed waits until it has. It ends yesterday, so "today" starts empty.

Runs against whatever the environment points at (the local runtime's moto, or a deployed dev stack).
Used by scripts/dev; also runnable alone: `python -m scripts.seed_demo --base-url https://…`.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import secrets
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import boto3
from PIL import Image, ImageDraw

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import MembershipStatus, Role
from partnerka.accounts.repository import AccountRepository
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.billing.catalogue import seed_plans
from partnerka.billing.composition import SubscriptionSettings, billing_services
from partnerka.billing.models import Interval, PaymentMethod
from partnerka.billing.repository import BillingRepository
from partnerka.billing.subscriptions import CheckoutSettings, ProfileDraft
from partnerka.branding.composition import BrandSettings, brand_service
from partnerka.branding.models import AssetKind, BrandDraft
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.ids import new_click_id, new_id
from partnerka.conversions.models import Conversion, ConversionStatus, dedupe_key
from partnerka.conversions.repository import ConversionRepository
from partnerka.domains.models import Domain, DomainKind, DomainStatus
from partnerka.domains.names import parse_domain
from partnerka.domains.repository import DomainRepository
from partnerka.finance.billing import BillingSettings, billing_for
from partnerka.finance.ledger import invoice_index, topup
from partnerka.finance.repository import LedgerRepository
from partnerka.finance.settings import FinanceSettings, FinanceSettingsRepository
from partnerka.offers.models import Offer
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import create_offer
from partnerka.postbacks.models import PostbackEvent, PostbackSettings
from partnerka.postbacks.repository import PostbackSettingsRepository
from partnerka.stats.cube import NO_VALUE, TOTAL
from partnerka.stats.cube_store import CubeRepository
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository

DEMO_PASSWORD = "demo-partnerka-2026"


@dataclass(frozen=True, slots=True)
class DemoSettings:
    """Where the seed writes what the platform would have recorded (the local runtime's client
    environment names them, as it names them for the functions)."""

    core_table: str
    clicks_table: str
    conversions_table: str
    stats_table: str
    ledger_table: str
    click_ttl_days: int


@dataclass(frozen=True, slots=True)
class AuditSettings:
    audit_table: str


LANDING = (
    "https://demo-shop.example/{page}?click_id={{click_id}}&aff={{affiliate_id}}&offer={{offer_id}}"
    "&sub1={{sub1}}&sub2={{sub2}}"
)


def seed(base_url: str, tracker_url: str = "") -> dict[str, Any]:
    """Create the demo tenant and return what a person needs to try it (links, secrets, logins).

    With `tracker_url`, the demo affiliate sends every event to it as its postback (the local
    platform runs a demo tracker on loopback)."""
    service, workspace = account_services(read_settings(AccountSettings))
    repo = service.accounts
    seed_plans(BillingRepository(read_settings(DemoSettings).core_table), utc_now())
    advertiser = provisioning.create_advertiser(repo, "Acme Shoes")
    affiliate = provisioning.create_affiliate(repo, "Traffic Pro", "affiliate@demo.partnerka.local")
    provisioning.set_membership(repo, advertiser.id, affiliate.affiliate_id, MembershipStatus.ACTIVE)
    partners = [affiliate.affiliate_id]
    for name, email in (
        ("Blog Network", "blogs@demo.partnerka.local"),
        ("Social Ads", "social@demo.partnerka.local"),
    ):
        other = provisioning.create_affiliate(repo, name, email)
        provisioning.set_membership(repo, advertiser.id, other.affiliate_id, MembershipStatus.ACTIVE)
        partners.append(other.affiliate_id)
    offers = OfferRepository()
    sneakers = create_offer(
        offers,
        advertiser.id,
        "Sneakers — sale",
        "CPA",
        LANDING.format(page="sneakers"),
        "12.50",
        "20.00",
        "USD",
    )
    newsletter = create_offer(
        offers,
        advertiser.id,
        "Newsletter sign-up",
        "CPL",
        LANDING.format(page="newsletter"),
        "1.20",
        "2.00",
        "USD",
    )
    link = workspace.create_link(advertiser.id, "Demo partners", provisioning.OPERATOR)
    people = [
        ("owner@demo.partnerka.local", "Olga Owner", Role.OWNER, None, None),
        ("advertiser@demo.partnerka.local", "Anton Acme", Role.ADVERTISER, advertiser.id, None),
        ("affiliate@demo.partnerka.local", "Polina Pro", Role.AFFILIATE, None, affiliate.affiliate_id),
        ("support@demo.partnerka.local", "Sasha Support", Role.SUPPORT, None, None),
    ]
    logins = []
    for email, name, role, advertiser_id, affiliate_id in people:
        provisioning.create_verified_user(
            service, email, DEMO_PASSWORD, name, role, advertiser_id, affiliate_id
        )
        logins.append({"email": email, "password": DEMO_PASSWORD, "role": role.value})
    # A second advertiser, unbranded, with its own registration link: an affiliate of both sees only
    # Acme's program on Acme's portal and both on the platform's own address.
    globex = provisioning.create_advertiser(repo, "Globex Travel")
    create_offer(
        offers, globex.id, "Weekend trips", "CPA", LANDING.format(page="trips"), "8.00", "11.00", "USD"
    )
    globex_link = workspace.create_link(globex.id, "Travel partners", provisioning.OPERATOR)
    portal = seed_brand_and_domains(advertiser.id, base_url)
    history = seed_history(advertiser.id, [sneakers, newsletter], partners)
    invoice = seed_last_month(advertiser.id, advertiser.name, [sneakers, newsletter], partners)
    seed_finance(advertiser.id)
    subscription = seed_subscription(advertiser.id)
    if tracker_url:  # after the history is counted, so none of it is sent as a postback
        PostbackSettingsRepository(read_settings(DemoSettings).core_table).save(
            PostbackSettings(
                affiliate_id=affiliate.affiliate_id,
                url=f"{tracker_url}?click_id={{click_id}}&status={{status}}&payout={{payout}}"
                "&currency={currency}&sub1={sub1}&event_id={event_id}&reason={reason}",
                events=frozenset(PostbackEvent),
                updated_at=utc_now().isoformat(),
            )
        )
    base = base_url.rstrip("/")
    return {
        "base_url": base,
        "dashboard": f"{base}/",
        "advertiser": {"id": advertiser.id, "name": advertiser.name},
        "affiliate": {"id": affiliate.affiliate_id, "name": affiliate.name},
        "registration_link": f"{base}/join/{link.code}",
        "portal": portal,
        "second_advertiser": {
            "id": globex.id,
            "name": globex.name,
            "registration_link": f"{base}/join/{globex_link.code}",
        },
        "portal_registration_link": f"{portal['portal_url']}/join/{link.code}",
        "offers": [
            {
                "id": offer.offer_id,
                "name": offer.name,
                "model": offer.model,
                "paid_status": "lead" if offer.model == "CPL" else "sale",
                "tracking_link": f"{base}/click?o={offer.offer_id}&a={affiliate.affiliate_id}&sub1=demo&sub2=banner",
                "postback_url": f"{base}/postback?click_id={{click_id}}&status={{status}}&txn_id={{txn_id}}"
                f"&secret={offer.postback_secret}",
                "postback_secret": offer.postback_secret,
            }
            for offer in (sneakers, newsletter)
        ],
        "logins": logins,
        "affiliate_postback": tracker_url or None,
        "history": history,
        "invoice": invoice,
        "subscription": subscription,
    }


def seed_subscription(advertiser_id: str) -> dict[str, str]:
    """Acme on Business, billed monthly by bank transfer and paid: a numbered invoice on its billing
    page and its revenue in the Owner's figures (Globex stays on its trial)."""
    from partnerka.billing.stripe import StripeSettings, stripe_payments

    billing = billing_services(
        read_settings(SubscriptionSettings),
        read_settings(CheckoutSettings),
        AccountRepository(),
        stripe_payments(read_settings(StripeSettings)),
    )
    subscriptions = billing.subscriptions
    profile = ProfileDraft(
        legal_name="Acme Shoes LLC",
        address="1 Market Street, Springfield",
        tax_id="US 12-3456789",
        email="billing@acme.example",
        locale="en",
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    subscriptions.save_profile(advertiser_id, profile, provisioning.OPERATOR)
    chosen = subscriptions.change(advertiser_id, "business", Interval.MONTH, provisioning.OPERATOR)
    assert chosen.invoice is not None, "choosing a plan on the trial issues its first invoice"
    paid = subscriptions.mark_paid(
        advertiser_id, chosen.invoice.invoice_id, "DEMO-TRANSFER-1", provisioning.OPERATOR
    )
    return {"plan": "business", "invoice_number": paid.number, "invoice_id": paid.invoice_id}


DEMO_BRAND = BrandDraft(
    portal_name="Acme Partners",
    primary_color="#0b5fff",
    primary_text_color="#ffffff",
    accent_color="#fde68a",
    accent_text_color="#1f2937",
    support_email="partners@acme.example",
    sender_name="Acme Partner Program",
    terms_url="https://acme.example/partner-terms",
    privacy_url="https://acme.example/privacy",
)
DEMO_DOMAINS = (("partners.acme.localhost", DomainKind.PORTAL), ("track.acme.localhost", DomainKind.TRACKING))


def seed_brand_and_domains(advertiser_id: str, base_url: str) -> dict[str, Any]:
    """The advertiser's brand (saved, with a logo uploaded as the dashboard uploads one and checked
    as it is) and its portal and tracking domains, active: on the local platform no CDN stands in
    front (TenantEdge=direct) and the DNS records are the local resolver's (scripts/dev sets them)."""
    actor = provisioning.OPERATOR
    brands = brand_service(
        read_settings(BrandSettings), AuditLog(AuditRepository(read_settings(AuditSettings).audit_table))
    )
    brands.save(advertiser_id, DEMO_BRAND, actor)
    logo = io.BytesIO()
    image = Image.new("RGB", (240, 64), (11, 95, 255))
    ImageDraw.Draw(image).rectangle((16, 16, 48, 48), fill=(253, 230, 138))
    image.save(logo, "PNG")
    key = f"uploads/{advertiser_id}/{secrets.token_hex(16)}"
    boto3.client("s3").put_object(
        Bucket=read_settings(BrandSettings).brand_bucket,
        Key=key,
        Body=logo.getvalue(),
        ContentType="image/png",
    )
    brands.attach(advertiser_id, AssetKind.LOGO_LIGHT, key, actor)
    now = utc_now()
    records = []
    for host, kind in DEMO_DOMAINS:
        domain = Domain(
            domain_id=new_id(),
            advertiser_id=advertiser_id,
            name=parse_domain(host, ()),
            kind=kind,
            status=DomainStatus.ACTIVE,
            token=secrets.token_hex(16),
            created_at=now,
            updated_at=now,
            tenant_id=f"direct-{host}",
            checked_at=now,
            active_since=now,
            txt_found=True,
            cname_found=True,
        )
        DomainRepository().add(replace(domain, next_check_at=domain.next_check(now)))
        records += [{"type": r.type, "name": r.name, "value": r.value} for r in domain.records("localhost")]
    port = urlsplit(base_url).port
    suffix = f":{port}" if port else ""
    return {
        "portal_url": f"http://{DEMO_DOMAINS[0][0]}{suffix}",
        "tracking_url": f"http://{DEMO_DOMAINS[1][0]}{suffix}",
        "dns_records": records,
    }


HISTORY_DAYS = 14
COUNTRIES = ["DE", "US", "RU", "FR", "BR", "PL", "KZ", "TR"]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
]


def seed_history(
    advertiser_id: str, offers: list[Offer], affiliates: list[str], seed: int = 2026
) -> dict[str, int]:
    """HISTORY_DAYS days of clicks and conversions ending yesterday, skewed like real traffic (one
    offer, affiliate and country lead), then a wait until the orchestrator has counted every click."""
    rng = random.Random(seed)
    settings = read_settings(DemoSettings)
    clicks, conversions = (
        ClickRepository(settings.clicks_table),
        ConversionRepository(settings.conversions_table),
    )
    today = utc_now().replace(hour=0, minute=0, second=0, microsecond=0)
    first = today - timedelta(days=HISTORY_DAYS)
    expires = int((today + timedelta(days=settings.click_ttl_days)).timestamp())
    made: list[Click] = []
    sales: list[Conversion] = []
    for day in range(HISTORY_DAYS):
        for _ in range(30 + 3 * day + rng.randrange(15)):
            at = first + timedelta(days=day, seconds=rng.randrange(86400))
            offer = rng.choices(offers, weights=[3, 1])[0]
            click = Click(
                click_id=new_click_id(),
                offer_id=offer.offer_id,
                affiliate_id=rng.choices(affiliates, weights=[5, 3, 2])[0],
                advertiser_id=advertiser_id,
                ip=f"203.0.113.{rng.randrange(1, 255)}",
                country=rng.choices(COUNTRIES, weights=[8, 6, 5, 3, 3, 2, 1, 1])[0],
                user_agent=rng.choice(AGENTS),
                created_at=at,
                expires_at=expires,
                subs={
                    "sub1": rng.choice(["blog", "push", "email", "social"]),
                    "sub2": rng.choice(["banner", "text"]),
                },
            )
            made.append(click)
            if rng.random() < 0.08:
                sales.append(
                    _conversion(rng, click, offer, at + timedelta(minutes=rng.randrange(1, 600)), today)
                )
    # The clicks in batches (one request per twenty-five instead of one each), then their conversions,
    # which come after their clicks as they would in life.
    clicks.put_many(made)
    for sale in sales:
        conversions.insert(sale)
    _wait_until_counted(advertiser_id, first, today, len(made))
    return {"clicks": len(made), "conversions": len(sales)}


LAST_MONTH_SALES = 12


def seed_last_month(
    advertiser_id: str, advertiser_name: str, offers: list[Offer], affiliates: list[str]
) -> str:
    """A dozen conversions approved last month, then that month's invoice, issued as the nightly
    billing run issues it (once the finance worker has posted them): its number."""
    rng = random.Random(11)
    settings = read_settings(DemoSettings)
    clicks, conversions = (
        ClickRepository(settings.clicks_table),
        ConversionRepository(settings.conversions_table),
    )
    month_start, first = _month_starts()
    for n in range(LAST_MONTH_SALES):
        at = first + timedelta(days=2 + 2 * n, seconds=rng.randrange(80000))
        offer = offers[1] if n % 3 == 2 else offers[0]  # two sales for each lead
        click = Click(
            click_id=new_click_id(),
            offer_id=offer.offer_id,
            affiliate_id=affiliates[n % len(affiliates)],
            advertiser_id=advertiser_id,
            ip=f"198.51.100.{n + 1}",
            country=COUNTRIES[n % 4],
            user_agent=AGENTS[n % len(AGENTS)],
            created_at=at,
            expires_at=int((utc_now() + timedelta(days=settings.click_ttl_days)).timestamp()),
        )
        clicks.put(click)
        conversions.insert(
            _conversion(rng, click, offer, at + timedelta(minutes=30), month_start, "approved")
        )
    month = f"{first:%Y-%m}"
    ledger = LedgerRepository(settings.ledger_table)
    deadline = time.monotonic() + 90
    while len(ledger.listed(invoice_index(advertiser_id, month))) < LAST_MONTH_SALES:
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"the finance worker posted fewer than {LAST_MONTH_SALES} of last month's sales"
            )
        time.sleep(0.5)
    invoice = billing_for(read_settings(BillingSettings), boto3.client("s3")).issue(
        advertiser_id, advertiser_name, month, utc_now()
    )
    return invoice.number or ""


def _month_starts() -> tuple[datetime, datetime]:
    """The first moments of this month and of last month (UTC)."""
    this_month = utc_now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return this_month, (this_month - timedelta(days=1)).replace(day=1)


def seed_finance(advertiser_id: str) -> None:
    """The advertiser's payout settings and a bank transfer recorded at the start of last month, so
    its balance reads as a funded program's does."""
    settings = read_settings(DemoSettings)
    FinanceSettingsRepository(settings.core_table).save(
        FinanceSettings(advertiser_id, low_balance_threshold={"USD": 200_00}, min_payout={"USD": 50_00})
    )
    at = _month_starts()[1].replace(hour=9)
    LedgerRepository(settings.ledger_table).post(
        topup(
            advertiser_id, "USD", 1000_00, new_id(int(at.timestamp() * 1000)), at, {"reference": "WIRE-2041"}
        )
    )


def _conversion(
    rng: random.Random, click: Click, offer: Offer, at: datetime, today: datetime, status: str = ""
) -> Conversion:
    goal = "lead" if offer.model == "CPL" else "sale"
    payout, revenue = (120, 200) if goal == "lead" else (1250, 2000)
    if not status:
        status = rng.choices(list(ConversionStatus), weights=[2, 2, 6, 1])[0]
    return Conversion(
        conversion_id=new_id(int(at.timestamp() * 1000)),
        dedupe_key=dedupe_key(click.advertiser_id, click.offer_id, goal, click.click_id, ""),
        click_id=click.click_id,
        offer_id=click.offer_id,
        affiliate_id=click.affiliate_id,
        advertiser_id=click.advertiser_id,
        goal=goal,
        status=ConversionStatus(status),
        payout_minor=payout,
        revenue_minor=revenue,
        currency="USD",
        created_at=min(at, today - timedelta(seconds=1)),
        hold_until=today + timedelta(days=7) if status is ConversionStatus.HOLD else None,
        reason="fraud" if status is ConversionStatus.REJECTED else None,
        country=click.country,
        user_agent=click.user_agent,
        click_created_at=click.created_at,
        subs=click.subs,
    )


def _wait_until_counted(
    advertiser_id: str, first: datetime, end: datetime, clicks: int, timeout: float = 90
) -> None:
    cubes = CubeRepository(read_settings(DemoSettings).stats_table)
    days = [f"{first + timedelta(days=n):%Y-%m-%d}" for n in range((end - first).days)]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = sum(item.values.get("clicks", 0) for item in cubes.exact(advertiser_id, TOTAL, NO_VALUE, days))
        if seen >= clicks:
            return
        time.sleep(0.5)
    raise TimeoutError(f"the orchestrator counted fewer than {clicks} history clicks in {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True, help="where the HTTP API is served")
    args = parser.parse_args()
    print(json.dumps(seed(args.base_url), indent=2))


if __name__ == "__main__":
    main()
