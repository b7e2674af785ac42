"""The traffic-quality report and a flagged click's page through the real functions: clicks of every
kind written where the tracker writes them, conversions a fraud rule held or rejected, counted by the
orchestrator from the streams (with its real datacenter ranges and bot classification), then read
through the API by each kind of viewer."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from partnerka.common.clock import utc_now
from partnerka.common.ids import new_click_id
from partnerka.conversions.models import Conversion, ConversionStatus, dedupe_key
from partnerka.conversions.repository import ConversionRepository
from partnerka.stats.quality import FLOOD_CLICKS_PER_IP_HOUR
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRepository
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_orchestrator_and_api import signed_in, stream_event
from tests.integration.world import World, build_world

DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
AWS_ADDRESS = "3.5.140.7"  # announced by AS16509 (Amazon AWS) in the ranges setup builds
START = datetime.fromisoformat("2026-11-21T10:00:00+00:00")


class Traffic:
    """On 21 November: the affiliate's clean click and its repeat (sub1=blog), a datacenter click, a
    bot and a flood (sub1=push), a click a block list refused (blog) and one GEO refused (push); the
    outsider's click refused as suspended (sub1=other). A rule held the clean click's sale, another
    rejected the datacenter click's; the repeat's sale went through."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.first = self.click(0, "95.24.1.1", DESKTOP, "blog")
        self.repeat = self.click(1, "95.24.1.1", DESKTOP, "blog")
        self.datacenter = self.click(2, AWS_ADDRESS, DESKTOP, "push")
        self.bot = self.click(3, "95.24.1.4", GOOGLEBOT, "push")
        # One address past the hourly limit, each click a browser of its own (so each is unique)
        self.flood = [
            self.click(4 + n, "95.24.9.9", f"{DESKTOP} build/{n}", "push")
            for n in range(FLOOD_CLICKS_PER_IP_HOUR + 1)
        ]
        self.blocked = self.click(
            40, "3.5.140.8", DESKTOP, "blog", reason="blocked_by_rule", blocked_by="asn:16509"
        )
        self.click(41, "95.24.1.41", DESKTOP, "push", reason="geo_blocked")
        self.click(
            42,
            "95.24.1.42",
            DESKTOP,
            "other",
            affiliate=world.outsider_affiliate_id,
            reason="affiliate_suspended",
        )
        self.held = self.sale(
            self.first, ConversionStatus.HOLD, "held", "too_fast", "held: converted 4 s after the click"
        )
        self.rejected = self.sale(
            self.datacenter,
            ConversionStatus.REJECTED,
            "rejected",
            "datacenter",
            "rejected: click from a datacenter network, AS16509",
        )
        self.sale(self.repeat, ConversionStatus.APPROVED)

    def click(
        self,
        minute: int,
        ip: str,
        ua: str,
        sub1: str,
        affiliate: str = "",
        reason: str | None = None,
        blocked_by: str | None = None,
    ) -> Click:
        found = Click(
            click_id=new_click_id(),
            offer_id=self.world.offer.offer_id,
            affiliate_id=affiliate or self.world.affiliate_id,
            advertiser_id=self.world.advertiser_id,
            ip=ip,
            country="DE",
            user_agent=ua,
            created_at=START + timedelta(minutes=minute),
            expires_at=int(utc_now().timestamp()) + 86400,
            subs={"sub1": sub1},
            reason=reason,
            blocked_by=blocked_by,
        )
        ClickRepository(os.environ["CLICKS_TABLE"]).put(found)
        return found

    def sale(
        self,
        of: Click,
        status: ConversionStatus,
        screening: str | None = None,
        flag: str | None = None,
        note: str = "",
    ) -> Conversion:
        conversion = Conversion(
            conversion_id=f"01JCONV{of.click_id[:19].upper().replace('-', '0')}",
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
            created_at=of.created_at + timedelta(seconds=4),
            reason="fraud" if status is ConversionStatus.REJECTED else None,
            country=of.country,
            user_agent=of.user_agent,
            click_created_at=of.created_at,
            subs=of.subs,
            flags=(flag,) if flag else (),
            screening=screening,
            screening_flag=flag,
            screening_note=note,
        )
        assert ConversionRepository(os.environ["CONVERSIONS_TABLE"]).insert(conversion) is None
        return conversion


@pytest.fixture
def counted(load_function: FunctionLoader, stack: Template) -> tuple[Traffic, Any]:
    traffic = Traffic(build_world(with_people=True))
    orchestrator = load_function("orchestrator")
    for table in ("ClicksTable", "ConversionsTable"):
        assert orchestrator.handler(stream_event(stack, table), CONTEXT) == {"batchItemFailures": []}
    return traffic, load_function("api")


def reader(api: Any, world: World, who: str) -> Any:
    token = signed_in(api, world.emails[who], world.advertiser_id if who == "affiliate" else None)

    def get(path: str, **query: Any) -> tuple[int, Any]:
        params = {"from": "2026-11-20", "to": "2026-11-21", **query}
        response = api.handler(http_event("GET", path, urlencode(params), token), CONTEXT)
        return response["statusCode"], json.loads(response["body"])

    return get


def figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["requests"],
        row["clicks"],
        row["flagged"],
        row["refused_by_reason"],
        row["held_by_rule"],
        row["rejected_by_rule"],
        row["arrived_conversions"],
    )


FLOOD = FLOOD_CLICKS_PER_IP_HOUR + 1
MINE = (
    4 + FLOOD + 2,  # first, repeat, datacenter, bot, the flood, two refused
    4 + FLOOD,
    {"bots": 1, "datacenter": 1, "flood": 1, "duplicate": 1},
    {"blocked_by_rule": 1, "geo_blocked": 1},
    1,
    1,
    3,
)


def test_the_report_counts_every_flag_refusal_and_rule_by_affiliate_offer_and_sub_id_for_each_viewer(
    counted: tuple[Traffic, Any],
) -> None:
    traffic, api = counted
    get = reader(api, traffic.world, "advertiser")
    status, by_affiliate = get("/api/stats/fraud", group_by="affiliate", tz="Europe/Moscow")
    assert status == 200, by_affiliate
    mine, outsider = by_affiliate["rows"]
    assert (mine["key"], mine["label"]) == (traffic.world.affiliate_id, "Traffic Pro")
    assert figures(mine) == MINE
    clicks = 4 + FLOOD
    assert mine["flagged_shares"] == {
        name: round(100 / clicks, 4) for name in ("bots", "datacenter", "flood", "duplicate")
    }
    assert (mine["refused"], mine["refused_share"]) == (2, round(200 / (clicks + 2), 4))
    assert figures(outsider) == (
        1,
        0,
        {"bots": 0, "datacenter": 0, "flood": 0, "duplicate": 0},
        {"affiliate_suspended": 1},
        0,
        0,
        0,
    )
    assert outsider["flagged_shares"]["bots"] is None  # no share of no clicks
    assert by_affiliate["totals"]["requests"] == MINE[0] + 1
    # The trend has every local day of the range, the quiet one too
    assert [(day["key"], day["requests"], day["held_by_rule"]) for day in by_affiliate["trend"]] == [
        ("2026-11-20", 0, 0),
        ("2026-11-21", MINE[0] + 1, 1),
    ]

    _, by_offer = get("/api/stats/fraud", group_by="offer")
    assert [(row["label"], row["requests"]) for row in by_offer["rows"]] == [("Sneakers", MINE[0] + 1)]

    # Sub-ids come from the raw events
    _, by_sub = get("/api/stats/fraud", group_by="sub1")
    rows = {row["key"]: row for row in by_sub["rows"]}
    assert list(rows) == ["push", "blog", "other"]  # most traffic first
    assert figures(rows["blog"]) == (
        3,
        2,
        {"bots": 0, "datacenter": 0, "flood": 0, "duplicate": 1},
        {"blocked_by_rule": 1},
        1,
        0,
        2,
    )
    assert rows["blog"]["flagged_shares"]["duplicate"] == 50.0
    assert figures(rows["push"]) == (
        2 + FLOOD + 1,
        2 + FLOOD,
        {"bots": 1, "datacenter": 1, "flood": 1, "duplicate": 0},
        {"geo_blocked": 1},
        0,
        1,
        1,
    )
    assert by_sub["totals"] == by_affiliate["totals"] | {"label": "total"}

    world = traffic.world
    # Staff name the advertiser they read
    staff = reader(api, world, "owner")
    _, named = staff("/api/stats/fraud", group_by="affiliate", advertiser_id=world.advertiser_id)
    assert (named["advertiser_id"], len(named["rows"])) == (world.advertiser_id, 2)
    # An affiliate reads its own traffic only: the outsider's refusal is not in its totals
    status, own = reader(api, world, "affiliate")("/api/stats/fraud", group_by="sub1")
    assert status == 200, own
    assert figures(own["totals"]) == MINE
    assert "other" not in {row["key"] for row in own["rows"]}
    status, refused = reader(api, world, "affiliate")("/api/stats/fraud", group_by="country")
    assert status == 400, refused


def test_a_flagged_clicks_page_says_why(counted: tuple[Traffic, Any]) -> None:
    traffic, api = counted
    get = reader(api, traffic.world, "advertiser")
    _, datacenter = get(f"/api/clicks/{traffic.datacenter.click_id}")
    quality = datacenter["quality"]
    assert (quality["status"], quality["datacenter"], quality["asn"]) == ("flagged", "Amazon AWS", 16509)
    # Its conversion carries what the rule did and why, as conversions do in every list
    screened = [
        (c["id"], c["screening"], c["screening_flag"], c["screening_note"])
        for c in datacenter["conversions"]
        if c["screening"]
    ]
    assert screened == [
        (
            traffic.rejected.conversion_id,
            "rejected",
            "datacenter",
            "rejected: click from a datacenter network, AS16509",
        )
    ]
    _, repeat = get(f"/api/clicks/{traffic.repeat.click_id}")
    assert (repeat["quality"]["unique"], repeat["quality"]["first_click_id"]) == (
        False,
        traffic.first.click_id,
    )
    assert [c["screening"] for c in repeat["conversions"] if c["screening"]] == []
    _, flood = get(f"/api/clicks/{traffic.flood[-1].click_id}")
    assert (
        flood["quality"]["flood"],
        flood["quality"]["address_clicks"],
        flood["quality"]["flood_threshold"],
    ) == (
        True,
        FLOOD_CLICKS_PER_IP_HOUR + 1,
        FLOOD_CLICKS_PER_IP_HOUR,
    )
    _, blocked = get(f"/api/clicks/{traffic.blocked.click_id}")
    assert (blocked["reason"], blocked["blocked_by"]) == ("blocked_by_rule", "asn:16509")
