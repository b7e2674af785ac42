"""Conversions through the API: the advertiser lists and decides, the affiliate sees its own."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from partnerka.common import dynamo
from partnerka.conversions.models import ConversionStatus
from partnerka.conversions.repository import ConversionRepository
from partnerka_local.template import Template
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.world import PASSWORD, build_world

TODAY = datetime.now(UTC).date().isoformat()


def test_advertiser_decides_by_id_and_csv_and_the_affiliate_sees_reasons_not_revenue(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world(with_people=True)
    click, postback = load_function("click"), load_function("postback")
    click_ids = []
    for _ in range(3):
        location = click.handler(
            http_event("GET", "/click", f"o={world.offer.offer_id}&a={world.affiliate_id}&sub1=fb"), CONTEXT
        )
        click_ids.append(parse_qs(urlsplit(location["headers"]["location"]).query)["cid"][0])
    for index, click_id in enumerate(click_ids):
        query = urlencode(
            {
                "click_id": click_id,
                "status": "sale",
                "txn_id": f"T-{index}",
                "secret": world.offer.postback_secret,
            }
        )
        assert postback.handler(http_event("GET", "/postback", query), CONTEXT)["statusCode"] == 200
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    listed = api.call("GET", "/api/conversions", token=boss, **{"from": TODAY, "to": TODAY}).body["items"]
    assert sorted(c["txn_id"] for c in listed) == ["T-0", "T-1", "T-2"]
    assert {c["status"] for c in listed} == {"pending"}
    assert {c["revenue"] for c in listed} == {"20.00"}
    first = next(c for c in listed if c["txn_id"] == "T-0")
    approved = api.call(
        "POST", "/api/conversions/decisions", {"status": "approved", "ids": [first["id"]]}, token=boss
    ).body
    assert approved == {"updated": 1, "results": [{"ref": first["id"], "ok": True, "error": None}]}
    # A CSV of transaction ids rejects two; one of them was approved: a reversal, allowed with a reason
    csv = "txn_id,comment\nT-0,chargeback\nT-1,fake\nT-404,unknown\n"
    rejected = api.call(
        "POST",
        "/api/conversions/decisions",
        {"status": "rejected", "reason": "fraud", "csv": csv},
        token=boss,
    ).body
    assert rejected["updated"] == 2
    assert [(r["ref"], r["ok"]) for r in rejected["results"]] == [
        ("T-0", True),
        ("T-1", True),
        ("T-404", False),
    ]
    # Back from rejected is not allowed
    again = api.call(
        "POST", "/api/conversions/decisions", {"status": "approved", "txn_ids": ["T-1"]}, token=boss
    ).body
    assert again["results"][0]["ok"] is False
    assert (
        api.call(
            "POST", "/api/conversions/decisions", {"status": "rejected", "txn_ids": ["T-2"]}, token=boss
        ).code
        == "validation_error"
    )
    # The affiliate sees its conversions with their fate, never the revenue
    affiliate = api.login(world.emails["affiliate"], PASSWORD)["access_token"]
    mine = {
        c["txn_id"]: c
        for c in api.call("GET", "/api/conversions", token=affiliate, **{"from": TODAY, "to": TODAY}).body[
            "items"
        ]
    }
    assert (mine["T-1"]["status"], mine["T-1"]["reason"], mine["T-1"]["revenue"]) == (
        "rejected",
        "fraud",
        None,
    )
    assert mine["T-2"]["sub1"] == "fb"


def test_hold_release_runs_as_the_scheduled_function(load_function: FunctionLoader) -> None:

    world = build_world()
    click, postback = load_function("click"), load_function("postback")
    location = click.handler(
        http_event("GET", "/click", f"o={world.offer.offer_id}&a={world.affiliate_id}"), CONTEXT
    )
    click_id = parse_qs(urlsplit(location["headers"]["location"]).query)["cid"][0]
    query = urlencode(
        {"click_id": click_id, "status": "sale", "txn_id": "H-1", "secret": world.offer.postback_secret}
    )
    postback.handler(http_event("GET", "/postback", query), CONTEXT)
    repo = ConversionRepository(os.environ["CONVERSIONS_TABLE"])
    (conversion,) = repo.by_txn(world.advertiser_id, "H-1")
    # Put it on a hold that ended yesterday, as an offer with a hold period would have
    held = replace(conversion, status=ConversionStatus.HOLD, hold_until=datetime.now(UTC) - timedelta(days=1))
    dynamo.client().put_item(TableName=os.environ["CONVERSIONS_TABLE"], Item=dynamo.encode(held.as_item()))
    release = load_function("hold_release")
    assert release.handler({"source": "aws.events", "detail-type": "Scheduled Event"}, CONTEXT) == {
        "released": 1
    }
    (after,) = repo.by_txn(world.advertiser_id, "H-1")
    assert after.status is ConversionStatus.APPROVED
