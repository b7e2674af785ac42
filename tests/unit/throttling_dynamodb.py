"""A DynamoDB stand-in that throttles a hot partition key the way DynamoDB does, on a simulated clock.

DynamoDB takes about 1,000 write units a second on one partition key; past that it refuses the write
with ProvisionedThroughputExceededException (a transaction: TransactionCanceledException with a
`ThrottlingError` reason for the throttled item). This client speaks the low-level client's calls the
cap counters make (UpdateItem, TransactWriteItems, GetItem, BatchGetItem) and raises botocore's own exception
classes with the response botocore would parse, so the repository's handling of them is what runs.

Costs as DynamoDB charges them for items under 1 KB: an UpdateItem one unit, failed condition or not;
a transaction two units an item. A throttled request costs nothing and changes nothing. Only the
expressions the cap counters write are understood; anything else fails loudly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import botocore.session

Key = tuple[str, str]
_CLIENT = botocore.session.Session().create_client(
    "dynamodb", region_name="eu-west-1", aws_access_key_id="fake", aws_secret_access_key="fake"
)
_ROOM = "attribute_not_exists(n) OR n <= :room"
_SEEN = "n = :seen"
_UPDATE = re.compile(r"^ADD n (:\w+)(?: SET expires_at = (:\w+))?$")


class ThrottlingDynamoDB:
    def __init__(self, clock: Callable[[], float], units_per_second: int = 1000) -> None:
        self.exceptions = _CLIENT.exceptions
        self.items: dict[Key, dict[str, Any]] = {}
        self.units: Counter[tuple[str, int]] = Counter()  # (partition key, whole second) → units
        self.calls: Counter[str] = Counter()
        self.throttled = 0
        self._clock = clock
        self._limit = units_per_second

    def level(self, pk: str, sk: str) -> int:
        return int(self.items.get((pk, sk), {}).get("n", {}).get("N", "0"))

    def busiest_second(self) -> int:
        """The most write units one partition key took in one second."""
        return max(self.units.values(), default=0)

    def update_item(self, **request: Any) -> dict[str, Any]:
        self.calls["UpdateItem"] += 1
        key = _key(request)
        if not self._charge([key[0]], 1):
            self.throttled += 1
            raise self._error(
                "ProvisionedThroughputExceededException",
                "UpdateItem",
                "The level of configured provisioned throughput for the table was exceeded.",
            )
        old = self.items.get(key)
        if not self._holds(request, old):
            extra = {"Item": dict(old)} if old and request.get("ReturnValuesOnConditionCheckFailure") else {}
            raise self._error(
                "ConditionalCheckFailedException", "UpdateItem", "The conditional request failed", extra
            )
        new = self._apply(request, old)
        return {"Attributes": {"n": new["n"]}} if request.get("ReturnValues") == "UPDATED_NEW" else {}

    def transact_write_items(self, TransactItems: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
        self.calls["TransactWriteItems"] += 1
        updates = [entry["Update"] for entry in TransactItems]
        keys = [_key(update) for update in updates]
        assert len(set(keys)) == len(keys), "a transaction names an item twice"
        throttled = [not self._affordable(key[0], 2) for key in keys]
        if any(throttled):
            self.throttled += 1
            raise self._cancelled([{"Code": "ThrottlingError"} if t else {"Code": "None"} for t in throttled])
        for key in keys:
            self._charge([key[0]], 2)
        reasons, failed = [], False
        for update, key in zip(updates, keys, strict=True):
            old = self.items.get(key)
            if self._holds(update, old):
                reasons.append({"Code": "None"})
                continue
            failed = True
            reason: dict[str, Any] = {
                "Code": "ConditionalCheckFailed",
                "Message": "The conditional request failed",
            }
            if old and update.get("ReturnValuesOnConditionCheckFailure"):
                reason["Item"] = dict(old)
            reasons.append(reason)
        if failed:
            raise self._cancelled(reasons)
        for update, key in zip(updates, keys, strict=True):
            self._apply(update, self.items.get(key))
        return {}

    def get_item(self, TableName: str, Key: dict[str, Any], ConsistentRead: bool = False) -> dict[str, Any]:  # noqa: N803
        self.calls["GetItem"] += 1
        item = self.items.get(_key_of(Key))
        return {"Item": dict(item)} if item else {}

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
        self.calls["BatchGetItem"] += 1
        [(table, request)] = RequestItems.items()
        assert len(request["Keys"]) <= 100
        found = [dict(self.items[k]) for k in map(_key_of, request["Keys"]) if k in self.items]
        return {"Responses": {table: found}, "UnprocessedKeys": {}}

    def _affordable(self, pk: str, units: int) -> bool:
        return self.units[(pk, int(self._clock()))] + units <= self._limit

    def _charge(self, pks: list[str], units: int) -> bool:
        if not all(self._affordable(pk, units) for pk in pks):
            return False
        for pk in pks:
            self.units[(pk, int(self._clock()))] += units
        return True

    def _holds(self, request: dict[str, Any], old: dict[str, Any] | None) -> bool:
        values = request["ExpressionAttributeValues"]
        level = None if old is None or "n" not in old else int(old["n"]["N"])
        condition = request["ConditionExpression"]
        if condition == _ROOM:
            return level is None or level <= int(values[":room"]["N"])
        if condition == _SEEN:
            return level == int(values[":seen"]["N"])
        raise AssertionError(f"condition not understood: {condition}")

    def _apply(self, request: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
        match = _UPDATE.match(request["UpdateExpression"])
        assert match, f"update not understood: {request['UpdateExpression']}"
        values = request["ExpressionAttributeValues"]
        item = dict(old or {"pk": request["Key"]["pk"], "sk": request["Key"]["sk"]})
        item["n"] = {"N": str(int(item.get("n", {"N": "0"})["N"]) + int(values[match[1]]["N"]))}
        if match[2]:
            item["expires_at"] = values[match[2]]
        self.items[_key(request)] = item
        return item

    def _cancelled(self, reasons: list[dict[str, Any]]) -> Exception:
        codes = ", ".join(reason["Code"] for reason in reasons)
        return self._error(
            "TransactionCanceledException",
            "TransactWriteItems",
            f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
            {"CancellationReasons": reasons},
        )

    def _error(
        self, code: str, operation: str, message: str, extra: dict[str, Any] | None = None
    ) -> Exception:
        response = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 400}}
        error_class = getattr(self.exceptions, code)
        return error_class({**response, **(extra or {})}, operation)  # type: ignore[no-any-return]


def _key(request: dict[str, Any]) -> Key:
    return _key_of(request["Key"])


def _key_of(key: dict[str, Any]) -> Key:
    return key["pk"]["S"], key["sk"]["S"]
