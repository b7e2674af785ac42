"""Every mutation is audited: each mutating route of the API's own OpenAPI document (POST, PUT, PATCH,
DELETE) is called once as the people who use it would, successfully, and must leave an audit entry
carrying that request's id. A new mutating route fails this test until it is given a step here and
audits inside its service, or is added to EXEMPT with the reason.
"""

from __future__ import annotations

import io
import itertools
import json
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pyotp
from PIL import Image

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import Role
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.secrets import secret_reader
from partnerka.finance.ledger import ConversionMoney, arrival
from partnerka.finance.repository import LedgerRepository
from partnerka.notifications.events import EventType
from partnerka.notifications.unsubscribe import UnsubscribeTokens
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.models import DeliveryFormat, Destination, EventData, PostbackEvent
from partnerka.postbacks.repository import operation_of
from partnerka.postbacks.service import message_body, new_delivery
from partnerka_local.template import Template
from tests.integration.api_client import Api, Mailbox, Reply, session_headers
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_isolation_matrix import OFFER_BODY
from tests.integration.world import PASSWORD, build_world

# Mutating routes that write no audit entry of their own, and why that loses nothing.
EXEMPT = {
    "POST /api/auth/refresh": (
        "a session's own token rotation, every few minutes of every open tab: the session it continues"
        " was audited when it began (auth.signed_in), and its end (auth.signed_out) and any reuse of a"
        " rotated token (auth.refresh_reuse_detected, which revokes the chain) are audited"
    ),
    "POST /api/notifications/{notice_id}/read": (
        "a person's own read mark on its own notice: nothing anyone else sees changes, and the notice"
        " itself expires after 90 days"
    ),
    "POST /api/notifications/read-all": "the same read marks, all of a person's at once",
    "POST /api/notifications/telegram/link": (
        "issues a one-time code and changes nothing; the chat it links is audited when Telegram's"
        " update binds it (telegram.linked)"
    ),
    "DELETE /api/notifications/telegram": (
        "audited as telegram.unlinked when a chat was linked (tests/unit/test_telegram.py); with none"
        " linked nothing changes"
    ),
    "POST /api/billing/card": (
        "opens the payment provider's page and changes nothing here; the card it saves is audited when"
        " the provider's signed event tells it (billing.card_saved)"
    ),
    "POST /api/billing/invoices/{invoice_id}/checkout": (
        "opens the payment provider's page for an open invoice and changes nothing here; the payment is"
        " audited when the provider's signed event tells it (subscription moves, actor payments)"
    ),
    "POST /api/billing/stripe/webhook": (
        "Stripe's signed events: what they change is audited as the payment provider's doing, not by"
        " the request (tests/unit/test_subscriptions.py)"
    ),
    "DELETE /api/stats/queries/{query_id}": (
        "stops a person's own report query in the analytics engine: no stored figure changes, and"
        " the query's id is refused to anyone else (tests/integration/test_analytics_api.py)"
    ),
    "POST /telegram/webhook": (
        "Telegram's updates: binding a chat is audited (telegram.linked, tests/unit/test_telegram.py);"
        " any other update changes nothing"
    ),
}


@dataclass
class Audited:
    """Calls mutating routes, each with a request id of its own, and remembers which route it was."""

    api: Api
    calls: dict[str, str] = field(default_factory=dict)  # "METHOD /template" → request id
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def __call__(
        self,
        method: str,
        template: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **values: str,
    ) -> Reply:
        path = template.format(**{k: v for k, v in values.items() if f"{{{k}}}" in template})
        query = {k: v for k, v in values.items() if f"{{{k}}}" not in template}
        request_id = f"audit-{next(self._ids)}"
        reply = self.api.call(
            method, path, body, token=token, headers=headers, request_id=request_id, **query
        )
        assert 200 <= reply.status < 300, f"{method} {path} → {reply.status} {reply.body}"
        self.calls[f"{method} {template}"] = request_id
        return reply


def audit_items() -> list[dict[str, Any]]:
    table = os.environ["AUDIT_TABLE"]
    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=table)
    return [item for page in pages for item in page["Items"]]


def mutating_routes(document: dict[str, Any]) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
        if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}
    }


def test_every_mutating_route_writes_an_audit_record(
    load_function: FunctionLoader, stack: Template, mailbox: Mailbox
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"), mailbox=mailbox)
    call = Audited(api)
    service, _ = account_services(read_settings(AccountSettings))
    admin = provisioning.create_verified_user(
        service, "admin@platform.example", PASSWORD, "Admin", Role.PLATFORM_ADMIN
    )
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    staff = api.login(admin.email, PASSWORD)["access_token"]
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    affiliate = call(
        "POST",
        "/api/me/context",
        {"advertiser_id": world.advertiser_id},
        token=api.login(world.emails["affiliate"], PASSWORD)["access_token"],
    ).body["access_token"]
    adv = {"advertiser_id": world.advertiser_id}

    # ------------------------------------------------------------------ signing up and in
    call(
        "POST",
        "/api/auth/signup",
        {"email": "new@shop.example", "password": PASSWORD, "name": "New", "company_name": "New Shop"},
    )
    call("POST", "/api/auth/resend-verification", {"email": "new@shop.example"})
    token = api.mailbox.tokens("new@shop.example", "verify-email")[-1]
    call("POST", "/api/auth/verify-email", {"token": token})
    signed_in = call("POST", "/api/auth/login", {"email": "new@shop.example", "password": PASSWORD})
    call("POST", "/api/auth/logout", headers=session_headers(signed_in.cookies))
    call("POST", "/api/auth/password/forgot", {"email": "new@shop.example"})
    (token,) = api.mailbox.tokens("new@shop.example", "reset-password")
    call("POST", "/api/auth/password/reset", {"token": token, "password": PASSWORD + "!"})
    invited = call(
        "POST",
        "/api/users/invite",
        {"email": "invited@acme.example", "role": "advertiser", "advertiser_id": world.advertiser_id},
        token=owner,
    ).body["user"]
    (token,) = api.mailbox.tokens("invited@acme.example", "accept-invite")
    call("POST", "/api/auth/invite/accept", {"token": token, "name": "Invited", "password": PASSWORD})
    call("PATCH", "/api/users/{user_id}", {"status": "blocked"}, token=staff, user_id=invited["id"])

    # ------------------------------------------------------------------ staff's help of a person
    helper = provisioning.create_verified_user(
        service, "support@platform.example", PASSWORD, "Support", Role.SUPPORT
    )
    support = api.login(helper.email, PASSWORD)["access_token"]
    unconfirmed = api.call(
        "POST",
        "/api/auth/signup",
        {"email": "unconfirmed@shop.example", "password": PASSWORD, "name": "U", "company_name": "U Shop"},
    ).body["user"]
    call("POST", "/api/users/{user_id}/resend-verification", token=support, user_id=unconfirmed["id"])
    waiting = api.call(
        "POST",
        "/api/users/invite",
        {"email": "waiting@acme.example", "role": "advertiser", "advertiser_id": world.advertiser_id},
        token=owner,
    ).body["user"]
    call("POST", "/api/users/{user_id}/resend-invitation", token=support, user_id=waiting["id"])
    lost = provisioning.create_verified_user(
        service, "lost@acme.example", PASSWORD, "Lost", Role.ADVERTISER, world.advertiser_id
    )
    lost_token = api.login(lost.email, PASSWORD)["access_token"]
    lost_setup = api.call("POST", "/api/me/mfa/setup", token=lost_token).body
    api.call(
        "POST",
        "/api/me/mfa/enable",
        {"code": pyotp.TOTP(lost_setup["secret"]).now(), "password": PASSWORD},
        token=lost_token,
    )
    call(
        "POST",
        "/api/users/{user_id}/reset-mfa",
        {"identity_check": "called back on the number in the signed contract"},
        token=support,
        user_id=lost.user_id,
    )
    call("POST", "/api/users/{user_id}/view-as", token=support, user_id=lost.user_id)

    # ------------------------------------------------------------------ one's own account
    call("PATCH", "/api/me", {"locale": "ru"}, token=boss)
    renewed = call(
        "POST", "/api/me/password", {"current_password": PASSWORD, "new_password": PASSWORD}, token=boss
    )
    boss = renewed.body["access_token"]  # a password change ends the other sessions and renews this one
    setup = call("POST", "/api/me/mfa/setup", token=boss).body
    codes = call(
        "POST",
        "/api/me/mfa/enable",
        {"code": pyotp.TOTP(setup["secret"]).now(), "password": PASSWORD},
        token=boss,
    ).body["recovery_codes"]
    challenge = api.login(world.emails["advertiser"], PASSWORD)
    boss = call("POST", "/api/auth/login/mfa", {"mfa_token": challenge["mfa_token"], "code": codes[0]}).body[
        "access_token"
    ]
    call("POST", "/api/me/mfa/disable", {"password": PASSWORD, "code": codes[1]}, token=boss)

    # ------------------------------------------------------------------ the advertiser's workspace
    call("POST", "/api/team/invite", {"email": "mate@acme.example"}, token=boss)
    link = call("POST", "/api/registration-links", {"label": "Spring"}, token=boss).body
    call(
        "POST",
        "/api/join/{code}/signup",
        {"email": "joiner@aff.example", "password": PASSWORD, "name": "Joiner"},
        code=link["code"],
    )
    loner = provisioning.create_affiliate(service.accounts, "Loner", "loner@aff.example")
    provisioning.create_verified_user(
        service, loner.email, PASSWORD, "Loner", Role.AFFILIATE, affiliate_id=loner.affiliate_id
    )
    call(
        "POST", "/api/join/{code}", token=api.login(loner.email, PASSWORD)["access_token"], code=link["code"]
    )
    call("DELETE", "/api/registration-links/{code}", token=boss, code=link["code"])
    call(
        "PATCH",
        "/api/memberships/{affiliate_id}",
        {"status": "active"},
        token=boss,
        affiliate_id=world.outsider_affiliate_id,
    )
    key = call("POST", "/api/api-keys", {"label": "ERP"}, token=boss).body["key"]
    call("DELETE", "/api/api-keys/{key_id}", token=boss, key_id=key["id"])
    call(
        "PUT", "/api/settings/postback-ips", {"ips": ["203.0.113.0/24"]}, token=boss
    )  # where tests call from
    call("PUT", "/api/settings/postback-domains", {"domains": ["tracker.example"]}, token=boss)

    # ------------------------------------------------------------------ offers
    offer = call(
        "POST", "/api/offers", {**OFFER_BODY, "name": "Boots", "visibility": "approval"}, token=boss
    ).body
    call("PATCH", "/api/offers/{offer_id}", {"name": "Winter boots"}, token=boss, offer_id=offer["id"])
    rotated = call("POST", "/api/offers/{offer_id}/rotate-secret", token=boss, offer_id=offer["id"]).body
    call("POST", "/api/my/offers/{offer_id}/request-access", token=affiliate, offer_id=offer["id"])
    call(
        "PUT",
        "/api/offers/{offer_id}/access/{affiliate_id}",
        {"access": "approved"},
        token=boss,
        offer_id=offer["id"],
        affiliate_id=world.affiliate_id,
    )

    # ------------------------------------------------------------------ block lists (staff act for the advertiser)
    call("PUT", "/api/block-list", {"ips": ["192.0.2.0/24"], "countries": ["KP"]}, token=boss)
    call("POST", "/api/block-list/entries", {"kind": "asns", "text": "AS16509\n14618"}, token=staff, **adv)
    call(
        "PUT",
        "/api/offers/{offer_id}/block-list",
        {"referrers": ["spam.example"]},
        token=boss,
        offer_id=offer["id"],
    )
    call(
        "POST",
        "/api/offers/{offer_id}/block-list/entries",
        {"kind": "subs", "sub_key": "sub2", "text": "bad-source"},
        token=boss,
        offer_id=offer["id"],
    )

    # ------------------------------------------------------------------ the brand
    call("PUT", "/api/brand", {"portal_name": "Acme Partners", "primary_color": None}, token=boss)
    logo = io.BytesIO()
    Image.new("RGB", (64, 32), (11, 95, 255)).save(logo, "PNG")
    upload = {"kind": "logo_light", "content_type": "image/png", "size": len(logo.getvalue())}
    form = call("POST", "/api/brand/uploads", upload, token=boss).body
    # posted as the browser posts it (tests/integration/test_branding_api.py posts the form itself)
    boto3.client("s3").put_object(
        Bucket=os.environ["BRAND_BUCKET"], Key=form["key"], Body=logo.getvalue(), ContentType="image/png"
    )
    call("PUT", "/api/brand/assets/{kind}", {"key": form["key"]}, token=boss, kind="logo_light")
    call("DELETE", "/api/brand/assets/{kind}", token=boss, kind="logo_light")

    # ------------------------------------------------------------------ custom domains
    domain = call(
        "POST", "/api/domains", {"name": "partners.acme-audit.example", "kind": "portal"}, token=boss
    ).body
    call("POST", "/api/domains/{domain_id}/check", token=boss, domain_id=domain["id"])
    call("DELETE", "/api/domains/{domain_id}", token=boss, domain_id=domain["id"])

    # ------------------------------------------------------------------ webhook endpoints
    endpoint = call(
        "POST",
        "/api/webhooks",
        {"url": "http://127.0.0.1:9/hooks", "events": ["balance.low"], "description": "audit"},
        token=boss,
    ).body
    changed = {"url": "http://127.0.0.1:9/hooks2", "events": ["invoice.issued"], "enabled": False}
    call("PUT", "/api/webhooks/{endpoint_id}", changed, token=boss, endpoint_id=endpoint["id"])
    call("POST", "/api/webhooks/{endpoint_id}/rotate-secret", token=boss, endpoint_id=endpoint["id"])
    call(
        "POST",
        "/api/webhooks/{endpoint_id}/test",
        {"type": "invoice.issued"},
        token=boss,
        endpoint_id=endpoint["id"],
    )
    call("DELETE", "/api/webhooks/{endpoint_id}", token=boss, endpoint_id=endpoint["id"])

    # ------------------------------------------------------------------ notification choices
    call(
        "PUT",
        "/api/notifications/preferences",
        {"events": {"conversion.sale": {"telegram": True}}},
        token=affiliate,
    )
    me = api.call("GET", "/api/me", token=affiliate).body
    link = UnsubscribeTokens(secret_reader(os.environ["JWT_SECRET_ARN"]))
    token = link.unsubscribe_token(me["user"]["id"], EventType.CONVERSION_SALE)
    call("POST", "/api/notifications/unsubscribe", {"token": token})

    # ------------------------------------------------------------------ conversions
    location = load_function("click").handler(
        http_event("GET", "/click", urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})), CONTEXT
    )["headers"]["location"]
    click_id = parse_qs(urlsplit(location).query)["cid"][0]
    postback = urlencode(
        {"click_id": click_id, "status": "sale", "txn_id": "T-1", "secret": world.offer.postback_secret}
    )
    assert (
        load_function("postback").handler(http_event("GET", "/postback", postback), CONTEXT)["statusCode"]
        == 200
    )
    call(
        "POST",
        "/api/conversions/decisions",
        {"status": "rejected", "reason": "fraud", "txn_ids": ["T-1"]},
        token=boss,
    )

    # ------------------------------------------------------------------ fraud rules
    call("PUT", "/api/fraud-rules", {"rules": {"datacenter": {"action": "rejected"}}}, token=boss)
    offer_rules = "/api/fraud-rules/offers/{offer_id}"
    held = {"rules": {"bot": {"action": "held"}}}
    call("PUT", offer_rules, held, token=boss, offer_id=world.offer.offer_id)
    call("DELETE", offer_rules, token=boss, offer_id=world.offer.offer_id)

    # ------------------------------------------------------------------ postbacks and the monitor
    # The affiliate's tracker takes a token in its query: audit entries keep it masked
    tracker = "https://tracker.example/pb?c={click_id}&token=tok-PRIVATE-1"
    first = call(
        "PUT",
        "/api/postback-settings",
        {"url": tracker, "events": ["sale"], "format": "webhook"},
        token=affiliate,
    ).body
    second = call("POST", "/api/postback-settings/rotate-secret", token=affiliate).body
    call(
        "POST",
        "/api/postback-settings/test",
        {"event": "sale", "url": "http://127.0.0.1:9/pb"},
        token=affiliate,
    )
    operations = OperationsRepository(os.environ["OPERATIONS_TABLE"])
    deliveries = []
    for n in range(2):
        delivery = new_delivery(
            EventData(
                event_id=f"{click_id}.audit-{n}",
                event=PostbackEvent.SALE,
                click_id=click_id,
                affiliate_id=world.affiliate_id,
                advertiser_id=world.advertiser_id,
                offer_id=world.offer.offer_id,
                occurred_at=utc_now(),
            ),
            Destination("https://tracker.example/pb", DeliveryFormat.GET),
            utc_now(),
        )
        assert operations.create(operation_of(delivery))
        deliveries.append(delivery.delivery_id)
    call("POST", "/api/deliveries/{delivery_id}/replay", token=affiliate, delivery_id=deliveries[0])
    call("POST", "/api/monitor/operations/{op_id}/replay", token=owner, op_id=deliveries[1])
    SqsQueue(stack.refs["PostbackDeadLetterQueue"]).send([message_body(deliveries[1])])
    call("POST", "/api/monitor/queues/{queue}/redrive", token=staff, queue="postback-dlq")

    # ------------------------------------------------------------------ exports
    call("POST", "/api/exports", {"kind": "clicks", "from": "2026-01-01", "to": "2026-01-31"}, token=boss)

    # ------------------------------------------------------------------ money
    money = ConversionMoney(
        "cv-audit", world.advertiser_id, world.affiliate_id, world.offer.offer_id, "USD", 9000
    )
    LedgerRepository(os.environ["LEDGER_TABLE"]).post(arrival(money, True, utc_now()))
    call("PUT", "/api/finance/settings", {"min_payout": {"USD": "50.00"}}, token=boss)
    call("POST", "/api/finance/payout-requests", {"currency": "USD"}, token=affiliate)
    call("POST", "/api/finance/payouts", {"method": "wire", "reference": "W-1"}, token=boss)
    call(
        "POST",
        "/api/finance/topups",
        {"amount": "100.00", "currency": "USD", "reference": "B-1"},
        token=owner,
        **adv,
    )
    request = call(
        "POST",
        "/api/finance/topup-requests",
        {"amount": "20", "currency": "USD", "reference": "B-2"},
        token=boss,
    ).body["items"][0]
    call(
        "POST",
        "/api/finance/topup-requests/{request_id}/{decision}",
        token=owner,
        request_id=request["id"],
        decision="confirm",
        **adv,
    )

    # ------------------------------------------------------------------ plans and the subscription
    plan = {
        "name": "Agency",
        "rank": 5,
        "public": False,
        "contact_us": False,
        "limits": {
            "clicks_per_month": 10_000_000,
            "active_offers": 500,
            "approved_affiliates": None,
            "team_seats": 50,
            "custom_domains": 10,
            "white_label": True,
        },
        "prices": [{"currency": "USD", "monthly": "999.00", "overage_per_1000": "0.05"}],
    }
    call("POST", "/api/admin/plans", {**plan, "code": "agency"}, token=owner)
    call("PUT", "/api/admin/plans/{code}", {**plan, "name": "Agency Plus"}, token=owner, code="agency")
    by_transfer = {"legal_name": "Acme LLC", "tax_id": "7701234567", "payment_method": "bank_transfer"}
    call("PUT", "/api/billing/profile", by_transfer, token=boss)
    chosen = call(
        "POST", "/api/billing/subscription/change", {"plan_code": "pro", "interval": "month"}, token=boss
    ).body
    call(
        "POST",
        "/api/admin/billing/invoices/{advertiser_id}/{invoice_id}/paid",
        {"reference": "BANK-42"},
        token=owner,
        advertiser_id=world.advertiser_id,
        invoice_id=chosen["invoice"]["invoice_id"],
    )
    call("POST", "/api/billing/subscription/cancel", token=boss)
    call("POST", "/api/billing/subscription/resume", token=boss)
    terms = {
        "currency": "USD",
        "monthly_price": "2500.00",
        "limits": plan["limits"],
        "note": "framework deal",
    }
    call(
        "PUT",
        "/api/admin/subscriptions/{advertiser_id}/terms",
        terms,
        token=owner,
        advertiser_id=world.advertiser_id,
    )

    # ------------------------------------------------------------------ suspension by the platform's staff
    suspended = {"advertiser_id": world.advertiser_id}
    call("POST", "/api/advertisers/{advertiser_id}/suspend", {"reason": "audit"}, token=staff, **suspended)
    call("POST", "/api/advertisers/{advertiser_id}/reactivate", {}, token=staff, **suspended)
    in_program = {"reason": "audit", "advertiser_id": world.advertiser_id}
    some = {"affiliate_id": world.affiliate_id}
    call("POST", "/api/affiliates/{affiliate_id}/suspend", in_program, token=staff, **some)
    again = {"note": "ok", "advertiser_id": world.advertiser_id}
    call("POST", "/api/affiliates/{affiliate_id}/reactivate", again, token=staff, **some)

    # Then every mutating route was exercised (or is exempt, for its reason) and left its entry
    document = api.call("GET", "/api/openapi.json").body
    routes = mutating_routes(document)
    assert set(EXEMPT) <= routes, f"exempt routes that no longer exist: {sorted(set(EXEMPT) - routes)}"
    untested = sorted(routes - set(EXEMPT) - set(call.calls))
    assert not untested, f"give these mutating routes a step in this test: {untested}"
    entries = audit_items()
    audited = {item["request_id"]["S"] for item in entries if "request_id" in item}
    unaudited = sorted(route for route, request_id in call.calls.items() if request_id not in audited)
    assert unaudited == [], f"these mutations wrote no audit entry: {json.dumps(unaudited, indent=1)}"
    # and no entry keeps a secret: offers' postback secrets, signing secrets, tokens in URLs
    secrets = {
        offer["postback_secret"],
        rotated["postback_secret"],
        first["signing_secret"],
        second["signing_secret"],
        "tok-PRIVATE-1",
    }
    text = json.dumps(entries)
    assert sorted(secret for secret in secrets if secret in text) == []
