"""The statistics cubes in the Stats table (see stats.cube for their key shape)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import utc_now
from partnerka.stats.cube import CubeKey
from partnerka.stats.journal import (
    FoldRegistry,
    JournalReader,
    days_between,
    journal_items,
    journal_puts,
    journaled,
)
from partnerka.stats.models import Increments
from partnerka.stats.open_days import OpenDays
from partnerka.stats.repository import (
    RangeMarker,
    apply_planned,
    begin_range,
    pack,
    put_split,
    read_marker,
    read_plan,
)


@dataclass(frozen=True, slots=True)
class CubeItem:
    day: str
    value: str
    values: dict[str, int]  # `clicks`, `clicks@05`, `revenue_USD`, …


class CubeStore(Protocol):
    """The cubes, written in once-only ranges (see stats.repository)."""

    def marker(self, token: str) -> RangeMarker | None:
        """The range begun at the record with this token (None: none was)."""
        ...

    def chunk(self, increments: dict[CubeKey, Increments]) -> list[dict[CubeKey, Increments]]:
        """A range's increments split into its transactions (chunk 0 first)."""
        ...

    def begin(self, token: str, records: Sequence[str], chunks: Sequence[dict[CubeKey, Increments]]) -> bool:
        """Chunk 0 of a new range, with its marker (`records`: the event ids it covers) and the plans of
        its other chunks (no chunks: the marker alone); False when the range was begun before."""
        ...

    def advance(self, token: str, index: int, chunk: dict[CubeKey, Increments] | None = None) -> bool:
        """Chunk `index` (>= 1) of a begun range, from `chunk` or else from its stored plan; False when
        it was applied before."""
        ...

    def split(self, token: str, records: Sequence[str], owner: str) -> None:
        """Mark `records` (the rest of range `owner`, from the record named by `token`) as applied."""
        ...

    def days(
        self,
        advertiser_id: str,
        dimension: str,
        first_day: str,
        last_day: str,
        attributes: Sequence[str] = (),
    ) -> Iterator[CubeItem]:
        """Every value's item of the days in [first_day, last_day]; only `attributes` when named."""
        ...

    def exact(self, advertiser_id: str, dimension: str, value: str, days: Iterable[str]) -> list[CubeItem]:
        """One value's items of the named days (the days without traffic have none)."""
        ...

    def levels(self, keys: Sequence[CubeKey]) -> dict[CubeKey, Increments]:
        """The items' figures as they stand, read consistently (an item never written is absent)."""
        ...


# How long after `chunk` a `begin` still goes by its moment (they follow each other in one call).
STASH_SECONDS = 60.0

# A plan: {"v": 2, "at": epoch s its range began (null: a fold's, for the cube items), "rows": [...]};
# the first format was the bare rows, for the cube items.
PLAN_FORMAT = 2


def _plan(increments: dict[CubeKey, Increments], begun_at: float | None) -> bytes:
    rows = [
        [k.advertiser_id, k.dimension, k.day, k.value, values] for k, values in sorted(increments.items())
    ]
    body = {"v": PLAN_FORMAT, "at": begun_at, "rows": rows}
    return gzip.compress(json.dumps(body, separators=(",", ":")).encode(), mtime=0)


def _unplan(blob: bytes) -> tuple[dict[CubeKey, Increments], float | None]:
    """A plan's increments and when its range began (None: for the cube items themselves, a fold's
    plan or one of the earlier format)."""
    body = json.loads(gzip.decompress(blob))
    rows, begun_at = (body["rows"], body["at"]) if isinstance(body, dict) else (body, None)
    increments = {
        CubeKey(a, d, day, v): {n: int(x) for n, x in values.items()} for a, d, day, v, values in rows
    }
    return increments, begun_at


def _values(item: dict[str, Any]) -> dict[str, int]:
    return {name: int(value) for name, value in item.items() if name not in ("pk", "sk", "day", "value")}


class CubeRepository:
    """The cube items and, for the days still journaled, their journal (see stats.journal): a range
    puts its increments of today and yesterday in journal items and updates the cube items of older
    days; reads add what a day's journal holds until the fold has moved it in (stats.open_days)."""

    def __init__(self, table: str, client: Any = None, now: Callable[[], datetime] = utc_now) -> None:
        self._table = table
        self._client = client
        self._now = now
        self.journal = JournalReader(table, client)
        self.registry = FoldRegistry(table, client)
        self._open = OpenDays(table, client, self.journal, now, lambda blob: _unplan(blob)[0])
        # The range this instance began last, and when: its further chunks follow in the same call
        self._begun_at: dict[str, float] = {}
        self._chunked_at: float | None = None  # when `chunk` decided which days are journaled

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def marker(self, token: str) -> RangeMarker | None:
        return read_marker(self._c(), self._table, token)

    def chunk(self, increments: dict[CubeKey, Increments]) -> list[dict[CubeKey, Increments]]:
        """The range's transactions: a journaled advertiser-day takes one item (or a few), each other
        key one update."""
        now = self._now()
        self._chunked_at = now.timestamp()
        groups: dict[tuple[str, str] | CubeKey, dict[CubeKey, Increments]] = {}
        for key, values in sorted(increments.items()):
            group: tuple[str, str] | CubeKey = (
                (key.advertiser_id, key.day) if journaled(key.day, now) else key
            )
            groups.setdefault(group, {})[key] = values
        ordered = list(groups.values())
        costs = [journal_items(g) if journaled(next(iter(g)).day, now) else 1 for g in ordered]
        return [{k: v for i in chunk for k, v in ordered[i].items()} for chunk in pack(costs)]

    def begin(self, token: str, records: Sequence[str], chunks: Sequence[dict[CubeKey, Increments]]) -> bool:
        # The moment `chunk` sized the transactions by: journaling decided again a moment later (past
        # a midnight) could turn one journal item into a hundred updates.
        now = self._now().timestamp()
        chunked, self._chunked_at = self._chunked_at, None
        at = chunked if chunked is not None and now - chunked < STASH_SECONDS else now
        first = self._writes(token, 0, chunks[0], at) if chunks else []
        plans = [_plan(chunk, at) for chunk in chunks[1:]]
        begun = begin_range(self._c(), self._table, token, records, first, plans)
        if begun:
            self._begun_at = {token: at}
        return begun

    def advance(self, token: str, index: int, chunk: dict[CubeKey, Increments] | None = None) -> bool:
        at = self._begun_at.get(token)
        if chunk is None or at is None:
            chunk, at = _unplan(read_plan(self._c(), self._table, token, index))
        return apply_planned(self._c(), self._table, token, index, self._writes(token, index, chunk, at))

    def fold(self, token: str, chunks: Sequence[dict[CubeKey, Increments]], expires_in: int) -> bool:
        """Begin a fold (stats.fold): its increments go to the cube items, whatever their day."""
        first = [{"Update": self._update(k, v)} for k, v in sorted(chunks[0].items())] if chunks else []
        plans = [_plan(chunk, None) for chunk in chunks[1:]]
        return begin_range(self._c(), self._table, token, [], first, plans, expires_in)

    def split(self, token: str, records: Sequence[str], owner: str) -> None:
        put_split(self._c(), self._table, token, records, owner)

    def _writes(
        self, token: str, index: int, increments: dict[CubeKey, Increments], begun_at: float | None
    ) -> list[dict[str, Any]]:
        """A chunk's transaction items: journal puts for the days journaled when its range began
        (stats.journal), cube updates for the others (and for every day of a plan made for them)."""
        when = datetime.fromtimestamp(begun_at, UTC) if begun_at is not None else None
        journal: dict[CubeKey, Increments] = {}
        updates = []
        for key, values in sorted(increments.items()):
            if not any(values.values()):
                continue
            if when is not None and journaled(key.day, when):
                journal[key] = values
            else:
                updates.append({"Update": self._update(key, values)})
        if not journal:
            return updates
        written = int(self._now().timestamp() * 1000)
        return [*journal_puts(self._table, token, index, journal, written), *updates]

    def _update(self, key: CubeKey, values: Increments) -> dict[str, Any]:
        names = {"#day": "day", "#value": "value"}
        vals: dict[str, Any] = {":day": {"S": key.day}, ":value": {"S": key.value}}
        adds = []
        for index, (attribute, amount) in enumerate(sorted(values.items())):
            if amount:
                names[f"#a{index}"] = attribute
                vals[f":a{index}"] = {"N": str(amount)}
                adds.append(f"#a{index} :a{index}")
        return {
            "TableName": self._table,
            "Key": {"pk": {"S": key.pk}, "sk": {"S": key.sk}},
            "UpdateExpression": f"SET #day = :day, #value = :value ADD {', '.join(adds)}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": vals,
        }

    def days(
        self,
        advertiser_id: str,
        dimension: str,
        first_day: str,
        last_day: str,
        attributes: Sequence[str] = (),
    ) -> Iterator[CubeItem]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": {
                ":pk": {"S": CubeKey(advertiser_id, dimension, "", "").pk},
                ":lo": {"S": f"{first_day}#"},
                ":hi": {"S": f"{last_day}#\uffff"},
            },
        }
        if attributes:
            wanted = ["day", "value", *attributes]
            request["ProjectionExpression"] = ", ".join(f"#p{i}" for i in range(len(wanted)))
            request["ExpressionAttributeNames"] = {f"#p{i}": name for i, name in enumerate(wanted)}

        def cube() -> list[CubeItem]:
            return [
                CubeItem(item["day"], item["value"], _values(item))
                for item in map(dynamo.decode, dynamo.query(self._c(), request))
            ]

        wanted_names = set(attributes)
        return iter(
            self._with_open_days(
                advertiser_id, days_between(first_day, last_day), cube, dimension, None, wanted_names
            )
        )

    def exact(self, advertiser_id: str, dimension: str, value: str, days: Iterable[str]) -> list[CubeItem]:
        asked = sorted(set(days))
        keys = [CubeKey(advertiser_id, dimension, day, value) for day in asked]

        def cube() -> list[CubeItem]:
            return [
                CubeItem(item["day"], item["value"], _values(item))
                for item in map(
                    dynamo.decode,
                    dynamo.batch_get(
                        self._c(), self._table, [{"pk": {"S": k.pk}, "sk": {"S": k.sk}} for k in keys]
                    ),
                )
            ]

        return self._with_open_days(advertiser_id, asked, cube, dimension, value, set())

    def levels(self, keys: Sequence[CubeKey]) -> dict[CubeKey, Increments]:
        """The items' figures, read consistently: the caps of paid clicks count on what every
        earlier range wrote (stats.cpc)."""
        by_key = {(k.pk, k.sk): k for k in keys}
        found: dict[CubeKey, Increments] = {}
        for advertiser_id in sorted({k.advertiser_id for k in keys}):
            mine = [k for k in keys if k.advertiser_id == advertiser_id]
            for _ in range(READ_ATTEMPTS):
                missing, folding = self._open.missing(
                    advertiser_id, sorted({k.day for k in mine}), consistent=True
                )
                cube = dynamo.batch_get(
                    self._c(),
                    self._table,
                    [{"pk": {"S": k.pk}, "sk": {"S": k.sk}} for k in mine],
                    ConsistentRead=True,
                )
                levels = {
                    by_key[(item["pk"], item["sk"])]: _values(item) for item in map(dynamo.decode, cube)
                }
                if self._open.unchanged(advertiser_id, folding):
                    break
            else:
                raise RetryLater("statistics are being folded; try again")
            for key in mine:
                if key in missing:
                    _merge(levels.setdefault(key, {}), missing[key])
            found.update(levels)
        return found

    def _with_open_days(
        self,
        advertiser_id: str,
        days: list[str],
        cube: Callable[[], list[CubeItem]],
        dimension: str,
        value: str | None,
        names: set[str],
    ) -> list[CubeItem]:
        """The cube items read by `cube`, with what the days' journals and folds in progress add
        (one item per day and value, in key order)."""
        for _ in range(READ_ATTEMPTS):
            missing, folding = self._open.missing(advertiser_id, days)
            items = cube()
            if self._open.unchanged(advertiser_id, folding):
                break
        else:
            raise RetryLater("statistics are being folded; try again")
        if not missing:
            return items
        merged = {(item.day, item.value): dict(item.values) for item in items}
        for key, values in missing.items():
            if key.dimension != dimension or (value is not None and key.value != value):
                continue
            kept = {n: v for n, v in values.items() if not names or n in names}
            _merge(merged.setdefault((key.day, key.value), {}), kept)
        return [CubeItem(day, val, values) for (day, val), values in sorted(merged.items())]


class RetryLater(Exception):
    """A day's fold moved on at every read: the figures could not be read consistently now."""


READ_ATTEMPTS = 5


def _merge(target: Increments, values: Increments) -> None:
    for name, amount in values.items():
        target[name] = target.get(name, 0) + amount


def read_in_parallel[T](jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Run independent reads at once (a dashboard's cubes are separate partitions)."""
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(jobs)))) as pool:
        return list(pool.map(lambda job: job(), jobs))
