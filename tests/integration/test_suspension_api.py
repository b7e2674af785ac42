"""Suspension by the platform's staff through the real API functions: a suspended advertiser's people
and API key read but change nothing (403 `account_suspended`), /api/me tells the dashboard why, its
payouts are refused; an affiliate suspended in one program keeps its membership and may not ask that
advertiser for money; doing it again changes nothing; unknown ids and the wrong people are refused
in the envelope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.common.config import read_settings
from partnerka.finance.ledger import ConversionMoney, arrival
from partnerka.finance.repository import LedgerRepository
from partnerka_local.template import Template
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, World, build_world


@dataclass
class Suspending:
    world: World
    api: Api
    owner: str
    boss: str
    affiliate: str  # in the world's advertiser's context


@pytest.fixture
def suspending(load_function: FunctionLoader) -> Suspending:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    signed_in = api.login(world.emails["affiliate"], PASSWORD)["access_token"]
    switched = api.call("POST", "/api/me/context", {"advertiser_id": world.advertiser_id}, token=signed_in)
    assert switched.status == 200, switched.body
    return Suspending(world, api, owner, boss, switched.body["access_token"])


def test_a_suspended_advertiser_reads_but_changes_nothing_until_reactivated(
    suspending: Suspending, stack: Template
) -> None:
    s, adv = suspending, suspending.world.advertiser_id
    offer = f"/api/offers/{s.world.offer.offer_id}"
    ledger = LedgerRepository(stack.refs["LedgerTable"])
    money = ConversionMoney("cv-suspended", adv, s.world.affiliate_id, s.world.offer.offer_id, "USD", 1250)
    assert ledger.post(arrival(money, True, datetime.now(UTC)))
    key = s.api.call("POST", "/api/api-keys", {"label": "server"}, token=s.boss).body["secret"]

    # When the staff suspend it
    done = s.api.call("POST", f"/api/advertisers/{adv}/suspend", {"reason": "chargebacks"}, token=s.owner)
    assert done.status == 200, done.body
    assert (done.body["changed"], done.body["advertiser"]["status"]) == (True, "suspended")

    # Then its people and its API key change nothing, and read everything
    for token in (s.boss, key):
        refused = s.api.call("PATCH", offer, {"name": "Renamed"}, token=token)
        assert (refused.status, refused.code) == (403, "account_suspended"), refused.body
        assert s.api.call("GET", offer, token=token).status == 200
        assert s.api.call("GET", "/api/finance/payouts", token=token).status == 200
    paid = s.api.call("POST", "/api/finance/payouts", {"method": "wire"}, token=s.boss)
    assert (paid.status, paid.code) == (403, "account_suspended")
    me = s.api.call("GET", "/api/me", token=s.boss).body
    assert me["suspension"]["scope"] == "advertiser"
    assert me["suspension"]["reason"] == "chargebacks"
    assert s.api.call("PATCH", "/api/me", {"locale": "ru"}, token=s.boss).status == 200  # its own profile

    # and staff still pay on its behalf no more than it may: the payout waits for the reactivation
    by_staff = s.api.call(
        "POST", "/api/finance/payouts", {"method": "wire"}, token=s.owner, advertiser_id=adv
    )
    assert (by_staff.status, by_staff.code) == (403, "account_suspended")
    listed = s.api.call("GET", "/api/advertisers", token=s.owner).body["items"]
    [shown] = [a for a in listed if a["id"] == adv]
    assert (shown["status"], shown["suspension_reason"]) == ("suspended", "chargebacks")

    # When suspended again, nothing changes; when reactivated, it changes again
    again = s.api.call("POST", f"/api/advertisers/{adv}/suspend", {"reason": "other"}, token=s.owner)
    assert (again.body["changed"], again.body["advertiser"]["suspension_reason"]) == (False, "chargebacks")
    back = s.api.call("POST", f"/api/advertisers/{adv}/reactivate", {"note": "settled"}, token=s.owner)
    assert (back.status, back.body["advertiser"]["status"]) == (200, "active")
    assert s.api.call("PATCH", offer, {"name": "Renamed"}, token=s.boss).status == 200
    assert s.api.call("GET", "/api/me", token=s.boss).body["suspension"] is None
    assert s.api.call("POST", "/api/finance/payouts", {"method": "wire"}, token=s.boss).status == 200


def test_an_affiliate_suspended_in_one_program_keeps_its_membership_and_asks_for_no_money(
    suspending: Suspending,
) -> None:
    s, adv, aff = suspending, suspending.world.advertiser_id, suspending.world.affiliate_id
    body = {"reason": "fake leads", "advertiser_id": adv}

    done = s.api.call("POST", f"/api/affiliates/{aff}/suspend", body, token=s.owner)

    assert done.status == 200, done.body
    assert done.body["status"] == "active"  # everywhere else it works on
    assert done.body["program"] == {
        "advertiser_id": adv,
        "status": "active",
        "suspended": True,
        "suspended_at": done.body["program"]["suspended_at"],
        "suspension_reason": "fake leads",
    }
    asked = s.api.call("POST", "/api/finance/payout-requests", {"currency": "USD"}, token=s.affiliate)
    assert (asked.status, asked.code) == (403, "account_suspended")
    me = s.api.call("GET", "/api/me", token=s.affiliate).body
    assert (me["suspension"]["scope"], me["suspension"]["reason"]) == ("program", "fake leads")
    [membership] = me["memberships"]
    assert (membership["status"], membership["suspended"]) == ("active", True)
    seen_by_advertiser = s.api.call("GET", "/api/memberships", token=s.boss).body["items"]
    assert {m["affiliate_id"]: m["suspended"] for m in seen_by_advertiser}[aff] is True
    service, _ = account_services(read_settings(AccountSettings))
    assert service.accounts.get_affiliate(aff).approved_advertisers == {adv}
    assert service.accounts.get_affiliate(aff).suspended_advertisers == {adv}

    back = s.api.call("POST", f"/api/affiliates/{aff}/reactivate", {"advertiser_id": adv}, token=s.owner)
    assert (back.status, back.body["program"]["suspended"], back.body["changed"]) == (200, False, True)
    assert service.accounts.get_affiliate(aff).suspended_advertisers == frozenset()
    assert s.api.call("GET", "/api/me", token=s.affiliate).body["suspension"] is None


def test_a_globally_suspended_affiliate_shows_in_the_staffs_user_list(suspending: Suspending) -> None:
    s, aff = suspending, suspending.world.affiliate_id
    s.api.call("POST", f"/api/affiliates/{aff}/suspend", {"reason": "bots"}, token=s.owner)

    users = s.api.call("GET", "/api/users", token=s.owner, role="affiliate").body["items"]

    shown = {u["affiliate_id"]: u["affiliate_suspension"] for u in users}
    assert shown[aff] == {"scope": "affiliate", "reason": "bots", "since": shown[aff]["since"]}
    assert shown[s.world.outsider_affiliate_id] is None
    refused = s.api.call(
        "PUT",
        "/api/postback-settings",
        {"url": "https://t.example/pb", "events": ["sale"]},
        token=s.affiliate,
    )
    assert (refused.status, refused.code) == (403, "account_suspended")


def test_unknown_accounts_and_the_wrong_people_are_refused_in_the_envelope(suspending: Suspending) -> None:
    s, adv, aff = suspending, suspending.world.advertiser_id, suspending.world.affiliate_id
    reason = {"reason": "x"}
    for path, body in (
        ("/api/advertisers/nobody/suspend", reason),
        ("/api/affiliates/nobody/suspend", reason),
        (f"/api/affiliates/{aff}/suspend", {**reason, "advertiser_id": "nobody"}),
        (f"/api/affiliates/{s.world.outsider_affiliate_id}/reactivate", {"advertiser_id": "nobody"}),
    ):
        missing = s.api.call("POST", path, body, token=s.owner)
        assert (missing.status, missing.code) == (404, "not_found"), (path, missing.body)
    no_reason = s.api.call("POST", f"/api/advertisers/{adv}/suspend", {"reason": ""}, token=s.owner)
    assert (no_reason.status, no_reason.code) == (400, "validation_error")
    for token in (s.boss, s.affiliate):
        refused = s.api.call("POST", f"/api/advertisers/{adv}/suspend", reason, token=token)
        assert (refused.status, refused.code) == (403, "forbidden")
