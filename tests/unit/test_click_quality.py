"""Traffic quality after the redirect: unique clicks, IP floods, datacenter addresses and bots are
judged once per click, counted in the statistics and kept for inspection, stably under redelivery."""

from __future__ import annotations

import ipaddress
from typing import Any

from partnerka.orchestrator.records import StreamRecord
from partnerka.stats.projection import StatsStores, apply_stream_batch
from partnerka.stats.quality import CLEAN, ClickQuality, QualityJudge, recorded_quality
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.events import ClickRecorded
from partnerka.tracking.models import Click
from tests.stream_records import stream_record
from tests.unit.fakes import ADVERTISER, AFFILIATE, OFFER, FakeClickLog, FakeCubes, FakeQuality

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
AWS_RANGE = (int(ipaddress.ip_address("3.5.140.0")), int(ipaddress.ip_address("3.5.143.255")), 16509)
RANGES = DatacenterRanges({4: [AWS_RANGE], 6: []})


def click(
    n: int,
    ip: str = "95.24.1.1",
    at: str = "2026-11-27T16:05:00.000Z",
    ua: str = CHROME,
    affiliate: str = AFFILIATE,
    reason: str | None = None,
) -> StreamRecord:
    image: dict[str, Any] = {
        "click_id": f"c{n}",
        "advertiser_id": ADVERTISER,
        "offer_id": OFFER,
        "affiliate_id": affiliate,
        "ip": ip,
        "country": "DE",
        "ua": ua,
        "created_at": at,
        "expires_at": 1_900_000_000,
    }
    if reason:
        image["reason"] = reason
    return stream_record(f"{n:021d}", f"e{n}", "INSERT", "clicks", image)


def stored(record: StreamRecord) -> Click:
    """The click a record reports, as the click inspection reads it back from the Clicks table."""
    assert isinstance(record.event, ClickRecorded)
    return record.event.click


def run(records: list[StreamRecord], store: FakeQuality, cubes: FakeCubes, threshold: int = 30) -> list[str]:
    stats = StatsStores(cubes, FakeClickLog())
    return apply_stream_batch(records, stats, QualityJudge(store, RANGES, flood_threshold=threshold))


def totals(cubes: FakeCubes) -> dict[str, int]:
    return cubes.totals()


def test_a_visitors_second_click_within_24_hours_is_not_unique() -> None:
    store, cubes = FakeQuality(), FakeCubes()
    run([click(1), click(2, at="2026-11-27T16:06:00.000Z")], store, cubes)
    run([click(3, at="2026-11-28T15:00:00.000Z")], store, cubes)
    assert totals(cubes) == {"clicks": 3, "unique": 1}
    # Repeats are not suspect: no verdict item, uniqueness is read back from the visitor's window
    assert store.verdicts == {}
    assert recorded_quality(store, stored(click(1))) == CLEAN
    # A repeat names the visitor's first click, which holds the window
    repeat = ClickQuality(unique=False, flood=False, bot=False, datacenter=None, first_click_id="c1")
    assert recorded_quality(store, stored(click(2, at="2026-11-27T16:06:00.000Z"))) == repeat
    assert recorded_quality(store, stored(click(3, at="2026-11-28T15:00:00.000Z"))) == repeat
    # Nothing is known of a click the orchestrator has not seen
    assert recorded_quality(store, stored(click(9, ip="10.0.0.9"))) is None


def test_after_24_hours_the_visitor_is_unique_again() -> None:
    store, cubes = FakeQuality(), FakeCubes()
    run([click(1)], store, cubes)
    run([click(2, at="2026-11-28T16:05:00.000Z")], store, cubes)
    assert totals(cubes) == {"clicks": 2, "unique": 2}


def test_another_address_browser_or_affiliate_is_another_visitor() -> None:
    store, cubes = FakeQuality(), FakeCubes()
    run(
        [
            click(1),
            click(2, ip="95.24.1.2"),
            click(3, ua=CHROME.replace("120", "121")),
            click(4, affiliate="01JAFF0000000000000000000B"),
        ],
        store,
        cubes,
    )
    assert totals(cubes)["unique"] == 4


def test_refused_clicks_neither_take_nor_spend_the_visitors_window() -> None:
    store, cubes = FakeQuality(), FakeCubes()
    run([click(1, reason="geo_blocked"), click(2, at="2026-11-27T16:07:00.000Z")], store, cubes)
    assert totals(cubes) == {"blocked": 1, "refused_geo_blocked": 1, "clicks": 1, "unique": 1}
    assert store.writes["claim"] == 1


def test_clicks_past_the_hourly_threshold_of_one_address_are_a_flood_across_batches() -> None:
    store, cubes = FakeQuality(), FakeCubes()
    # Given a threshold of 3 clicks per address and hour, 2 clicks in a first batch
    run([click(1), click(2, ua="A")], store, cubes, threshold=3)
    # When 3 more arrive in the same hour, from the same address
    run([click(n, ua=f"UA{n}") for n in (3, 4, 5)], store, cubes, threshold=3)
    # Then the 4th and 5th are the flood, counted and kept for inspection
    assert totals(cubes)["flood"] == 2
    assert sorted(c for c, v in store.verdicts.items() if v.flood) == ["c4", "c5"]
    # Each keeps how many clicks its address had sent in the hour, itself included
    assert [store.verdicts[c].address_clicks for c in ("c4", "c5")] == [4, 5]
    # And the next hour starts a new count
    run([click(6, at="2026-11-27T17:00:00.000Z")], store, cubes, threshold=3)
    assert totals(cubes)["flood"] == 2


def test_datacenter_addresses_and_bots_are_counted_and_named_with_their_network() -> None:
    store, cubes = FakeQuality(), FakeCubes()
    records = [
        click(1, ip="3.5.140.9"),
        click(2, ip="::ffff:3.5.141.1", ua="x"),
        click(3, ua="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    ]
    run(records, store, cubes)
    counted = totals(cubes)
    assert (counted["datacenter"], counted["bots"], counted["clicks"]) == (2, 1, 3)
    # A bot's verdict is kept; a datacenter address is not (a write a click saved), it is named again
    # from the ranges when the click is inspected
    assert store.verdict(stored(records[2])) == ClickQuality(
        unique=True, flood=False, bot=True, datacenter=None
    )
    assert store.verdict(stored(records[0])) is None
    assert store.writes["verdict"] == 1
    aws = ClickQuality(unique=True, flood=False, bot=False, datacenter="Amazon AWS", asn=16509)
    assert recorded_quality(store, stored(records[0]), RANGES) == aws


def test_a_redelivered_batch_reaches_the_same_verdicts_and_counts_nothing_twice() -> None:
    store, cubes = FakeQuality(), FakeCubes()
    batch = [click(n, ua=f"UA{n % 3}") for n in range(1, 7)]
    run(batch, store, cubes, threshold=4)
    first = (dict(store.verdicts), totals(cubes), dict(store.counts))
    run(batch, store, cubes, threshold=4)
    assert (store.verdicts, totals(cubes), store.counts) == first
    assert totals(cubes) == {"clicks": 6, "unique": 3, "flood": 2}


def test_a_failed_statistics_chunk_leaves_flood_counts_untouched_so_the_retry_judges_alike() -> None:
    store, failing = FakeQuality(), FakeCubes(fail_on_call=1)
    batch = [click(n, ua=f"UA{n}") for n in range(1, 6)]
    assert run(batch, store, failing, threshold=3) == [r.sequence_number for r in batch]
    assert store.counts == {}
    assert run(batch, store, failing, threshold=3) == []
    assert totals(failing) == {"clicks": 5, "unique": 5, "flood": 2}
    assert sum(store.counts.values()) == 5


def test_a_failing_store_retries_the_whole_batch_before_counting_anything() -> None:
    class Broken(FakeQuality):
        def ip_counts(self, keys: Any) -> Any:
            raise ConnectionError("throttled")

    cubes = FakeCubes()
    batch = [click(1), click(2)]
    assert run(batch, Broken(), cubes) == [r.sequence_number for r in batch]
    assert cubes.rows == {}


def test_a_clean_click_is_the_default_verdict() -> None:
    assert not CLEAN.flagged
    assert CLEAN.counters() == {"unique": 1}
    assert ClickQuality(unique=None, flood=False, bot=False, datacenter=None).counters() == {}


def test_ranges_answer_none_for_other_and_malformed_addresses() -> None:
    assert RANGES.network("3.5.143.255") == "Amazon AWS"
    assert RANGES.network("3.5.144.0") is None
    assert RANGES.network("not an ip") is None
    assert RANGES.network("2001:db8::1") is None
    assert DatacenterRanges.load("/nonexistent/datacenter.ranges").network("3.5.140.1") is None
