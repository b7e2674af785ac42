"""Balances, payouts and top-ups through the API: each role sees its own books, payouts never exceed
what is approved, and Support moves no money."""

from __future__ import annotations

import os
from typing import Any

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import Role
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.finance.ledger import ConversionMoney, arrival
from partnerka.finance.repository import LedgerRepository
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, build_world


def test_balances_payouts_and_topups_by_role(load_function: FunctionLoader) -> None:
    api = Api(load_function("api"))
    world = build_world(with_people=True)
    service, _ = account_services(read_settings(AccountSettings))
    provisioning.create_verified_user(service, "help@example.com", PASSWORD, "Help", Role.SUPPORT)
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    offer = world.offer.offer_id
    for n, approved, payout in ((1, True, 1250), (2, False, 500)):
        money = ConversionMoney(f"cv{n}", world.advertiser_id, world.affiliate_id, offer, "USD", payout)
        assert ledger.post(arrival(money, approved, utc_now()))
    token = {who: api.login(world.emails[who], PASSWORD)["access_token"] for who in ("owner", "advertiser")}
    token["support"] = api.login("help@example.com", PASSWORD)["access_token"]
    token["affiliate"] = api.login(world.emails["affiliate"], PASSWORD)[
        "access_token"
    ]  # one advertiser: in its context

    def call(who: str, method: str, path: str, body: Any = None, **query: Any) -> tuple[int, Any]:
        reply = api.call(method, path, body, token=token[who], **query)
        return reply.status, reply.body

    # The affiliate reads its own Hold, Approved and Paid, and nothing of the advertiser's
    status, mine = call("affiliate", "GET", "/api/finance/balances")
    assert status == 200, mine
    assert [(r["affiliate_name"], r["hold"], r["approved"], r["paid"]) for r in mine["affiliates"]] == [
        ("Traffic Pro", "5.00", "12.50", "0.00")
    ]
    assert (mine["advertiser"], mine["offers"]) == (None, None)
    # The advertiser reads its books, by affiliate and by offer
    _, books = call("advertiser", "GET", "/api/finance/balances")
    assert [(r["currency"], r["pending"], r["spend"], r["balance"]) for r in books["advertiser"]] == [
        ("USD", "5.00", "12.50", "-12.50")
    ]
    assert [(r["offer_name"], r["pending"], r["spend"]) for r in books["offers"]] == [
        ("Sneakers", "5.00", "12.50")
    ]

    # A payout above the approved balance is refused; within it, paid; a bulk payout pays the rest
    pay = {"affiliate_id": world.affiliate_id, "currency": "USD", "method": "wire", "reference": "W-1"}
    status, refused = call("advertiser", "POST", "/api/finance/payouts", pay | {"amount": "20.00"})
    assert (status, refused["error"]["code"]) == (409, "conflict")
    status, paid = call("advertiser", "POST", "/api/finance/payouts", pay | {"amount": "10.00"})
    assert status == 200, paid
    _, rest = call("advertiser", "POST", "/api/finance/payouts", {"method": "usdt"})
    assert [(p["amount"], p["method"]) for p in rest["items"]] == [("2.50", "usdt")]
    status, nothing = call("advertiser", "POST", "/api/finance/payouts", {"method": "usdt"})
    assert (status, nothing["error"]["code"]) == (400, "validation_error")
    _, history = call("affiliate", "GET", "/api/finance/payouts")
    assert [(p["amount"], p["reference"]) for p in history["items"]] == [("2.50", ""), ("10.00", "W-1")]
    _, mine = call("affiliate", "GET", "/api/finance/balances")
    assert [(r["approved"], r["paid"]) for r in mine["affiliates"]] == [("0.00", "12.50")]

    # Support reads but moves no money; top-ups are recorded by Owner and Platform Admin
    adv = {"advertiser_id": world.advertiser_id}
    assert call("support", "GET", "/api/finance/balances", **adv)[0] == 200
    assert call("support", "POST", "/api/finance/payouts", {"method": "wire"}, **adv)[0] == 403
    topup = {"amount": "100.00", "currency": "USD", "reference": "BANK-7"}
    assert call("support", "POST", "/api/finance/topups", topup, **adv)[0] == 403
    assert call("advertiser", "POST", "/api/finance/topups", topup, **adv)[0] == 403
    status, recorded = call("owner", "POST", "/api/finance/topups", topup, **adv)
    assert (status, recorded["amount"]) == (200, "100.00")
    _, topups = call("advertiser", "GET", "/api/finance/topups")
    assert [t["reference"] for t in topups["items"]] == ["BANK-7"]
    _, books = call("advertiser", "GET", "/api/finance/balances")
    assert [(r["deposits"], r["balance"], r["low_balance"]) for r in books["advertiser"]] == [
        ("100.00", "87.50", False)
    ]
    # The advertiser sets a low-balance threshold (and a minimum payout); its balance is now low
    settings = {"low_balance_threshold": {"usd": "90"}, "min_payout": {"USD": "50.00"}}
    assert call("support", "PUT", "/api/finance/settings", settings, **adv)[0] == 403
    status, saved = call("advertiser", "PUT", "/api/finance/settings", settings)
    assert (status, saved) == (
        200,
        {"low_balance_threshold": {"USD": "90.00"}, "min_payout": {"USD": "50.00"}},
    )
    assert call("affiliate", "GET", "/api/finance/settings")[0] == 403
    _, books = call("advertiser", "GET", "/api/finance/balances")
    assert [r["low_balance"] for r in books["advertiser"]] == [True]
    status, bad = call("advertiser", "PUT", "/api/finance/settings", {"min_payout": {"USD": "1.234"}})
    assert (status, bad["error"]["code"]) == (400, "validation_error")
    # Every money-moving call is in the audit log
    today = utc_now().date().isoformat()
    status, audit = call("advertiser", "GET", "/api/audit", **{"from": today, "to": today})
    assert status == 200, audit
    actions = [entry["action"] for entry in audit["items"]]
    assert actions.count("finance.payout") == 2
    assert actions.count("finance.topup") == 1
    assert actions.count("finance.settings") == 1


def test_an_affiliate_asks_to_be_paid_and_the_payout_answers_it(load_function: FunctionLoader) -> None:
    api = Api(load_function("api"))
    world = build_world(with_people=True)
    money = ConversionMoney("cv1", world.advertiser_id, world.affiliate_id, world.offer.offer_id, "USD", 8000)
    LedgerRepository(os.environ["LEDGER_TABLE"]).post(arrival(money, True, utc_now()))
    affiliate = api.login(world.emails["affiliate"], PASSWORD)["access_token"]
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    api.call("PUT", "/api/finance/settings", {"min_payout": {"USD": "50.00"}}, token=boss)

    def ask(body: dict[str, Any], token: str = affiliate) -> tuple[int, Any]:
        reply = api.call("POST", "/api/finance/payout-requests", body, token=token)
        return reply.status, reply.body

    status, low = ask({"currency": "USD", "amount": "20.00"})
    assert (status, low["error"]["message"]) == (400, "the minimum payout is 50.00 USD")
    status, high = ask({"currency": "USD", "amount": "90.00"})
    assert (status, high["error"]["message"]) == (400, "the approved balance is 80.00 USD")
    assert ask({"currency": "USD"}, token=boss)[0] == 403
    status, asked = ask({"currency": "USD"})
    assert status == 200, asked
    (request,) = asked["items"]
    assert (request["amount"], request["status"], request["affiliate_name"]) == (
        "80.00",
        "open",
        "Traffic Pro",
    )
    # The advertiser sees it, pays, and the request is answered by that payout
    listed = api.call("GET", "/api/finance/payout-requests", token=boss).body
    assert [r["id"] for r in listed["items"]] == [request["id"]]
    paid = api.call(
        "POST", "/api/finance/payouts", {"affiliate_id": world.affiliate_id, "method": "wire"}, token=boss
    ).body
    (payout,) = paid["items"]
    mine = api.call("GET", "/api/finance/payout-requests", token=affiliate).body
    assert [(r["status"], r["answer"]) for r in mine["items"]] == [("done", payout["id"])]


def test_an_advertisers_top_up_waits_for_review(load_function: FunctionLoader) -> None:
    api = Api(load_function("api"))
    world = build_world(with_people=True)
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    submitted = api.call(
        "POST",
        "/api/finance/topup-requests",
        {"amount": "250", "currency": "EUR", "reference": "SEPA-9"},
        token=boss,
    ).body
    (request,) = submitted["items"]
    assert (request["status"], request["amount"], request["reference"]) == ("open", "250.00", "SEPA-9")
    adv = {"advertiser_id": world.advertiser_id}
    # Nothing is posted until Owner or Platform Admin confirms it; the advertiser cannot
    path = f"/api/finance/topup-requests/{request['id']}/confirm"
    assert api.call("POST", path, token=boss, **adv).status == 403
    assert api.call("GET", "/api/finance/topups", token=boss).body["items"] == []
    confirmed = api.call("POST", path, token=owner, **adv)
    assert confirmed.status == 200, confirmed.body
    assert [(r["status"], r["answer"]) for r in confirmed.body["items"]] == [("done", request["id"])]
    again = api.call("POST", path, token=owner, **adv)
    assert (again.status, again.body["error"]["code"]) == (409, "conflict")
    topups = api.call("GET", "/api/finance/topups", token=boss).body["items"]
    assert [(t["id"], t["amount"], t["currency"]) for t in topups] == [(request["id"], "250.00", "EUR")]
    # A rejected one posts nothing
    other = api.call(
        "POST",
        "/api/finance/topup-requests",
        {"amount": "5", "currency": "EUR", "reference": "X"},
        token=boss,
    ).body["items"][0]
    rejected = api.call("POST", f"/api/finance/topup-requests/{other['id']}/reject", token=owner, **adv)
    assert [r["status"] for r in rejected.body["items"]] == ["rejected"]
    assert len(api.call("GET", "/api/finance/topups", token=boss).body["items"]) == 1
