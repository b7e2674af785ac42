"""Reports the cubes cannot hold, through the real functions: the orchestrator writes the clicks and
the sale as Parquet into the (emulated) S3 bucket from the streams exactly as AWS delivers them, and
the API answers a sub-id report from them with DuckDB, the engine the configuration names. A long
query is followed by its id and cancelled by its owner; its id is nobody else's to follow or cancel.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from partnerka.analytics import duckdb_engine
from partnerka_local.template import Template
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_orchestrator_and_api import stream_event
from tests.integration.test_stats_api import Setup


def call(s: Setup, method: str, path: str, who: str, **query: Any) -> tuple[int, Any]:
    params = {"from": "2026-11-20", "to": "2026-11-21", **query} if method == "GET" else {}
    response = s.api.handler(http_event(method, path, urlencode(params), s.people[who]), CONTEXT)
    return response["statusCode"], json.loads(response["body"] or "null")


def test_the_orchestrator_writes_parquet_and_the_engine_answers_sub_id_reports(
    load_function: FunctionLoader, stack: Template
) -> None:
    s = Setup(load_function, stack)
    listed = boto3.client("s3").list_objects_v2(Bucket=os.environ["ANALYTICS_BUCKET"])["Contents"]
    keys = sorted(o["Key"] for o in listed)
    assert [k.split("/")[0] for k in keys] == ["clicks", "clicks", "conversions"], keys
    # The same stream batches delivered again (ten times) write the same objects, no new ones
    orchestrator = load_function("orchestrator")
    for _ in range(10):
        for table in ("ClicksTable", "ConversionsTable"):
            assert orchestrator.handler(stream_event(stack, table), CONTEXT) == {"batchItemFailures": []}
    again = boto3.client("s3").list_objects_v2(Bucket=os.environ["ANALYTICS_BUCKET"])["Contents"]
    assert sorted(o["Key"] for o in again) == keys

    status, report = call(
        s, "GET", "/api/stats", "advertiser", group_by="sub1", country="de", device="mobile"
    )
    assert status == 200, report
    assert report["query"]["state"] == "done"
    assert [(r["key"], r["clicks"], r["sales"]) for r in report["rows"]] == [("blog", 1, 1)]
    # The affiliate's own report: its scope is part of the query
    status, mine = call(s, "GET", "/api/stats", "affiliate", group_by="sub1")
    assert status == 200, mine
    assert sorted((r["key"], r["clicks"]) for r in mine["rows"]) == [("blog", 1), ("push", 1)]
    assert mine["totals"]["revenue"] is None
    # A query id follows only the report it was started for, and only for its owner
    query_id = report["query"]["id"]
    status, other = call(s, "GET", "/api/stats", "advertiser", group_by="sub2", query_id=query_id)
    assert (status, other["error"]["code"]) == (404, "not_found")
    status, other = call(
        s, "GET", "/api/stats", "owner", group_by="sub1", country="de", device="mobile", query_id=query_id
    )
    assert (status, other["error"]["code"]) == (404, "not_found")
    status, _ = call(s, "DELETE", f"/api/stats/queries/{query_id}", "affiliate")
    assert status == 404


def test_a_long_query_returns_its_progress_then_stops_when_its_owner_cancels_it(
    load_function: FunctionLoader, stack: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = Setup(load_function, stack)
    monkeypatch.setattr("partnerka.stats.analytics_reports.DASHBOARD_WAIT_SECONDS", 0.0)
    copy = duckdb_engine.DuckDBEngine.sync

    def slow_copy(self: duckdb_engine.DuckDBEngine) -> Any:  # a bucket far larger than this one
        time.sleep(1.0)
        return copy(self)

    monkeypatch.setattr(duckdb_engine.DuckDBEngine, "sync", slow_copy)
    status, running = call(s, "GET", "/api/stats", "advertiser", group_by="sub1")
    assert status == 200, running
    assert (running["query"]["state"], running["rows"], running["total_rows"]) == ("running", [], 0)
    query_id = running["query"]["id"]
    assert call(s, "DELETE", f"/api/stats/queries/{query_id}", "advertiser")[0] == 204
    for _ in range(50):
        status, followed = call(s, "GET", "/api/stats", "advertiser", group_by="sub1", query_id=query_id)
        if status != 200:
            break
        time.sleep(0.1)
    assert (status, followed["error"]["code"]) == (409, "query_cancelled")
    # Run again: a new query, answered in full
    monkeypatch.setattr(duckdb_engine.DuckDBEngine, "sync", copy)
    monkeypatch.setattr("partnerka.stats.analytics_reports.DASHBOARD_WAIT_SECONDS", 10.0)
    status, done = call(s, "GET", "/api/stats", "advertiser", group_by="sub1")
    assert (status, done["query"]["state"], len(done["rows"])) == (200, "done", 2)
