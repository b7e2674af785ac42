"""The statistics cubes against a naive computation over the raw events: generated traffic across
advertisers, offers, affiliates, countries, devices, hours and currencies, written in stream-batch
sized transactions, then every cube-answerable report (any time zone, date range, grouping and
single filter) compared field by field, money to the minor unit."""

from __future__ import annotations

import os
import uuid
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerka.stats.cube import DIMENSIONS, Facts, cube_increments, merge_into
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.engine import (
    NO_GROUP,
    TIME_GROUPS,
    ReportQuery,
    answerable,
    cube_report,
)
from partnerka.stats.models import Increments, StatsRow
from partnerka_local.template import Template
from tests.conftest import examples

START = datetime(2026, 3, 28, 18, tzinfo=UTC)  # across Europe's DST change (and not New York's)
ZONES = ["UTC", "Europe/Moscow", "America/New_York", "Asia/Tokyo", "Europe/Berlin"]
KINDS: list[Increments] = [
    {"clicks": 1, "unique": 1},
    {"clicks": 1},
    {"clicks": 1, "bots": 1},
    {"blocked": 1},
    {"leads": 1, "hold": 1},
    {"sales": 1, "revenue_USD": 2000, "payout_USD": 1250, "hold": 1},
    {"sales": 1, "revenue_EUR": 999, "payout_EUR": 1},
    {"sales": 1, "revenue_JPY": 700, "payout_JPY": 500},
    {"rejected": 1},
    {"hold": -1},
]

event = st.builds(
    lambda minutes, offer, affiliate, country, device, os, browser, kind: (
        Facts("ADV", START + timedelta(minutes=minutes), offer, affiliate, country, device, os, browser),
        KINDS[kind],
    ),
    st.integers(0, 3 * 24 * 60),
    st.sampled_from(["o1", "o2", "o3"]),
    st.sampled_from(["a1", "a2", "a3", "a4"]),
    st.sampled_from(["DE", "US", "RU"]),
    st.sampled_from(["desktop", "mobile", "tablet"]),
    st.sampled_from(["iOS", "Android", "Windows"]),
    st.sampled_from(["Chrome", "Safari"]),
    st.integers(0, len(KINDS) - 1),
)


def store_events(
    store: CubeRepository, advertiser: str, events: list[tuple[Facts, Increments]], batch: int
) -> None:
    """As the orchestrator does: a batch aggregated into one range, written in the transactions the
    store chunks it into (cube updates, or journal items for the days still journaled)."""
    for first in range(0, len(events), batch):
        merged: dict = {}
        for facts, increments in events[first : first + batch]:
            merge_into(merged, cube_increments(replace(facts, advertiser_id=advertiser), increments))
        write_range(store, merged)


def write_range(store: CubeRepository, merged: dict) -> None:
    """Aggregated increments as one range of the orchestrator's: its transactions, each <= 100 items."""
    chunks = store.chunk(merged)
    token = uuid.uuid4().hex
    assert store.begin(token, [token], chunks)
    for index in range(1, len(chunks)):
        assert store.advance(token, index, chunks[index])


def naive(events: list[tuple[Facts, Increments]], query: ReportQuery) -> tuple[dict[str, dict], dict]:
    rows: dict[str, StatsRow] = {}
    totals = StatsRow(key="total")
    for facts, increments in events:
        local = facts.at.astimezone(query.tz)
        if not query.date_from <= local.date() <= query.date_to:
            continue
        if query.filter and facts.value(query.filter[0]) != query.filter[1]:
            continue
        if query.group_by == "day":
            key = f"{local:%Y-%m-%d}"
        elif query.group_by == "hour":
            key = f"{local:%Y-%m-%dT%H}"
        elif query.group_by == NO_GROUP:
            key = "total"
        else:
            key = facts.value(query.group_by)
        rows.setdefault(key, StatsRow(key=key)).add(increments)
        totals.add(increments)
    return {k: asdict(v) for k, v in rows.items() if _nonzero(v)}, asdict(totals)


def _nonzero(row: StatsRow) -> bool:
    data = asdict(row)
    return (
        any(v for k, v in data.items() if k not in ("key", "revenue", "payout"))
        or any(row.revenue.values())
        or any(row.payout.values())
    )


query_shape = st.tuples(
    st.sampled_from(ZONES),
    st.integers(-1, 3),
    st.integers(0, 3),
    st.sampled_from([*TIME_GROUPS, NO_GROUP, *DIMENSIONS]),
    st.one_of(
        st.none(),
        st.tuples(
            st.sampled_from(DIMENSIONS), st.sampled_from(["o1", "a2", "DE", "mobile", "iOS", "Safari", "zz"])
        ),
    ),
)


@given(
    st.lists(event, min_size=1, max_size=120),
    st.integers(1, 60),
    st.lists(query_shape, min_size=1, max_size=6),
)
@settings(
    max_examples=examples(15, 400),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_every_cube_report_equals_the_naive_computation(
    stack: Template, events: list[tuple[Facts, Increments]], batch: int, shapes: list
) -> None:
    store = CubeRepository(os.environ["STATS_TABLE"])
    advertiser = uuid.uuid4().hex
    store_events(store, advertiser, events, batch)
    placed = [
        (Facts(advertiser, f.at, f.offer, f.affiliate, f.country, f.device, f.os, f.browser), i)
        for f, i in events
    ]
    for zone, first, length, group_by, chosen in shapes:
        start = date(2026, 3, 28) + timedelta(days=first)
        query = ReportQuery(
            advertiser, start, start + timedelta(days=length), ZoneInfo(zone), group_by, chosen
        )
        if not answerable(query):
            continue
        report = cube_report(store, query)
        rows = {k: asdict(v) for k, v in report.rows.items() if _nonzero(v)}
        expected_rows, expected_totals = naive(placed, query)
        assert rows == expected_rows, query
        assert asdict(report.totals) == expected_totals, query


def test_a_conversion_at_2330_utc_lands_on_each_users_own_day(stack: Template) -> None:
    store = CubeRepository(os.environ["STATS_TABLE"])
    advertiser = uuid.uuid4().hex
    at = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    store_events(
        store,
        advertiser,
        [(Facts(advertiser, at, "o", "a", "DE", "mobile", "iOS", "Safari"), {"sales": 1})],
        1,
    )
    for zone, day in (
        ("Europe/Moscow", "2026-11-28"),
        ("America/New_York", "2026-11-27"),
        ("UTC", "2026-11-27"),
    ):
        query = ReportQuery(advertiser, date(2026, 11, 27), date(2026, 11, 28), ZoneInfo(zone), "day")
        assert {k: r.sales for k, r in cube_report(store, query).rows.items()} == {day: 1}, zone


def test_the_edges_of_a_range_count_only_their_own_hours(stack: Template) -> None:
    """Moscow's 27 November is 26 Nov 21:00 to 27 Nov 21:00 UTC: a click at 26 Nov 20:00 UTC and one
    at 27 Nov 22:00 UTC are outside it, though they share UTC days with clicks inside."""
    store = CubeRepository(os.environ["STATS_TABLE"])
    advertiser = uuid.uuid4().hex
    moments = ["2026-11-26T20:00", "2026-11-26T21:30", "2026-11-27T12:00", "2026-11-27T22:00"]
    events = [
        (
            Facts(
                advertiser, datetime.fromisoformat(m + "+00:00"), "o", "a", "DE", "mobile", "iOS", "Safari"
            ),
            {"clicks": 1},
        )
        for m in moments
    ]
    store_events(store, advertiser, events, 10)
    for group_by in ("none", "offer", "country"):
        query = ReportQuery(
            advertiser, date(2026, 11, 27), date(2026, 11, 27), ZoneInfo("Europe/Moscow"), group_by
        )
        assert cube_report(store, query).totals.clicks == 2, group_by


def test_a_batch_split_over_transactions_is_applied_exactly_once_across_retries(stack: Template) -> None:
    """The real repository's markers and plans: a batch whose second transaction fails is finished
    from its plans by a shorter redelivery, the rest of it is found where that one ended, and a
    longer and a whole redelivery change nothing."""
    from partnerka.orchestrator.records import StreamRecord
    from partnerka.stats.click_log import ClickLogRepository
    from partnerka.stats.projection import StatsStores, apply_stream_batch
    from tests.stream_records import stream_record

    table = os.environ["STATS_TABLE"]

    class FailingOnce(CubeRepository):
        calls = 0

        def advance(self, *args: object, **kwargs: object) -> bool:
            self.calls += 1
            if self.calls == 1:
                raise ConnectionError("the network dropped")
            return super().advance(*args, **kwargs)  # type: ignore[arg-type]

    def record(n: int) -> StreamRecord:
        image = {
            "click_id": f"c{n}",
            "advertiser_id": "ADV",
            "offer_id": f"O{n:03d}",
            "affiliate_id": "AFF",
            "country": "DE",
            "ua": "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
            "created_at": "2026-11-27T10:00:00.000Z",
        }
        return stream_record(f"{1000 + n:021d}", f"ev-{n}", "INSERT", "clicks", image)

    records = [record(n) for n in range(300)]
    cubes = FailingOnce(table)
    stats = StatsStores(cubes, ClickLogRepository(table))
    assert len(apply_stream_batch(records[:250], stats)) == 250
    assert apply_stream_batch(records[:120], stats) == []  # Lambda's first half after a failure
    assert apply_stream_batch(records[120:], stats) == []  # the second half, and the rest
    assert apply_stream_batch(records, stats) == []  # the whole thing redelivered: nothing twice
    store = CubeRepository(table)
    (total,) = store.exact("ADV", "total", "-", ["2026-11-27"])
    assert total.values["clicks"] == 300
    offers = list(store.days("ADV", "offer", "2026-11-27", "2026-11-27"))
    assert len(offers) == 300
    assert {item.values["clicks"] for item in offers} == {1}
    assert sum(1 for _ in ClickLogRepository(table).read("ADV", "2026-11-27")) == 300
