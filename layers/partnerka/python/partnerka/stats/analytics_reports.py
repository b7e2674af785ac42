"""Reports the cubes cannot answer, from the analytics store (Parquet in S3) through the query port:
any filters together, any sub-id, one click over months, with no limit of clicks.

A query can outlast the request that starts it (Athena over months of a large advertiser), so the
dashboard starts it, gets its id back with its progress when it is not done within a few seconds,
and asks again with the id until it is; the user may cancel it. The id is kept with its owner and a
digest of its statement: a poll with an id that is not the caller's, or whose statement differs
(another report, another scope), is refused, so an id never leaks another user's figures.
Exports and summaries, built by the reports worker, wait for their queries to finish.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from partnerka.analytics.engines import QueryCancelled, QueryEngine, QueryFailed, QueryPhase, QueryState, wait
from partnerka.common import dynamo
from partnerka.common.clock import utc_now
from partnerka.common.errors import NotFound
from partnerka.stats.analytics_results import report_of
from partnerka.stats.analytics_sql import RawSelection, report_sql
from partnerka.stats.engine import BY_ADVERTISER, NO_GROUP, Report, ReportQuery
from partnerka.stats.raw import PaidClicks, RawQuery, add_paid_clicks

QUERY_TTL = timedelta(days=1)  # Athena keeps a query's results a day's worth of polls
DASHBOARD_WAIT_SECONDS = 3.0  # a quick query answers the first request; a long one returns its progress


class QueryOwners(Protocol):
    def save(self, owner: str, query_id: str, digest: str) -> None: ...

    def digest(self, owner: str, query_id: str) -> str | None: ...


class QueryOwnerRepository:
    """Core table, PK `QUERIES#<user>`, SK the query id: the statement's digest, kept QUERY_TTL."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def save(self, owner: str, query_id: str, digest: str) -> None:
        now = utc_now()
        self._c().put_item(
            TableName=self._table,
            Item=dynamo.encode(
                {
                    "pk": f"QUERIES#{owner}",
                    "sk": query_id,
                    "digest": digest,
                    "created_at": now.isoformat(),
                    "expires_at": int((now + QUERY_TTL).timestamp()),
                }
            ),
        )

    def digest(self, owner: str, query_id: str) -> str | None:
        item = (
            self._c()
            .get_item(TableName=self._table, Key=dynamo.encode({"pk": f"QUERIES#{owner}", "sk": query_id}))
            .get("Item")
        )
        return str(dynamo.decode(item)["digest"]) if item else None


@dataclass(frozen=True, slots=True)
class EngineReports:
    engine: QueryEngine
    owners: QueryOwners | None = None  # the dashboard's; the reports worker follows its own queries
    # How long a report that cannot be followed by id (the fraud report, inside an API request) may
    # wait for its query; None: as long as it takes (the reports worker).
    longest_wait: float | None = None


def selection(advertisers: Sequence[str], request: Any) -> RawSelection:
    """What the engine reads for a statistics request (stats.service.StatsRequest)."""
    hours = ReportQuery("", request.date_from, request.date_to, request.tz, NO_GROUP).utc_hours()
    return RawSelection(
        tuple(sorted(advertisers)),
        hours[0],
        hours[-1] + timedelta(hours=1),
        request.group_by,
        request.tz,
        tuple(request.filters),
        request.click_id,
    )


def digest(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


def raise_unless_done(state: QueryState) -> None:
    if state.phase == QueryPhase.FAILED:
        raise QueryFailed(f"the report's query failed: {state.error}")
    if state.phase == QueryPhase.CANCELLED:
        raise QueryCancelled("the report's query was cancelled")


def finished_report(
    reports: EngineReports, chosen: RawSelection, query_id: str, paid: PaidClicks | None
) -> Report:
    """The report of a finished query, with the clicks CPC offers paid (kept in the cubes only)."""
    report = report_of(chosen, reports.engine.rows(query_id))
    if paid is not None:
        for advertiser in chosen.advertisers:
            as_raw = RawQuery(
                advertiser,
                chosen.start.date(),
                chosen.end.date(),
                chosen.tz,
                NO_GROUP if chosen.group_by == BY_ADVERTISER else chosen.group_by,
                chosen.filters,
                chosen.click_id,
            )
            key = (lambda _, a=advertiser: a) if chosen.group_by == BY_ADVERTISER else None
            add_paid_clicks(report, paid, advertiser, chosen.start, chosen.end, as_raw, key)
    return report


def run_to_end(reports: EngineReports, chosen: RawSelection, paid: PaidClicks | None) -> Report:
    """Start the query and wait for it: however long in the reports worker (exports, summaries), up
    to `longest_wait` inside an API request, after which the query is stopped."""
    query_id = reports.engine.start(report_sql(chosen))
    state = wait(reports.engine, query_id, reports.longest_wait)
    if not state.finished:
        reports.engine.cancel(query_id)
        raise QueryFailed(
            f"this report took longer than {reports.longest_wait:.0f} s to count: narrow the dates or "
            "the filters, or export it as CSV"
        )
    raise_unless_done(state)
    return finished_report(reports, chosen, query_id, paid)


def start_or_follow(
    reports: EngineReports, chosen: RawSelection, owner: str, query_id: str | None
) -> QueryState:
    """The dashboard's query for this selection: started (and owned by `owner`), or the one `query_id`
    names when it is the caller's and runs this very statement; followed for a few seconds."""
    sql = report_sql(chosen)
    owners = reports.owners
    if owners is None:
        raise RuntimeError("the dashboard's engine reports need the query owners' store")
    if query_id is None:
        query_id = reports.engine.start(sql)
        owners.save(owner, query_id, digest(sql))
    elif owners.digest(owner, query_id) != digest(sql):
        raise NotFound("no such query for this report: start it again")
    state = wait(reports.engine, query_id, DASHBOARD_WAIT_SECONDS)
    raise_unless_done(state)
    return state


def cancel(reports: EngineReports, owner: str, query_id: str) -> None:
    owners = reports.owners
    if owners is None or owners.digest(owner, query_id) is None:
        raise NotFound("no such query")
    reports.engine.cancel(query_id)
