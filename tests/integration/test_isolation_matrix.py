"""Tenant isolation, generated from the API's own OpenAPI document: every endpoint, called by every
role, against the objects of two advertisers. A new endpoint that is not given a request body here
fails the test, so nothing escapes the matrix.

World: advertisers A and B; affiliate X active in both, Y active in A only, W pending in A, Z pending
in B only; one user of every role. Checked: nothing private of B reaches anyone not entitled to B
(X while its context is A sees B only as one of its memberships), no request by anyone not
entitled to manage B changes B's stored items, and Support changes nothing at all.

Secrets are checked on their own: an offer's postback secret (enough to forge conversions) reaches
only its advertiser (and its API key), Owner and Platform Admin; an affiliate's `whsec_` webhook
signing secret reaches only that affiliate. Support, which may read everything else, sees neither.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pyotp
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import MembershipStatus, Role
from partnerka.analytics.objects import BucketObjects
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.ids import new_click_id
from partnerka.finance.invoices import InvoiceRepository, issue_invoice, month_of
from partnerka.finance.ledger import ConversionMoney, arrival
from partnerka.finance.repository import LedgerRepository
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.models import DeliveryFormat, Destination, EventData, PostbackEvent
from partnerka.postbacks.repository import operation_of
from partnerka.postbacks.service import new_delivery
from partnerka.stats.analytics_store import AnalyticsStore
from partnerka.stats.click_log import ClickLogRepository
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.projection import StatsStores, apply_stream_batch
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository
from tests.conftest import Figures, thorough
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.stream_records import stream_record

PASSWORD = "isolation-passw0rd"
# A person's own: its profile and sessions, its exports, its notices and choices of notifications.
SELF_SERVICE = re.compile(r"^/api/(me(/.*)?|auth/.*|exports(/.*)?|notifications(/.*)?)$")
PUBLIC_LINKS = re.compile(r"^/api/join/\{code\}")  # authorised by holding the advertiser's own link
VOLATILE = ("RATE#", "REFRESH#", "CHAIN#", "OTT#")  # sessions and counters of the callers themselves
# What anyone may call; every other operation answers an anonymous call 401, whatever it sent.
PUBLIC_OPERATIONS = {
    "POST /api/auth/signup",
    "POST /api/auth/verify-email",
    "POST /api/auth/resend-verification",
    "POST /api/auth/login",
    "POST /api/auth/login/mfa",
    "POST /api/auth/refresh",
    "POST /api/auth/logout",
    "POST /api/auth/password/forgot",
    "POST /api/auth/password/reset",
    "POST /api/auth/invite/accept",
    "GET /api/join/{code}",
    "POST /api/join/{code}/signup",
    "GET /api/portal",
    "GET /api/health",
    "POST /api/notifications/unsubscribe",  # the token in the e-mail's link is the credential
    "POST /telegram/webhook",  # Telegram's secret token header is the credential
    "GET /api/plans",  # the plans on sale
    "POST /api/billing/stripe/webhook",  # Stripe's signature is the credential
}


@dataclass
class Tenant:
    advertiser_id: str
    name: str
    link_code: str
    key_id: str
    key_prefix: str
    teammate_id: str
    teammate_email: str
    pending_affiliate_id: str
    pending_affiliate_email: str
    cidr: str
    offer_id: str
    offer_name: str
    offer_secret: str
    click_id: str
    delivery_id: str
    export_id: str
    summary_key: str
    topup_request_id: str
    domain_id: str
    domain_name: str
    endpoint_id: str
    endpoint_url: str
    invoice_id: str
    invoice_number: str
    legal_name: str
    sub_id: str  # the sub1 of its click: a raw report grouped by sub1 shows it
    query_id: str  # its advertiser's raw report query in the analytics engine

    def private_markers(self) -> set[str]:
        return {
            self.click_id,
            self.delivery_id,
            self.export_id,
            self.offer_id,
            self.offer_name,
            self.offer_secret,
            self.link_code,
            self.key_id,
            self.key_prefix,
            self.teammate_id,
            self.teammate_email,
            self.pending_affiliate_id,
            self.pending_affiliate_email,
            self.cidr,
            self.domain_id,
            self.domain_name,
            self.endpoint_id,
            self.endpoint_url,
            self.invoice_id,
            self.invoice_number,
            self.legal_name,
            self.sub_id,
            self.query_id,
        }

    def all_markers(self) -> set[str]:
        return self.private_markers() | {self.advertiser_id, self.name}


_unique = itertools.count()


def bodies(tenant: Tenant) -> dict[str, Callable[[], Any]]:
    """A valid request body for every mutating endpoint, aimed at `tenant`'s objects."""
    n = lambda: next(_unique)  # noqa: E731 - fresh e-mails per call
    return {
        "POST /api/auth/signup": lambda: {
            "email": f"new{n()}@m.example",
            "password": PASSWORD,
            "name": "N",
            "company_name": "C",
        },
        "POST /api/auth/verify-email": lambda: {"token": "not-a-real-token"},
        "POST /api/auth/resend-verification": lambda: {"email": tenant.teammate_email},
        "POST /api/auth/login": lambda: {"email": tenant.teammate_email, "password": "wrong-password"},
        "POST /api/auth/login/mfa": lambda: {"mfa_token": "x.y.z", "code": "123456"},
        "POST /api/auth/refresh": lambda: None,  # the refresh token is a cookie: none here
        "POST /api/auth/logout": lambda: None,
        "POST /api/auth/password/forgot": lambda: {"email": tenant.teammate_email},
        "POST /api/auth/password/reset": lambda: {"token": "not-a-real-token", "password": PASSWORD},
        "POST /api/auth/invite/accept": lambda: {
            "token": "not-a-real-token",
            "name": "N",
            "password": PASSWORD,
        },
        "POST /api/join/{code}/signup": lambda: {
            "email": f"aff{n()}@m.example",
            "password": PASSWORD,
            "name": "A",
        },
        "POST /api/join/{code}": lambda: None,
        "PATCH /api/me": lambda: {"locale": "en"},
        "POST /api/me/password": lambda: {"current_password": "wrong-password", "new_password": PASSWORD},
        "POST /api/me/context": lambda: {"advertiser_id": tenant.advertiser_id},
        "POST /api/me/mfa/setup": lambda: None,
        "POST /api/me/mfa/enable": lambda: {"password": "wrong-password", "code": "000000"},
        "POST /api/me/mfa/disable": lambda: {"password": "wrong-password", "code": "000000"},
        "POST /api/users/invite": lambda: {
            "email": f"inv{n()}@m.example",
            "role": "advertiser",
            "advertiser_id": tenant.advertiser_id,
        },
        "PATCH /api/users/{user_id}": lambda: {"status": "blocked"},
        # Suspension by the platform's staff: of the tenant, and of its pending affiliate in its program
        "POST /api/advertisers/{advertiser_id}/suspend": lambda: {"reason": "matrix"},
        "POST /api/advertisers/{advertiser_id}/reactivate": lambda: {"note": "matrix"},
        "POST /api/affiliates/{affiliate_id}/suspend": lambda: {
            "reason": "matrix",
            "advertiser_id": tenant.advertiser_id,
        },
        "POST /api/affiliates/{affiliate_id}/reactivate": lambda: {"advertiser_id": tenant.advertiser_id},
        # staff's help of a person (accounts.support)
        "POST /api/users/{user_id}/resend-verification": lambda: None,
        "POST /api/users/{user_id}/resend-invitation": lambda: None,
        "POST /api/users/{user_id}/reset-mfa": lambda: {
            "identity_check": "matrix: called the number on file"
        },
        "POST /api/users/{user_id}/view-as": lambda: None,
        "POST /api/team/invite": lambda: {"email": f"team{n()}@m.example"},
        "POST /api/registration-links": lambda: {"label": "matrix"},
        "DELETE /api/registration-links/{code}": lambda: None,
        "PATCH /api/memberships/{affiliate_id}": lambda: {"status": "rejected"},
        "POST /api/api-keys": lambda: {"label": "matrix"},
        "DELETE /api/api-keys/{key_id}": lambda: None,
        "PUT /api/settings/postback-ips": lambda: {"ips": ["192.0.2.0/24"]},
        "POST /api/offers": lambda: OFFER_BODY | {"name": f"Matrix offer {n()}"},
        "PATCH /api/offers/{offer_id}": lambda: {"name": f"Renamed {n()}", "status": "paused"},
        "POST /api/offers/{offer_id}/rotate-secret": lambda: None,
        "PUT /api/offers/{offer_id}/access/{affiliate_id}": lambda: {
            "access": "approved",
            "payouts": {"sale": "1.00"},
        },
        "POST /api/my/offers/{offer_id}/request-access": lambda: None,
        "PUT /api/settings/postback-domains": lambda: {"domains": ["tracker.example"]},
        "PUT /api/postback-settings": lambda: {
            "url": "https://tracker.example/pb?c={click_id}",
            "events": ["sale"],
        },
        "POST /api/postback-settings/rotate-secret": lambda: None,
        "POST /api/postback-settings/test": lambda: {"event": "sale", "url": "http://127.0.0.1:9/pb"},
        "POST /api/deliveries/{delivery_id}/replay": lambda: None,
        "POST /api/monitor/operations/{op_id}/replay": lambda: None,
        "POST /api/monitor/queues/{queue}/redrive": lambda: None,
        "POST /api/exports": lambda: {"kind": "clicks", "from": "2026-01-01", "to": "2026-03-31"},
        "POST /api/finance/payouts": lambda: {"method": "wire", "reference": "matrix"},
        "POST /api/finance/topups": lambda: {"amount": "10.00", "currency": "USD", "reference": "matrix"},
        "PUT /api/finance/settings": lambda: {"low_balance_threshold": {"USD": "5.00"}},
        "POST /api/finance/payout-requests": lambda: {"currency": "USD"},
        "POST /api/finance/topup-requests": lambda: {"amount": "1", "currency": "USD", "reference": "matrix"},
        "POST /api/finance/topup-requests/{request_id}/{decision}": lambda: None,
        "POST /api/conversions/decisions": lambda: {
            "status": "rejected",
            "reason": "fraud",
            "txn_ids": ["T-1"],
        },
        # fraud rules
        "PUT /api/fraud-rules": lambda: {"rules": {"datacenter": {"action": "rejected"}}},
        "PUT /api/fraud-rules/offers/{offer_id}": lambda: {"rules": {"bot": {"action": "held"}}},
        "DELETE /api/fraud-rules/offers/{offer_id}": lambda: None,
        "PUT /api/brand": lambda: {
            "portal_name": f"Matrix brand {n()}",
            "support_email": "help@matrix.example",
        },
        "POST /api/brand/uploads": lambda: {"kind": "logo_light", "content_type": "image/png", "size": 900},
        "PUT /api/brand/assets/{kind}": lambda: {"key": f"uploads/{tenant.advertiser_id}/{'0' * 32}"},
        "DELETE /api/brand/assets/{kind}": lambda: None,
        "POST /api/domains": lambda: {"name": f"portal{n()}.matrix-domains.example", "kind": "portal"},
        "POST /api/domains/{domain_id}/check": lambda: None,
        "DELETE /api/domains/{domain_id}": lambda: None,
        "DELETE /api/stats/queries/{query_id}": lambda: None,
        "PUT /api/notifications/preferences": lambda: {"events": {"balance.low": {"telegram": False}}},
        "POST /api/notifications/read-all": lambda: None,
        "POST /api/notifications/{notice_id}/read": lambda: None,
        "POST /api/notifications/telegram/link": lambda: None,
        "DELETE /api/notifications/telegram": lambda: None,
        "POST /api/notifications/unsubscribe": lambda: {"token": "not-a-real-token"},
        "POST /telegram/webhook": lambda: {"update_id": 1, "message": {"text": "/start x"}},
        "POST /api/webhooks": lambda: {
            "url": f"http://127.0.0.1:9/matrix-{n()}",
            "events": ["balance.low"],
            "description": "matrix",
            "enabled": True,
        },
        "PUT /api/webhooks/{endpoint_id}": lambda: {
            "url": f"http://127.0.0.1:9/matrix-{n()}",
            "events": ["invoice.issued"],
            "description": "changed",
            "enabled": False,
        },
        "DELETE /api/webhooks/{endpoint_id}": lambda: None,
        "POST /api/webhooks/{endpoint_id}/rotate-secret": lambda: None,
        "POST /api/webhooks/{endpoint_id}/test": lambda: {"type": "balance.low"},
        "POST /api/admin/plans": lambda: PLAN_BODY | {"code": f"matrix-{n()}"},
        "PUT /api/admin/plans/{code}": lambda: PLAN_BODY,
        "PUT /api/admin/subscriptions/{advertiser_id}/terms": lambda: {
            "currency": "USD",
            "monthly_price": "100.00",
            "limits": PLAN_BODY["limits"],
            "note": "matrix",
        },
        "POST /api/admin/billing/invoices/{advertiser_id}/{invoice_id}/paid": lambda: {
            "reference": f"BANK-{n()}"
        },
        "PUT /api/billing/profile": lambda: {"legal_name": f"Matrix {n()} LLC", "payment_method": "card"},
        "POST /api/billing/subscription/change": lambda: {"plan_code": "starter", "interval": "month"},
        "POST /api/billing/subscription/cancel": lambda: None,
        "POST /api/billing/subscription/resume": lambda: None,
        "POST /api/billing/invoices/{invoice_id}/checkout": lambda: None,
        "POST /api/billing/card": lambda: None,
        "POST /api/billing/stripe/webhook": lambda: {"id": "evt_matrix", "type": "payment_intent.succeeded"},
        # Block lists (issue 20, blocks)
        "PUT /api/block-list": lambda: {"ips": [f"192.0.2.{n() % 256}"], "countries": ["CN"]},
        "POST /api/block-list/entries": lambda: {"kind": "asns", "text": f"AS{64500 + n()}"},
        "PUT /api/offers/{offer_id}/block-list": lambda: {"referrers": [f"spam{n()}.example"]},
        "POST /api/offers/{offer_id}/block-list/entries": lambda: {
            "kind": "subs",
            "sub_key": "sub1",
            "text": f"matrix-{n()}",
        },
    }


PLAN_BODY: dict[str, Any] = {
    "name": "Matrix",
    "rank": 9,
    "public": False,
    "contact_us": False,
    "limits": {
        "clicks_per_month": 1000,
        "active_offers": 1,
        "approved_affiliates": 1,
        "team_seats": 1,
        "custom_domains": 0,
        "white_label": False,
    },
    "prices": [{"currency": "USD", "monthly": "1.00"}],
}


OFFER_BODY = {
    "model": "CPA",
    "currency": "USD",
    "goals": [
        {
            "key": "sale",
            "name": "Sale",
            "payout_type": "fixed",
            "payout": "5",
            "revenue_type": "fixed",
            "revenue": "8",
        }
    ],
    "landings": [{"url": "https://shop.example/?c={click_id}", "weight": 1}],
}


def path_values(tenant: Tenant) -> dict[str, str]:
    return {
        "offer_id": tenant.offer_id,
        "code": tenant.link_code,
        "user_id": tenant.teammate_id,
        "affiliate_id": tenant.pending_affiliate_id,
        "key_id": tenant.key_id,
        "click_id": tenant.click_id,
        "delivery_id": tenant.delivery_id,
        "op_id": tenant.delivery_id,  # the operation that runs it, in the monitor's log
        "export_id": tenant.export_id,
        "request_id": tenant.topup_request_id,
        "decision": "confirm",
        "queue": "postback-dlq",
        "month": month_of(utc_now()),
        "kind": "logo_light",
        "domain_id": tenant.domain_id,
        "endpoint_id": tenant.endpoint_id,
        "notice_id": "bm8tc3VjaC1ub3RpY2U",
        "advertiser_id": tenant.advertiser_id,
        "invoice_id": tenant.invoice_id,
        "query_id": tenant.query_id,
    }


def build_tenant(api: Api, owner_token: str, name: str, cidr: str) -> tuple[Tenant, str]:
    service, _ = account_services(read_settings(AccountSettings))
    repo = service.accounts
    advertiser = provisioning.create_advertiser(repo, name)
    slug = name.split()[0].lower()
    boss = provisioning.create_verified_user(
        service, f"boss@{slug}.example", PASSWORD, "Boss", Role.ADVERTISER, advertiser.id
    )
    mate = provisioning.create_verified_user(
        service, f"mate@{slug}.example", PASSWORD, "Mate", Role.ADVERTISER, advertiser.id
    )
    pending = provisioning.create_affiliate(repo, f"Pending of {name}", f"pending@{slug}.example")
    provisioning.set_membership(repo, advertiser.id, pending.affiliate_id, MembershipStatus.PENDING)
    token = api.login(boss.email, PASSWORD)["access_token"]
    link = api.call("POST", "/api/registration-links", {"label": f"{name} link"}, token=token).body
    key = api.call("POST", "/api/api-keys", {"label": f"{name} key"}, token=token).body
    api.call("PUT", "/api/settings/postback-ips", {"ips": [cidr]}, token=token)
    offer = api.call(
        "POST", "/api/offers", OFFER_BODY | {"name": f"{name} offer", "visibility": "approval"}, token=token
    ).body
    click = Click(
        click_id=new_click_id(),
        offer_id=offer["id"],
        affiliate_id=pending.affiliate_id,
        advertiser_id=advertiser.id,
        ip="192.0.2.10",
        country="DE",
        user_agent="Mozilla/5.0",
        created_at=datetime(2026, 2, 1, 10, tzinfo=UTC),  # inside the matrix's statistics range
        expires_at=int(utc_now().timestamp()) + 86400,
        subs={"sub1": f"{slug}-private-sub"},
    )
    ClickRepository(os.environ["CLICKS_TABLE"]).put(click)
    # Counted as the orchestrator counts it: the cubes, the click log and the analytics store hold
    # its offer, id and sub-id
    stats = StatsStores(
        CubeRepository(os.environ["STATS_TABLE"]),
        ClickLogRepository(os.environ["STATS_TABLE"]),
        AnalyticsStore(BucketObjects(os.environ["ANALYTICS_BUCKET"]).put),
    )
    record = stream_record("1", f"matrix-{click.click_id}", "INSERT", "clicks", click.as_item())
    assert apply_stream_batch([record], stats) == []
    event = EventData(
        event_id=f"{click.click_id}.click",
        event=PostbackEvent.CLICK,
        click_id=click.click_id,
        affiliate_id=pending.affiliate_id,
        advertiser_id=advertiser.id,
        offer_id=offer["id"],
        occurred_at=utc_now(),
    )
    delivery = new_delivery(event, Destination("https://tracker.example/pb", DeliveryFormat.GET), utc_now())
    OperationsRepository(os.environ["OPERATIONS_TABLE"]).create(operation_of(delivery))
    # An approved sale in its books, for payouts to find (or not)
    money = ConversionMoney(
        f"cv-{click.click_id}", advertiser.id, pending.affiliate_id, offer["id"], "USD", 1250
    )
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    ledger.post(arrival(money, True, utc_now()))
    # and this month's invoice issued (its books closed)
    issue_invoice(
        ledger, InvoiceRepository(os.environ["LEDGER_TABLE"]), advertiser.id, month_of(utc_now()), utc_now()
    )
    export = api.call(
        "POST", "/api/exports", {"kind": "clicks", "from": "2026-02-01", "to": "2026-02-01"}, token=token
    ).body
    topup_request = api.call(
        "POST",
        "/api/finance/topup-requests",
        {"amount": "5", "currency": "USD", "reference": "T"},
        token=token,
    ).body["items"][0]["id"]
    domain = api.call(
        "POST", "/api/domains", {"name": f"partners.{slug}-matrix.example", "kind": "tracking"}, token=token
    ).body
    endpoint = api.call(
        "POST",
        "/api/webhooks",
        {"url": f"http://127.0.0.1:9/{slug}-private-hook", "events": ["balance.low"], "enabled": True},
        token=token,
    ).body
    # A plan chosen, to be paid by bank transfer: the platform's open invoice to the advertiser
    legal_name = f"{name} Legal Entity"
    api.call(
        "PUT",
        "/api/billing/profile",
        {"legal_name": legal_name, "tax_id": f"TAX-{slug}", "payment_method": "bank_transfer"},
        token=token,
    )
    invoice = api.call(
        "POST", "/api/billing/subscription/change", {"plan_code": "pro", "interval": "month"}, token=token
    ).body["invoice"]
    # A raw report (by sub-id: the analytics engine's), its query kept by its id
    raw = api.call(
        "GET", "/api/stats", token=token, **{"from": "2026-02-01", "to": "2026-02-01", "group_by": "sub1"}
    ).body
    assert [row["key"] for row in raw["rows"]] == [f"{slug}-private-sub"], raw
    summary_key = f"summaries/{advertiser.id}/daily/2026-02-01.csv"
    boto3.client("s3").put_object(Bucket=os.environ["REPORTS_BUCKET"], Key=summary_key, Body=b"offer,name\n")
    tenant = Tenant(
        advertiser.id,
        name,
        link["code"],
        key["key"]["id"],
        key["key"]["prefix"],
        mate.user_id,
        mate.email,
        pending.affiliate_id,
        pending.email,
        cidr,
        offer["id"],
        offer["name"],
        offer["postback_secret"],
        click.click_id,
        delivery.delivery_id,
        export["id"],
        summary_key,
        topup_request,
        domain["id"],
        domain["name"],
        endpoint["id"],
        endpoint["url"],
        invoice["invoice_id"],
        invoice["number"],
        legal_name,
        f"{slug}-private-sub",
        raw["query"]["id"],
    )
    return tenant, key["secret"]


def core_items(keep: Callable[[str], bool]) -> dict[tuple[str, str], Any]:
    """The core table and the ledger as moto holds them (read in-process: a thousand scans over HTTP
    would dominate, and moto's own listing sorts the whole table each time); `keep` chooses by
    partition key."""
    items: dict[tuple[str, str], Any] = {}
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    for table in (os.environ["CORE_TABLE"], os.environ["LEDGER_TABLE"]):
        for partition, rows in backend.get_table(table).items.items():
            if not keep(partition.value) or partition.value.startswith(VOLATILE):
                continue
            for item in rows.values():  # both tables have a sort key: partition → sort key → item
                document = item.to_json()["Attributes"]
                items[(document["pk"]["S"], document["sk"]["S"])] = json.dumps(document, sort_keys=True)
    return items


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in sorted(document["paths"].items()):
        for method, operation in sorted(methods.items()):
            yield method.upper(), path, operation


def test_nothing_of_one_advertiser_reaches_or_changes_through_another(
    load_function: FunctionLoader, figures: Figures
) -> None:
    api = Api(load_function("api"))
    service, _ = account_services(read_settings(AccountSettings))
    people = {
        role: provisioning.create_verified_user(
            service, f"{role.value}@platform.example", PASSWORD, role.value, role
        )
        for role in (Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT)
    }
    owner_token = api.login(people[Role.OWNER].email, PASSWORD)["access_token"]
    a, key_a = build_tenant(api, owner_token, "Alpha Shop", "198.51.100.0/24")
    b, _ = build_tenant(api, owner_token, "Beta Corp", "203.0.113.0/24")
    repo = service.accounts
    x = provisioning.create_affiliate(repo, "Xavier", "x@aff.example")
    y = provisioning.create_affiliate(repo, "Yana", "y@aff.example")
    for advertiser, affiliate in ((a, x), (b, x), (a, y)):
        provisioning.set_membership(
            repo, advertiser.advertiser_id, affiliate.affiliate_id, MembershipStatus.ACTIVE
        )
    provisioning.create_verified_user(
        service, x.email, PASSWORD, "X", Role.AFFILIATE, affiliate_id=x.affiliate_id
    )
    provisioning.create_verified_user(
        service, y.email, PASSWORD, "Y", Role.AFFILIATE, affiliate_id=y.affiliate_id
    )

    def in_context(email: str, advertiser_id: str) -> str:
        token = api.login(email, PASSWORD)["access_token"]
        return api.call("POST", "/api/me/context", {"advertiser_id": advertiser_id}, token=token).body[
            "access_token"
        ]  # type: ignore[no-any-return]

    # Both affiliates sign webhooks: their `whsec_` secrets are theirs alone.
    webhook_secrets = {}
    for affiliate in (x, y):
        token = api.login(affiliate.email, PASSWORD)["access_token"]
        settings = api.call(
            "PUT",
            "/api/postback-settings",
            {"url": "https://tracker.example/hook", "events": ["sale"], "format": "webhook"},
            token=token,
        ).body
        assert settings["signing_secret"].startswith("whsec_"), settings
        webhook_secrets[affiliate.email] = settings["signing_secret"]
    every_secret = {a.offer_secret, b.offer_secret, *webhook_secrets.values()}
    x_secret, y_secret = webhook_secrets[x.email], webhook_secrets[y.email]

    # principal → (token, markers it must never see, may it change B?)
    principals: dict[str, tuple[str | None, set[str], bool]] = {
        "anonymous": (None, b.all_markers() | a.all_markers(), False),
        "owner": (owner_token, set(), True),
        "platform_admin": (
            api.login(people[Role.PLATFORM_ADMIN].email, PASSWORD)["access_token"],
            set(),
            True,
        ),
        "support": (api.login(people[Role.SUPPORT].email, PASSWORD)["access_token"], set(), False),
        "advertiser A": (api.login("boss@alpha.example", PASSWORD)["access_token"], b.all_markers(), False),
        "advertiser B": (api.login("boss@beta.example", PASSWORD)["access_token"], a.all_markers(), True),
        "API key of A": (key_a, b.all_markers(), False),
        "affiliate X in A": (in_context(x.email, a.advertiser_id), b.private_markers(), False),
        "affiliate X in B": (in_context(x.email, b.advertiser_id), a.private_markers(), False),
        "affiliate Y in A": (in_context(y.email, a.advertiser_id), b.all_markers(), False),
    }
    # Aimed at A's objects, every run asks as B's people: the other way round from A's people aimed
    # at B. Staff and the anonymous ask the same of either tenant, and A's own people reading A only
    # show that B's markers never appear there: both are asked of B alone, but for `--thorough`.
    principals_towards_a = {who: principals[who] for who in ("advertiser B", "affiliate X in B")}
    # The owner and the platform admin may read and change every tenant: towards B they show only
    # that no affiliate's secret reaches them, which support (who may change nothing) shows too;
    # both are asked of B for `--thorough`.
    # A's API key resolves to A as its people do, with fewer rights: towards B it shows what
    # "advertiser A" shows, so it is asked of B for `--thorough` too.
    principals_towards_b = (
        principals
        if thorough()
        else {
            who: found
            for who, found in principals.items()
            if who not in ("owner", "platform_admin", "API key of A")
        }
    )
    # principal → the secrets it may see; every other secret is a leak wherever it shows up
    secrets_seen_by = {
        "owner": {a.offer_secret, b.offer_secret},
        "platform_admin": {a.offer_secret, b.offer_secret},
        "advertiser A": {a.offer_secret},
        "advertiser B": {b.offer_secret},
        "API key of A": {a.offer_secret},
        "affiliate X in A": {x_secret},
        "affiliate X in B": {x_secret},
        "affiliate Y in A": {y_secret},
    }
    document = api.call("GET", "/api/openapi.json").body
    requests = leaks = 0
    problems: list[str] = []
    ops = list(operations(document))
    known = bodies(b)
    missing = [f"{m} {p}" for m, p, _ in ops if m != "GET" and f"{m} {p}" not in known]
    assert not missing, f"give these endpoints a body in the isolation matrix: {missing}"
    b_private = {f"JOIN#{b.link_code}", f"USER#{b.teammate_id}", f"AFF#{b.pending_affiliate_id}"}

    def b_keys(pk: str) -> bool:
        # B's workspace, and B's books in the ledger (balances, entries, histories, journals)
        return pk.startswith(f"ADV#{b.advertiser_id}") or pk in b_private or b.advertiser_id in pk

    # Reads first, then writes, so that writes cannot hide data from later reads.
    ordered = sorted(ops, key=lambda op: op[0] != "GET")
    for (method, path, operation), target in itertools.product(ordered, (a, b)):
        query_names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        variants: list[dict[str, str]] = [{}]
        if "advertiser_id" in query_names:
            variants.append({"advertiser_id": target.advertiser_id})
        if {"from", "to"} <= query_names:
            dated = [v | {"from": "2026-01-01", "to": "2026-03-31"} for v in variants]
            if path == "/api/audit":  # and today's entries: the world was built (and audited) today
                today = utc_now().date().isoformat()
                dated += [v | {"from": today, "to": today} for v in variants]
            variants = dated
        if "group_by" in query_names:  # reports name the offers they group by; by sub-id, the
            # analytics engine answers, its query narrowed to the caller's scope
            variants = [v | {"group_by": group} for v in variants for group in ("offer", "sub1")]
        if "key" in query_names:  # a summary's download link
            variants = [v | {"key": target.summary_key} for v in variants]
        values = path_values(target)
        concrete = re.sub(r"\{(\w+)\}", lambda m, values=values: values[m.group(1)], path)
        callers = principals_towards_b if target is b else principals if thorough() else principals_towards_a
        for (who, (token, forbidden, may_change_b)), query in itertools.product(callers.items(), variants):
            body = known[f"{method} {path}"]() if method != "GET" else None
            public = bool(PUBLIC_LINKS.match(path))
            mutating = method != "GET" and not SELF_SERVICE.match(path) and not public
            # An affiliate working in B's context may ask B for access to B's offers: its own doing.
            own_request_in_b = who == "affiliate X in B" and path.startswith("/api/my/")
            watch_b = mutating and not may_change_b and not own_request_in_b
            watch_all = mutating and who == "support"
            before = core_items(b_keys) if watch_b else None
            before_all = core_items(lambda pk: True) if watch_all else None
            reply = api.call(method, concrete, body, token=token, **query)
            requests += 1
            text = json.dumps(reply.body)
            # What the caller itself sent (an id in the path, say) is no leak when an error repeats it;
            # and a registration link shows its advertiser to whoever holds the link.
            sent = f"{concrete} {query} {json.dumps(body)}"
            seen = [] if public else sorted(m for m in forbidden if m in text and m not in sent)
            hidden = every_secret - secrets_seen_by.get(who, set())
            seen += sorted(f"secret {m[:10]}…" for m in hidden if m in text and m not in sent)
            if seen:
                leaks += 1
                problems.append(f"LEAK {who}: {method} {concrete} {query} → {reply.status} shows {seen}")
            if reply.status >= 500:
                problems.append(f"5xx {who}: {method} {concrete} {query} → {reply.status} {text[:200]}")
            if (
                token is None
                and f"{method} {path}" not in PUBLIC_OPERATIONS
                and reply.code != "unauthenticated"
            ):
                problems.append(
                    f"NOT 401 anonymous: {method} {concrete} {query} → {reply.status} {text[:200]}"
                )
            if before is not None and core_items(b_keys) != before:
                problems.append(f"CHANGED B {who}: {method} {concrete} {query} → {reply.status}")
            if before_all is not None and core_items(lambda pk: True) != before_all:
                problems.append(f"SUPPORT CHANGED {method} {concrete} {query} → {reply.status}")
    towards_a = len(principals) if thorough() else len(principals_towards_a)
    figures(
        f"isolation matrix: {len(ops)} endpoints × ({len(principals_towards_b)} principals towards B + {towards_a}"
        f" towards A) → {requests} requests, {leaks} leaks, {len(problems)} problems"
    )
    assert problems == [], "\n".join(problems)
    assert requests > 500


def test_anonymous_calls_get_401_before_any_validation(load_function: FunctionLoader) -> None:
    """Whatever an anonymous (or forged-token) caller sends to a protected operation, no parameters,
    a body of the wrong shape, junk in every parameter, the answer is 401: nothing about the request's
    shape is told before who is calling is known. Public operations are exactly the expected ones."""
    api = Api(load_function("api"))
    document = api.call("GET", "/api/openapi.json").body
    ops = list(operations(document))
    public = {f"{m} {p}" for m, p, operation in ops if operation["security"] == []}
    assert public == PUBLIC_OPERATIONS
    protected = [(m, p) for m, p, operation in ops if f"{m} {p}" not in PUBLIC_OPERATIONS]
    assert len(protected) > 60
    for method, path in protected:
        concrete = re.sub(r"\{(\w+)\}", "x" * 300, path)  # longer than any path parameter may be
        junk = {"from": "yesterday", "to": "", "limit": "-1", "advertiser_id": "a" * 500, "cursor": "%%%"}
        for token, query, body in (
            (None, {}, None),
            (None, junk, "a string, not an object"),
            ("forged.jwt.token", junk, {"unexpected": [1, 2, 3]}),
            ("pk_live_forged", {}, None),
        ):
            reply = api.call(method, concrete, body, token=token, **query)
            assert (reply.status, reply.code) == (401, "unauthenticated"), (method, path, token, reply.body)


# ---------------------------------------------------------------------- the staff's roles (SPEC section 1)
def test_each_staff_role_may_exactly_what_the_seed_gives_it(load_function: FunctionLoader) -> None:
    """The Owner alone manages plans and staff; the Platform Admin manages users but no staff, plans or
    money; Support helps a person (a 2FA reset) but blocks no one and moves no money; nobody but the
    Owner helps staff. Each refused call leaves what it aimed at as it was."""
    api = Api(load_function("api"))
    service, _ = account_services(read_settings(AccountSettings))
    people = {
        role: provisioning.create_verified_user(
            service, f"{role.value}@roles.example", PASSWORD, role.value, role
        )
        for role in (Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT)
    }
    shop = provisioning.create_advertiser(service.accounts, "Roles Shop")
    boss = provisioning.create_verified_user(
        service, "boss@roles.example", PASSWORD, "Boss", Role.ADVERTISER, shop.id
    )
    tokens = {role: api.login(user.email, PASSWORD)["access_token"] for role, user in people.items()}
    for person in (boss, people[Role.SUPPORT]):  # both lost their authenticator
        token = api.login(person.email, PASSWORD)["access_token"]
        secret = api.call("POST", "/api/me/mfa/setup", token=token).body["secret"]
        api.call(
            "POST",
            "/api/me/mfa/enable",
            {"password": PASSWORD, "code": pyotp.TOTP(secret).now()},
            token=token,
        )
    check = {"identity_check": "video call, passport matched the account's name"}
    staff_invite = {"email": "new-support@roles.example", "role": "support"}
    owner, admin, support = Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT
    # (who, method, path, body, query, allowed?)
    table: list[tuple[Role, str, str, Any, dict[str, str], bool]] = [
        (support, "PATCH", f"/api/users/{boss.user_id}", {"status": "blocked"}, {}, False),
        (
            support,
            "POST",
            "/api/finance/payouts",
            {"method": "wire", "reference": "R"},
            {"advertiser_id": shop.id},
            False,
        ),
        (support, "POST", f"/api/users/{people[support].user_id}/reset-mfa", check, {}, False),
        (support, "POST", f"/api/users/{boss.user_id}/reset-mfa", check, {}, True),
        (admin, "POST", "/api/admin/plans", PLAN_BODY | {"code": "admins-plan"}, {}, False),
        (admin, "POST", "/api/users/invite", staff_invite, {}, False),
        (admin, "PATCH", f"/api/users/{people[support].user_id}", {"status": "blocked"}, {}, False),
        (admin, "POST", f"/api/users/{people[support].user_id}/reset-mfa", check, {}, False),
        (
            admin,
            "POST",
            "/api/finance/topups",
            {"amount": "10.00", "currency": "USD", "reference": "R"},
            {"advertiser_id": shop.id},
            False,
        ),
        (admin, "POST", f"/api/users/{boss.user_id}/view-as", None, {}, True),
        (owner, "POST", f"/api/users/{people[support].user_id}/reset-mfa", check, {}, True),
        (owner, "POST", "/api/users/invite", staff_invite, {}, True),
    ]
    problems = []
    for who, method, path, body, query, allowed in table:
        before = core_items(lambda pk: pk.startswith(("USER#", "ADV#", "PLAN")))
        reply = api.call(method, path, body, token=tokens[who], **query)
        if allowed and not 200 <= reply.status < 300:
            problems.append(f"REFUSED {who.value}: {method} {path} → {reply.status} {reply.body}")
        if not allowed:
            if reply.code != "forbidden":
                problems.append(f"NOT FORBIDDEN {who.value}: {method} {path} → {reply.status} {reply.body}")
            if core_items(lambda pk: pk.startswith(("USER#", "ADV#", "PLAN"))) != before:
                problems.append(f"CHANGED by {who.value}: {method} {path}")
    assert problems == [], "\n".join(problems)
