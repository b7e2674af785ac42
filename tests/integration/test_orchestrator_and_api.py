"""Stream records from moto's DynamoDB streams through the orchestrator, then the stats API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest

from partnerka.accounts.tokens import Principal, issue_access_token
from partnerka.common.secrets import secret_string
from partnerka.stats import inspection
from partnerka.stats.cube_store import CubeRepository
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event, through_edge
from tests.integration.world import PASSWORD, World, build_world


def stream_event(stack: Template, table_logical_id: str) -> dict[str, Any]:
    """Everything in the table's stream so far, as Lambda would deliver it."""
    streams = boto3.client("dynamodbstreams")
    arn = stack.get_att(table_logical_id, "StreamArn")
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )
        for record in streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]:
            record = json.loads(json.dumps(record, default=lambda d: d.timestamp()))
            records.append({**record, "eventSourceARN": arn})
    return {"Records": records}


def traffic(load_function: FunctionLoader) -> World:
    """Three clicks, a lead, a sale and a duplicate sale."""
    world = build_world(with_people=True)
    click = load_function("click")
    postback = load_function("postback")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    click_ids = []
    for country in ("DE", "DE", "FR"):
        location = click.handler(
            http_event("GET", "/click", query, through_edge(load_function.stack, country)), CONTEXT
        )["headers"]["location"]
        click_ids.append(parse_qs(urlsplit(location).query)["cid"][0])
    secret = world.offer.postback_secret
    for status, txn in (("lead", "L1"), ("sale", "S1"), ("sale", "S1")):
        params = urlencode({"click_id": click_ids[0], "status": status, "txn_id": txn, "secret": secret})
        assert postback.handler(http_event("GET", "/postback", params), CONTEXT)["statusCode"] == 200
    return world


def test_orchestrator_rolls_up_clicks_and_conversions(load_function: FunctionLoader, stack: Template) -> None:
    world = traffic(load_function)
    orchestrator = load_function("orchestrator")
    for table in ("ClicksTable", "ConversionsTable"):
        result = orchestrator.handler(stream_event(stack, table), CONTEXT)
        assert result == {"batchItemFailures": []}
    # Today's figures are in the cubes' journal until the day is folded: read as every report reads
    today = datetime.now(UTC).date()
    days = ((today - timedelta(days=1)).isoformat(), today.isoformat())
    items = CubeRepository(stack.refs["StatsTable"]).days(world.advertiser_id, "country", *days)
    by_country = {item.value: item.values for item in items}
    assert by_country["DE"]["clicks"] == 2
    assert by_country["FR"]["clicks"] == 1
    assert (by_country["DE"]["leads"], by_country["DE"]["sales"]) == (1, 1)
    assert (by_country["DE"]["payout_USD"], by_country["DE"]["revenue_USD"]) == (1250, 2000)
    # The conversions await approval: both count as on hold
    assert by_country["DE"]["hold"] == 2
    # And every click is in the click log, for the reports the cubes cannot answer
    logged = boto3.client("dynamodb").query(
        TableName=stack.refs["StatsTable"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"LOG#{world.advertiser_id}#{datetime.now(UTC).date()}"}},
    )["Items"]
    assert sum(int(item["clicks"]["N"]) for item in logged) == 3


def test_redelivered_batch_is_not_counted_twice(load_function: FunctionLoader, stack: Template) -> None:
    world = traffic(load_function)
    orchestrator = load_function("orchestrator")
    event = stream_event(stack, "ClicksTable")
    orchestrator.handler(event, CONTEXT)
    orchestrator.handler(event, CONTEXT)  # Lambda retries the same batch after a timeout
    today = datetime.now(UTC).date()
    days = ((today - timedelta(days=1)).isoformat(), today.isoformat())
    totals = CubeRepository(stack.refs["StatsTable"]).days(world.advertiser_id, "total", *days)
    assert sum(item.values["clicks"] for item in totals) == 3
    rows = boto3.client("dynamodb").scan(TableName=stack.refs["StatsTable"])["Items"]
    logged = [row for row in rows if row["pk"]["S"].startswith("LOG#")]
    assert sum(int(row["clicks"]["N"]) for row in logged) == 3


def bearer(principal: Principal, stack: Template) -> dict[str, str]:
    key = secret_string(stack.refs["JwtSecret"])
    return {"authorization": f"Bearer {issue_access_token(key, principal, datetime.now(UTC))}"}


def signed_in(api: Any, email: str, context: str | None = None) -> dict[str, str]:
    """Sign in through the API (and switch to an advertiser's context) like the dashboard does."""
    body = json.dumps({"email": email, "password": PASSWORD})
    session = json.loads(
        api.handler(
            http_event("POST", "/api/auth/login", "", {"content-type": "application/json"}, body), CONTEXT
        )["body"]
    )
    headers = {"authorization": f"Bearer {session['access_token']}", "content-type": "application/json"}
    if context and session["context"]["advertiser_id"] != context:
        switched = api.handler(
            http_event("POST", "/api/me/context", "", headers, json.dumps({"advertiser_id": context})),
            CONTEXT,
        )
        headers["authorization"] = f"Bearer {json.loads(switched['body'])['access_token']}"
    return headers


def stats_query(**params: str) -> str:
    today = datetime.now(UTC).date()
    return urlencode({"from": (today - timedelta(days=1)).isoformat(), "to": today.isoformat(), **params})


def test_stats_api_reports_what_the_orchestrator_counted(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = traffic(load_function)
    orchestrator = load_function("orchestrator")
    for table in ("ClicksTable", "ConversionsTable"):
        orchestrator.handler(stream_event(stack, table), CONTEXT)
    api = load_function("api")
    response = api.handler(
        http_event(
            "GET", "/api/stats", stats_query(group_by="country"), signed_in(api, world.emails["advertiser"])
        ),
        CONTEXT,
    )
    assert response["statusCode"] == 200, response["body"]
    report = json.loads(response["body"])
    assert report["totals"] | {"key": "total"} == {
        "key": "total",
        "clicks": 3,
        "unique": 1,  # one visitor (same address and browser) clicked three times
        "bots": 0,
        "flood": 0,
        "datacenter": 0,
        "blocked": 0,
        "refused": {},
        "leads": 1,
        "sales": 1,
        "rejected": 0,
        "hold": 2,
        "cpc_clicks": 0,  # a CPA offer pays no click
        "held_by_rule": 0,
        "rejected_by_rule": 0,
        "conversions": 2,
        "cr": 66.6667,
        "label": "total",
        "revenue": {"USD": 2000},
        "payout": {"USD": 1250},
        "cpc_payout": {},
        "profit": {"USD": 750},
        "epc": {"USD": 416.6667},
        "roi": {"USD": 60.0},
    }
    assert [(row["key"], row["clicks"]) for row in report["rows"]] == [("DE", 2), ("FR", 1)]
    # The affiliate in this advertiser's context sees its own traffic
    mine = api.handler(
        http_event(
            "GET", "/api/stats", stats_query(), signed_in(api, world.emails["affiliate"], world.advertiser_id)
        ),
        CONTEXT,
    )
    assert json.loads(mine["body"])["totals"]["clicks"] == 3
    # A pending affiliate cannot enter the advertiser's context, so it reads nothing of it
    stranger = signed_in(api, world.emails["outsider"])
    switch = api.handler(
        http_event(
            "POST", "/api/me/context", "", stranger, json.dumps({"advertiser_id": world.advertiser_id})
        ),
        CONTEXT,
    )
    assert switch["statusCode"] == 403
    theirs = api.handler(
        http_event("GET", "/api/stats", stats_query(advertiser_id=world.advertiser_id), stranger), CONTEXT
    )
    assert theirs["statusCode"] == 403


def test_stats_api_refuses_bad_requests_with_the_envelope(
    load_function: FunctionLoader, stack: Template
) -> None:
    api = load_function("api")
    world = build_world(with_people=True)
    owner = signed_in(api, world.emails["owner"])
    other = signed_in(api, world.emails["advertiser"])
    cases = [
        (http_event("GET", "/api/stats", stats_query()), 401, "unauthenticated"),
        (
            http_event("GET", "/api/stats", stats_query(), {"authorization": "Bearer forged.token.here"}),
            401,
            "unauthenticated",
        ),
        (http_event("GET", "/api/stats", stats_query(tz="Mars/Olympus"), owner), 400, "validation_error"),
        (http_event("GET", "/api/stats", stats_query(sort="mood"), owner), 400, "validation_error"),
        (
            http_event("GET", "/api/stats/clicks", stats_query(cursor="nonsense"), owner),
            400,
            "validation_error",
        ),
        (
            http_event("GET", "/api/stats", stats_query(advertiser_id="01JZZ000000000000000000000"), other),
            403,
            "forbidden",
        ),
        (http_event("GET", "/api/stats", "from=yesterday&to=2026-01-01", owner), 400, "validation_error"),
        (
            http_event("GET", "/api/stats", stats_query(group_by="planet", advertiser_id="x"), owner),
            400,
            "validation_error",
        ),
    ]
    for event, status, code in cases:
        response = api.handler(event, CONTEXT)
        assert response["statusCode"] == status, (event["rawQueryString"], response["body"])
        assert json.loads(response["body"])["error"]["code"] == code
    # A path no route declares reaches no function: API Gateway answers it itself.
    unknown = api.handler(http_event("GET", "/api/nothing-here", ""), CONTEXT)
    assert (unknown["statusCode"], json.loads(unknown["body"])) == (404, {"message": "Not Found"})


def test_openapi_document_is_served(load_function: FunctionLoader) -> None:
    api = load_function("api")
    response = api.handler(http_event("GET", "/api/openapi.json"), CONTEXT)
    document = json.loads(response["body"])
    assert response["statusCode"] == 200
    assert "/api/stats" in document["paths"]
    assert document["info"]["title"] == "Partnerka API"


def test_click_quality_is_counted_and_shown_where_a_click_is_inspected(
    load_function: FunctionLoader, stack: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given two clicks from an AWS address (same visitor) and one from a consumer address, converted
    world = build_world(with_people=True)
    click = load_function("click")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    ids = []
    for ip in ("3.5.140.2", "3.5.140.2", "95.24.1.1"):
        location = click.handler(http_event("GET", "/click", query, source_ip=ip), CONTEXT)["headers"][
            "location"
        ]
        ids.append(parse_qs(urlsplit(location).query)["cid"][0])
    postback = load_function("postback")
    params = urlencode({"click_id": ids[2], "status": "sale", "secret": world.offer.postback_secret})
    assert postback.handler(http_event("GET", "/postback", params), CONTEXT)["statusCode"] == 200
    # When the orchestrator has read both streams
    orchestrator = load_function("orchestrator")
    for table in ("ClicksTable", "ConversionsTable"):
        assert orchestrator.handler(stream_event(stack, table), CONTEXT) == {"batchItemFailures": []}
    # Then statistics count the quality
    api = load_function("api")
    advertiser = signed_in(api, world.emails["advertiser"])
    totals = json.loads(
        api.handler(http_event("GET", "/api/stats", stats_query(), advertiser), CONTEXT)["body"]
    )["totals"]
    assert (totals["clicks"], totals["unique"], totals["datacenter"], totals["flood"]) == (3, 2, 2, 0)

    # And inspecting the repeated click shows why it is flagged
    def inspect(click_id: str, headers: dict[str, str]) -> dict[str, Any]:
        response = api.handler(http_event("GET", f"/api/clicks/{click_id}", "", headers), CONTEXT)
        return {"status": response["statusCode"], **json.loads(response["body"])}

    repeated = inspect(ids[1], advertiser)
    assert repeated["status"] == 200, repeated
    assert repeated["quality"] == {
        "status": "flagged",
        "unique": False,
        "flood": False,
        "bot": False,
        "datacenter": "Amazon AWS",
        "asn": 16509,
        "address_clicks": None,
        "flood_threshold": 30,
        "first_click_id": ids[0],  # the visitor's first click, which holds its window
    }
    assert (repeated["ip"], repeated["device"], repeated["browser"]) == ("3.5.140.2", "desktop", "Firefox")
    # A clean click reads clean, and the affiliate sees it with its conversion (never the revenue)
    affiliate = signed_in(api, world.emails["affiliate"], world.advertiser_id)
    mine = inspect(ids[2], affiliate)
    assert mine["quality"] == {
        "status": "clean",
        "unique": True,
        "flood": False,
        "bot": False,
        "datacenter": None,
        "asn": None,
        "address_clicks": None,
        "flood_threshold": 30,
        "first_click_id": None,
    }
    assert [(c["goal"], c["revenue"]) for c in mine["conversions"]] == [("sale", None)]
    # A click the orchestrator has not read yet is pending for a minute, then taken as clean
    location = click.handler(http_event("GET", "/click", query, source_ip="95.24.9.9"), CONTEXT)["headers"][
        "location"
    ]
    fresh = parse_qs(urlsplit(location).query)["cid"][0]
    assert inspect(fresh, affiliate)["quality"]["status"] == "pending"
    monkeypatch.setattr(inspection, "QUALITY_SETTLE", timedelta(0))
    assert inspect(fresh, affiliate)["quality"] == {
        "status": "clean",
        "unique": None,
        "flood": False,
        "bot": False,
        "datacenter": None,
        "asn": None,
        "address_clicks": None,
        "flood_threshold": 30,
        "first_click_id": None,
    }
    # Others' clicks, unknown ids and hostile ids read as missing, in the envelope
    outsider = inspect(ids[0], signed_in(api, world.emails["outsider"]))
    assert (outsider["status"], outsider["error"]["code"]) == (404, "not_found")
    assert inspect("no-such-click", advertiser)["status"] == 404
    assert inspect("x" * 65, advertiser)["status"] == 400
