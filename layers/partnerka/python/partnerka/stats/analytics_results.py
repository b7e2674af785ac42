"""The rows of a raw report's statement (stats.analytics_sql) as the report's counters: each kind of row
counts what stats.raw counts for one click or conversion, times how many there were."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from partnerka.stats.analytics_sql import RawSelection
from partnerka.stats.engine import TIME_GROUPS, Report
from partnerka.stats.models import Increments, StatsRow, refused_attribute
from partnerka.stats.raw import conversion_increments, screening_increments

FLAGS = ("unique", "bots", "flood", "datacenter")
Row = Sequence[str | None]  # (kind, key, a, b, c, d, n, x1, x2, x3, x4), every value as text


def _number(value: str | None) -> int:
    return int(value) if value not in (None, "") else 0


def row_increments(row: Row) -> Increments:
    kind, _, a, b, c, d, n, x1, x2, x3, x4 = row
    count = _number(n)
    if kind == "c":
        if a:
            return {"blocked": count, refused_attribute(a): count}
        flags = dict(zip(FLAGS, (_number(x) for x in (x1, x2, x3, x4)), strict=True))
        return {"clicks": count, **{name: amount for name, amount in flags.items() if amount}}
    # Conversions: what one counts, with its count for each counter and the money summed.
    one = conversion_increments(a or "", b or "", c or "", 1, 1)
    counted: Increments = {}
    for name in one:
        if name.startswith("revenue_"):
            counted[name] = _number(x1)
        elif name.startswith("payout_"):
            counted[name] = _number(x2)
        else:
            counted[name] = count
    for name in screening_increments(d):
        counted[name] = count
    return {name: amount for name, amount in counted.items() if amount}


def group_key(selection: RawSelection, key: str) -> str:
    """A row's key as the report shows it: a UTC bucket (`2026-11-27T16` or `…T16:30`) moved to the
    user's time zone for day and hour groupings, else the key itself."""
    if selection.group_by not in TIME_GROUPS:
        return key
    bucket = key if len(key) > 13 else f"{key}:00"
    local = datetime.fromisoformat(f"{bucket}:00+00:00").astimezone(selection.tz)
    return f"{local:%Y-%m-%d}" if selection.group_by == "day" else f"{local:%Y-%m-%dT%H}"


def report_of(selection: RawSelection, rows: Iterable[Row]) -> Report:
    report = Report(rows={}, totals=StatsRow(key="total"))
    for row in rows:
        increments = row_increments(row)
        if not increments:
            continue
        key = group_key(selection, row[1] or "")
        report.rows.setdefault(key, StatsRow(key=key)).add(increments)
        report.totals.add(increments)
    return report
