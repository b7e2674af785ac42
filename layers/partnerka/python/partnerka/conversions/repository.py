"""The Conversions table: written once per conversion under its dedupe key, then moved between
statuses only by conditional updates (the status it leaves is the condition)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis
from partnerka.conversions.models import Conversion, ConversionStatus


class ConversionStore(Protocol):
    def insert(self, conversion: Conversion) -> str | None:
        """Store a new conversion; on a duplicate, store nothing and return the existing id."""
        ...

    def get(self, dedupe_key: str) -> Conversion | None: ...

    def transition(
        self, conversion: Conversion, to: ConversionStatus, reason: str | None, now: datetime
    ) -> bool:
        """Move the conversion from its current status, unless somebody moved it first."""
        ...


class ConversionLookup(ConversionStore, Protocol):
    def by_id(self, conversion_id: str) -> Conversion | None: ...

    def by_txn(self, advertiser_id: str, txn_id: str) -> list[Conversion]: ...


class HoldStore(ConversionStore, Protocol):
    def due_holds(self, months: list[str], now: datetime) -> Iterable[Conversion]: ...


class ConversionRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def insert(self, conversion: Conversion) -> str | None:
        client = self._c()
        try:
            client.put_item(
                TableName=self._table,
                Item=dynamo.encode(conversion.as_item()),
                ConditionExpression="attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except client.exceptions.ConditionalCheckFailedException as error:
            existing = getattr(error, "response", {}).get("Item") or {}
            return str(existing.get("conversion_id", {}).get("S", "")) or conversion.dedupe_key
        return None

    def get(self, dedupe_key: str) -> Conversion | None:
        item = (
            self._c()
            .get_item(TableName=self._table, Key={"pk": {"S": dedupe_key}}, ConsistentRead=True)
            .get("Item")
        )
        return Conversion.from_item(dynamo.decode(item)) if item else None

    def transition(
        self, conversion: Conversion, to: ConversionStatus, reason: str | None, now: datetime
    ) -> bool:
        client = self._c()
        names = {"#s": "status"}
        values: dict[str, Any] = {
            ":to": {"S": to.value},
            ":from": {"S": conversion.status.value},
            ":now": {"S": iso_millis(now)},
        }
        update = "SET #s = :to, updated_at = :now"
        if reason:
            update += ", reason = :reason"
            values[":reason"] = {"S": reason}
        # A decided conversion leaves the sparse indexes: the hold index, and the review queue.
        leaves = ["hold_month"] if to is not ConversionStatus.HOLD else []
        if to in (ConversionStatus.APPROVED, ConversionStatus.REJECTED):
            leaves.append("review_queue")
        if leaves:
            update += " REMOVE " + ", ".join(leaves)
        try:
            client.update_item(
                TableName=self._table,
                Key={"pk": {"S": conversion.dedupe_key}},
                UpdateExpression=update,
                ConditionExpression="#s = :from",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    # ------------------------------------------------------------------ reading through the indexes
    def _query(self, request: dict[str, Any], limit: int | None = None) -> Iterator[Conversion]:
        for raw in dynamo.query(self._c(), {"TableName": self._table, **request}, limit):
            yield Conversion.from_item(dynamo.decode(raw))

    def by_id(self, conversion_id: str) -> Conversion | None:
        found = self._query(
            {
                "IndexName": "by_conversion",
                "KeyConditionExpression": "conversion_id = :id",
                "ExpressionAttributeValues": {":id": {"S": conversion_id}},
            }
        )
        return next(iter(found), None)

    def of_click(self, click_id: str) -> list[Conversion]:
        """The conversions attributed to one click, oldest first."""
        return list(
            self._query(
                {
                    "IndexName": "by_click",
                    "KeyConditionExpression": "click_id = :c",
                    "ExpressionAttributeValues": {":c": {"S": click_id}},
                }
            )
        )

    def by_txn(self, advertiser_id: str, txn_id: str) -> list[Conversion]:
        return list(
            self._query(
                {
                    "IndexName": "by_txn",
                    "KeyConditionExpression": "adv_txn = :t",
                    "ExpressionAttributeValues": {":t": {"S": f"{advertiser_id}#{txn_id}"}},
                }
            )
        )

    def of_advertiser(self, advertiser_id: str, first: str, last: str, limit: int) -> list[Conversion]:
        """Newest first, created within [first, last] (ISO strings)."""
        return list(
            self._query(
                {
                    "IndexName": "by_advertiser",
                    "KeyConditionExpression": "advertiser_id = :a AND created_at BETWEEN :lo AND :hi",
                    "ExpressionAttributeValues": {
                        ":a": {"S": advertiser_id},
                        ":lo": {"S": first},
                        ":hi": {"S": last},
                    },
                    "ScanIndexForward": False,
                },
                limit,
            )
        )

    def between(
        self,
        advertiser_id: str,
        first: str,
        last: str,
        newest_first: bool = False,
        affiliate_id: str | None = None,
    ) -> Iterator[Conversion]:
        """Every conversion of the advertiser (of one of its affiliates, when named) that arrived
        within [first, last] (ISO instants), read page by page as the caller goes on."""
        index, key, value = ("by_advertiser", "advertiser_id", advertiser_id)
        if affiliate_id is not None:
            index, key, value = ("by_affiliate", "adv_aff", f"{advertiser_id}#{affiliate_id}")
        yield from self._query(
            {
                "ScanIndexForward": not newest_first,
                "IndexName": index,
                "KeyConditionExpression": f"{key} = :a AND created_at BETWEEN :lo AND :hi",
                "ExpressionAttributeValues": {
                    ":a": {"S": value},
                    ":lo": {"S": first},
                    ":hi": {"S": last},
                },
            }
        )

    def awaiting_review(self, advertiser_id: str, limit: int) -> list[Conversion]:
        """The advertiser's conversions marked for review and not decided yet, newest first."""
        return list(
            self._query(
                {
                    "IndexName": "by_review",
                    "KeyConditionExpression": "review_queue = :a",
                    "ExpressionAttributeValues": {":a": {"S": advertiser_id}},
                    "ScanIndexForward": False,
                },
                limit,
            )
        )

    def due_holds(self, months: list[str], now: datetime) -> Iterator[Conversion]:
        """Held conversions whose hold ended by `now`, month bucket by month bucket."""
        for month in months:
            yield from self._query(
                {
                    "IndexName": "by_hold",
                    "KeyConditionExpression": "hold_month = :m AND hold_until <= :now",
                    "ExpressionAttributeValues": {
                        ":m": {"S": f"HOLD#{month}"},
                        ":now": {"S": iso_millis(now)},
                    },
                }
            )
