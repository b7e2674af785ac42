"""The click log's items against the emulated Stats table: one item per advertiser-hour a range
touches (a write unit is a started kilobyte, so fifty small items cost fifty units where one
compressed item costs a few), an affiliate's clicks kept out of the others' reads, and the items of
the earlier per-affiliate layout read alongside until they expire."""

from __future__ import annotations

import gzip
import json
import os
import uuid
from datetime import UTC, datetime, timedelta

from partnerka.common import dynamo
from partnerka.stats.click_log import ClickLogRepository, LoggedClick
from partnerka.stats.cube import Facts
from partnerka_local.template import Template

START = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)


def logged(advertiser: str, n: int, affiliate: str, minutes: int = 0) -> LoggedClick:
    facts = Facts(
        advertiser, START + timedelta(minutes=minutes), "O1", affiliate, "DE", "desktop", "Windows", "Chrome"
    )
    return LoggedClick(f"c{n:04d}", facts, flags=frozenset({"unique"}))


def test_a_range_puts_one_item_per_advertiser_hour_and_each_affiliate_reads_its_own(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    log = ClickLogRepository(os.environ["STATS_TABLE"])
    # Given a range of 120 clicks over 50 affiliates in two hours
    clicks = [logged(advertiser, n, f"A{n % 50:02d}", minutes=n // 2) for n in range(120)]
    # Then it is stored in one item per hour
    assert log.write(clicks, "token-120", 1_900_000_000) == 2
    # And the day reads back whole, and an affiliate reads only its own clicks
    day = START.date().isoformat()
    assert sorted(c.click_id for c in log.read(advertiser, day)) == sorted(c.click_id for c in clicks)
    mine = list(log.read(advertiser, day, "A07"))
    assert [c.click_id for c in mine] == [c.click_id for c in clicks if c.facts.affiliate == "A07"]
    assert mine[0] == clicks[7]


def test_a_range_delivered_again_or_cut_differently_reads_each_click_once(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    log = ClickLogRepository(os.environ["STATS_TABLE"])
    clicks = [logged(advertiser, n, f"A{n % 3}") for n in range(10)]
    log.write(clicks, "t1-10", 1_900_000_000)
    log.write(clicks, "t1-10", 1_900_000_000)
    log.write(clicks[:5], "t1-5", 1_900_000_000)
    log.write(clicks[5:], "t6-5", 1_900_000_000)
    assert sorted(c.click_id for c in log.read(advertiser, START.date().isoformat())) == [
        c.click_id for c in clicks
    ]


def test_items_of_the_earlier_per_affiliate_layout_are_read_with_their_affiliate(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    table = os.environ["STATS_TABLE"]
    old = logged(advertiser, 1, "01JF3Z6Q8X2B9C4D5E6F7G8H9J")
    line = old.as_line()[:10]  # the earlier lines had no affiliate: the key named it
    dynamo.client().put_item(
        TableName=table,
        Item={
            "pk": {"S": f"LOG#{advertiser}#2026-11-27"},
            "sk": {"S": "01JF3Z6Q8X2B9C4D5E6F7G8H9J#2026-11-27T16#oldtoken-1#0"},
            "clicks": {"N": "1"},
            "data": {"B": gzip.compress(json.dumps(line).encode())},
            "expires_at": {"N": "1900000000"},
        },
    )
    log = ClickLogRepository(table)
    new = logged(advertiser, 2, "A1")
    log.write([new], "newtoken-1", 1_900_000_000)
    assert sorted(log.read(advertiser, "2026-11-27"), key=lambda c: c.click_id) == [old, new]
    assert list(log.read(advertiser, "2026-11-27", "01JF3Z6Q8X2B9C4D5E6F7G8H9J")) == [old]
