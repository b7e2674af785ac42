"""The Athena engine against botocore's Stubber, which checks every request against Athena's real
service model: the statement starts in the workgroup and database, its state is read with the bytes
it scanned, its rows are paged (the header skipped once, NULLs kept), a cancel stops it, and a query
stopped by the workgroup's byte limit is reported in words a user can act on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.stub import Stubber

from partnerka.analytics.athena import AthenaEngine
from partnerka.analytics.engines import QueryCancelled, QueryFailed, QueryPhase, QueryState, wait
from partnerka.stats.analytics_reports import EngineReports, raise_unless_done, run_to_end
from partnerka.stats.analytics_sql import RawSelection, report_sql

QUERY_ID = "a1b2c3d4-0000-4000-8000-000000000001"


@pytest.fixture
def athena() -> Any:
    return boto3.client(
        "athena", region_name="eu-central-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def execution(state: str, scanned: int = 0, reason: str | None = None) -> dict[str, Any]:
    status: dict[str, Any] = {"State": state}
    if reason:
        status["StateChangeReason"] = reason
    return {
        "QueryExecution": {
            "QueryExecutionId": QUERY_ID,
            "Status": status,
            "Statistics": {"DataScannedInBytes": scanned, "TotalExecutionTimeInMillis": 1200},
        }
    }


def page(rows: list[list[str | None]], token: str | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "ResultSet": {
            "Rows": [{"Data": [{} if v is None else {"VarCharValue": v} for v in row]} for row in rows]
        }
    }
    if token:
        answer["NextToken"] = token
    return answer


HEADER = ["kind", "k", "a", "b", "c", "d", "n", "x1", "x2", "x3", "x4"]
SELECTION = RawSelection(
    ("ADV",),
    datetime(2026, 11, 1, tzinfo=UTC),
    datetime(2026, 11, 2, tzinfo=UTC),
    "sub3",
    ZoneInfo("UTC"),
    (("offer", "o1"), ("sub1", "it's")),
)


def test_a_report_starts_polls_and_pages_through_athena(athena: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda _: None)
    sql = report_sql(SELECTION)
    with Stubber(athena) as stub:
        stub.add_response(
            "start_query_execution",
            {"QueryExecutionId": QUERY_ID},
            {
                "QueryString": sql,
                "QueryExecutionContext": {"Database": "partnerka_analytics"},
                "WorkGroup": "wg",
            },
        )
        stub.add_response("get_query_execution", execution("QUEUED"), {"QueryExecutionId": QUERY_ID})
        stub.add_response(
            "get_query_execution", execution("RUNNING", 5_000_000), {"QueryExecutionId": QUERY_ID}
        )
        stub.add_response(
            "get_query_execution", execution("SUCCEEDED", 9_000_000), {"QueryExecutionId": QUERY_ID}
        )
        stub.add_response(
            "get_query_results",
            page([HEADER, ["c", "ad1", "", "", "", "", "3", "2", "0", "0", "1"]], token="next"),
            {"QueryExecutionId": QUERY_ID, "MaxResults": 1000},
        )
        stub.add_response(
            "get_query_results",
            page(
                [
                    ["v", "ad1", "approved", "sale", "USD", None, "2", "4000", "2500", "0", "0"],
                    ["c", None, "geo_blocked", "", "", "", "1", "0", "0", "0", "0"],
                ]
            ),
            {"QueryExecutionId": QUERY_ID, "MaxResults": 1000, "NextToken": "next"},
        )
        report = run_to_end(EngineReports(AthenaEngine("partnerka_analytics", "wg", athena)), SELECTION, None)
        stub.assert_no_pending_responses()
    ad1 = report.rows["ad1"]
    assert (ad1.clicks, ad1.unique, ad1.datacenter, ad1.sales, ad1.revenue, ad1.payout) == (
        3,
        2,
        1,
        2,
        {"USD": 4000},
        {"USD": 2500},
    )
    assert report.rows[""].blocked == 1
    assert report.rows[""].refused == {"geo_blocked": 1}
    assert "'it''s'" in sql  # a quote inside a value is doubled, never closes the literal


def test_the_byte_limit_and_a_cancel_end_the_query_with_their_own_errors(athena: Any) -> None:
    engine = AthenaEngine("db", "wg", athena)
    with Stubber(athena) as stub:
        stub.add_response(
            "get_query_execution",
            execution(
                "FAILED", 10_737_418_240, "Query exhausted resources. Bytes scanned limit was exceeded"
            ),
            {"QueryExecutionId": QUERY_ID},
        )
        state = wait(engine, QUERY_ID, 1)
        assert state.phase == QueryPhase.FAILED
        assert "narrow the dates" in state.error
        stub.add_response("stop_query_execution", {}, {"QueryExecutionId": QUERY_ID})
        engine.cancel(QUERY_ID)
        stub.add_response("get_query_execution", execution("CANCELLED"), {"QueryExecutionId": QUERY_ID})
        assert engine.state(QUERY_ID).phase == QueryPhase.CANCELLED
    with pytest.raises(QueryFailed):
        raise_unless_done(state)
    with pytest.raises(QueryCancelled):
        raise_unless_done(QueryState(QUERY_ID, QueryPhase.CANCELLED))


def test_the_callers_scope_is_part_of_every_statement() -> None:
    """An affiliate's report reads its own rows within the advertiser it works in, whatever it asks:
    both are conditions of the statement itself, not a filter applied to the rows afterwards."""
    from datetime import date

    from partnerka.accounts.models import Role
    from partnerka.accounts.tokens import Principal
    from partnerka.common.errors import Forbidden
    from partnerka.stats.analytics_reports import selection
    from partnerka.stats.service import StatsQuery, scoped_request

    affiliate = Principal("u1", Role.AFFILIATE, advertiser_id="ADV-A", affiliate_id="AFF-X")
    asked = StatsQuery(date(2026, 11, 1), date(2026, 11, 2), filters={"sub3": "z"})
    scoped = scoped_request(affiliate, asked, "sub1", lambda: ["ADV-A", "ADV-B"])
    sql = report_sql(selection(scoped.advertisers, scoped.request))
    assert sql.count("advertiser IN ('ADV-A')") == 2  # clicks and conversions
    assert sql.count("affiliate = 'AFF-X'") == 2
    assert "ADV-B" not in sql
    with pytest.raises(Forbidden):
        scoped_request(
            affiliate, StatsQuery(date(2026, 11, 1), date(2026, 11, 2), "UTC", "ADV-B"), "sub1", list
        )
    with pytest.raises(Forbidden):
        scoped_request(
            affiliate,
            StatsQuery(date(2026, 11, 1), date(2026, 11, 2), filters={"affiliate": "AFF-Y"}),
            "sub1",
            list,
        )
