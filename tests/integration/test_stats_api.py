"""Statistics through the real functions: clicks and conversions written where the tracker writes
them, counted by the orchestrator from the streams, then read through the API (reports in two time
zones, cube and raw paths, logs with cursors, a click's story), exported by the reports worker into
S3, and summarised on its nightly schedule."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import boto3

from partnerka.common.clock import utc_now
from partnerka.common.ids import new_click_id
from partnerka.conversions.models import Conversion, ConversionStatus, dedupe_key
from partnerka.conversions.repository import ConversionRepository
from partnerka.postbacks.models import PostbackEvent, PostbackSettings
from partnerka.postbacks.repository import PostbackSettingsRepository
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_orchestrator_and_api import signed_in, stream_event
from tests.integration.world import World, build_world

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
)
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def click(world: World, at: str, country: str, ua: str, sub1: str) -> Click:
    found = Click(
        click_id=new_click_id(),
        offer_id=world.offer.offer_id,
        affiliate_id=world.affiliate_id,
        advertiser_id=world.advertiser_id,
        ip="198.51.100.7",
        country=country,
        user_agent=ua,
        created_at=datetime.fromisoformat(at),
        expires_at=int(utc_now().timestamp()) + 86400,
        subs={"sub1": sub1},
    )
    ClickRepository(os.environ["CLICKS_TABLE"]).put(found)
    return found


def sale(of: Click, status: ConversionStatus) -> Conversion:
    conversion = Conversion(
        conversion_id="01JCONV0000000000000000001",
        dedupe_key=dedupe_key(of.advertiser_id, of.offer_id, "sale", of.click_id, ""),
        click_id=of.click_id,
        offer_id=of.offer_id,
        affiliate_id=of.affiliate_id,
        advertiser_id=of.advertiser_id,
        goal="sale",
        status=status,
        payout_minor=1250,
        revenue_minor=2000,
        currency="USD",
        created_at=of.created_at,
        country=of.country,
        user_agent=of.user_agent,
        subs=of.subs,
    )
    assert ConversionRepository(os.environ["CONVERSIONS_TABLE"]).insert(conversion) is None
    return conversion


class Setup:
    """Two clicks and a sale, counted by the orchestrator; the API signed in as three people."""

    def __init__(self, load_function: FunctionLoader, stack: Template, day_sub1: str = "push") -> None:
        self.world = build_world(with_people=True)
        PostbackSettingsRepository(os.environ["CORE_TABLE"]).save(
            PostbackSettings(
                affiliate_id=self.world.affiliate_id,
                url="https://tracker.example/pb?c={click_id}&s={status}",
                events=frozenset(PostbackEvent),
                updated_at=utc_now().isoformat(),
            )
        )
        # 23:30 UTC: the 21st in Moscow, the 20th in New York
        self.late = click(self.world, "2026-11-20T23:30:00+00:00", "DE", IPHONE, "blog")
        self.day = click(self.world, "2026-11-21T10:00:00+00:00", "FR", DESKTOP, day_sub1)
        self.sale = sale(self.late, ConversionStatus.APPROVED)
        orchestrator = load_function("orchestrator")
        for table in ("ClicksTable", "ConversionsTable"):
            assert orchestrator.handler(stream_event(stack, table), CONTEXT) == {"batchItemFailures": []}
        self.stack = stack
        self.api = load_function("api")
        self.load_function = load_function
        self.people = {who: signed_in(self.api, self.world.emails[who]) for who in ("owner", "advertiser")}
        self.people["affiliate"] = signed_in(
            self.api, self.world.emails["affiliate"], self.world.advertiser_id
        )

    def get(self, who: str, path: str, **query: Any) -> tuple[int, Any]:
        params = {"from": "2026-11-20", "to": "2026-11-21", **query}
        response = self.api.handler(http_event("GET", path, urlencode(params), self.people[who]), CONTEXT)
        return response["statusCode"], json.loads(response["body"])

    def post(self, who: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        event = http_event("POST", path, "", self.people[who], json.dumps(body))
        response = self.api.handler(event, CONTEXT)
        return response["statusCode"], json.loads(response["body"])


def test_reports_follow_the_time_zone_and_every_filter(
    load_function: FunctionLoader, stack: Template
) -> None:
    s = Setup(load_function, stack)
    status, moscow = s.get("advertiser", "/api/stats", tz="Europe/Moscow", group_by="day")
    assert status == 200, moscow
    assert [(r["key"], r["clicks"], r["sales"]) for r in moscow["rows"]] == [("2026-11-21", 2, 1)]
    _, new_york = s.get("advertiser", "/api/stats", tz="America/New_York", group_by="day")
    assert [(r["key"], r["clicks"], r["sales"]) for r in new_york["rows"]] == [
        ("2026-11-20", 1, 1),
        ("2026-11-21", 1, 0),
    ]
    totals = moscow["totals"]
    assert (totals["revenue"], totals["payout"], totals["profit"], totals["cr"]) == (
        {"USD": 2000},
        {"USD": 1250},
        {"USD": 750},
        50.0,
    )
    # Devices, OS and browsers from the User-Agent; a filter with its own grouping reads the cubes
    _, by_os = s.get("advertiser", "/api/stats", group_by="os", os="iOS")
    assert [(r["key"], r["clicks"], r["sales"]) for r in by_os["rows"]] == [("iOS", 1, 1)]
    # Two filters and a sub-id grouping read the raw events
    _, blog = s.get("advertiser", "/api/stats", group_by="sub1", country="de", device="mobile")
    assert [(r["key"], r["clicks"], r["sales"]) for r in blog["rows"]] == [("blog", 1, 1)]
    _, one = s.get("advertiser", "/api/stats", group_by="none", click_id=s.late.click_id)
    assert (one["totals"]["clicks"], one["totals"]["sales"]) == (1, 1)
    # Offers carry their names; the affiliate sees its payout but never revenue, profit or ROI
    _, offers = s.get("advertiser", "/api/stats", group_by="offer")
    assert [(r["key"], r["label"]) for r in offers["rows"]] == [(s.world.offer.offer_id, "Sneakers")]
    _, mine = s.get("affiliate", "/api/stats", group_by="offer")
    assert mine["totals"]["payout"] == {"USD": 1250}
    assert (mine["totals"]["revenue"], mine["totals"]["profit"], mine["totals"]["roi"]) == (None, None, None)
    # Platform staff see every advertiser, or one, grouped by advertiser with its name
    _, platform = s.get("owner", "/api/stats", group_by="advertiser")
    assert [(r["key"], r["label"], r["clicks"]) for r in platform["rows"]] == [
        (s.world.advertiser_id, "Acme Shoes", 2)
    ]
    # Sorting and paging
    _, paged = s.get("advertiser", "/api/stats", group_by="country", sort="key", desc="true", limit=1)
    assert ([r["key"] for r in paged["rows"]], paged["total_rows"]) == (["FR"], 2)


def test_logs_page_with_cursors_and_a_click_tells_its_whole_story(
    load_function: FunctionLoader, stack: Template
) -> None:
    s = Setup(load_function, stack)
    status, first = s.get("advertiser", "/api/stats/clicks", limit=1)
    assert status == 200, first
    assert [c["click_id"] for c in first["items"]] == [s.day.click_id]
    assert first["items"][0] | {"created_at": ""} == {
        "click_id": s.day.click_id,
        "created_at": "",
        "advertiser_id": s.world.advertiser_id,
        "offer_id": s.world.offer.offer_id,
        "affiliate_id": s.world.affiliate_id,
        "country": "FR",
        "device": "desktop",
        "os": "Windows",
        "browser": "Chrome",
        "subs": {"sub1": "push"},
        "reason": None,
        "flags": ["unique"],
    }
    _, second = s.get("advertiser", "/api/stats/clicks", limit=1, cursor=first["next_cursor"])
    assert ([c["click_id"] for c in second["items"]], second["next_cursor"]) == ([s.late.click_id], None)
    _, push = s.get("affiliate", "/api/stats/clicks", sub1="push")
    assert [c["click_id"] for c in push["items"]] == [s.day.click_id]
    _, approved = s.get("advertiser", "/api/stats/conversions", status="approved")
    assert [c["id"] for c in approved["items"]] == [s.sale.conversion_id]
    _, own = s.get("affiliate", "/api/stats/conversions")  # through the affiliate's own index
    assert [(c["id"], c["revenue"]) for c in own["items"]] == [(s.sale.conversion_id, None)]
    _, none_pending = s.get("advertiser", "/api/stats/conversions", status="pending")
    assert none_pending["items"] == []
    # The click's story: the click, its sale, and the deliveries the affiliate was sent about both
    response = s.api.handler(
        http_event("GET", f"/api/clicks/{s.late.click_id}", "", s.people["advertiser"]), CONTEXT
    )
    story = json.loads(response["body"])
    assert [c["id"] for c in story["conversions"]] == [s.sale.conversion_id]
    assert sorted(d["delivery_id"] for d in story["deliveries"]) == sorted(
        [f"{s.late.click_id}.click", f"{s.sale.conversion_id}.sale"]
    )


def run_reports_queue(s: Setup) -> None:
    """Play Lambda's SQS poller for the reports worker, once."""
    sqs = boto3.client("sqs")
    url = s.stack.refs["ReportsQueue"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert messages
    records = [
        {
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": {},
            "messageAttributes": {},
            "md5OfBody": m["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:reports",
            "awsRegion": "us-east-1",
        }
        for m in messages
    ]
    assert s.load_function("reports").handler({"Records": records}, CONTEXT) == {"batchItemFailures": []}


def stored_csv(key: str) -> list[list[str]]:
    body = boto3.client("s3").get_object(Bucket=os.environ["REPORTS_BUCKET"], Key=key)["Body"].read()
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_exports_are_built_by_the_worker_and_downloaded_by_their_owner_only(
    load_function: FunctionLoader, stack: Template
) -> None:
    s = Setup(load_function, stack)
    status, queued = s.post(
        "advertiser",
        "/api/exports",
        {"kind": "report", "from": "2026-11-20", "to": "2026-11-21", "group_by": "country", "tz": "UTC"},
    )
    assert status == 200, queued
    assert (queued["status"], queued["download_url"]) == ("queued", None)
    _, clicks_export = s.post(
        "affiliate", "/api/exports", {"kind": "clicks", "from": "2026-11-20", "to": "2026-11-21"}
    )
    run_reports_queue(s)
    _, ready = s.get("advertiser", f"/api/exports/{queued['id']}")
    assert (ready["status"], ready["rows"]) == ("ready", 3), ready  # two countries and the totals
    assert ready["download_url"].startswith("https://")
    rows = stored_csv(f"exports/{_user(s, 'advertiser')}/{queued['id']}.csv")
    assert rows[0][:3] == ["country", "name", "clicks"]
    assert "revenue_USD" in rows[0]
    assert [(r[0], r[2]) for r in rows[1:]] == [("DE", "1"), ("FR", "1"), ("total", "2")]
    # The affiliate's click log export, without revenue anywhere; nobody else can open it
    _, mine = s.get("affiliate", f"/api/exports/{clicks_export['id']}")
    assert (mine["status"], mine["rows"]) == ("ready", 2)
    clicks = stored_csv(f"exports/{_user(s, 'affiliate')}/{clicks_export['id']}.csv")
    assert {r[0] for r in clicks[1:]} == {s.late.click_id, s.day.click_id}
    status, _ = s.get("advertiser", f"/api/exports/{clicks_export['id']}")
    assert status == 404
    _, listed = s.get("advertiser", "/api/exports")
    assert [e["id"] for e in listed["items"]] == [queued["id"]]


# A sub-id whose right-to-left override shows "invoice" + "exe.pdf" backwards: a spreadsheet reads it
# as "invoiceexe.pdf" unless the control is shown instead of obeyed.
SPOOFED = "invoice\u202efdp.exe"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_csv_exports_show_bidi_controls_instead_of_obeying_them(
    load_function: FunctionLoader, stack: Template
) -> None:
    # Given a click whose sub-id carries a right-to-left override, as the visitor sent it
    s = Setup(load_function, stack, day_sub1=SPOOFED)

    # When the advertiser exports the click log and a report grouped by sub1
    exports = [
        s.post("advertiser", "/api/exports", {"kind": "clicks", "from": "2026-11-20", "to": "2026-11-21"})[1],
        s.post(
            "advertiser",
            "/api/exports",
            {"kind": "report", "from": "2026-11-20", "to": "2026-11-21", "group_by": "sub1", "tz": "UTC"},
        )[1],
    ]
    run_reports_queue(s)
    clicks, report = (stored_csv(f"exports/{_user(s, 'advertiser')}/{e['id']}.csv") for e in exports)

    # Then each file shows the control as text, beside the values it would have reversed
    sub1 = clicks[0].index("sub1")
    assert sorted(row[sub1] for row in clicks[1:]) == ["blog", "invoice[U+202E]fdp.exe"]
    assert [row[0] for row in report[1:]] == ["blog", "invoice[U+202E]fdp.exe", "total"]
    assert not [cell for row in clicks + report for cell in row if set(cell) & set(BIDI_CONTROLS)]
    # while the click keeps its sub-id exactly as it came
    assert ClickRepository(os.environ["CLICKS_TABLE"]).get(s.day.click_id).subs["sub1"] == SPOOFED  # type: ignore[union-attr]


def _user(s: Setup, who: str) -> str:
    response = s.api.handler(http_event("GET", "/api/me", "", s.people[who]), CONTEXT)
    return str(json.loads(response["body"])["user"]["id"])


def test_nightly_summaries_per_advertiser_and_affiliate(
    load_function: FunctionLoader, stack: Template
) -> None:
    s = Setup(load_function, stack)
    reports = load_function("reports")
    assert reports.handler({"day": "2026-11-22"}, CONTEXT)["built"] == {"daily 2026-11-21": 2}
    assert reports.handler({"day": "2026-12-01"}, CONTEXT)["built"] == {
        "daily 2026-11-30": 0,
        "monthly 2026-11-01": 2,
    }
    _, daily = s.get("advertiser", "/api/summaries", period="daily")
    assert [(x["date_from"], x["affiliate_id"]) for x in daily["items"]] == [("2026-11-21", None)]
    _, monthly = s.get("affiliate", "/api/summaries", period="monthly")
    ((summary,),) = [monthly["items"]]
    assert (summary["date_from"], summary["date_to"], summary["affiliate_id"]) == (
        "2026-11-01",
        "2026-11-30",
        s.world.affiliate_id,
    )
    rows = stored_csv(summary["key"])
    assert "revenue_USD" not in rows[0]
    assert rows[-1][:3] == ["total", "total", "2"]
    advertiser_key = f"summaries/{s.world.advertiser_id}/monthly/2026-11-01.csv"
    assert stored_csv(advertiser_key)[-1][:3] == ["total", "total", "2"]
    status, link = s.get("advertiser", "/api/summaries/download", key=advertiser_key)
    assert status == 200
    assert link["download_url"].startswith("https://")
    status, refused = s.get("affiliate", "/api/summaries/download", key=advertiser_key)
    assert (status, refused["error"]["code"]) == (403, "forbidden")
    status, missing = s.get("owner", "/api/summaries", period="daily")
    assert (status, missing["error"]["code"]) == (400, "validation_error")
