"""The hourly compaction of the analytics store: every advertiser-day that holds more than one object
becomes one object, each click (and each conversion change) once, sorted by time.

Batch objects are small (a stream batch's clicks of one advertiser-day) and a bisected retry leaves
two that share clicks; Athena reads a few large objects far faster than many small ones, and pays a
request per object. So, per advertiser-day:

1. the objects listed are read and merged with DuckDB, `SELECT DISTINCT` over every column (copies
   of one click, or of one change, are identical rows);
2. the result is stored under a name made from its inputs (their keys and ETags), so two runs that
   race over the same inputs store the same object, and a run repeated after a crash rewrites it;
3. only then are the inputs deleted.

A crash between 2 and 3 leaves the inputs beside their merge: queries read each click once anyway
(stats.analytics_sql), and the next run merges them again (the merge is among its inputs, its rows are the
same). An object that arrives while a day is merged is not among the inputs and stays for the next
run. Nothing is ever deleted that is not in an object already stored.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerka.analytics.objects import BucketObjects, Listed
from partnerka.analytics.parquet import COMPRESSION, ROW_GROUP_ROWS, connect, quoted, select_list
from partnerka.analytics.schema import TABLES, TIME_COLUMNS, object_prefix, partition_of
from partnerka.common.observability import logger

COMPACT_PREFIX = "c-"
DELETE_BATCH = 1000  # DeleteObjects' most


@dataclass(slots=True)
class CompactionRun:
    partitions: int = 0  # advertiser-days merged
    objects_in: int = 0
    rows_out: int = 0
    failed: list[str] = field(default_factory=list)  # "<table>/<advertiser>" whose run failed


def merged_name(inputs: list[Listed]) -> str:
    """The merge's object name, from its inputs alone."""
    digest = hashlib.sha256(
        "\n".join(f"{i.key} {i.etag}" for i in sorted(inputs, key=lambda i: i.key)).encode()
    )
    return f"{COMPACT_PREFIX}{digest.hexdigest()[:32]}.parquet"


class Compactor:
    def __init__(self, bucket: str, client: Any = None) -> None:
        self._objects = BucketObjects(bucket, client)

    def advertisers(self, table: str) -> list[str]:
        """The advertisers with objects in a table (one listing of its top level)."""
        found: list[str] = []
        for page in self._objects.pages(Prefix=f"{table}/", Delimiter="/"):
            for prefix in page.get("CommonPrefixes", []):
                name = prefix["Prefix"].removeprefix(f"{table}/").rstrip("/")
                if name.startswith("advertiser="):
                    found.append(name.removeprefix("advertiser="))
        return found

    def days(self, table: str, advertiser: str) -> dict[str, list[Listed]]:
        """An advertiser's objects in a table, by day."""
        by_day: dict[str, list[Listed]] = {}
        for item in self._objects.listed(f"{table}/advertiser={advertiser}/"):
            where = partition_of(item.key)
            if where is not None:
                by_day.setdefault(where[2], []).append(item)
        return by_day

    def compact_day(self, table: str, advertiser: str, day: str, inputs: list[Listed]) -> int:
        """Merge one advertiser-day's objects into one; the rows it holds."""
        name = merged_name(inputs)
        with tempfile.TemporaryDirectory(prefix="partnerka-compaction-") as folder:
            local = Path(folder)
            paths = []
            for n, item in enumerate(inputs):
                path = local / f"in-{n}.parquet"
                if not self._objects.fetch(item.key, path):
                    # Merged and deleted by a run racing this one: its merge holds these rows.
                    logger.info("analytics day merged meanwhile", key=item.key)
                    return 0
                paths.append(str(path))
            target = local / "merged.parquet"
            columns = select_list(table)
            time_column = TIME_COLUMNS[table]
            files = ", ".join(quoted(p) for p in paths)
            con = connect()
            try:
                # union_by_name: an object written before a column was added reads it as NULL.
                con.execute(
                    f"COPY (SELECT DISTINCT {columns} FROM read_parquet([{files}], union_by_name = true) "  # noqa: S608 - quoted paths, schema names
                    f"ORDER BY {time_column}) TO {quoted(str(target))} "
                    f"(FORMAT parquet, COMPRESSION {COMPRESSION}, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
                )
                counted = con.execute(f"SELECT count(*) FROM read_parquet({quoted(str(target))})").fetchone()  # noqa: S608 - a quoted path
            finally:
                con.close()
            key = f"{object_prefix(table, advertiser, day)}{name}"
            self._objects.client().upload_file(
                str(target),
                self._objects.bucket,
                key,
                ExtraArgs={"ContentType": "application/vnd.apache.parquet"},
            )
        # Only now: every row of the inputs is in the stored merge.
        gone = [{"Key": item.key} for item in inputs if item.key != key]
        for first in range(0, len(gone), DELETE_BATCH):
            answer = self._objects.client().delete_objects(
                Bucket=self._objects.bucket,
                Delete={"Objects": gone[first : first + DELETE_BATCH], "Quiet": True},
            )
            if answer.get("Errors"):
                raise RuntimeError(f"{len(answer['Errors'])} merged objects of {key} were not deleted")
        return int(counted[0]) if counted else 0

    def compact(self, run: CompactionRun | None = None) -> CompactionRun:
        """Every table, every advertiser, every day with more than one object. One advertiser's
        failure is logged and counted; the others go on."""
        run = run or CompactionRun()
        for table in TABLES:
            for advertiser in self.advertisers(table):
                try:
                    for day, inputs in sorted(self.days(table, advertiser).items()):
                        if len(inputs) < 2:
                            continue
                        run.rows_out += self.compact_day(table, advertiser, day, inputs)
                        run.partitions += 1
                        run.objects_in += len(inputs)
                except Exception:
                    logger.exception(
                        "compacting the analytics store failed", table=table, advertiser=advertiser
                    )
                    run.failed.append(f"{table}/{advertiser}")
        return run
