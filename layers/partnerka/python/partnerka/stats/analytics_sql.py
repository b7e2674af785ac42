"""A raw report as one SQL statement that Athena (Trino) and DuckDB both run unchanged.

The statement counts the clicks and the conversions of the range, grouped by what the report groups
by, in one UNION ALL (one query: one id to follow, one to cancel):

- clicks: each click once (a bisected stream retry can store one in two objects until the compaction
  merges them), by its refusal reason and with its quality flags summed;
- conversions: each conversion by its latest change (the newest `changed_at`, then the stream's
  order), by status, goal, currency and what a fraud rule did, with its money summed.

Python turns those rows into the report's counters (stats.analytics_results), exactly as the cubes and the
click log count the same events (stats.raw). Only what both dialects spell alike is used: string
comparison of ISO times, substr, CASE, count/sum, row_number, UNION ALL. Time groupings group by UTC
hour (or quarter hour, for zones such as +05:30), and Python moves each bucket to the user's time zone.

Every value in the statement comes from a validated request, and each is written as a quoted literal
(`quoted`): a sub-id may hold any text, quotes and backslashes included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from partnerka.analytics.parquet import quoted
from partnerka.analytics.schema import CLICKS, CONVERSIONS
from partnerka.common.clock import iso_millis
from partnerka.stats.cube import DIMENSIONS
from partnerka.stats.engine import BY_ADVERTISER, NO_GROUP, TIME_GROUPS
from partnerka.tracking.models import SUB_KEYS

COLUMN_GROUPS = (*DIMENSIONS, *SUB_KEYS)  # each is a column of both tables


@dataclass(frozen=True, slots=True)
class RawSelection:
    """What a raw report reads: advertisers, a UTC range [start, end), filters that must all hold
    (dimension or sub-id → value), one click, and the grouping."""

    advertisers: tuple[str, ...]
    start: datetime
    end: datetime
    group_by: str  # day | hour | none | advertiser | one of COLUMN_GROUPS
    tz: ZoneInfo
    filters: tuple[tuple[str, str], ...] = ()
    click_id: str | None = None

    def __post_init__(self) -> None:
        if not self.advertisers:
            raise ValueError("a raw report reads at least one advertiser")
        if self.group_by not in (*TIME_GROUPS, NO_GROUP, BY_ADVERTISER, *COLUMN_GROUPS):
            raise ValueError(f"unknown grouping {self.group_by}")
        for name, _ in self.filters:
            if name not in COLUMN_GROUPS:
                raise ValueError(f"unknown filter {name}")

    @property
    def quarter_hours(self) -> bool:
        """Whether the zone's offset in the range is not whole hours (+05:30, +05:45): its local days
        and hours begin inside UTC hours, so clicks are bucketed by quarter hour."""
        at = self.start
        while at <= self.end:
            offset = at.astimezone(self.tz).utcoffset() or timedelta()
            if offset.total_seconds() % 3600:
                return True
            at += timedelta(hours=12)
        return False


def _bucket(column: str, selection: RawSelection) -> str:
    """The expression a row is grouped by (its key, or its UTC time bucket for time groupings)."""
    if selection.group_by in TIME_GROUPS:
        if not selection.quarter_hours:
            return f"substr({column}, 1, 13)"
        minute = f"substr({column}, 15, 2)"
        return (
            f"substr({column}, 1, 14) || CASE WHEN {minute} < '15' THEN '00' WHEN {minute} < '30' "
            f"THEN '15' WHEN {minute} < '45' THEN '30' ELSE '45' END"
        )
    if selection.group_by == NO_GROUP:
        return "'total'"
    return selection.group_by  # advertiser (a partition column) or a column


def _where(table_time: str, selection: RawSelection) -> str:
    last = selection.end - timedelta(milliseconds=1)
    conditions = [
        f"advertiser IN ({', '.join(quoted(a) for a in selection.advertisers)})",
        f"day BETWEEN {quoted(f'{selection.start:%Y-%m-%d}')} AND {quoted(f'{last:%Y-%m-%d}')}",
        f"{table_time} >= {quoted(iso_millis(selection.start))}",
        f"{table_time} < {quoted(iso_millis(selection.end))}",
        *(f"{name} = {quoted(value)}" for name, value in selection.filters),
    ]
    if selection.click_id is not None:
        conditions.append(f"click_id = {quoted(selection.click_id)}")
    return " AND ".join(conditions)


def report_sql(selection: RawSelection) -> str:
    """Rows of (kind, key, a, b, c, d, n, x1, x2, x3, x4): kind `c` for clicks (a: refusal reason;
    n clicks; x1..x4: unique, bots, flood, datacenter), `v` for conversions (a..d: status, goal,
    currency, screening; n conversions; x1, x2: revenue and payout in minor units)."""
    clicks_key = _bucket("clicked_at", selection)
    conversions_key = _bucket("created_at", selection)
    click_columns = "click_id, clicked_at, reason, is_unique, is_bot, is_flood, is_datacenter"
    if selection.group_by == BY_ADVERTISER or selection.group_by in COLUMN_GROUPS:
        click_columns += f", {selection.group_by}"
    return (
        "SELECT 'c' AS kind, k, reason AS a, '' AS b, '' AS c, '' AS d, count(*) AS n, "  # noqa: S608 - every value is `quoted`
        "CAST(sum(is_unique) AS BIGINT) AS x1, CAST(sum(is_bot) AS BIGINT) AS x2, "
        "CAST(sum(is_flood) AS BIGINT) AS x3, CAST(sum(is_datacenter) AS BIGINT) AS x4 "
        f"FROM (SELECT {clicks_key} AS k, reason, is_unique, is_bot, is_flood, is_datacenter "
        f"FROM (SELECT DISTINCT {click_columns} FROM {CLICKS} "
        f"WHERE {_where('clicked_at', selection)}) AS once) AS counted "
        "GROUP BY k, reason "
        "UNION ALL "
        "SELECT 'v' AS kind, k, status AS a, goal AS b, currency AS c, screening AS d, count(*) AS n, "
        "CAST(sum(revenue_minor) AS BIGINT) AS x1, CAST(sum(payout_minor) AS BIGINT) AS x2, "
        "CAST(0 AS BIGINT) AS x3, CAST(0 AS BIGINT) AS x4 "
        f"FROM (SELECT {conversions_key} AS k, status, goal, currency, screening, revenue_minor, "
        "payout_minor FROM (SELECT *, row_number() OVER (PARTITION BY conversion_id "
        "ORDER BY changed_at DESC, seq DESC) AS newest "
        f"FROM {CONVERSIONS} WHERE {_where('created_at', selection)}) AS changes "
        "WHERE newest = 1) AS latest "
        "GROUP BY k, status, goal, currency, screening"
    )
