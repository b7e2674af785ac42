"""The PynamoDB base model for the core table (low-volume, tenant-prefixed entities)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, TypeVar

from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.models import Model

from partnerka.common import dynamo

GSI1 = "gsi1"


class CoreItem(Model):
    """Every core-table entity: `pk`/`sk`, plus the optional inverted keys of the `gsi1` index."""

    class Meta:
        table_name: str | None = None  # the function's CORE_TABLE, bound at cold start (use_core_table)

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)


def use_core_table(name: str) -> None:
    """Point every core-table entity at `name`, the function's core table. PynamoDB names a model's
    table on its class, so the composition that builds a repository of core entities calls this with
    its settings' `core_table` (the same name each time)."""
    CoreItem.Meta.table_name = name


def core_table() -> str:
    name = CoreItem.Meta.table_name
    if not name:
        raise RuntimeError("the core table is not bound: call use_core_table at cold start")
    return name


@cache
def connection() -> Connection:
    """The connection PynamoDB transactions and index queries run on (endpoint from the environment)."""
    return Connection()


ItemT = TypeVar("ItemT", bound=CoreItem)


def query_gsi1[ItemT: CoreItem](model: type[ItemT], partition: str, sort_prefix: str = "") -> Iterator[ItemT]:
    """Items of one entity type found through `gsi1` (one index serves several entities, so rows are
    decoded by the caller's model rather than by a per-model index)."""
    request: dict[str, Any] = {
        "TableName": core_table(),
        "IndexName": GSI1,
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": partition}},
    }
    if sort_prefix:
        request["KeyConditionExpression"] += " AND begins_with(gsi1sk, :prefix)"
        request["ExpressionAttributeValues"][":prefix"] = {"S": sort_prefix}
    for raw in dynamo.query(dynamo.client(), request):
        yield model.from_raw_data(raw)
