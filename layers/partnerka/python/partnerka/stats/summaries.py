"""Daily and monthly summaries, built by the reports worker on its schedule and kept in S3.

For every advertiser with traffic in the period: its summary by offer (from the cubes), and for each
of its affiliates with traffic, the affiliate's own summary by offer (from the raw events, with the
advertiser's conversions of the period read once for all its affiliates). Periods are UTC days and
months. Object keys say whose a summary is, so listing one's summaries is one S3 prefix listing and
the API decides access from the key alone:

    summaries/<advertiser>/<daily|monthly>/<first day>.csv
    summaries/<advertiser>/affiliates/<affiliate>/<daily|monthly>/<first day>.csv
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from partnerka.common.clock import iso_millis
from partnerka.common.observability import logger
from partnerka.stats.engine import Report
from partnerka.stats.exports import Names, report_lines, write_csv
from partnerka.stats.service import Sources, StatsRequest, build_report, sorted_rows

PREFIX = "summaries/"
UTC_ZONE = ZoneInfo("UTC")


class Period(StrEnum):
    DAILY = "daily"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class SummaryKey:
    advertiser_id: str
    affiliate_id: str | None
    period: Period
    first: date

    @property
    def key(self) -> str:
        whose = f"{self.advertiser_id}/" + (f"affiliates/{self.affiliate_id}/" if self.affiliate_id else "")
        return f"{PREFIX}{whose}{self.period.value}/{self.first.isoformat()}.csv"

    @property
    def last(self) -> date:
        if self.period is Period.DAILY:
            return self.first
        following = (self.first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)

    @classmethod
    def parse(cls, key: str) -> SummaryKey | None:
        found = _KEY.fullmatch(key)
        if found is None:
            return None
        try:
            first = date.fromisoformat(found["first"])
        except ValueError:
            return None
        return cls(found["advertiser"], found["affiliate"], Period(found["period"]), first)


_ID = r"[A-Za-z0-9_-]{1,40}"
_KEY = re.compile(
    rf"summaries/(?P<advertiser>{_ID})/(?:affiliates/(?P<affiliate>{_ID})/)?"
    r"(?P<period>daily|monthly)/(?P<first>\d{4}-\d{2}-\d{2})\.csv"
)


def prefix_of(advertiser_id: str, affiliate_id: str | None, period: Period) -> str:
    """The S3 prefix that lists one advertiser's (or one of its affiliates') summaries of a period."""
    return SummaryKey(advertiser_id, affiliate_id, period, date(2000, 1, 1)).key.rsplit("/", 1)[0] + "/"


def periods_due(today: date) -> list[tuple[Period, date]]:
    """What a run on `today` (UTC) builds: yesterday, and on the 1st the month that just ended."""
    yesterday = today - timedelta(days=1)
    due = [(Period.DAILY, yesterday)]
    if today.day == 1:
        due.append((Period.MONTHLY, yesterday.replace(day=1)))
    return due


@dataclass(frozen=True, slots=True)
class SummaryBuilder:
    sources: Sources
    put: Callable[[str, bytes], None]
    advertisers: Callable[[], list[str]]
    names: Names

    def run(self, period: Period, first: date) -> int:
        """Every summary of the period; how many were written. Rerunning a period rewrites them."""
        written = 0
        for advertiser in self.advertisers():
            try:
                written += self.advertiser(SummaryKey(advertiser, None, period, first))
            except Exception:
                logger.exception(
                    "summary failed", advertiser=advertiser, period=period.value, first=str(first)
                )
        return written

    def advertiser(self, key: SummaryKey) -> int:
        by_offer = self._request(key, "offer")
        report = build_report(self.sources, [key.advertiser_id], by_offer)
        if not any(report.totals.values().values()):
            return 0
        self._write(key, report, sees_revenue=True)
        affiliates = build_report(self.sources, [key.advertiser_id], self._request(key, "affiliate"))
        start = datetime.combine(key.first, time(), UTC)
        end = datetime.combine(key.last + timedelta(days=1), time(), UTC) - timedelta(milliseconds=1)
        events = list(self.sources.conversions(key.advertiser_id, iso_millis(start), iso_millis(end), None))
        once = replace(self.sources, conversions=lambda *_: events)
        for affiliate in sorted(affiliates.rows):
            own = replace(key, affiliate_id=affiliate)
            request = replace(by_offer, filters=(("affiliate", affiliate),))
            mine = build_report(once, [key.advertiser_id], request)
            self._write(own, mine, sees_revenue=False)
        return 1 + len(affiliates.rows)

    @staticmethod
    def _request(key: SummaryKey, group_by: str) -> StatsRequest:
        return StatsRequest(key.first, key.last, UTC_ZONE, group_by)

    def _write(self, key: SummaryKey, report: Report, sees_revenue: bool) -> None:
        lines = report_lines(
            sorted_rows(report, "offer", None, None),
            report.totals,
            "offer",
            sees_revenue,
            lambda page: self.names("offer", [r.key for r in page], [key.advertiser_id]),
        )
        out = io.StringIO()
        write_csv(lines, out, lambda _: None)
        self.put(key.key, ("\ufeff" + out.getvalue()).encode())  # the BOM lets spreadsheets read UTF-8
