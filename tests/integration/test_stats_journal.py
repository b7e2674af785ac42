"""The cubes' journal and its daily fold against the emulated Stats table: ranges put today's and
yesterday's increments in one journal item per advertiser-day and update older days' cube items
directly; reports add a day's journal to its cube items until the fold moves it in, once, however
the fold is interrupted or doubled; and every report equals the naive computation throughout."""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerka.common import dynamo
from partnerka.stats.cube import DIMENSIONS, TOTAL, CubeKey, Facts, cube_increments, merge_into
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.engine import NO_GROUP, TIME_GROUPS, ReportQuery, answerable, cube_report
from partnerka.stats.fold import fold_day, fold_due
from partnerka.stats.journal import fold_token
from partnerka.stats.models import Increments
from partnerka_local.template import Template
from tests.conftest import examples
from tests.integration.conftest import CONTEXT
from tests.integration.test_stats_cubes import KINDS, _nonzero, naive, store_events

START = datetime(2026, 3, 27, 18, tzinfo=UTC)
# The writer's clock: START's day is two days back (its cube items are updated directly), the next
# two days are journaled.
WRITTEN = datetime(2026, 3, 29, 23, 50, tzinfo=UTC)
FOLDED = WRITTEN + timedelta(days=3)  # every day of the traffic is closed for the fold by then


class Client:
    """The real client; transactions fail from the `fail_from`-th on (None: never), as a worker
    killed mid-range leaves them."""

    def __init__(self, fail_from: int | None = None) -> None:
        self.inner = dynamo.client()
        self.fail_from = fail_from
        self.transactions = 0
        self.items: list[str] = []  # the key prefix of every item a transaction wrote

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def transact_write_items(self, **request: Any) -> Any:
        self.transactions += 1
        if self.fail_from is not None and self.transactions >= self.fail_from:
            raise ConnectionError("worker killed")
        for item in request["TransactItems"]:
            body = item.get("Put") or item.get("Update") or {}
            key = body.get("Item") or body.get("Key") or {}
            self.items.append(key["pk"]["S"].split("#", 1)[0])
        return self.inner.transact_write_items(**request)


def repository(now: datetime, client: Any = None) -> CubeRepository:
    return CubeRepository(os.environ["STATS_TABLE"], client, now=lambda: now)


def placed(advertiser: str, facts: Facts) -> Facts:
    return replace(facts, advertiser_id=advertiser)


def assert_reports_match(
    store: CubeRepository, advertiser: str, events: list[tuple[Facts, Increments]]
) -> None:
    mine = [(placed(advertiser, f), i) for f, i in events]
    for zone in ("UTC", "Asia/Tokyo"):
        for group_by in (*TIME_GROUPS, NO_GROUP, *DIMENSIONS):
            for chosen in (None, ("affiliate", "a2"), ("country", "DE")):
                query = ReportQuery(
                    advertiser, date(2026, 3, 27), date(2026, 3, 30), ZoneInfo(zone), group_by, chosen
                )
                if not answerable(query):
                    continue
                report = cube_report(store, query)
                rows = {k: asdict(v) for k, v in report.rows.items() if _nonzero(v)}
                expected_rows, expected_totals = naive(mine, query)
                assert rows == expected_rows, query
                assert asdict(report.totals) == expected_totals, query


event = st.builds(
    lambda minutes, affiliate, country, kind: (
        Facts(
            "ADV",
            START + timedelta(minutes=minutes),
            "o1",
            affiliate,
            country,
            "desktop",
            "Windows",
            "Chrome",
        ),
        KINDS[kind],
    ),
    st.integers(0, 3 * 24 * 60 - 1),
    st.sampled_from(["a1", "a2", "a3"]),
    st.sampled_from(["DE", "US"]),
    st.integers(0, len(KINDS) - 1),
)


@given(st.lists(event, min_size=1, max_size=80), st.integers(1, 40))
@settings(
    max_examples=examples(6, 100),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_reports_are_exact_before_during_and_after_the_fold(
    stack: Template, events: list, batch: int
) -> None:
    advertiser = uuid.uuid4().hex
    store_events(repository(WRITTEN), advertiser, events, batch)
    # Before the fold: the older day from its cube items, the two recent ones from their journal
    assert_reports_match(repository(WRITTEN), advertiser, events)
    # A fold killed after its first transaction: reads add the chunks its plans still hold
    for day in ("2026-03-28", "2026-03-29"):
        with contextlib.suppress(ConnectionError):
            fold_day(repository(FOLDED, Client(fail_from=2)), advertiser, day, FOLDED)
    assert_reports_match(repository(FOLDED), advertiser, events)
    # Then the next run finishes them, and the cube items alone hold every day
    assert fold_due(repository(FOLDED), FOLDED).failed == 0
    assert_reports_match(repository(FOLDED), advertiser, events)


def test_a_range_puts_one_journal_item_per_recent_advertiser_day_and_updates_older_days(
    stack: Template,
) -> None:
    advertiser = uuid.uuid4().hex
    client = Client()
    events = [
        (
            Facts(
                "ADV",
                WRITTEN - timedelta(hours=h),
                "o1",
                f"a{h % 40}",
                f"C{h % 9}",
                "desktop",
                "Windows",
                "Chrome",
            ),
            {"clicks": 1},
        )
        for h in range(0, 60)
    ]
    store_events(repository(WRITTEN, client), advertiser, events, batch=60)
    # 60 clicks over 7 dimensions and 3 days: 24 hours today, 24 yesterday, 12 two days back
    older = {
        k
        for f, i in events
        if f.at.date() < date(2026, 3, 28)
        for k in cube_increments(placed(advertiser, f), i)
    }
    assert client.items.count("JRN") == 2  # one per journaled day
    assert client.items.count("ADV") == len(older)
    assert client.transactions == 1


def test_two_folds_at_once_apply_the_day_once(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    events = [
        (
            Facts(
                "ADV",
                datetime(2026, 3, 29, 1, tzinfo=UTC) + timedelta(minutes=n),
                "o1",
                f"a{n}",
                "DE",
                "desktop",
                "Windows",
                "Chrome",
            ),
            {"clicks": 1},
        )
        for n in range(150)  # 150 affiliates: more than one transaction's worth of cube items
    ]
    store_events(repository(WRITTEN), advertiser, events, batch=150)
    results: list[bool] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(fold_day(repository(FOLDED), advertiser, "2026-03-29", FOLDED))
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert True in results
    store = repository(FOLDED)
    marker = store.marker(fold_token(advertiser, "2026-03-29"))
    assert marker is not None
    assert marker.finished
    assert marker.chunks > 1
    total = store.exact(advertiser, TOTAL, "-", ["2026-03-29"])
    assert [item.values["clicks"] for item in total] == [150]
    affiliates = list(store.days(advertiser, "affiliate", "2026-03-29", "2026-03-29", ("clicks",)))
    assert len(affiliates) == 150
    assert {item.values["clicks"] for item in affiliates} == {1}


def test_a_change_to_a_folded_day_updates_its_cube_items_and_counts_once(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    at = datetime(2026, 3, 29, 10, tzinfo=UTC)
    facts = Facts("ADV", at, "o1", "a1", "DE", "desktop", "Windows", "Chrome")
    store_events(repository(WRITTEN), advertiser, [(facts, {"leads": 1, "hold": 1})], 1)
    fold_due(repository(FOLDED), FOLDED)
    # A week later the lead is approved: its hold leaves the hour it arrived in
    later = repository(FOLDED + timedelta(days=7))
    store_events(later, advertiser, [(facts, {"hold": -1})], 1)
    [total] = later.exact(advertiser, TOTAL, "-", ["2026-03-29"])
    assert (total.values["leads"], total.values["hold"], total.values["hold@10"]) == (1, 0, 0)


def test_a_day_not_closed_yet_is_not_folded(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    facts = Facts(
        "ADV", datetime(2026, 3, 29, 10, tzinfo=UTC), "o1", "a1", "DE", "desktop", "Windows", "Chrome"
    )
    store_events(repository(WRITTEN), advertiser, [(facts, {"clicks": 1})], 1)
    assert not fold_day(
        repository(WRITTEN + timedelta(days=1)), advertiser, "2026-03-29", WRITTEN + timedelta(days=1)
    )
    assert repository(WRITTEN).marker(fold_token(advertiser, "2026-03-29")) is None


def test_a_range_killed_after_its_first_chunk_is_finished_from_its_plans_by_the_next_delivery(
    stack: Template,
) -> None:
    advertiser = uuid.uuid4().hex
    events = [
        (
            Facts(
                "ADV", WRITTEN - timedelta(hours=n % 80), "o1", f"a{n}", "DE", "desktop", "Windows", "Chrome"
            ),
            {"clicks": 1},
        )
        for n in range(300)
    ]
    merged: dict[CubeKey, Increments] = {}
    for facts, increments in events:
        merge_into(merged, cube_increments(placed(advertiser, facts), increments))
    killed = repository(WRITTEN, Client(fail_from=2))
    chunks = killed.chunk(merged)
    assert len(chunks) > 1
    token = uuid.uuid4().hex
    assert killed.begin(token, [token], chunks)
    with pytest.raises(ConnectionError):
        killed.advance(token, 1, chunks[1])
    # The next delivery, a day later: the plans still say which days were journaled when it began
    later = repository(WRITTEN + timedelta(hours=20))
    marker = later.marker(token)
    assert marker is not None
    assert not marker.finished
    for index in range(marker.done, marker.chunks):
        assert later.advance(token, index)
    total = sum(
        item.values["clicks"]
        for item in later.days(advertiser, TOTAL, "2026-03-26", "2026-03-30", ("clicks",))
    )
    assert total == 300


def test_the_scheduled_fold_folds_each_closed_day_once(stack: Template, load_function: Any) -> None:
    fold = load_function("stats_fold")
    advertiser = uuid.uuid4().hex
    day = (datetime.now(UTC) - timedelta(days=4)).date()
    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=13)
    facts = Facts("ADV", at, "o1", "a1", "DE", "desktop", "Windows", "Chrome")
    store_events(
        repository(at + timedelta(hours=2)), advertiser, [(facts, {"clicks": 1, "unique": 1})] * 3, 2
    )
    assert fold.handler({}, CONTEXT) == {"folded": 1}
    assert fold.handler({}, CONTEXT) == {"folded": 0}
    store = CubeRepository(os.environ["STATS_TABLE"])
    marker = store.marker(fold_token(advertiser, day.isoformat()))
    assert marker is not None
    assert marker.finished
    [total] = store.exact(advertiser, TOTAL, "-", [day.isoformat()])
    assert (total.values["clicks"], total.values["unique"], total.values["clicks@13"]) == (3, 3, 3)


def test_a_report_reading_its_days_in_parallel_counts_each_journal_item_once(stack: Template) -> None:
    advertiser = uuid.uuid4().hex
    events = [
        (
            Facts(
                "ADV",
                WRITTEN - timedelta(hours=n % 30),
                "o1",
                f"a{n % 5}",
                "DE",
                "desktop",
                "Windows",
                "Chrome",
            ),
            {"clicks": 1},
        )
        for n in range(60)
    ]
    store_events(repository(WRITTEN), advertiser, events, 6)
    store = repository(WRITTEN)  # one warm instance, its journal read by several threads at once
    totals: list[int] = []

    def read() -> None:
        items = store.days(advertiser, "affiliate", "2026-03-28", "2026-03-29", ("clicks",))
        totals.append(sum(item.values["clicks"] for item in items))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store_events(repository(WRITTEN), advertiser, events[:6], 6)  # and a later range is added once too
    read()
    assert totals == [60] * 8 + [66]
