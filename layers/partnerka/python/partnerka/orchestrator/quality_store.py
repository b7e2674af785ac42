"""Traffic-quality state in the Stats table, beside the rollups (whose keys all start with `ADV#`).

Key shapes (every item expires by TTL on `expires_at`):
- visitor window: PK `UQ#<offer>#<affiliate>#<visitor hash>`, SK `UQ`; the click holding it and `until`.
- address count:  PK `IP#<advertiser>#<hour>`, SK `<ip>`; `n` clicks.
- verdict:        PK `CQ#<click id>`, SK `CQ`; the flags of a flagged click.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from partnerka.common import dynamo
from partnerka.orchestrator.quality import ClickQuality, IpHourKey, VisitorKey

COUNT_TTL_SECONDS = 2 * 86400
BATCH_GET_LIMIT = 100
BATCH_WRITE_LIMIT = 25
# Conditional puts cannot be batched; a few in flight keep a batch of 100 clicks well under a second.
PARALLEL_WRITES = 8


def _in_parallel[T, R](work: Callable[[T], R], items: list[T]) -> list[R]:
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_WRITES, len(items))) as pool:
        return list(pool.map(work, items))


def _ip_key(key: IpHourKey) -> dict[str, Any]:
    return {"pk": {"S": f"IP#{key.advertiser_id}#{key.hour}"}, "sk": {"S": key.ip or "-"}}


class QualityRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or dynamo.client()

    def claim_visitor(self, key: VisitorKey, click_id: str, at: int, window: int) -> bool:
        client = self.client
        try:
            client.put_item(
                TableName=self._table,
                Item={
                    "pk": {"S": f"UQ#{key.offer_id}#{key.affiliate_id}#{key.visitor}"},
                    "sk": {"S": "UQ"},
                    "click_id": {"S": click_id},
                    "until": {"N": str(at + window)},
                    "expires_at": {"N": str(at + window + 3600)},
                },
                ConditionExpression="attribute_not_exists(pk) OR #until <= :at OR click_id = :click",
                ExpressionAttributeNames={"#until": "until"},
                ExpressionAttributeValues={":at": {"N": str(at)}, ":click": {"S": click_id}},
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def ip_counts(self, keys: Iterable[IpHourKey]) -> dict[IpHourKey, int]:
        wanted = {(k["pk"]["S"], k["sk"]["S"]): key for key in keys for k in [_ip_key(key)]}
        pending = [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in wanted]
        counts: dict[IpHourKey, int] = {}
        client = self.client
        while pending:
            chunk, pending = pending[:BATCH_GET_LIMIT], pending[BATCH_GET_LIMIT:]
            request: dict[str, Any] = {self._table: {"Keys": chunk, "ProjectionExpression": "pk, sk, n"}}
            while request:
                response = client.batch_get_item(RequestItems=request)
                for raw in response.get("Responses", {}).get(self._table, []):
                    item = dynamo.decode(raw)
                    counts[wanted[(item["pk"], item["sk"])]] = int(item.get("n", 0))
                request = response.get("UnprocessedKeys") or {}
        return counts

    def add_ip_counts(self, counts: dict[IpHourKey, int]) -> None:
        expires = str(int(time.time()) + COUNT_TTL_SECONDS)
        client = self.client

        def add(entry: tuple[IpHourKey, int]) -> None:
            key, amount = entry
            client.update_item(
                TableName=self._table,
                Key=_ip_key(key),
                UpdateExpression="ADD n :n SET expires_at = :exp",
                ExpressionAttributeValues={":n": {"N": str(amount)}, ":exp": {"N": expires}},
            )

        _in_parallel(add, list(counts.items()))

    def save_verdicts(self, verdicts: dict[str, tuple[ClickQuality, int]]) -> None:
        puts = [
            {
                "PutRequest": {
                    "Item": dynamo.encode(
                        {"pk": f"CQ#{click_id}", "sk": "CQ", "expires_at": expires, **verdict.as_item()}
                    )
                }
            }
            for click_id, (verdict, expires) in verdicts.items()
        ]
        client = self.client
        while puts:
            chunk, puts = puts[:BATCH_WRITE_LIMIT], puts[BATCH_WRITE_LIMIT:]
            request: dict[str, Any] = {self._table: chunk}
            while request:
                response = client.batch_write_item(RequestItems=request)
                request = response.get("UnprocessedItems") or {}

    def verdict(self, click_id: str) -> ClickQuality | None:
        response = self.client.get_item(
            TableName=self._table, Key={"pk": {"S": f"CQ#{click_id}"}, "sk": {"S": "CQ"}}
        )
        item = response.get("Item")
        return ClickQuality.from_item(dynamo.decode(item)) if item else None
