"""The query port on Athena: the statement runs in the stack's workgroup (which enforces its limit of
bytes scanned per query and writes encrypted results to the analytics bucket), over the Glue tables
whose partitions are projected from the object keys (no crawler, no partition to add)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from partnerka.analytics.engines import QueryPhase, QueryState, Row

PHASES = {
    "QUEUED": QueryPhase.RUNNING,
    "RUNNING": QueryPhase.RUNNING,
    "SUCCEEDED": QueryPhase.DONE,
    "FAILED": QueryPhase.FAILED,
    "CANCELLED": QueryPhase.CANCELLED,
}
PAGE_ROWS = 1000  # GetQueryResults' most


class AthenaEngine:
    name = "athena"

    def __init__(self, database: str, workgroup: str, client: Any = None) -> None:
        self._database = database
        self._workgroup = workgroup
        self._client = client

    def _c(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("athena")
        return self._client

    def start(self, sql: str) -> str:
        started = self._c().start_query_execution(
            QueryString=sql,
            QueryExecutionContext={"Database": self._database},
            WorkGroup=self._workgroup,
        )
        return str(started["QueryExecutionId"])

    def state(self, query_id: str) -> QueryState:
        execution = self._c().get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        status = execution.get("Status", {})
        statistics = execution.get("Statistics", {})
        phase = PHASES.get(status.get("State", "QUEUED"), QueryPhase.RUNNING)
        return QueryState(
            query_id,
            phase,
            scanned_bytes=int(statistics.get("DataScannedInBytes", 0)),
            elapsed_ms=int(statistics.get("TotalExecutionTimeInMillis", 0)),
            error=_reason(status) if phase == QueryPhase.FAILED else "",
        )

    def rows(self, query_id: str) -> Iterator[Row]:
        request: dict[str, Any] = {"QueryExecutionId": query_id, "MaxResults": PAGE_ROWS}
        header = True
        while True:
            page = self._c().get_query_results(**request)
            for row in page["ResultSet"]["Rows"]:
                if header:  # the first row of a SELECT's first page names the columns
                    header = False
                    continue
                yield [cell.get("VarCharValue") for cell in row["Data"]]
            token = page.get("NextToken")
            if not token:
                return
            request["NextToken"] = token

    def cancel(self, query_id: str) -> None:
        self._c().stop_query_execution(QueryExecutionId=query_id)


def _reason(status: dict[str, Any]) -> str:
    """Why Athena stopped a query, in words a user can act on where we know them."""
    error = status.get("AthenaError", {})
    reason = str(status.get("StateChangeReason") or error.get("ErrorMessage") or "the query failed")
    if "Bytes scanned limit was exceeded" in reason or "data scanned" in reason.lower():
        return "this report reads more data than one query may: narrow the dates or add a filter"
    return reason
