"""The Stats table's once-only ranges: a stream's records applied to the cubes exactly once, however
Lambda splits, retries, shortens, lengthens or repeats the batches that carry them.

A range is a run of consecutive records of one shard that the orchestrator applied together: their
increments, aggregated, in one or more transactions (a chunk each, at most 100 items). Items:

    PK `BATCH#<token>`  SK `BATCH`     the marker of the range whose first record has this token:
                                       `records` (the event ids of its records, in order, gzipped),
                                       `owner` (the token of the range that holds its chunks: itself,
                                       or, for the rest of a range a shorter redelivery cut, that
                                       range's), `chunks` and `done` (chunks applied)
    PK `BATCH#<token>`  SK `PLAN#<i>`  chunk i's increments (i >= 1), written with chunk 0

Chunk 0 creates the marker (`attribute_not_exists`) and the plans of the other chunks in one
transaction; chunk i moves `done` from i to i + 1. So a range is either not begun, or begun and
finishable from its plans alone, by any later delivery, even one that no longer carries all its
records (Lambda's bisect-on-error hands a failed batch back in halves). Everything here expires
after MARKER_TTL_SECONDS, longer than a stream keeps records (24 h) plus retries. (botocore gives
each transaction an idempotency token of its own, so its retry of a transaction whose answer was
lost applies nothing twice; the conditions on the marker cover every later attempt.)
"""

from __future__ import annotations

import gzip
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_ITEMS_PER_TRANSACTION = 100  # DynamoDB's limit; one of them is always the marker
MAX_KEYS_PER_TRANSACTION = MAX_ITEMS_PER_TRANSACTION - 1
MARKER_TTL_SECONDS = 2 * 86400


@dataclass(frozen=True, slots=True)
class RangeMarker:
    """A begun range: its records' event ids in stream order, and how far its chunks got."""

    token: str
    records: tuple[str, ...]
    owner: str  # the token whose chunks (and plans) these records' increments are in
    chunks: int
    done: int

    @property
    def finished(self) -> bool:
        return self.done >= self.chunks


def chunk_sizes(keys: int) -> list[int]:
    """How many cube items each transaction of a range carries: chunk 0 also carries the marker and
    one plan item per further chunk, the others the marker's update only. [] when nothing to write."""
    return [len(chunk) for chunk in pack([1] * keys)]


def key_chunks[K, V](items: dict[K, V]) -> list[dict[K, V]]:
    """`items` (one cube update each) split into a range's transactions, in key order."""
    keys = sorted(items)  # type: ignore[type-var]
    return [{keys[i]: items[keys[i]] for i in chunk} for chunk in pack([1] * len(keys))]


def pack(costs: Sequence[int]) -> list[list[int]]:
    """The indexes of `costs` (transaction items each group of writes takes), in order, packed into
    a range's transactions: chunk 0 also carries the marker and one plan item per further chunk, the
    others the marker's update only. [] when nothing to write."""
    if any(cost > MAX_KEYS_PER_TRANSACTION for cost in costs):
        raise ValueError("a group of writes larger than a transaction")
    chunks = 1
    while True:
        packed: list[list[int]] = [[]]
        room = MAX_KEYS_PER_TRANSACTION - (chunks - 1)
        for index, cost in enumerate(costs):
            if cost > room:
                packed.append([])
                room = MAX_KEYS_PER_TRANSACTION
            packed[-1].append(index)
            room -= cost
        if len(packed) <= chunks:
            return packed if costs else []
        chunks = len(packed)


def marker_key(token: str) -> dict[str, Any]:
    return {"pk": {"S": f"BATCH#{token}"}, "sk": {"S": "BATCH"}}


def plan_key(token: str, index: int) -> dict[str, Any]:
    return {"pk": {"S": f"BATCH#{token}"}, "sk": {"S": f"PLAN#{index}"}}


def _pack(records: Sequence[str]) -> bytes:
    return gzip.compress("\n".join(records).encode(), mtime=0)


def _unpack(blob: bytes) -> tuple[str, ...]:
    text = gzip.decompress(blob).decode()
    return tuple(text.split("\n")) if text else ()


def _expiry(seconds: int = MARKER_TTL_SECONDS) -> dict[str, str]:
    return {"N": str(int(time.time()) + seconds)}


# Concurrent ranges (other shards, the fold) may update the same cube items at once: DynamoDB then
# cancels one transaction with a TransactionConflict. It is tried again, a bounded number of times
# with a growing, jittered pause; past that the range fails and the stream retries it.
CONFLICT_RETRIES = 6


def _transact(client: Any, items: list[dict[str, Any]]) -> None:
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            client.transact_write_items(TransactItems=items)
            return
        except Exception as error:
            if attempt == CONFLICT_RETRIES or not _conflicted(client, error):
                raise
            time.sleep(random.uniform(0, 0.05 * 2**attempt))


def _conflicted(client: Any, error: Exception) -> bool:
    if isinstance(error, client.exceptions.TransactionConflictException):
        return True
    if not isinstance(error, client.exceptions.TransactionCanceledException):
        return False
    reasons = getattr(error, "response", {}).get("CancellationReasons") or []
    codes = {reason.get("Code") for reason in reasons}
    return "TransactionConflict" in codes and "ConditionalCheckFailed" not in codes


def read_marker(client: Any, table: str, token: str) -> RangeMarker | None:
    item = client.get_item(TableName=table, Key=marker_key(token), ConsistentRead=True).get("Item")
    if not item:
        return None
    return RangeMarker(
        token=token,
        records=_unpack(item["records"]["B"]),
        owner=item["owner"]["S"],
        chunks=int(item["chunks"]["N"]),
        done=int(item["done"]["N"]),
    )


def _cancelled_by_condition(client: Any, error: Exception, position: int) -> bool:
    if not isinstance(error, client.exceptions.TransactionCanceledException):
        return False
    reasons = getattr(error, "response", {}).get("CancellationReasons") or []
    return len(reasons) > position and reasons[position].get("Code") == "ConditionalCheckFailed"


def begin_range(
    client: Any,
    table: str,
    token: str,
    records: Sequence[str],
    first: list[dict[str, Any]],
    plans: Sequence[bytes],
    expires_in: int = MARKER_TTL_SECONDS,
) -> bool:
    """Chunk 0 of a new range (`first`: its transaction items, cube updates or journal puts), its
    marker and the plans of its other chunks, in one transaction (the marker alone when there is
    nothing to count). False when the range was begun before (its marker exists)."""
    if len(first) + len(plans) + 1 > MAX_ITEMS_PER_TRANSACTION or (plans and not first):
        raise ValueError("not a first chunk of a range")
    item = {
        **marker_key(token),
        "records": {"B": _pack(records)},
        "owner": {"S": token},
        "chunks": {"N": str(len(plans) + 1 if first else 0)},
        "done": {"N": "1" if first else "0"},
        "expires_at": _expiry(expires_in),
    }
    if not first:  # nothing to count: the marker alone, in a plain conditional put (half the cost)
        try:
            client.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(pk)")
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True
    marker = {"Put": {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}
    plan_items = [
        {
            "Put": {
                "TableName": table,
                "Item": {**plan_key(token, index), "plan": {"B": plan}, "expires_at": _expiry(expires_in)},
            }
        }
        for index, plan in enumerate(plans, start=1)
    ]
    try:
        _transact(client, [marker, *plan_items, *first])
    except Exception as error:
        if _cancelled_by_condition(client, error, 0):
            return False
        raise
    return True


def apply_planned(client: Any, table: str, token: str, index: int, writes: list[dict[str, Any]]) -> bool:
    """Chunk `index` (>= 1) of a begun range (`writes`: its transaction items), moving its marker's
    `done` from `index` to `index + 1` in the same transaction. False when the chunk was applied
    before."""
    if index < 1 or len(writes) + 1 > MAX_ITEMS_PER_TRANSACTION:
        raise ValueError("not a further chunk of a range")
    marker = {
        "Update": {
            "TableName": table,
            "Key": marker_key(token),
            "UpdateExpression": "SET done = :next",
            "ConditionExpression": "done = :index",
            "ExpressionAttributeValues": {":next": {"N": str(index + 1)}, ":index": {"N": str(index)}},
        }
    }
    try:
        _transact(client, [marker, *writes])
    except Exception as error:
        if _cancelled_by_condition(client, error, 0):
            return False
        raise
    return True


def read_plan(client: Any, table: str, token: str, index: int) -> bytes:
    item = client.get_item(TableName=table, Key=plan_key(token, index), ConsistentRead=True).get("Item")
    if not item:
        raise LookupError(f"range {token} has no plan for chunk {index}")
    return bytes(item["plan"]["B"])


def put_split(client: Any, table: str, token: str, records: Sequence[str], owner: str) -> None:
    """The marker of the rest of a range that a shorter delivery cut at the record named by `token`:
    those records are in `owner`'s chunks already. Written once; a marker already there stays."""
    try:
        client.put_item(
            TableName=table,
            Item={
                **marker_key(token),
                "records": {"B": _pack(records)},
                "owner": {"S": owner},
                "chunks": {"N": "0"},
                "done": {"N": "0"},
                "expires_at": _expiry(),
            },
            ConditionExpression="attribute_not_exists(pk)",
        )
    except client.exceptions.ConditionalCheckFailedException:
        return
