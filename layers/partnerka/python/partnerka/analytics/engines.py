"""The query port: a statement started, followed, paged and cancelled, whichever engine runs it.

Configuration alone chooses the engine (ANALYTICS_ENGINE): Athena in AWS (analytics.athena), DuckDB
on the local platform and in tests (analytics.duckdb_engine), both over the same Parquet objects.
A query is started and then followed by its id: a long one outlives the request that started it, the
dashboard shows its progress, and the user may cancel it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from partnerka.common.errors import DomainError, ErrorCode


class QueryPhase:
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class QueryState:
    query_id: str
    phase: str  # a QueryPhase
    scanned_bytes: int = 0
    elapsed_ms: int = 0
    progress: float | None = None  # 0..1 when the engine knows it (DuckDB), else None (Athena)
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.phase != QueryPhase.RUNNING


Row = list[str | None]


class QueryEngine(Protocol):
    name: str

    def start(self, sql: str) -> str:
        """Start the statement; its query id."""
        ...

    def state(self, query_id: str) -> QueryState: ...

    def rows(self, query_id: str) -> Iterator[Row]:
        """A finished query's rows, every value as text (None for NULL), a page at a time."""
        ...

    def cancel(self, query_id: str) -> None: ...


class QueryFailed(DomainError):
    """The engine refused or stopped the query (a limit of bytes scanned, among others)."""

    code = ErrorCode.QUERY_FAILED


class QueryCancelled(DomainError):
    code = ErrorCode.QUERY_CANCELLED


def wait(engine: QueryEngine, query_id: str, seconds: float | None, poll: float = 0.2) -> QueryState:
    """Follow a query until it finishes or `seconds` pass (None: until it finishes), polling at a
    gentle pace that grows to a second (Athena counts GetQueryExecution calls against a quota)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    pause = poll
    while True:
        state = engine.state(query_id)
        if state.finished or (deadline is not None and time.monotonic() >= deadline):
            return state
        time.sleep(pause if deadline is None else max(0.0, min(pause, deadline - time.monotonic())))
        pause = min(pause * 1.5, 1.0)
