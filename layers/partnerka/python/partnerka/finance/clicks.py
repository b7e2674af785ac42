"""Paid clicks into the ledger: one journal per offer, affiliate and closed UTC hour, never one per click.

The orchestrator counts each paid click exactly once into the statistics' CPC counters (stats.cpc):
per (advertiser, offer, affiliate) and UTC day, with the day's hours per currency. A scheduled step
(functions/click_payouts, every hour at minute 10) compares, for every closed hour of the last few
days, what is counted with what the ledger has posted for it (the journals listed under
`clicks#<advertiser>#<day>`, read consistently) and posts the difference as one journal
(finance.ledger.paid_clicks). A click counted late (a batch the stream retried for hours) posts only
its delta on the next run; a run repeated, or two at once, post nothing twice: the journal's key is
the hour's and what was posted before it, so two posters that saw the same postings make the same key.

Why a schedule and not the orchestrator: an hour is posted once it is over, so a journal per hour is
the aggregate (not a journal per batch), and the stream's path gains no ledger writes. Minute 10
leaves the orchestrator's batching window and a retry or two to bring the hour's clicks in, and
posts the month's last hour before the invoices close the month at 00:30 (functions/billing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from partnerka.common.clock import hour_bucket
from partnerka.common.observability import count, logger
from partnerka.finance.ledger import ClickHour, Journal, JournalKind, clicks_index, paid_clicks
from partnerka.finance.repository import LedgerStore
from partnerka.finance.service import post_journal
from partnerka.stats.cpc import CPC, EVERY_ADVERTISER, paid_hours
from partnerka.stats.cube_store import CubeItem

# A click is counted at most a day after it happened (the stream keeps records 24 hours), so two
# days back covers every click that can still come in, with a day to spare.
DAYS_BACK = 2


class ClickCounts(Protocol):
    """The statistics' CPC counters (stats.cube_store.CubeStore answers it)."""

    def days(
        self, advertiser_id: str, dimension: str, first_day: str, last_day: str
    ) -> Iterable[CubeItem]: ...


@dataclass(frozen=True, slots=True)
class PostingRun:
    posted: int  # journals posted
    failed: int  # advertiser-days left for the next run


Hour = tuple[str, str, str, str]  # (offer, affiliate, hour, currency)


def counted_hours(advertiser_id: str, items: Iterable[CubeItem], closed_before: str) -> dict[Hour, ClickHour]:
    """The hours before `closed_before` (`yyyy-mm-ddTHH`) of the day's CPC counters, as counted."""
    return {
        (paid.offer_id, paid.affiliate_id, paid.hour, paid.currency): ClickHour(
            advertiser_id,
            paid.offer_id,
            paid.affiliate_id,
            paid.hour,
            paid.currency,
            paid.clicks,
            paid.payout,
        )
        for paid in paid_hours(items)
        if paid.hour < closed_before
    }


def posted_hours(advertiser_id: str, journals: list[Journal]) -> dict[Hour, ClickHour]:
    """What the listed journals posted so far, summed by hour."""
    sums: dict[Hour, list[int]] = defaultdict(lambda: [0, 0])
    for journal in journals:
        if journal.kind is not JournalKind.CLICKS:
            continue
        offer_id, affiliate_id = journal.detail["offer_id"], journal.detail["affiliate_id"]
        currency, amount = journal.credited("approved")
        total = sums[(offer_id, affiliate_id, journal.detail["hour"], currency)]
        total[0] += int(journal.detail.get("clicks", "0"))
        total[1] += amount
    return {
        key: ClickHour(advertiser_id, key[0], key[1], key[2], key[3], clicks, payout)
        for key, (clicks, payout) in sums.items()
    }


def post_day(counts: ClickCounts, ledger: LedgerStore, advertiser_id: str, day: str, now: datetime) -> int:
    """Post an advertiser's day's closed hours, each by what it owes beyond its postings; how many
    journals this call posted."""
    counted = counted_hours(advertiser_id, counts.days(advertiser_id, CPC, day, day), hour_bucket(now))
    if not counted:
        return 0
    posted = posted_hours(advertiser_id, ledger.listed(clicks_index(advertiser_id, day)))
    made = 0
    for key, hour in sorted(counted.items()):
        before = posted.get(key) or ClickHour(advertiser_id, key[0], key[1], key[2], key[3], 0, 0)
        if hour.payout <= before.payout:
            continue
        at = datetime.strptime(hour.hour, "%Y-%m-%dT%H").replace(tzinfo=UTC)
        if post_journal(ledger, paid_clicks(hour, before, at)):
            made += 1
            count("ClickHoursPosted")
    return made


def post_click_payouts(
    counts: ClickCounts, ledger: LedgerStore, now: datetime, days_back: int = DAYS_BACK
) -> PostingRun:
    """Post every advertiser's paid clicks of the closed hours of the last `days_back` days and
    today. One advertiser's failure is logged and left for the next run (nothing of it is lost:
    what is not posted stays counted), the others go on."""
    posted = failed = 0
    for back in range(days_back, -1, -1):
        day = (now.astimezone(UTC) - timedelta(days=back)).strftime("%Y-%m-%d")
        for listed in counts.days(EVERY_ADVERTISER, CPC, day, day):
            try:
                posted += post_day(counts, ledger, listed.value, day, now)
            except Exception:
                failed += 1
                logger.exception("posting paid clicks failed", advertiser_id=listed.value, day=day)
    return PostingRun(posted, failed)
