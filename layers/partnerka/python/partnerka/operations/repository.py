"""The Operations table (see operations.models for its key shape).

Every change to an operation is one conditional UpdateItem: an attempt is claimed by moving the
attempt count from n to n+1 (so two workers holding copies of one message cannot both send), and its
outcome is written only by the holder of that attempt.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import ValidationFailed
from partnerka.operations.models import (
    AFFILIATE_ENDPOINT,
    NO_OWNER,
    Attempt,
    Operation,
    OperationStatus,
    OperationType,
    RateCounts,
)

_CLAIMABLE = (OperationStatus.PENDING.value, OperationStatus.RETRYING.value)


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Operation]
    cursor: str | None


@dataclass(frozen=True, slots=True)
class Filters:
    status: str = ""
    type: str = ""
    event: str = ""
    advertiser_id: str = ""
    endpoint_id: str = ""  # the deliveries made for one webhook endpoint
    # Leave out the deliveries made for affiliates' own webhook endpoints: what an affiliate asked
    # to be told is its business, not its advertiser's (see postbacks.service.delivery_scope).
    without_affiliate_endpoints: bool = False


class OperationStore(Protocol):
    def create(self, operation: Operation) -> bool:
        """Store a new operation; False (and nothing written) when it exists already."""
        ...

    def get(self, op_id: str) -> Operation | None: ...

    def claim(self, operation: Operation, now: datetime, lease_until: datetime, owner: str) -> bool:
        """Take attempt `operation.attempts + 1`, unless another holder took it or it is not due."""
        ...

    def finish_attempt(
        self,
        operation: Operation,
        attempt: Attempt,
        status: OperationStatus,
        next_attempt_at: datetime | None,
        owner: str,
    ) -> bool: ...

    def replay(self, op_id: str, now: datetime, extra_attempts: int) -> Operation | None:
        """Give an operation `extra_attempts` more, due now, carried by whichever message comes next;
        None when an attempt of it is in flight."""
        ...

    def mark_dead_lettered(self, op_id: str) -> None: ...

    def record_batch(self, operation: Operation) -> None: ...

    def count(self, type: OperationType, at: datetime, **counters: int) -> None: ...


class OperationLog(OperationStore, Protocol):
    """The operations as people page through them, newest first (`cursor`: where a page ended)."""

    def of_affiliate(
        self, affiliate_id: str, advertiser_id: str, filters: Filters, limit: int, cursor: str | None
    ) -> Page: ...

    def of_advertiser(self, advertiser_id: str, filters: Filters, limit: int, cursor: str | None) -> Page: ...

    def recent(
        self, now: datetime, filters: Filters, limit: int, cursor: str | None, days: int = 7
    ) -> Page: ...


# Each index's partition attribute; its keys are these, the table's `pk` and the sort key `created_at`.
_INDEX_HASH = {"recent": "day", "by_advertiser": "adv", "by_affiliate": "aff_adv", "open": "open_type"}
_DAY = re.compile(r"D#\d{4}-\d{2}-\d{2}")


def _encode_cursor(key: dict[str, Any] | None, day: str = "") -> str | None:
    """Where the next page starts: an index key, and for the day-by-day listing, the day."""
    if not key and not day:
        return None
    return base64.urlsafe_b64encode(json.dumps({"k": key, "d": day}).encode()).decode()


def _decode_cursor(cursor: str | None) -> tuple[dict[str, Any] | None, str]:
    """The cursor's index key and day. A cursor comes back from a caller, who may have forged it: it
    must hold exactly one index's key, of strings, or DynamoDB would fail on it (see `_check_start`
    for the rest)."""
    if not cursor:
        return None, ""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        key, day = raw["k"], raw.get("d", "")
        if not isinstance(day, str) or (day and not _DAY.fullmatch(day)):
            raise TypeError
        if key is None:
            return None, day
        names = set(key) - {"pk", "created_at"}
        if (
            len(names) != 1
            or names.pop() not in _INDEX_HASH.values()
            or len(key) != 3
            or any(not isinstance(value, dict) or set(value) != {"S"} for value in key.values())
            or any(not isinstance(value["S"], str) or not value["S"] for value in key.values())
            or not key["pk"]["S"].startswith("OP#")
        ):
            raise TypeError
        parse_iso(key["created_at"]["S"])
        return key, day
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValidationFailed("the cursor is not valid") from None


def _check_start(request: dict[str, Any], start: dict[str, Any] | None) -> None:
    """A cursor's key must belong to the key range being read (another range's key is forged)."""
    if start is None:
        return
    hash_name = _INDEX_HASH[request["IndexName"]]
    if start.get(hash_name) != request["ExpressionAttributeValues"][":k"]:
        raise ValidationFailed("the cursor is not valid")


class OperationsRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def create(self, operation: Operation) -> bool:
        client = self._c()
        try:
            client.put_item(
                TableName=self._table,
                Item=dynamo.encode(operation.as_item()),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get(self, op_id: str) -> Operation | None:
        item = (
            self._c()
            .get_item(TableName=self._table, Key={"pk": {"S": f"OP#{op_id}"}}, ConsistentRead=True)
            .get("Item")
        )
        return Operation.from_item(dynamo.decode(item)) if item else None

    def get_many(self, op_ids: list[str]) -> list[Operation]:
        """The operations that exist among `op_ids` (one BatchGetItem per 100), in no set order."""
        keys = [{"pk": {"S": f"OP#{op_id}"}} for op_id in dict.fromkeys(op_ids)]
        return [
            Operation.from_item(dynamo.decode(raw)) for raw in dynamo.batch_get(self._c(), self._table, keys)
        ]

    def _update(self, op_id: str, **request: Any) -> dict[str, Any] | None:
        """One conditional update; the new item, or None when the condition did not hold."""
        client = self._c()
        try:
            response = client.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"OP#{op_id}"}},
                ReturnValues="ALL_NEW",
                **request,
            )
        except client.exceptions.ConditionalCheckFailedException:
            return None
        return dynamo.decode(response["Attributes"])

    def claim(self, operation: Operation, now: datetime, lease_until: datetime, owner: str) -> bool:
        found = self._update(
            operation.op_id,
            UpdateExpression="SET attempts = :n, lease_until = :lease, #owner = :owner, updated_at = :now",
            ConditionExpression=(
                "attempts = :prev AND attempts < max_attempts AND #status IN (:pending, :retrying)"
                " AND (attribute_not_exists(lease_until) OR lease_until < :now)"
                " AND (attribute_not_exists(next_attempt_at) OR next_attempt_at <= :now)"
            ),
            ExpressionAttributeNames={"#status": "status", "#owner": "owner"},
            ExpressionAttributeValues=dynamo.encode(
                {
                    ":n": operation.attempts + 1,
                    ":prev": operation.attempts,
                    ":lease": iso_millis(lease_until),
                    ":owner": owner,
                    ":now": iso_millis(now),
                    ":pending": _CLAIMABLE[0],
                    ":retrying": _CLAIMABLE[1],
                }
            ),
        )
        return found is not None

    def finish_attempt(
        self,
        operation: Operation,
        attempt: Attempt,
        status: OperationStatus,
        next_attempt_at: datetime | None,
        owner: str,
    ) -> bool:
        values: dict[str, Any] = {
            ":n": attempt.number,
            ":owner": owner,
            ":status": status.value,
            ":now": iso_millis(attempt.at),
            ":attempt": [attempt.as_item()],
            ":empty": [],
        }
        sets = [
            "#status = :status",
            "updated_at = :now",
            "history = list_append(if_not_exists(history, :empty), :attempt)",
        ]
        removes = ["lease_until"]
        if attempt.ok:
            removes.append("last_error")
        else:
            sets.append("last_error = :error")
            values[":error"] = attempt.error or attempt.error_class or "failed"
        if next_attempt_at is not None:
            sets.append("next_attempt_at = :next")
            values[":next"] = iso_millis(next_attempt_at)
        else:
            removes.append("next_attempt_at")
        if status in (OperationStatus.SUCCESS, OperationStatus.FAILED):
            sets.append("finished_at = :now")
            removes.append("open_type")
        found = self._update(
            operation.op_id,
            UpdateExpression=f"SET {', '.join(sets)} REMOVE {', '.join(removes)}",
            ConditionExpression="attempts = :n AND #owner = :owner",
            ExpressionAttributeNames={"#status": "status", "#owner": "owner"},
            ExpressionAttributeValues=dynamo.encode(values),
        )
        return found is not None

    def replay(self, op_id: str, now: datetime, extra_attempts: int) -> Operation | None:
        found = self._update(
            op_id,
            UpdateExpression=(
                "SET #status = :retrying, max_attempts = attempts + :extra, next_attempt_at = :now,"
                " updated_at = :now, open_type = #type, #owner = :none ADD replays :one"
                " REMOVE finished_at, lease_until, dead_lettered"
            ),
            ConditionExpression=(
                "attribute_exists(pk) AND (#status IN (:success, :failed)"
                " OR attribute_not_exists(lease_until) OR lease_until < :now)"
            ),
            ExpressionAttributeNames={"#status": "status", "#owner": "owner", "#type": "type"},
            ExpressionAttributeValues={
                ":retrying": {"S": OperationStatus.RETRYING.value},
                ":extra": {"N": str(extra_attempts)},
                ":now": {"S": iso_millis(now)},
                ":none": {"S": NO_OWNER},
                ":one": {"N": "1"},
                ":success": {"S": OperationStatus.SUCCESS.value},
                ":failed": {"S": OperationStatus.FAILED.value},
            },
        )
        return Operation.from_item(found) if found else None

    def mark_dead_lettered(self, op_id: str) -> None:
        self._c().update_item(
            TableName=self._table,
            Key={"pk": {"S": f"OP#{op_id}"}},
            UpdateExpression="SET dead_lettered = :yes",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":yes": {"BOOL": True}},
        )

    def record_batch(self, operation: Operation) -> None:
        """A stats batch: created on its first run, its attempts counted on every run of it."""
        item = {
            name: value
            for name, value in operation.as_item().items()
            if value not in (None, "", []) and name not in ("pk", "attempts", "history")
        }
        first_run_only = {"created_at", "day", "expires_at"}
        sets = [f"#{n} = if_not_exists(#{n}, :{n})" if n in first_run_only else f"#{n} = :{n}" for n in item]
        cleared = [n for n in ("last_error", "open_type", "finished_at") if n not in item]
        update = f"SET {', '.join(sets)} ADD attempts :one"
        if cleared:
            update += " REMOVE " + ", ".join(f"#{n}" for n in cleared)
        self._c().update_item(
            TableName=self._table,
            Key={"pk": {"S": f"OP#{operation.op_id}"}},
            UpdateExpression=update,
            ExpressionAttributeNames={f"#{n}": n for n in [*item, *cleared]},
            ExpressionAttributeValues={
                **dynamo.encode({f":{n}": v for n, v in item.items()}),
                ":one": {"N": "1"},
            },
        )

    # ------------------------------------------------------------------ failure rates
    def count(self, type: OperationType, at: datetime, **counters: int) -> None:
        wanted = {name: amount for name, amount in counters.items() if amount}
        if not wanted:
            return
        self._c().update_item(
            TableName=self._table,
            Key={"pk": {"S": f"RATE#{type.value}#{at:%Y-%m-%dT%H}"}},
            UpdateExpression="ADD " + ", ".join(f"#{n} :{n}" for n in wanted) + " SET expires_at = :exp",
            ExpressionAttributeNames={f"#{n}": n for n in wanted},
            ExpressionAttributeValues={
                **{f":{n}": {"N": str(v)} for n, v in wanted.items()},
                ":exp": {"N": str(int(at.timestamp()) + 8 * 86400)},
            },
        )

    def rates(self, type: OperationType, now: datetime, hours: int) -> list[RateCounts]:
        """The last `hours` clock hours of one type, oldest first (hours without work are zeros)."""
        wanted = [f"{now - timedelta(hours=h):%Y-%m-%dT%H}" for h in range(hours - 1, -1, -1)]
        found: dict[str, dict[str, Any]] = {}
        keys = [{"pk": {"S": f"RATE#{type.value}#{hour}"}} for hour in wanted]
        for item in map(dynamo.decode, dynamo.batch_get(self._c(), self._table, keys)):
            found[item["pk"].rsplit("#", 1)[-1]] = item
        return [
            RateCounts(
                hour=hour,
                attempts=int(found.get(hour, {}).get("attempts", 0)),
                failures=int(found.get(hour, {}).get("failures", 0)),
                succeeded=int(found.get(hour, {}).get("succeeded", 0)),
                failed=int(found.get(hour, {}).get("failed", 0)),
            )
            for hour in wanted
        ]

    # ------------------------------------------------------------------ reading through the indexes
    def _pages(
        self, request: dict[str, Any], filters: Filters, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[Operation], dict[str, Any] | None]:
        conditions, names, values = [], {}, {}
        for field_name in ("status", "type", "event", "advertiser_id", "endpoint_id"):
            wanted = getattr(filters, field_name)
            if wanted:
                conditions.append(f"#f_{field_name} = :f_{field_name}")
                names[f"#f_{field_name}"] = field_name
                values[f":f_{field_name}"] = {"S": wanted}
        if filters.without_affiliate_endpoints:
            conditions.append("(attribute_not_exists(#f_owner) OR #f_owner <> :f_owner)")
            names["#f_owner"] = "endpoint_owner"
            values[":f_owner"] = {"S": AFFILIATE_ENDPOINT}
        _check_start(request, start)
        request = {"TableName": self._table, "ScanIndexForward": False, **request}
        if conditions:
            request["FilterExpression"] = " AND ".join(conditions)
            request["ExpressionAttributeNames"] = {**request.get("ExpressionAttributeNames", {}), **names}
            request["ExpressionAttributeValues"] = {**request["ExpressionAttributeValues"], **values}
        items, key = dynamo.query_page(
            self._c(), request, limit, start, ("pk", _INDEX_HASH[request["IndexName"]], "created_at")
        )
        return [Operation.from_item(dynamo.decode(raw)) for raw in items], key

    def of_affiliate(
        self, affiliate_id: str, advertiser_id: str, filters: Filters, limit: int, cursor: str | None
    ) -> Page:
        start, _ = _decode_cursor(cursor)
        items, key = self._pages(
            {
                "IndexName": "by_affiliate",
                "KeyConditionExpression": "aff_adv = :k",
                "ExpressionAttributeValues": {":k": {"S": f"{affiliate_id}#{advertiser_id}"}},
            },
            filters,
            limit,
            start,
        )
        return Page(items, _encode_cursor(key))

    def of_advertiser(self, advertiser_id: str, filters: Filters, limit: int, cursor: str | None) -> Page:
        start, _ = _decode_cursor(cursor)
        items, key = self._pages(
            {
                "IndexName": "by_advertiser",
                "KeyConditionExpression": "adv = :k",
                "ExpressionAttributeValues": {":k": {"S": advertiser_id}},
            },
            filters,
            limit,
            start,
        )
        return Page(items, _encode_cursor(key))

    def recent(self, now: datetime, filters: Filters, limit: int, cursor: str | None, days: int = 7) -> Page:
        """Newest first across the last `days` days (one key range per day)."""
        start, from_day = _decode_cursor(cursor)
        day_names = [f"D#{now - timedelta(days=d):%Y-%m-%d}" for d in range(days)]
        if from_day:
            if from_day not in day_names:
                return Page([], None)
            day_names = day_names[day_names.index(from_day) :]
        found: list[Operation] = []
        for day in day_names:
            items, key = self._pages(
                {
                    "IndexName": "recent",
                    "KeyConditionExpression": "#day = :k",
                    "ExpressionAttributeNames": {"#day": "day"},
                    "ExpressionAttributeValues": {":k": {"S": day}},
                },
                filters,
                limit - len(found),
                start,
            )
            found.extend(items)
            start = None
            if key:
                return Page(found, _encode_cursor(key, day))
            if len(found) >= limit:
                later = day_names[day_names.index(day) + 1 :]
                return Page(found, _encode_cursor(None, later[0]) if later else None)
        return Page(found, None)

    def open_of(self, type: OperationType, limit: int, cursor: str | None) -> Page:
        """Operations of this type that can still run, oldest first: their keys from the sparse
        `open` index (keys only), the operations themselves in one BatchGetItem."""
        start, _ = _decode_cursor(cursor)
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": "open",
            "KeyConditionExpression": "open_type = :k",
            "ExpressionAttributeValues": {":k": {"S": type.value}},
            "Limit": limit,
        }
        _check_start(request, start)
        if start:
            request["ExclusiveStartKey"] = start
        page = self._c().query(**request)
        op_ids = [raw["pk"]["S"].removeprefix("OP#") for raw in page.get("Items", [])]
        found = sorted(
            (op for op in self.get_many(op_ids) if not op.terminal), key=lambda op: (op.created_at, op.op_id)
        )
        return Page(found, _encode_cursor(page.get("LastEvaluatedKey")))

    def oldest_open(self, type: OperationType) -> datetime | None:
        """When the oldest operation of this type that can still run was created."""
        items = (
            self._c()
            .query(
                TableName=self._table,
                IndexName="open",
                KeyConditionExpression="open_type = :t",
                ExpressionAttributeValues={":t": {"S": type.value}},
                Limit=1,
            )
            .get("Items", [])
        )
        return parse_iso(items[0]["created_at"]["S"]) if items else None
