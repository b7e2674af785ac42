"""The hourly compaction against moto's S3, the way it really fails: batch objects that share clicks
(a bisected retry), a run killed after it stored the merge and before it deleted the inputs, two runs
racing over the same inputs, an object arriving while a day is merged, and changes of one conversion
that must all be kept."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from moto import mock_aws

from partnerka.analytics.compaction import COMPACT_PREFIX, Compactor
from partnerka.analytics.parquet import read_parquet, to_parquet
from partnerka.analytics.schema import CLICK_COLUMNS, CLICKS, CONVERSION_COLUMNS, CONVERSIONS, object_prefix
from partnerka_local.template import REGION, Template
from tests.integration.conftest import CONTEXT

BUCKET = "analytics-compaction"
DAY = "2026-11-01"


def click(n: int) -> dict[str, Any]:
    blank = {name: "" if kind == "string" else 0 for name, kind in CLICK_COLUMNS}
    return {
        **blank,
        "click_id": f"c{n:03d}",
        "clicked_at": f"{DAY}T10:{n % 60:02d}:00.000Z",
        "sub3": "дом 'x' \\",
    }


def change(conversion: str, seq: int, status: str) -> dict[str, Any]:
    blank = {name: "" if kind == "string" else 0 for name, kind in CONVERSION_COLUMNS}
    return {
        **blank,
        "conversion_id": conversion,
        "created_at": f"{DAY}T10:00:00.000Z",
        "changed_at": f"{DAY}T1{seq}:00:00.000Z",
        "seq": str(seq).rjust(40, "0"),
        "status": status,
        "revenue_minor": 500,
    }


@pytest.fixture
def s3() -> Any:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def put(
    s3: Any, table: str, name: str, rows: list[dict[str, Any]], advertiser: str = "ADV", day: str = DAY
) -> str:
    key = f"{object_prefix(table, advertiser, day)}b-{name}.parquet"
    s3.put_object(Bucket=BUCKET, Key=key, Body=to_parquet(table, rows))
    return key


def stored(s3: Any, table: str, advertiser: str = "ADV") -> dict[str, list[dict[str, Any]]]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{table}/advertiser={advertiser}/").get("Contents", [])
    return {o["Key"]: read_parquet(s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read()) for o in listed}


def test_a_day_of_batches_becomes_one_object_with_each_click_once(s3: Any) -> None:
    put(s3, CLICKS, "t1-20", [click(n) for n in range(20)])
    put(s3, CLICKS, "t1-10", [click(n) for n in range(10)])  # the bisected retry's first half
    put(s3, CLICKS, "t2-5", [click(n) for n in range(20, 25)])
    lonely = put(s3, CLICKS, "t3-1", [click(99)], day="2026-11-02")
    run = Compactor(BUCKET, s3).compact()
    assert (run.partitions, run.objects_in, run.rows_out, run.failed) == (1, 3, 25, [])
    after = stored(s3, CLICKS)
    merged = [key for key in after if key.split("/")[2] == f"day={DAY}"]
    assert len(merged) == 1
    assert merged[0].rsplit("/", 1)[1].startswith(COMPACT_PREFIX)
    rows = after[merged[0]]
    assert [r["click_id"] for r in rows] == [f"c{n:03d}" for n in range(25)]  # sorted by time, once each
    assert rows[0] == click(0)  # every column as written, the odd sub-id too
    assert lonely in after  # a day of one object is left alone
    # Nothing left to do: another run changes nothing
    assert Compactor(BUCKET, s3).compact().partitions == 0


class KilledBeforeDelete(Exception):
    pass


def test_a_run_killed_between_storing_the_merge_and_deleting_its_inputs(s3: Any) -> None:
    put(s3, CLICKS, "t1-20", [click(n) for n in range(20)])
    put(s3, CLICKS, "t1-10", [click(n) for n in range(10)])

    def killed(**_: Any) -> None:
        raise KilledBeforeDelete

    s3.meta.events.register("before-call.s3.DeleteObjects", killed)
    run = Compactor(BUCKET, s3).compact()
    s3.meta.events.unregister("before-call.s3.DeleteObjects", killed)
    assert run.failed == ["clicks/ADV"]
    assert len(stored(s3, CLICKS)) == 3  # the merge beside its inputs: nothing lost
    Compactor(BUCKET, s3).compact()
    after = stored(s3, CLICKS)
    assert len(after) == 1
    assert sorted(r["click_id"] for r in next(iter(after.values()))) == [f"c{n:03d}" for n in range(20)]


def test_two_runs_racing_over_the_same_inputs_store_the_same_object(s3: Any) -> None:
    put(s3, CLICKS, "t1-20", [click(n) for n in range(20)])
    put(s3, CLICKS, "t1-10", [click(n) for n in range(10)])
    first, second = Compactor(BUCKET, s3), Compactor(BUCKET, s3)
    inputs = first.days(CLICKS, "ADV")[DAY]
    assert second.days(CLICKS, "ADV")[DAY] == inputs  # both listed before either merged
    assert first.compact_day(CLICKS, "ADV", DAY, inputs) == 20
    assert second.compact_day(CLICKS, "ADV", DAY, inputs) == 0  # its inputs are merged already
    after = stored(s3, CLICKS)
    assert len(after) == 1
    assert len(next(iter(after.values()))) == 20


def test_two_runs_that_both_merged_before_either_deleted_leave_one_object(s3: Any) -> None:
    """The other interleaving: the second run copies the inputs while the first is about to delete
    them, stores the same name (same inputs) and deletes what is already gone."""
    put(s3, CLICKS, "t1-20", [click(n) for n in range(20)])
    put(s3, CLICKS, "t1-10", [click(n) for n in range(10)])
    first, second = Compactor(BUCKET, s3), Compactor(BUCKET, s3)
    inputs = first.days(CLICKS, "ADV")[DAY]
    merged: list[int] = []

    def second_run_first(**_: Any) -> None:
        s3.meta.events.unregister("before-call.s3.DeleteObjects", second_run_first)
        assert len(stored(s3, CLICKS)) == 3  # the first run's merge beside the inputs
        merged.append(second.compact_day(CLICKS, "ADV", DAY, inputs))

    s3.meta.events.register("before-call.s3.DeleteObjects", second_run_first)
    assert first.compact_day(CLICKS, "ADV", DAY, inputs) == 20
    assert merged == [20]
    after = stored(s3, CLICKS)
    assert len(after) == 1
    assert sorted(r["click_id"] for r in next(iter(after.values()))) == [f"c{n:03d}" for n in range(20)]
    assert Compactor(BUCKET, s3).compact().partitions == 0


def test_an_object_arriving_during_the_merge_stays_for_the_next_run(s3: Any) -> None:
    put(s3, CLICKS, "t1-20", [click(n) for n in range(20)])
    put(s3, CLICKS, "t1-10", [click(n) for n in range(10)])
    compactor = Compactor(BUCKET, s3)
    inputs = compactor.days(CLICKS, "ADV")[DAY]
    late = put(s3, CLICKS, "t2-3", [click(n) for n in range(20, 23)])  # written after the listing
    compactor.compact_day(CLICKS, "ADV", DAY, inputs)
    assert late in stored(s3, CLICKS)
    compactor.compact()
    after = stored(s3, CLICKS)
    assert [len(rows) for rows in after.values()] == [23]


def test_every_change_of_a_conversion_is_kept_and_repeats_of_one_are_not(s3: Any) -> None:
    put(s3, CONVERSIONS, "t1-2", [change("v1", 1, "pending"), change("v1", 2, "approved")])
    put(s3, CONVERSIONS, "t9-1", [change("v1", 1, "pending")])  # a late redelivery of the arrival
    Compactor(BUCKET, s3).compact()
    rows = next(iter(stored(s3, CONVERSIONS).values()))
    assert sorted((r["seq"][-1], r["status"]) for r in rows) == [("1", "pending"), ("2", "approved")]


def test_conversions_are_stored_in_order_of_arrival_not_of_their_click(s3: Any) -> None:
    """A report's hours select on created_at: the writer and the merge sort by it (row groups'
    min/max then skip whole hours), whatever order the click ids are in."""

    def arrived(conversion: str, click_id: str, hour: int) -> dict[str, Any]:
        return {
            **change(conversion, 1, "pending"),
            "click_id": click_id,
            "created_at": f"{DAY}T{hour:02d}:00:00.000Z",
        }

    late, early = arrived("v1", "a-click", 20), arrived("v2", "z-click", 3)
    key = put(s3, CONVERSIONS, "t1-2", [late, early])
    assert [
        r["conversion_id"] for r in read_parquet(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    ] == [
        "v2",
        "v1",
    ]
    put(s3, CONVERSIONS, "t2-1", [arrived("v3", "m-click", 11)])
    Compactor(BUCKET, s3).compact()
    rows = next(iter(stored(s3, CONVERSIONS).values()))
    assert [r["conversion_id"] for r in rows] == ["v2", "v3", "v1"]


def test_one_advertisers_failure_leaves_the_others_compacted(s3: Any) -> None:
    for advertiser in ("A1", "A2"):
        put(s3, CLICKS, "t1-2", [click(1), click(2)], advertiser=advertiser)
        put(s3, CLICKS, "t1-1", [click(1)], advertiser=advertiser)
    s3.put_object(
        Bucket=BUCKET, Key=f"{object_prefix(CLICKS, 'A1', DAY)}b-broken.parquet", Body=b"not parquet"
    )
    run = Compactor(BUCKET, s3).compact()
    assert run.failed == ["clicks/A1"]
    assert (
        len(s3.list_objects_v2(Bucket=BUCKET, Prefix="clicks/advertiser=A1/")["Contents"]) == 3
    )  # untouched
    assert len(stored(s3, CLICKS, "A2")) == 1


def test_the_scheduled_function_compacts_the_stacks_bucket_within_its_policy(
    stack: Template, load_function: Any
) -> None:
    """The handler as the schedule runs it, over the emulated stack's AnalyticsBucket: its listing,
    copies, upload and batch delete are each checked against AnalyticsCompactFunction's policy when
    the test ends (a DeleteObjects is authorized key by key, as s3:DeleteObject)."""
    compact = load_function("analytics_compact")
    bucket = str(stack.refs["AnalyticsBucket"])
    s3 = boto3.client("s3", region_name=REGION)
    advertiser = uuid.uuid4().hex
    for name, rows in (("t1-4", [click(n) for n in range(4)]), ("t1-2", [click(n) for n in range(2)])):
        key = f"{object_prefix(CLICKS, advertiser, DAY)}b-{name}.parquet"
        s3.put_object(Bucket=bucket, Key=key, Body=to_parquet(CLICKS, rows))
    answer = compact.handler({}, CONTEXT)
    assert answer["partitions"] >= 1  # other tests' objects may share the bucket
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"{CLICKS}/advertiser={advertiser}/")["Contents"]
    assert len(listed) == 1
    rows = read_parquet(s3.get_object(Bucket=bucket, Key=listed[0]["Key"])["Body"].read())
    assert [r["click_id"] for r in rows] == [f"c{n:03d}" for n in range(4)]
