"""Traffic-quality state in the Stats table, beside the rollups (whose keys all start with `ADV#`).

Key shapes (every item expires by TTL on `expires_at`):
- visitor window: PK `UQ#<offer>#<affiliate>#<visitor hash>`, SK `UQ`; the click holding it and `until`.
- address count:  PK `IP#<advertiser>#<hour>`, SK `<ip>`; `n` clicks.
- verdict:        PK `CQ#<click id>`, SK `CQ`; the flags of a suspect click.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from partnerka.common import dynamo
from partnerka.stats.quality import ClickQuality, IpHourKey, VisitorClaim, VisitorKey, VisitWindow

COUNT_TTL_SECONDS = 2 * 86400
BATCH_WRITE_LIMIT = 25
# Conditional puts cannot be batched; a few in flight keep a batch of 100 clicks well under a second.
PARALLEL_WRITES = 8


def _in_parallel[T, R](work: Callable[[T], R], items: list[T]) -> list[R]:
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_WRITES, len(items))) as pool:
        return list(pool.map(work, items))


def _ip_key(key: IpHourKey) -> tuple[str, str]:
    return f"IP#{key.advertiser_id}#{key.hour}", key.ip or "-"


def _window_key(visitor: VisitorKey) -> tuple[str, str]:
    return f"UQ#{visitor.offer_id}#{visitor.affiliate_id}#{visitor.visitor}", "UQ"


def _attributes(key: tuple[str, str]) -> dict[str, Any]:
    return {"pk": {"S": key[0]}, "sk": {"S": key[1]}}


class QualityRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or dynamo.client()

    def claim_visitors(self, claims: list[VisitorClaim], window: int) -> set[VisitorKey]:
        """Read the windows first (a read costs a tenth of a write) and put only where no other
        click holds an open one; the conditional put still decides races between shards."""
        client = self.client
        current = self._get_many({_window_key(c.visitor): c for c in claims}, ("click_id", "until"))
        held: set[VisitorKey] = set()
        asking: list[VisitorClaim] = []
        for claim in claims:
            found = current.get(claim)
            if found is None or int(found["until"]) <= claim.at:
                asking.append(claim)
            elif found["click_id"] == claim.click_id:
                held.add(claim.visitor)  # a redelivered click that already holds its window

        def put(request: VisitorClaim) -> VisitorKey | None:
            try:
                client.put_item(
                    TableName=self._table,
                    Item={
                        **_attributes(_window_key(request.visitor)),
                        "click_id": {"S": request.click_id},
                        "until": {"N": str(request.at + window)},
                        "expires_at": {"N": str(request.at + window + 3600)},
                    },
                    ConditionExpression="attribute_not_exists(pk) OR #until <= :at OR click_id = :click",
                    ExpressionAttributeNames={"#until": "until"},
                    ExpressionAttributeValues={
                        ":at": {"N": str(request.at)},
                        ":click": {"S": request.click_id},
                    },
                )
            except client.exceptions.ConditionalCheckFailedException:
                return None
            return request.visitor

        return held | {key for key in _in_parallel(put, asking) if key is not None}

    def ip_counts(self, keys: Iterable[IpHourKey]) -> dict[IpHourKey, int]:
        found = self._get_many({_ip_key(key): key for key in keys}, ("n",))
        return {key: int(item.get("n", 0)) for key, item in found.items()}

    def _get_many[K](
        self, wanted: dict[tuple[str, str], K], attributes: tuple[str, ...]
    ) -> dict[K, dict[str, Any]]:
        """Items by key in BatchGetItem calls of 100 (eventually consistent), by what asked for them."""
        pending = [_attributes(key) for key in wanted]
        # Placeholders for every attribute read: `until` is a reserved word.
        names = {f"#p{i}": name for i, name in enumerate(("pk", "sk", *attributes))}
        found: dict[K, dict[str, Any]] = {}
        for raw in dynamo.batch_get(
            self.client,
            self._table,
            pending,
            ProjectionExpression=", ".join(names),
            ExpressionAttributeNames=names,
        ):
            item = dynamo.decode(raw)
            found[wanted[(item["pk"], item["sk"])]] = item
        return found

    def add_ip_counts(self, counts: dict[IpHourKey, int]) -> None:
        expires = str(int(time.time()) + COUNT_TTL_SECONDS)
        client = self.client

        def add(entry: tuple[IpHourKey, int]) -> None:
            key, amount = entry
            client.update_item(
                TableName=self._table,
                Key=_attributes(_ip_key(key)),
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

    def visit_window(self, visitor: VisitorKey) -> VisitWindow | None:
        response = self.client.get_item(TableName=self._table, Key=_attributes(_window_key(visitor)))
        if "Item" not in response:
            return None
        item = dynamo.decode(response["Item"])
        return VisitWindow(str(item["click_id"]), int(item.get("until", 0)))
