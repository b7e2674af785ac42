"""The analytics store's tables: the columns of every click and of every conversion change, as the
orchestrator writes them into Parquet, as the Glue tables declare them for Athena and as DuckDB reads
them. One list here, so the writer, the template's tables and the queries cannot drift apart.

Objects lie at `<table>/advertiser=<id>/day=<yyyy-mm-dd>/<name>.parquet` (Hive-style partitions, the
day in UTC): a report reads only its advertisers' days. Clicks are partitioned by the day they
happened; conversion changes by the day their conversion arrived, so a report over a range finds
every change of the conversions that arrived in it (and the latest of them decides the status).

Times are ISO strings with milliseconds (`2026-11-27T16:04:05.123Z`): they compare as text in both
engines, and an hour or a minute is a prefix of them, so no time-zone function (which Trino and DuckDB
spell differently) is needed in a query.
"""

from __future__ import annotations

from partnerka.tracking.models import SUB_KEYS

CLICKS = "clicks"
CONVERSIONS = "conversions"
TABLES = (CLICKS, CONVERSIONS)

Column = tuple[str, str]  # (name, type: string | int | bigint)

PARTITION_KEYS: tuple[Column, ...] = (("advertiser", "string"), ("day", "string"))

CLICK_COLUMNS: tuple[Column, ...] = (
    ("click_id", "string"),
    ("clicked_at", "string"),
    ("offer", "string"),
    ("affiliate", "string"),
    ("country", "string"),
    ("device", "string"),
    ("os", "string"),
    ("browser", "string"),
    ("reason", "string"),  # "" for a click that reached a landing, else why it was refused
    ("is_unique", "int"),  # the orchestrator's verdicts (stats.quality), 0 or 1
    ("is_bot", "int"),
    ("is_flood", "int"),
    ("is_datacenter", "int"),
    *((key, "string") for key in SUB_KEYS),  # "" when absent
)

CONVERSION_COLUMNS: tuple[Column, ...] = (
    ("conversion_id", "string"),
    ("click_id", "string"),
    ("created_at", "string"),  # when it arrived: the hour it counts in
    ("changed_at", "string"),  # when this change was stored
    ("seq", "string"),  # the stream's sequence number, zero-padded: orders changes of one instant
    ("offer", "string"),
    ("affiliate", "string"),
    ("country", "string"),
    ("device", "string"),
    ("os", "string"),
    ("browser", "string"),
    ("status", "string"),
    ("goal", "string"),
    ("currency", "string"),
    ("revenue_minor", "bigint"),
    ("payout_minor", "bigint"),
    ("screening", "string"),  # what a fraud rule did on arrival: "" | held | rejected
    *((key, "string") for key in SUB_KEYS),
)

COLUMNS: dict[str, tuple[Column, ...]] = {CLICKS: CLICK_COLUMNS, CONVERSIONS: CONVERSION_COLUMNS}

# What a table's objects are sorted by: the time a report's range selects on (a click's, a conversion's
# arrival), so each row group's min/max of it lets a query skip the groups outside its hours.
TIME_COLUMNS = {CLICKS: "clicked_at", CONVERSIONS: "created_at"}

DUCKDB_TYPES = {"string": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT"}

SEQ_WIDTH = 40  # DynamoDB Streams' sequence numbers have up to 40 digits


def object_prefix(table: str, advertiser_id: str, day: str) -> str:
    """The folder of one advertiser-day of a table."""
    return f"{table}/advertiser={advertiser_id}/day={day}/"


def partition_of(key: str) -> tuple[str, str, str] | None:
    """(table, advertiser, day) of an object key of the store, None for any other key."""
    parts = key.split("/")
    if len(parts) != 4 or parts[0] not in TABLES or not parts[3].endswith(".parquet"):
        return None
    advertiser, day = parts[1].removeprefix("advertiser="), parts[2].removeprefix("day=")
    if advertiser == parts[1] or day == parts[2]:
        return None
    return parts[0], advertiser, day
