"""The Conversions table, written once per conversion under its dedupe key."""

from __future__ import annotations

from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.conversions.models import Conversion


class ConversionStore(Protocol):
    def insert(self, conversion: Conversion) -> str | None:
        """Store a new conversion; on a duplicate, store nothing and return the existing id."""
        ...


class ConversionRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def insert(self, conversion: Conversion) -> str | None:
        client = self._client or dynamo.client()
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
