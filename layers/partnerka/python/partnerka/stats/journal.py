"""The cubes' journal: what stream ranges add to the current and the previous UTC day, kept as one
compressed item per range and advertiser-day instead of one update per cube item.

Why: a write unit is a started kilobyte, doubled in a transaction. A range of a hundred clicks over
fifty affiliates, forty countries and a dozen offers touched a hundred cube items, each a
transactional update of an item that grows through the day with its hourly figures: two to six units
each, several per click. Its journal item holds the same increments in two or three kilobytes. The
daily fold (stats.fold) adds a closed day's journal to the cube items once, one update per item and
day, and readers add the journal of a day not folded yet to what the cube items hold (cube_store).

Key shapes (Stats table):
- journal:  PK `JRN#<advertiser>#<day>#<shard>`, SK `<epoch ms written>#<range token>#<chunk>#<part>`;
            `rows`: gzipped JSON `[[dimension, value, {figure: amount}], ...]`. A range's journal
            items are written in the transaction that begins (or advances) its range, so they are in
            exactly once. The shard (from the range token) spreads one advertiser's ranges over
            JOURNAL_SHARDS partitions: a hot advertiser's ranges stay far under a partition's 1,000
            write units a second.
- registry: PK `FOLDQ#<day>#<shard>`, SK `<advertiser>`: the advertisers whose day has a journal in
            that shard, for the fold and the readers to find; put in the same transaction as each
            journal item (a few dozen bytes, so one unit, and never a journal without its entry).

Which days are journaled: a range's increments for a day at most one day old by the writer's clock
(today and yesterday, UTC). Older days are updated in the cube items directly, as before (a
conversion approved weeks after it arrived moves figures of its arrival hour): the fold takes a day
only FOLD_AFTER past its end, when no writer can journal it any more (a writer's call ends within the
orchestrator's timeout, far under the fold's margin), so nothing is journaled after its day was read
for folding.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from partnerka.common import dynamo
from partnerka.stats.cube import CubeKey
from partnerka.stats.models import Increments

JOURNAL_SHARDS = 4
# A day is journaled while it is today or yesterday for the writer; the fold takes it this long after
# its end, so a writer's last journal of it (written before its second midnight) has long landed.
FOLD_AFTER = timedelta(days=2, minutes=10)
# Journal items live as long as the click log (a day left unfolded by a broken fold is not lost).
JOURNAL_TTL = timedelta(days=400)
# Rows per journal item: a compressed row is a few dozen bytes, far under DynamoDB's 400 KB an item.
MAX_ROWS_PER_ITEM = 3000
# A warm reader asks again from this long before the newest journal it has read: a journal whose put
# began before that one's and landed after it is still found (a put lands within seconds).
LOOKBACK_MS = 60_000

Row = tuple[str, str]  # (dimension, value)


def journaled(day: str, now: datetime) -> bool:
    """Whether a range writing now puts its increments of `day` in the journal."""
    return day >= (now - timedelta(days=1)).date().isoformat()


def foldable(day: str, now: datetime) -> bool:
    """Whether `day` is closed for journaling long enough for the fold to take it."""
    return datetime.fromisoformat(f"{day}T00:00:00+00:00") + timedelta(days=1) + FOLD_AFTER <= now


def shard_of(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=2).digest()) % JOURNAL_SHARDS


def fold_token(advertiser_id: str, day: str) -> str:
    """The fold of an advertiser's day is a range of its own, named by what it folds."""
    return f"fold#{advertiser_id}#{day}"


def registry_pk(day: str, shard: int) -> str:
    return f"FOLDQ#{day}#{shard}"


def journal_pk(advertiser_id: str, day: str, shard: int) -> str:
    return f"JRN#{advertiser_id}#{day}#{shard}"


def journal_puts(
    table: str, token: str, chunk: int, increments: dict[CubeKey, Increments], written_ms: int
) -> list[dict[str, Any]]:
    """The Put requests (for a transaction) of one chunk's journaled increments: an item per
    advertiser-day, split past MAX_ROWS_PER_ITEM rows."""
    days: dict[tuple[str, str], list[list[Any]]] = {}
    for key, values in sorted(increments.items()):
        days.setdefault((key.advertiser_id, key.day), []).append([key.dimension, key.value, values])
    expires = int(time.time() + JOURNAL_TTL.total_seconds())
    shard = shard_of(token)
    puts = []
    for (advertiser_id, day), rows in sorted(days.items()):
        registry = {"pk": {"S": registry_pk(day, shard)}, "sk": {"S": advertiser_id}}
        puts.append({"Put": {"TableName": table, "Item": {**registry, "expires_at": {"N": str(expires)}}}})
        for part, first in enumerate(range(0, len(rows), MAX_ROWS_PER_ITEM)):
            blob = gzip.compress(
                json.dumps(rows[first : first + MAX_ROWS_PER_ITEM], separators=(",", ":")).encode(), mtime=0
            )
            puts.append(
                {
                    "Put": {
                        "TableName": table,
                        "Item": {
                            "pk": {"S": journal_pk(advertiser_id, day, shard)},
                            "sk": {"S": f"{written_ms:013d}#{token}#{chunk}#{part}"},
                            "rows": {"B": blob},
                            "expires_at": {"N": str(expires)},
                        },
                    }
                }
            )
    return puts


def journal_items(increments: dict[CubeKey, Increments]) -> int:
    """How many transaction items these increments take: per advertiser-day its journal item (or a
    few) and its registry entry."""
    days: dict[tuple[str, str], int] = {}
    for key in increments:
        days[(key.advertiser_id, key.day)] = days.get((key.advertiser_id, key.day), 0) + 1
    return sum(1 + -(-rows // MAX_ROWS_PER_ITEM) for rows in days.values())


@dataclass(slots=True)
class _DayShard:
    """One advertiser-day-shard's journal as far as this instance has read it."""

    rows: dict[Row, Increments] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    newest: int = -1


class JournalReader:
    """A day's journal summed by (dimension, value). Days that are still journaled (today, yesterday)
    are kept by a warm instance and read incrementally: their journal items never change, and new
    ones sort after the newest read (their keys lead with the moment they were written)."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client
        self._kept: dict[tuple[str, str, int], _DayShard] = {}

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def day(
        self, advertiser_id: str, day: str, now: datetime, consistent: bool = False
    ) -> dict[Row, Increments]:
        """Every row of the advertiser-day's journal, summed."""
        keep = journaled(day, now)
        summed: dict[Row, Increments] = {}
        for shard in range(JOURNAL_SHARDS):
            held = self._kept.get((advertiser_id, day, shard)) if keep else None
            held = held or _DayShard()
            self._read(advertiser_id, day, shard, held, consistent)
            if keep:
                self._kept[(advertiser_id, day, shard)] = held
            for row, values in held.rows.items():
                _add(summed.setdefault(row, {}), values)
        if keep:
            oldest = (now - timedelta(days=1)).date().isoformat()
            for stale in [k for k in self._kept if k[1] < oldest]:
                del self._kept[stale]
        return summed

    def _read(self, advertiser_id: str, day: str, shard: int, held: _DayShard, consistent: bool) -> None:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": journal_pk(advertiser_id, day, shard)}},
            "ConsistentRead": consistent,
        }
        if held.newest >= 0:
            request["KeyConditionExpression"] += " AND sk >= :from"
            request["ExpressionAttributeValues"][":from"] = {"S": f"{max(0, held.newest - LOOKBACK_MS):013d}"}
        for item in dynamo.query(self._c(), request):
            sk = item["sk"]["S"]
            if sk in held.seen:
                continue
            held.seen.add(sk)
            held.newest = max(held.newest, int(sk.split("#", 1)[0]))
            for dimension, value, values in json.loads(gzip.decompress(item["rows"]["B"])):
                _add(held.rows.setdefault((dimension, value), {}), values)


def _add(target: Increments, values: Increments) -> None:
    for name, amount in values.items():
        target[name] = target.get(name, 0) + int(amount)


class FoldRegistry:
    """Which advertisers' days have a journal (their entries are written with the journal items)."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def advertisers(self, day: str) -> list[str]:
        found: set[str] = set()
        for shard in range(JOURNAL_SHARDS):
            request = {
                "TableName": self._table,
                "KeyConditionExpression": "pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": registry_pk(day, shard)}},
            }
            found.update(item["sk"]["S"] for item in dynamo.query(self._c(), request))
        return sorted(found)


def days_between(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]
