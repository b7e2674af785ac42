"""Reports from the raw events of the range: any number of filters, grouping by any dimension or
sub-id. What the cubes cannot hold (two dimensions at once, an affiliate's own breakdown by offer,
sub-ids) costs reads here instead of a write per click in the orchestrator: the clicks come from the
click log (one advertiser-day partition per day, one affiliate's key prefix when it is filtered), the
conversions from the Conversions table by advertiser and time, counted by their current status
exactly as the orchestrator's rollups count them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from partnerka.common.clock import iso_millis
from partnerka.conversions.models import Conversion, ScreeningAction
from partnerka.conversions.repository import ConversionRepository
from partnerka.stats.click_log import ClickLogStore
from partnerka.stats.cpc import PaidHour
from partnerka.stats.cube import DIMENSIONS, Facts
from partnerka.stats.engine import NO_GROUP, TIME_GROUPS, Report, ReportQuery
from partnerka.stats.models import Increments, StatsRow, money_attribute
from partnerka.tracking.models import SUB_KEYS

RAW_DIMENSIONS = (*DIMENSIONS, *SUB_KEYS)


@dataclass(frozen=True, slots=True)
class ConvertedEvent:
    """A conversion as the statistics see it: where it belongs and what it counts."""

    facts: Facts
    increments: Increments
    click_id: str = ""


def converted_event(conversion: Conversion) -> ConvertedEvent:
    """A stored conversion as the statistics count it (device, OS and browser from the click's
    User-Agent that travels with it)."""
    # Imported here: ua-parser and the crawler lists cost some 40 ms of CPU at a cold start, which
    # the API functions that import this module for other reasons must not pay (the orchestrator,
    # which counts conversions, imports them anyway).
    from partnerka.tracking.user_agent import describe_user_agent

    agent = describe_user_agent(conversion.user_agent)
    return ConvertedEvent(
        facts=Facts(
            conversion.advertiser_id,
            conversion.created_at,
            conversion.offer_id,
            conversion.affiliate_id,
            conversion.country,
            agent.device,
            agent.os,
            agent.browser,
            conversion.subs,
        ),
        increments={
            **conversion_increments(
                conversion.status.value,
                conversion.goal,
                conversion.currency,
                conversion.revenue_minor,
                conversion.payout_minor,
            ),
            **screening_increments(conversion.screening),
        },
        click_id=conversion.click_id,
    )


# What a fraud rule did to a conversion when it arrived, and the counter that counts it.
SCREENING_COUNTERS: dict[str, str] = {
    ScreeningAction.HELD: "held_by_rule",
    ScreeningAction.REJECTED: "rejected_by_rule",
}


def screening_increments(screening: str | None) -> Increments:
    """A conversion a fraud rule held or rejected on arrival counts so, whatever happens to it later
    (its status moves `hold` and `rejected`; the rule's decision stays what it was)."""
    counter = SCREENING_COUNTERS.get(screening or "")
    return {counter: 1} if counter else {}


def stored_conversions(repository: ConversionRepository) -> Conversions:
    """The conversions source of `raw_report`: the Conversions table's by_advertiser index, or its
    by_affiliate index when the report is one affiliate's."""
    return lambda advertiser, first, last, affiliate: (
        converted_event(c) for c in repository.between(advertiser, first, last, affiliate_id=affiliate)
    )


def conversion_increments(
    status: str, goal: str, currency: str, revenue_minor: int, payout_minor: int
) -> Increments:
    """What a conversion counts in its arrival hour, by its current status: rejected counts as
    rejected only; otherwise its goal (leads, or sales for sales and custom goals), its money, and
    `hold` while the advertiser has not approved it yet."""
    if status == "rejected":
        return {"rejected": 1}
    counted: Increments = {"leads" if goal == "lead" else "sales": 1}
    if revenue_minor:
        counted[money_attribute("revenue", currency)] = revenue_minor
    if payout_minor:
        counted[money_attribute("payout", currency)] = payout_minor
    if status in ("hold", "pending"):
        counted["hold"] = 1
    return counted


@dataclass(frozen=True, slots=True)
class RawQuery:
    advertiser_id: str
    date_from: date
    date_to: date
    tz: ZoneInfo
    group_by: str  # day | hour | none | one of RAW_DIMENSIONS
    filters: tuple[tuple[str, str], ...] = ()  # (dimension or sub-id, value), all must hold
    click_id: str | None = None  # one click and its conversions


def matches(facts: Facts, filters: dict[str, str]) -> bool:
    """Whether an event has every (dimension or sub-id) value the filters ask for."""
    return all(facts.value(name) == expected for name, expected in filters.items())


Conversions = Callable[[str, str, str, str | None], Iterable[ConvertedEvent]]
"""(advertiser, first ISO instant, last ISO instant, affiliate or None) → the conversions of the
advertiser (of that affiliate only, when named) that arrived in between."""


PaidClicks = Callable[[str, str], Iterable[PaidHour]]
"""(advertiser, UTC day) → its clicks paid per offer, affiliate and hour (stats.cpc)."""

# Paid clicks are kept per offer, affiliate and hour only: a report that filters or groups by any
# other dimension leaves them out (its payout is the conversions' alone).
PAID_CLICK_DIMENSIONS = ("offer", "affiliate", *TIME_GROUPS, NO_GROUP)


def group_key(facts: Facts, group_by: str, tz: ZoneInfo) -> str:
    """The row an event counts in: its local day or hour, "total", or its value of a dimension."""
    if group_by in TIME_GROUPS:
        local = facts.at.astimezone(tz)
        return f"{local:%Y-%m-%d}" if group_by == "day" else f"{local:%Y-%m-%dT%H}"
    if group_by == NO_GROUP:
        return "total"
    return facts.value(group_by)


def add_paid_clicks(
    report: Report,
    paid: PaidClicks,
    advertiser_id: str,
    start: datetime,
    end: datetime,
    query: RawQuery,
    key: Callable[[Facts], str] | None = None,
) -> None:
    """The clicks a CPC offer paid in [start, end), when the report's grouping and filters are ones
    they are kept by (`_counts_paid_clicks`); `key` names their row (default: `group_key`)."""
    if query.click_id is not None or not _counts_paid_clicks(query):
        return
    wanted = dict(query.filters)
    days = sorted(
        {f"{start + timedelta(hours=h):%Y-%m-%d}" for h in range(int((end - start) / timedelta(hours=1)))}
    )
    for day in days:
        for paid_hour in paid(advertiser_id, day):
            facts = paid_hour.facts(advertiser_id)
            if start <= paid_hour.at < end and matches(facts, wanted):
                increments = paid_hour.increments()
                row = key(facts) if key else group_key(facts, query.group_by, query.tz)
                report.rows.setdefault(row, StatsRow(key=row)).add(increments)
                report.totals.add(increments)


def raw_report(
    log: ClickLogStore, conversions: Conversions, query: RawQuery, paid: PaidClicks | None = None
) -> Report:
    hours = ReportQuery(query.advertiser_id, query.date_from, query.date_to, query.tz, NO_GROUP).utc_hours()
    start, end = hours[0], hours[-1] + timedelta(hours=1)
    wanted = dict(query.filters)
    report = Report(rows={}, totals=StatsRow(key="total"))

    def count(click_id: str, facts: Facts, increments: Increments) -> None:
        if query.click_id is not None and click_id != query.click_id:
            return
        if not matches(facts, wanted):
            return
        key = group_key(facts, query.group_by, query.tz)
        report.rows.setdefault(key, StatsRow(key=key)).add(increments)
        report.totals.add(increments)

    for day in sorted({f"{hour:%Y-%m-%d}" for hour in hours}):
        for click in log.read(query.advertiser_id, day, wanted.get("affiliate")):
            if start <= click.facts.at < end:
                count(click.click_id, click.facts, click.increments())
    last = end - timedelta(milliseconds=1)
    for event in conversions(
        query.advertiser_id, iso_millis(start), iso_millis(last), wanted.get("affiliate")
    ):
        count(event.click_id, event.facts, event.increments)
    if paid is not None:
        add_paid_clicks(report, paid, query.advertiser_id, start, end, query)
    return report


def _counts_paid_clicks(query: RawQuery) -> bool:
    return query.group_by in PAID_CLICK_DIMENSIONS and all(
        name in PAID_CLICK_DIMENSIONS for name, _ in query.filters
    )
