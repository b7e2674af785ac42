"""The DuckDB engine as the local platform runs it: objects copied from the (emulated) S3 bucket, a
compaction that replaces objects between two queries or in the middle of a copy, a long query that
shows its progress and stops when cancelled from another engine instance (another local process)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from moto import mock_aws

from partnerka.analytics.duckdb_engine import DuckDBEngine, S3Objects
from partnerka.analytics.engines import QueryPhase, wait
from partnerka.analytics.parquet import to_parquet
from partnerka.analytics.schema import CLICK_COLUMNS, CLICKS, object_prefix
from partnerka.common.errors import ValidationFailed
from partnerka.stats.analytics_reports import EngineReports, run_to_end
from partnerka.stats.analytics_sql import RawSelection
from partnerka.stats.service import parse_request

BUCKET = "analytics-test"
SELECTION = RawSelection(
    ("ADV",), datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC), "sub3", ZoneInfo("UTC")
)


def rows(ids: range, sub3: str = "x") -> list[dict[str, Any]]:
    blank = {name: "" if kind == "string" else 0 for name, kind in CLICK_COLUMNS}
    return [
        {**blank, "click_id": f"c{i}", "clicked_at": f"2026-11-01T10:{i % 60:02d}:00.000Z", "sub3": sub3}
        for i in ids
    ]


@pytest.fixture
def s3() -> Any:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def put(s3: Any, name: str, data: list[dict[str, Any]]) -> str:
    key = f"{object_prefix(CLICKS, 'ADV', '2026-11-01')}{name}.parquet"
    s3.put_object(Bucket=BUCKET, Key=key, Body=to_parquet(CLICKS, data))
    return key


def clicks_by_sub3(engine: DuckDBEngine) -> dict[str, int]:
    report = run_to_end(EngineReports(engine), SELECTION, None)
    return {key: row.clicks for key, row in report.rows.items()}


def test_objects_compacted_between_queries_count_once(s3: Any, tmp_path: Path) -> None:
    first, second = put(s3, "b-t1-10", rows(range(10))), put(s3, "b-t1-5", rows(range(5)))
    engine = DuckDBEngine(S3Objects(BUCKET, s3), tmp_path, stale_seconds=0)
    assert clicks_by_sub3(engine) == {"x": 10}  # the bisected half's clicks once
    put(s3, "c-merged", rows(range(10)))
    s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": first}, {"Key": second}]})
    assert clicks_by_sub3(engine) == {"x": 10}
    assert [p.name.endswith("-c-merged.parquet") for p in tmp_path.rglob("*.parquet")] == [True]


class CompactedDuringCopy(S3Objects):
    """The compaction runs between the listing and the copy: the listed batch object is gone."""

    def __init__(self, s3: Any) -> None:
        super().__init__(BUCKET, s3)
        self.s3, self.compacted = s3, False

    def fetch(self, key: str, path: Path) -> bool:
        if not self.compacted and "/b-" in key:
            self.compacted = True
            put(self.s3, "c-merged", rows(range(12)))
            listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="clicks/")["Contents"]
            batches = [{"Key": o["Key"]} for o in listed if "/b-" in o["Key"]]
            self.s3.delete_objects(Bucket=BUCKET, Delete={"Objects": batches})
        return super().fetch(key, path)


def test_an_object_compacted_during_the_copy_sends_the_engine_back_to_the_listing(
    s3: Any, tmp_path: Path
) -> None:
    put(s3, "b-t1-12", rows(range(12)))
    assert clicks_by_sub3(DuckDBEngine(CompactedDuringCopy(s3), tmp_path)) == {"x": 12}


def test_a_long_query_shows_progress_and_stops_when_another_instance_cancels_it(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    engine = DuckDBEngine(None, tmp_path)
    query_id = engine.start("SELECT count(*) FROM range(2000000000000) AS t(i) WHERE i % 7 = 3")
    time.sleep(0.3)
    running = engine.state(query_id)
    assert running.phase == QueryPhase.RUNNING
    assert running.elapsed_ms > 0
    DuckDBEngine(None, tmp_path).cancel(query_id)  # the folder is what local processes share
    stopped = wait(engine, query_id, 20)
    assert stopped.phase == QueryPhase.CANCELLED
    with pytest.raises(ValueError, match="not a query id"):
        engine.cancel("../../etc/passwd")


def test_any_text_in_a_sub_id_survives_the_store_and_the_statement(tmp_path: Path) -> None:
    """Quotes, backslashes, NUL, right-to-left marks and CJK in a sub-id are stored and matched as
    they are; a lone surrogate (bytes that were not UTF-8) is written as "?" instead of failing."""
    odd = ["it's", 'say "hi"\\', "\x00nul", "\u202erlo", "日本語", "' OR 1=1 --"]
    data = [dict(row, sub3=value) for row, value in zip(rows(range(len(odd))), odd, strict=True)]
    data.append(dict(rows(range(99, 100))[0], sub3="bad\udcffbyte"))
    path = tmp_path / "data" / object_prefix(CLICKS, "ADV", "2026-11-01") / "b-odd.parquet"
    path.parent.mkdir(parents=True)
    path.write_bytes(to_parquet(CLICKS, data))
    engine = DuckDBEngine(None, tmp_path)
    assert clicks_by_sub3(engine) == {**dict.fromkeys(odd, 1), "bad?byte": 1}
    for value in odd:
        if "\x00" in value:  # no SQL literal holds NUL: a request with it is refused
            with pytest.raises(ValidationFailed, match="NUL"):
                parse_request(date(2026, 11, 1), date(2026, 11, 1), "UTC", "none", {"sub3": value})
            continue
        only = RawSelection(
            SELECTION.advertisers, SELECTION.start, SELECTION.end, "none", SELECTION.tz, (("sub3", value),)
        )
        assert run_to_end(EngineReports(engine), only, None).totals.clicks == 1, value
