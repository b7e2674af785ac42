"""Folding storms: of the events with one fold key in one window of their spec's `fold_seconds` (by
the time they happened), the first goes on and the rest are only counted; the first of the next
window carries that count (`data["folded"]`), so a failing postback URL alerts once an hour with
"and 57 more since the last alert" instead of 58 times.

Both steps hold under retries: the window's first is whichever event took the window (the same one
however often it is asked again), and an event is counted once (a marker of it written with the count
in one transaction).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis
from partnerka.notifications.events import Event

KEPT = timedelta(days=2)  # a window's counter is read by the next window's first, then of no use
FOLDED = "folded"  # the data key the first of a window carries the previous window's count under


class FoldCounts(Protocol):
    def first_of(self, fold_key: str, window: str, event_id: str, expires_at: int) -> str:
        """The id of the window's first event: `event_id` when the window was not yet taken."""
        ...

    def count(self, fold_key: str, window: str, event_id: str, expires_at: int) -> None:
        """Count the event as folded into the window, once however often asked."""
        ...

    def folded(self, fold_key: str, window: str) -> int:
        """How many events were folded into the window (0 for a window nothing took)."""
        ...


def window_start(moment: datetime, seconds: int) -> datetime:
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


class Folding:
    def __init__(self, counts: FoldCounts) -> None:
        self._counts = counts

    def admit(self, event: Event) -> Event | None:
        """The event to send on, as the first of its window with the count of the previous window's
        folded events in `data["folded"]`; None when it is folded (counted, not sent). An event
        without a fold key, or of a type never folded, goes on as it is."""
        seconds = event.spec.fold_seconds
        if not event.fold_key or not seconds:
            return event
        start = window_start(event.occurred_at, seconds)
        window = iso_millis(start)
        expires_at = int((start + KEPT).timestamp())
        if self._counts.first_of(event.fold_key, window, event.event_id, expires_at) != event.event_id:
            self._counts.count(event.fold_key, window, event.event_id, expires_at)
            return None
        previous = iso_millis(start - timedelta(seconds=seconds))
        return replace(event, data={**event.data, FOLDED: self._counts.folded(event.fold_key, previous)})


class FoldRepository:
    """Fold counters in the core table. A window: PK `FOLD#<fold_key>`, SK `<window start iso>`
    (`first`: the event that took it, `folded`: how many were counted into it); each counted event:
    SK `<window start iso>#<event_id>` (a marker, so a retried count adds nothing). All expire by TTL
    (`expires_at`) two days after the window began."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    @staticmethod
    def _key(fold_key: str, sort_key: str) -> dynamo.AttributeMap:
        return {"pk": {"S": f"FOLD#{fold_key}"}, "sk": {"S": sort_key}}

    def first_of(self, fold_key: str, window: str, event_id: str, expires_at: int) -> str:
        answer = self._c().update_item(
            TableName=self._table,
            Key=self._key(fold_key, window),
            UpdateExpression="SET #first = if_not_exists(#first, :event), expires_at = :expires",
            ExpressionAttributeNames={"#first": "first"},
            ExpressionAttributeValues={":event": {"S": event_id}, ":expires": {"N": str(expires_at)}},
            ReturnValues="ALL_NEW",
        )
        return str(answer["Attributes"]["first"]["S"])

    def count(self, fold_key: str, window: str, event_id: str, expires_at: int) -> None:
        marker = {**self._key(fold_key, f"{window}#{event_id}"), "expires_at": {"N": str(expires_at)}}
        try:
            self._c().transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": marker,
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": self._key(fold_key, window),
                            "UpdateExpression": "ADD folded :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                ]
            )
        except Exception as error:
            if not _counted_before(error):
                raise

    def folded(self, fold_key: str, window: str) -> int:
        item = (
            self._c()
            .get_item(TableName=self._table, Key=self._key(fold_key, window), ConsistentRead=True)
            .get("Item")
        )
        return int(item["folded"]["N"]) if item and "folded" in item else 0


def _counted_before(error: Exception) -> bool:
    """The transaction was cancelled because the event's marker is there: it was counted."""
    response = getattr(error, "response", None) or {}
    if response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return False
    reasons = response.get("CancellationReasons") or []
    return bool(reasons) and reasons[0].get("Code") == "ConditionalCheckFailed"
