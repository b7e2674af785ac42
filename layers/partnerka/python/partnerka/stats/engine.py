"""Reports from the cubes: a date range in the user's time zone, one grouping, at most one filter.

A range of local days is a range of UTC hours: exact for every time zone whose offset is whole hours
(a zone such as +05:30 is counted from the hour its local midnight falls in). Days wholly inside the
range are read as day figures; the edge days, and every day when grouping by day or hour (local days
are not UTC days), are read hour by hour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from partnerka.common.errors import ValidationFailed
from partnerka.stats.cube import DIMENSIONS, NO_VALUE, TOTAL
from partnerka.stats.cube_store import CubeItem, CubeStore, read_in_parallel
from partnerka.stats.models import COUNTERS, KEYED_PREFIXES, StatsRow

TIME_GROUPS = ("day", "hour")
NO_GROUP = "none"
BY_ADVERTISER = "advertiser"  # platform staff's report: a row per advertiser
MAX_RANGE_DAYS = 366


@dataclass(frozen=True, slots=True)
class ReportQuery:
    advertiser_id: str
    date_from: date  # local days, inclusive
    date_to: date
    tz: ZoneInfo
    group_by: str  # day | hour | none | one of DIMENSIONS
    filter: tuple[str, str] | None = None  # (dimension, value)

    def utc_hours(self) -> list[datetime]:
        """Every UTC hour that starts inside the local range."""
        if self.date_to < self.date_from:
            raise ValidationFailed("the range ends before it starts")
        if (self.date_to - self.date_from).days >= MAX_RANGE_DAYS:
            raise ValidationFailed(f"a report covers at most {MAX_RANGE_DAYS} days")
        start = datetime.combine(self.date_from, time(), self.tz).astimezone(UTC)
        end = datetime.combine(self.date_to + timedelta(days=1), time(), self.tz).astimezone(UTC)
        hours, at = [], start.replace(minute=0, second=0, microsecond=0)
        while at < end:
            hours.append(at)
            at += timedelta(hours=1)
        return hours


@dataclass(slots=True)
class Report:
    rows: dict[str, StatsRow]
    totals: StatsRow


def answerable(query: ReportQuery) -> bool:
    """Whether the cubes hold this report: a grouping by time, by nothing, or by one dimension, and a
    filter (if any) on that same dimension or with a grouping by time."""
    if query.group_by not in (*TIME_GROUPS, NO_GROUP, *DIMENSIONS):
        return False
    if query.filter is None:
        return True
    dimension, _ = query.filter
    return dimension in DIMENSIONS and query.group_by in (*TIME_GROUPS, NO_GROUP, dimension)


def _by_hour(values: dict[str, int]) -> dict[str, dict[str, int]]:
    """An item's figures split once: "" → the day's, "@05" → hour 05's, under their plain names."""
    split: dict[str, dict[str, int]] = {}
    for name, amount in values.items():
        base, at, hour = name.partition("@")
        if base in COUNTERS or base.startswith(KEYED_PREFIXES):
            split.setdefault(at + hour, {})[base] = amount
    return split


def cube_report(store: CubeStore, query: ReportQuery) -> Report:
    """A report the cubes hold (see `answerable`). A grouping by a dimension reads only the day
    figures of the days wholly inside the range, of the counters and of the currencies the total cube
    saw in them (one BatchGetItem of the total cube finds those)."""
    if not answerable(query):
        raise ValueError("this report combines dimensions: the cubes do not hold it")
    hours = query.utc_hours()
    by_day: dict[str, set[str]] = {}
    for hour in hours:
        by_day.setdefault(f"{hour:%Y-%m-%d}", set()).add(f"@{hour:%H}")
    whole = {day for day, suffixes in by_day.items() if len(suffixes) == 24}
    dimension, value = query.filter or (TOTAL, NO_VALUE)
    if query.group_by in DIMENSIONS and query.filter is None:
        dimension = query.group_by
    per_hour = query.group_by in TIME_GROUPS
    items = _read(
        store, query.advertiser_id, dimension, value if query.filter else None, by_day, whole, per_hour
    )
    report = Report(rows={}, totals=StatsRow(key="total"))
    for item in items:
        split = _by_hour(item.values)
        if item.day in whole and not per_hour:
            parts = [("", split.get("", {}))]
        else:
            parts = [(s, split[s]) for s in sorted(by_day.get(item.day, set())) if s in split]
        for suffix, figures in parts:
            if figures:
                key = _group_key(query, item, suffix)
                report.rows.setdefault(key, StatsRow(key=key)).add(figures)
                report.totals.add(figures)
    return report


def _group_key(query: ReportQuery, item: CubeItem, suffix: str) -> str:
    if query.group_by in TIME_GROUPS:
        local = datetime.fromisoformat(f"{item.day}T{suffix[1:]}:00+00:00").astimezone(query.tz)
        return f"{local:%Y-%m-%d}" if query.group_by == "day" else f"{local:%Y-%m-%dT%H}"
    if query.group_by == NO_GROUP:
        return "total"
    return item.value


def _read(
    store: CubeStore,
    advertiser_id: str,
    dimension: str,
    value: str | None,
    by_day: dict[str, set[str]],
    whole: set[str],
    per_hour: bool,
) -> list[CubeItem]:
    """One value: its items of every day (BatchGetItem). Every value: the whole days' day figures in
    one range read, the edge days in full."""
    if value is not None or dimension == TOTAL:
        return store.exact(advertiser_id, dimension, value or NO_VALUE, by_day)
    days = sorted(by_day)
    jobs: list[Callable[[], list[CubeItem]]] = []
    middle = [d for d in days if d in whole and not per_hour]
    if middle:
        day_figures = _day_attribute_names(store, advertiser_id, middle)
        jobs.append(lambda: list(store.days(advertiser_id, dimension, middle[0], middle[-1], day_figures)))
    for day in days:
        if day not in middle:
            jobs.append(lambda day=day: list(store.days(advertiser_id, dimension, day, day)))  # type: ignore[misc]
    return [item for items in read_in_parallel(jobs) for item in items]


def _day_attribute_names(store: CubeStore, advertiser_id: str, days: list[str]) -> list[str]:
    """The day figures' names: the counters, and the money of every currency and the refused clicks
    of every reason the total cube saw."""
    keyed: set[str] = set()
    for item in store.exact(advertiser_id, TOTAL, NO_VALUE, days):
        keyed.update(n for n in item.values if "@" not in n and n.startswith(KEYED_PREFIXES))
    return [*COUNTERS, *sorted(keyed)]
