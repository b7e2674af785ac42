"""Core-table storage of block lists: one item a list (key shape on blocklists.models.BlockList)."""

from __future__ import annotations

from typing import Any, Protocol

from partnerka.blocklists.models import BlockList
from partnerka.common import dynamo
from partnerka.common.errors import Conflict


class ListChanged(Conflict):
    """Someone else changed the list since it was read: read it again."""


class BlockListStore(Protocol):
    def get(self, advertiser_id: str, offer_id: str | None) -> BlockList | None: ...

    def save(self, block_list: BlockList, seen: str) -> None:
        """Write the list over the one whose `updated_at` was `seen` ("": none was stored); ListChanged
        when another write came between (two pastes at once both count, or one is told to retry)."""
        ...


class BlockListRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def get(self, advertiser_id: str, offer_id: str | None) -> BlockList | None:
        client = self._client or dynamo.client()
        key = BlockList(advertiser_id, offer_id).key()
        item = client.get_item(TableName=self._table, Key=dynamo.encode(key), ConsistentRead=True).get("Item")
        return BlockList.from_item(dynamo.decode(item)) if item else None

    def save(self, block_list: BlockList, seen: str) -> None:
        client = self._client or dynamo.client()
        condition: dict[str, Any] = (
            {"ConditionExpression": "updated_at = :seen", "ExpressionAttributeValues": {":seen": {"S": seen}}}
            if seen
            else {"ConditionExpression": "attribute_not_exists(pk)"}
        )
        try:
            client.put_item(TableName=self._table, Item=dynamo.encode(block_list.as_item()), **condition)
        except client.exceptions.ConditionalCheckFailedException:
            raise ListChanged("the block list changed meanwhile; load it again") from None
