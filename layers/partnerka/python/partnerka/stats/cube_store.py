"""The statistics cubes in the Stats table (see stats.cube for their key shape)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.stats.cube import CubeKey
from partnerka.stats.models import Increments
from partnerka.stats.repository import (
    RangeMarker,
    apply_planned,
    begin_range,
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


def _plan(increments: dict[CubeKey, Increments]) -> bytes:
    rows = [
        [k.advertiser_id, k.dimension, k.day, k.value, values] for k, values in sorted(increments.items())
    ]
    return gzip.compress(json.dumps(rows, separators=(",", ":")).encode(), mtime=0)


def _unplan(blob: bytes) -> dict[CubeKey, Increments]:
    rows = json.loads(gzip.decompress(blob))
    return {CubeKey(a, d, day, v): {n: int(x) for n, x in values.items()} for a, d, day, v, values in rows}


def _values(item: dict[str, Any]) -> dict[str, int]:
    return {name: int(value) for name, value in item.items() if name not in ("pk", "sk", "day", "value")}


class CubeRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def marker(self, token: str) -> RangeMarker | None:
        return read_marker(self._c(), self._table, token)

    def begin(self, token: str, records: Sequence[str], chunks: Sequence[dict[CubeKey, Increments]]) -> bool:
        first = self._updates(chunks[0]) if chunks else []
        plans = [_plan(chunk) for chunk in chunks[1:]]
        return begin_range(self._c(), self._table, token, records, first, plans)

    def advance(self, token: str, index: int, chunk: dict[CubeKey, Increments] | None = None) -> bool:
        if chunk is None:
            chunk = _unplan(read_plan(self._c(), self._table, token, index))
        return apply_planned(self._c(), self._table, token, index, self._updates(chunk))

    def split(self, token: str, records: Sequence[str], owner: str) -> None:
        put_split(self._c(), self._table, token, records, owner)

    def _updates(self, increments: dict[CubeKey, Increments]) -> list[dict[str, Any]]:
        return [
            self._update(key, values) for key, values in sorted(increments.items()) if any(values.values())
        ]

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
        for item in map(dynamo.decode, dynamo.query(self._c(), request)):
            yield CubeItem(item["day"], item["value"], _values(item))

    def exact(self, advertiser_id: str, dimension: str, value: str, days: Iterable[str]) -> list[CubeItem]:
        keys = [CubeKey(advertiser_id, dimension, day, value) for day in sorted(set(days))]
        found = [
            CubeItem(item["day"], item["value"], _values(item))
            for item in map(
                dynamo.decode,
                dynamo.batch_get(
                    self._c(), self._table, [{"pk": {"S": k.pk}, "sk": {"S": k.sk}} for k in keys]
                ),
            )
        ]
        return sorted(found, key=lambda item: item.day)

    def levels(self, keys: Sequence[CubeKey]) -> dict[CubeKey, Increments]:
        """The items' figures, read consistently: the caps of paid clicks count on what every
        earlier range wrote (stats.cpc)."""
        by_key = {(k.pk, k.sk): k for k in keys}
        found = dynamo.batch_get(
            self._c(),
            self._table,
            [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in by_key],
            ConsistentRead=True,
        )
        return {by_key[(item["pk"], item["sk"])]: _values(item) for item in map(dynamo.decode, found)}


def read_in_parallel[T](jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Run independent reads at once (a dashboard's cubes are separate partitions)."""
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(jobs)))) as pool:
        return list(pool.map(lambda job: job(), jobs))
