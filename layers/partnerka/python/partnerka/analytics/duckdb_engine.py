"""The query port on DuckDB, for the local platform and the tests: the same statement as Athena runs,
over the same Parquet objects, copied from the (emulated) S3 bucket into a local folder first.

Objects never change once written (a batch's object is rewritten only with the same rows, a
compacted one is named by its inputs), so a copy, named by the object's key and ETag, is kept and
only new objects are fetched; a query reads exactly the objects the bucket lists, and the copies of
objects the compaction deleted are dropped from the folder a while later. A query runs in a thread of the process
that started it; its state and rows are files in a folder every local process shares, so whichever
instance of the local API answers the next poll finds it, and a cancel written there by any of them
interrupts it.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from partnerka.analytics.engines import QueryPhase, QueryState, Row
from partnerka.analytics.objects import BucketObjects
from partnerka.analytics.parquet import connect, quoted
from partnerka.analytics.schema import COLUMNS, DUCKDB_TYPES, TABLES, partition_of
from partnerka.common.observability import logger

STALE_SECONDS = 600.0  # a copied object the bucket no longer lists is removed after this long
WATCH_EVERY = 0.05  # seconds between looks at a running query's progress and cancel mark


class ObjectSource(Protocol):
    def listing(self) -> dict[str, str]:
        """Every object of the store: key → its ETag (what tells two contents under one key apart)."""
        ...

    def fetch(self, key: str, path: Path) -> bool:
        """Copy one object to `path`; False when it is gone (compacted meanwhile)."""
        ...


class S3Objects:
    """The DuckDB engine's source: every object of both tables in the bucket."""

    def __init__(self, bucket: str, client: Any = None) -> None:
        self._objects = BucketObjects(bucket, client)

    def listing(self) -> dict[str, str]:
        return {o.key: o.etag for table in TABLES for o in self._objects.listed(f"{table}/")}

    def fetch(self, key: str, path: Path) -> bool:
        return self._objects.fetch(key, path)


def default_folder() -> Path:
    return Path(
        os.environ.get("ANALYTICS_LOCAL_FOLDER") or Path(tempfile.gettempdir()) / "partnerka-analytics"
    )


class DuckDBEngine:
    name = "duckdb"

    def __init__(
        self, objects: ObjectSource | None, folder: Path | None = None, stale_seconds: float = STALE_SECONDS
    ) -> None:
        """`objects`: the bucket to copy from; None reads the folder's `data/` as it is (benchmarks)."""
        self._objects = objects
        self._stale_seconds = stale_seconds
        self._folder = folder or default_folder()
        self._data = self._folder / "data"
        self._queries = self._folder / "queries"
        self._queries.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ the port

    def start(self, sql: str) -> str:
        query_id = uuid.uuid4().hex
        self._save(QueryState(query_id, QueryPhase.RUNNING))
        threading.Thread(
            target=self._run, args=(query_id, sql), daemon=True, name=f"query-{query_id}"
        ).start()
        return query_id

    def state(self, query_id: str) -> QueryState:
        path = self._queries / f"{_checked(query_id)}.json"
        try:
            return QueryState(**json.loads(path.read_text()))
        except FileNotFoundError:
            return QueryState(query_id, QueryPhase.FAILED, error="no such query")

    def rows(self, query_id: str) -> Iterator[Row]:
        with (self._queries / f"{_checked(query_id)}.rows.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)

    def cancel(self, query_id: str) -> None:
        (self._queries / f"{_checked(query_id)}.cancel").touch()

    # ------------------------------------------------------------------ running

    def _run(self, query_id: str, sql: str) -> None:
        started = time.monotonic()
        cancel_mark = self._queries / f"{query_id}.cancel"
        try:
            files = self.sync()
            scanned = sum(path.stat().st_size for path in files)
            con = connect()
        except Exception as error:
            logger.exception("analytics query could not start", query_id=query_id)
            self._save(QueryState(query_id, QueryPhase.FAILED, error=str(error)))
            return
        if cancel_mark.exists():  # cancelled while the objects were copied
            con.close()
            self._save(QueryState(query_id, QueryPhase.CANCELLED, scanned, _ms(started)))
            return
        outcome: dict[str, Any] = {}

        def execute() -> None:
            try:
                self._views(con, files)
                cursor = con.execute(sql)
                outcome["rows"] = cursor.fetchall()
            except Exception as error:  # an interrupt lands here too
                outcome["error"] = error

        worker = threading.Thread(target=execute, daemon=True)
        worker.start()
        cancelled = False
        while worker.is_alive():
            worker.join(WATCH_EVERY)
            if not cancelled and cancel_mark.exists():
                cancelled = True
                con.interrupt()
            progress = con.query_progress()
            self._save(
                QueryState(
                    query_id,
                    QueryPhase.RUNNING,
                    scanned_bytes=scanned,
                    elapsed_ms=_ms(started),
                    progress=progress / 100 if progress >= 0 else None,
                )
            )
        con.close()
        if cancelled:
            self._save(QueryState(query_id, QueryPhase.CANCELLED, scanned, _ms(started)))
        elif "error" in outcome:
            self._save(
                QueryState(query_id, QueryPhase.FAILED, scanned, _ms(started), error=str(outcome["error"]))
            )
        else:
            rows = self._queries / f"{query_id}.rows.jsonl"
            with rows.open("w", encoding="utf-8") as out:
                for values in outcome["rows"]:
                    out.write(json.dumps([None if v is None else str(v) for v in values], ensure_ascii=False))
                    out.write("\n")
            self._save(QueryState(query_id, QueryPhase.DONE, scanned, _ms(started), progress=1.0))

    def sync(self) -> list[Path]:
        """Bring the folder up to the bucket's objects (a few tries: an object compacted between the
        listing and its copy sends us back to the listing, which now holds what replaced it); the
        listed objects' files, which are all a query reads. Files of objects no longer listed stay a
        while (STALE_SECONDS) for queries of other processes that listed them just before."""
        if self._objects is None:
            return sorted(self._data.rglob("*.parquet"))
        for _ in range(5):
            listed = self._objects.listing()
            # A copy is named by the object's key and its ETag: in production a key's content never
            # changes, but a reset emulated bucket may hold other content under a key seen before.
            paths = {
                key: self._data / f"{key.rsplit('/', 1)[0]}/{etag}-{key.rsplit('/', 1)[1]}"
                for key, etag in listed.items()
                if partition_of(key) is not None
            }
            complete = True
            for key, path in paths.items():
                if path.exists():
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                if not self._objects.fetch(key, path):
                    complete = False
                    break
            if complete:
                self._drop_stale(set(paths.values()))
                return sorted(paths.values())
        raise RuntimeError("the analytics objects kept changing while they were copied")

    def _drop_stale(self, listed: set[Path]) -> None:
        old = time.time() - self._stale_seconds
        for path in self._data.rglob("*.parquet"):
            if path not in listed and path.stat().st_mtime < old:
                path.unlink(missing_ok=True)

    def _views(self, con: Any, paths: list[Path]) -> None:
        """`clicks` and `conversions` as the Glue tables show them: the columns and the two
        partition columns, as text."""
        for table in TABLES:
            files = sorted(str(p) for p in paths if p.relative_to(self._data).parts[0] == table)
            if files:
                source = (
                    f"read_parquet([{', '.join(quoted(f) for f in files)}], hive_partitioning = true, "
                    "hive_types = {'advertiser': 'VARCHAR', 'day': 'VARCHAR'})"
                )
                columns = ", ".join([*(name for name, _ in COLUMNS[table]), "advertiser", "day"])
                con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT {columns} FROM {source}")  # noqa: S608 - names from schema, paths quoted
            else:  # no object yet: an empty table of the same columns
                columns = ", ".join(
                    f"CAST(NULL AS {DUCKDB_TYPES[kind]}) AS {name}" for name, kind in COLUMNS[table]
                )
                con.execute(
                    f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT {columns}, CAST(NULL AS VARCHAR) AS "
                    "advertiser, CAST(NULL AS VARCHAR) AS day WHERE false"
                )

    def _save(self, state: QueryState) -> None:
        path = self._queries / f"{state.query_id}.json"
        part = path.with_name(f"{path.name}.{threading.get_ident()}.part")
        part.write_text(json.dumps(asdict(state)))
        part.replace(path)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _checked(query_id: str) -> str:
    """A query id names a file: only the engine's own hex ids are taken."""
    if not (len(query_id) == 32 and all(c in "0123456789abcdef" for c in query_id)):
        raise ValueError("not a query id")
    return query_id
