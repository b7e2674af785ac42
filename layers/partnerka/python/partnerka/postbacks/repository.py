"""Affiliates' postback settings and advertisers' postback domain whitelists, in the Core table; and
the deliveries, stored as operations of the orchestrator's log (Operations table, `OP#<delivery_id>`,
see operations.models), read and written here as `Delivery`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from partnerka.accounts.routing import AccountStatus
from partnerka.common import dynamo
from partnerka.operations.models import Operation, OperationType
from partnerka.operations.repository import Filters, OperationLog, Page
from partnerka.postbacks.models import Delivery, PostbackSettings


class PostbackSettingsRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def get(self, affiliate_id: str) -> PostbackSettings | None:
        item = (
            self._c()
            .get_item(
                TableName=self._table,
                Key={"pk": {"S": f"AFF#{affiliate_id}"}, "sk": {"S": "POSTBACK"}},
                ConsistentRead=True,
            )
            .get("Item")
        )
        return PostbackSettings.from_item(dynamo.decode(item)) if item else None

    def get_many(self, affiliate_ids: Iterable[str]) -> dict[str, PostbackSettings]:
        """Every named affiliate's settings in BatchGetItem calls of 100 (absent: no postback)."""
        wanted = sorted(set(affiliate_ids))
        keys = [{"pk": {"S": f"AFF#{a}"}, "sk": {"S": "POSTBACK"}} for a in wanted]
        found = [
            PostbackSettings.from_item(dynamo.decode(raw))
            for raw in dynamo.batch_get(self._c(), self._table, keys)
        ]
        return {settings.affiliate_id: settings for settings in found}

    def save(self, settings: PostbackSettings) -> None:
        item = settings.as_item()
        item["overrides"] = [{k: v for k, v in o.items() if v is not None} for o in item["overrides"]]
        self._c().put_item(TableName=self._table, Item=dynamo.encode(item))

    def advertiser_domains(self, advertiser_id: str) -> list[str]:
        """The advertiser's postback domain whitelist (AdvertiserSettings `postback_domains`)."""
        item = (
            self._c()
            .get_item(
                TableName=self._table,
                Key={"pk": {"S": f"ADV#{advertiser_id}"}, "sk": {"S": "SETTINGS"}},
                ProjectionExpression="postback_domains",
            )
            .get("Item")
        )
        return sorted(dynamo.decode(item).get("postback_domains") or ()) if item else []

    def advertiser_suspended(self, advertiser_id: str) -> bool:
        """Whether the platform's staff suspended the advertiser (its PROFILE's `status`,
        accounts.suspension): its affiliates' postbacks wait meanwhile."""
        item = (
            self._c()
            .get_item(
                TableName=self._table,
                Key={"pk": {"S": f"ADV#{advertiser_id}"}, "sk": {"S": "PROFILE"}},
                ProjectionExpression="#status",
                ExpressionAttributeNames={"#status": "status"},
            )
            .get("Item")
        )
        return bool(item) and dynamo.decode(item).get("status") == AccountStatus.SUSPENDED.value


class TtlCache[V]:
    """Values kept for `seconds` per key, loaded many at a time on a miss (the orchestrator and the
    sender read settings this way: a change reaches them within `seconds`)."""

    def __init__(self, load: Callable[[list[str]], dict[str, V]], seconds: float) -> None:
        self._load = load
        self._seconds = seconds
        self._kept: dict[str, tuple[float, V | None]] = {}

    def get_many(self, keys: Iterable[str]) -> dict[str, V]:
        now = time.monotonic()
        wanted = set(keys)
        missing = [k for k in wanted if k not in self._kept or self._kept[k][0] <= now]
        if missing:
            loaded = self._load(missing)
            for key in missing:
                self._kept[key] = (now + self._seconds, loaded.get(key))
        return {k: v for k in wanted if (v := self._kept[k][1]) is not None}


# ---------------------------------------------------------------------- deliveries
def delivery_of(operation: Operation) -> Delivery | None:
    """The delivery an operation runs; None for any other operation (a stats batch, a notification)."""
    if operation.type is not OperationType.POSTBACK or operation.request is None:
        return None
    return Delivery(
        delivery_id=operation.op_id,
        status=operation.status,
        request=operation.request,
        created_at=operation.created_at,
        updated_at=operation.updated_at,
        advertiser_id=operation.advertiser_id,
        affiliate_id=operation.affiliate_id,
        attempts=operation.attempts,
        max_attempts=operation.max_attempts,
        next_attempt_at=operation.next_attempt_at,
        finished_at=operation.finished_at,
        last_error=operation.last_error,
        replays=operation.replays,
        dead_lettered=operation.dead_lettered,
        history=operation.history,
    )


def operation_of(delivery: Delivery) -> Operation:
    """The operation that runs a delivery: what it tells about (the conversion, or the click for click
    postbacks; a webhook's event when it is about no conversion) is its subject."""
    request = delivery.request
    subject_type, subject_id = (
        ("conversion", request.conversion_id)
        if request.conversion_id
        else ("event", delivery.delivery_id.removesuffix(f".wh.{request.endpoint_id}"))
        if request.endpoint_id
        else ("click", request.click_id)
    )
    return Operation(
        op_id=delivery.delivery_id,
        type=OperationType.POSTBACK,
        subject_type=subject_type,
        subject_id=subject_id,
        status=delivery.status,
        created_at=delivery.created_at,
        updated_at=delivery.updated_at,
        advertiser_id=delivery.advertiser_id,
        affiliate_id=delivery.affiliate_id,
        attempts=delivery.attempts,
        max_attempts=delivery.max_attempts,
        next_attempt_at=delivery.next_attempt_at,
        finished_at=delivery.finished_at,
        last_error=delivery.last_error,
        replays=delivery.replays,
        dead_lettered=delivery.dead_lettered,
        history=delivery.history,
        request=request,
    )


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    items: list[Delivery]
    cursor: str | None  # where the page ended


class DeliveryOperations(OperationLog, Protocol):
    """The operations log as the deliveries need it (operations.repository.OperationsRepository)."""

    def get_many(self, op_ids: list[str]) -> list[Operation]: ...


class NewDeliveries(Protocol):
    def create(self, delivery: Delivery) -> bool:
        """Store a new delivery; False (and nothing written) when it exists already."""
        ...


class DeliveryRepository:
    """The deliveries: the postback operations of the orchestrator's log, seen as deliveries."""

    def __init__(self, operations: DeliveryOperations) -> None:
        self._operations = operations

    def create(self, delivery: Delivery) -> bool:
        return self._operations.create(operation_of(delivery))

    def get(self, delivery_id: str) -> Delivery | None:
        found = self._operations.get(delivery_id)
        return delivery_of(found) if found else None

    def get_many(self, delivery_ids: list[str]) -> list[Delivery]:
        """The deliveries that exist among `delivery_ids`, in no set order."""
        return [d for op in self._operations.get_many(delivery_ids) if (d := delivery_of(op))]

    def replay(self, delivery_id: str, now: datetime, extra_attempts: int) -> Delivery | None:
        """`extra_attempts` more, due now; None when an attempt of it is in flight."""
        replayed = self._operations.replay(delivery_id, now, extra_attempts)
        return delivery_of(replayed) if replayed else None

    def of_affiliate(
        self, affiliate_id: str, advertiser_id: str, filters: Filters, limit: int, cursor: str | None
    ) -> DeliveryPage:
        return _deliveries(self._operations.of_affiliate(affiliate_id, advertiser_id, filters, limit, cursor))

    def of_advertiser(
        self, advertiser_id: str, filters: Filters, limit: int, cursor: str | None
    ) -> DeliveryPage:
        return _deliveries(self._operations.of_advertiser(advertiser_id, filters, limit, cursor))

    def recent(self, now: datetime, filters: Filters, limit: int, cursor: str | None) -> DeliveryPage:
        """Every advertiser's, newest first (the log's latest operations of type `postback`)."""
        postbacks = replace(filters, type=OperationType.POSTBACK.value)
        return _deliveries(self._operations.recent(now, postbacks, limit, cursor))


def _deliveries(page: Page) -> DeliveryPage:
    return DeliveryPage([d for op in page.items if (d := delivery_of(op))], page.cursor)
