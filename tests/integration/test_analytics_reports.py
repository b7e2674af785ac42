"""The same raw report from three places must give the same numbers: the analytics store through
DuckDB, the old click log and conversions read from DynamoDB, and the cubes where they can answer.

A seeded month of clicks is written as the orchestrator writes it, in stream batches: to the click
log, to the cubes, and to the analytics store as Parquet objects, one per batch and advertiser-day,
with a batch also written again as a bisected retry writes it (its halves, under their own names), so
the store holds clicks twice until a compaction. Conversions change status after they arrive: the
store keeps each change (the first again, later, as a late redelivery brings it), DynamoDB holds the
latest, the cubes count the latest. Reports take random filters (several at once, sub-ids, one click),
groupings and time zones, a zone of half hours among them.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerka.analytics.duckdb_engine import DuckDBEngine
from partnerka.analytics.parquet import to_parquet
from partnerka.analytics.schema import CLICKS, CONVERSIONS, SEQ_WIDTH, object_prefix
from partnerka.common.clock import iso_millis
from partnerka.stats.analytics_reports import EngineReports, run_to_end, selection
from partnerka.stats.analytics_store import click_row
from partnerka.stats.click_log import ClickLogRepository, LoggedClick
from partnerka.stats.cube import cube_increments, merge_into
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.engine import NO_GROUP, TIME_GROUPS, Report, cube_report
from partnerka.stats.raw import RAW_DIMENSIONS, ConvertedEvent, RawQuery, conversion_increments, raw_report
from partnerka.stats.service import BY_ADVERTISER, StatsRequest, cube_query
from partnerka.tracking.models import SUB_KEYS
from partnerka_local.template import Template
from tests.conftest import examples
from tests.integration.test_stats_cubes import write_range
from tests.integration.test_stats_raw import click, expected, filters

MONTH = date(2026, 11, 1)
ZONES = ["UTC", "Europe/Moscow", "America/New_York", "Asia/Kolkata"]

# Clicks spread over a month (the raw test's clicks cover two days from their START).
month_click = st.builds(
    lambda c, day: LoggedClick(
        c.click_id,
        replace(c.facts, at=c.facts.at.replace(year=2026, month=11, day=1) + timedelta(days=day)),
        c.reason,
        c.flags,
    ),
    click,
    st.integers(0, 29),
)
conversion = st.tuples(
    month_click,
    st.sampled_from(["pending", "hold", "approved", "rejected"]),
    st.sampled_from(["sale", "lead", "upsell"]),
    st.sampled_from(["USD", "EUR"]),
    st.booleans(),  # whether its first change is delivered again after the latest
)


def change(
    base: LoggedClick, conversion_id: str, status: str, goal: str, currency: str, n: int
) -> dict[str, Any]:
    f = base.facts
    return {
        "conversion_id": conversion_id,
        "click_id": base.click_id,
        "created_at": iso_millis(f.at),
        "changed_at": iso_millis(f.at + timedelta(days=n)),
        "seq": str(n + 1).rjust(SEQ_WIDTH, "0"),
        "offer": f.offer,
        "affiliate": f.affiliate,
        "country": f.country,
        "device": f.device,
        "os": f.os,
        "browser": f.browser,
        "status": status,
        "goal": goal,
        "currency": currency,
        "revenue_minor": 2000,
        "payout_minor": 1250,
        "screening": "",
        **{key: f.subs.get(key, "") for key in SUB_KEYS},
    }


def put(folder: Path, table: str, advertiser: str, name: str, rows: list[dict[str, Any]]) -> None:
    """One object per advertiser-day, as the orchestrator's writer names them."""
    time_column = "clicked_at" if table == CLICKS else "created_at"
    by_day: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_day.setdefault(row[time_column][:10], []).append(row)
    for day, kept in by_day.items():
        path = folder / "data" / object_prefix(table, advertiser, day) / f"b-{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(to_parquet(table, kept))


def as_dicts(report: Report) -> tuple[dict[str, Any], dict[str, Any]]:
    return {k: asdict(v) for k, v in report.rows.items()}, asdict(report.totals)


@pytest.fixture
def engine_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("analytics")


@given(
    st.lists(month_click, min_size=5, max_size=150),
    st.lists(conversion, max_size=30),
    st.integers(2, 60),
    st.lists(
        st.tuples(
            st.sampled_from(ZONES),
            st.integers(0, 27),
            st.integers(0, 30),
            st.sampled_from([*TIME_GROUPS, NO_GROUP, *RAW_DIMENSIONS[:6], "sub1", "sub2", "sub3"]),
            filters,
            st.booleans(),  # look for one click
        ),
        min_size=1,
        max_size=4,
    ),
)
@settings(
    max_examples=examples(6, 300),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_duckdb_the_click_log_and_the_cubes_give_the_same_report(
    stack: Template,
    engine_folder: Path,
    clicks: list[LoggedClick],
    conversions: list,
    batch: int,
    shapes: list,
) -> None:
    advertiser = uuid.uuid4().hex
    folder = engine_folder / advertiser
    placed = [
        LoggedClick(c.click_id, replace(c.facts, advertiser_id=advertiser), c.reason, c.flags) for c in clicks
    ]
    log = ClickLogRepository(os.environ["STATS_TABLE"])
    cubes = CubeRepository(os.environ["STATS_TABLE"])
    for first in range(0, len(placed), batch):
        token = uuid.uuid4().hex
        part = placed[first : first + batch]
        log.write(part, token, 0)
        rows = [click_row(c) for c in part]
        put(folder, CLICKS, advertiser, f"{token}-{len(part)}", rows)
        if first == 0:  # a bisected retry: the halves again, each under its own name
            half = len(rows) // 2
            put(folder, CLICKS, advertiser, f"{token}-{half}", rows[:half])
            put(folder, CLICKS, advertiser, f"{token}-{len(rows)}", rows)  # the same delivery again
        merged: dict = {}
        for c in part:
            merge_into(merged, cube_increments(c.facts, c.increments()))
        write_range(cubes, merged)

    events: list[ConvertedEvent] = []
    changes: list[dict[str, Any]] = []
    late: list[dict[str, Any]] = []
    merged = {}
    for base, status, goal, currency, redelivered in conversions:
        facts = replace(base.facts, advertiser_id=advertiser)
        conversion_id = uuid.uuid4().hex
        arrived = change(base, conversion_id, "pending", goal, currency, 0)
        changes.extend([arrived, change(base, conversion_id, status, goal, currency, 1)])
        if redelivered:
            late.append(arrived)
        event = ConvertedEvent(
            facts, conversion_increments(status, goal, currency, 2000, 1250), base.click_id
        )
        events.append(event)
        merge_into(merged, cube_increments(facts, event.increments))
    put(folder, CONVERSIONS, advertiser, "changes-1", changes)
    if late:
        put(folder, CONVERSIONS, advertiser, "changes-2", late)
    if merged:
        write_range(cubes, merged)

    def conversions_between(adv: str, first: str, last: str, affiliate: str | None) -> list[ConvertedEvent]:
        assert adv == advertiser
        return [
            e
            for e in events
            if first <= iso_millis(e.facts.at) <= last and affiliate in (None, e.facts.affiliate)
        ]

    reports = EngineReports(DuckDBEngine(None, folder))
    for zone, first_day, length, group_by, chosen, one_click in shapes:
        start = MONTH + timedelta(days=first_day)
        end = min(start + timedelta(days=length), date(2026, 11, 30))
        click_id = placed[first_day % len(placed)].click_id if one_click else None
        request = StatsRequest(start, end, ZoneInfo(zone), group_by, tuple(chosen), click_id)
        from_duckdb = as_dicts(run_to_end(reports, selection([advertiser], request), None))
        query = RawQuery(advertiser, start, end, ZoneInfo(zone), group_by, tuple(chosen), click_id)
        from_dynamodb = as_dicts(raw_report(log, conversions_between, query))
        assert from_duckdb == from_dynamodb, request
        if click_id is None:
            assert from_duckdb == expected(placed, events, query), request
        cubed = cube_query(advertiser, request)
        if cubed is not None:
            rows, totals = as_dicts(cube_report(cubes, cubed))
            assert totals == from_duckdb[1], request
            assert {
                k: v
                for k, v in rows.items()
                if any(v[n] for n in ("clicks", "blocked", "sales", "leads", "rejected"))
            } == {
                k: v
                for k, v in from_duckdb[0].items()
                if any(v[n] for n in ("clicks", "blocked", "sales", "leads", "rejected"))
            }, request


def test_grouping_by_advertiser_reads_every_advertiser_in_one_query(
    stack: Template, engine_folder: Path
) -> None:
    """Platform staff's report over several advertisers: one query, a row per advertiser."""
    at = datetime(2026, 11, 3, 12, tzinfo=UTC)
    for advertiser, count in (("adv-a", 3), ("adv-b", 5)):
        rows = [
            {**click_row(LoggedClick(f"{advertiser}-{n}", _facts(advertiser, at))), "sub3": "x"}
            for n in range(count)
        ]
        put(engine_folder, CLICKS, advertiser, "t-1", rows)
    request = StatsRequest(
        date(2026, 11, 3), date(2026, 11, 3), ZoneInfo("UTC"), BY_ADVERTISER, (("sub3", "x"),)
    )
    report = run_to_end(
        EngineReports(DuckDBEngine(None, engine_folder)), selection(["adv-a", "adv-b"], request), None
    )
    assert {k: v.clicks for k, v in report.rows.items()} == {"adv-a": 3, "adv-b": 5}
    only_a = run_to_end(EngineReports(DuckDBEngine(None, engine_folder)), selection(["adv-a"], request), None)
    assert {k: v.clicks for k, v in only_a.rows.items()} == {"adv-a": 3}


def _facts(advertiser: str, at: datetime):  # type: ignore[no-untyped-def]
    from partnerka.stats.cube import Facts

    return Facts(advertiser, at, "o1", "a1", "DE", "desktop", "Windows", "Chrome", {})
