"""The Stats table: aggregated ADDs in transactions, and key-range reads for reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.stats.models import COUNTERS, MONEY_PREFIXES, Increments, RollupKey, StoredRollup

MAX_KEYS_PER_TRANSACTION = 100


class RollupStore(Protocol):
    def apply(self, increments: dict[RollupKey, Increments], token: str) -> None: ...

    def scan_range(self, advertiser_id: str, first_hour: str, last_hour: str) -> Iterator[StoredRollup]: ...


class StatsRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def apply(self, increments: dict[RollupKey, Increments], token: str) -> None:
        """All increments in one transaction; `token` makes a retried call with the same batch a no-op.

        Atomicity matters here: if any row failed while others were added, the stream retry would add
        those others twice.
        """
        if not increments:
            return
        if len(increments) > MAX_KEYS_PER_TRANSACTION:
            raise ValueError(f"at most {MAX_KEYS_PER_TRANSACTION} rollup rows per transaction")
        items = [{"Update": self._update(key, values)} for key, values in increments.items()]
        client = self._client or dynamo.client()
        client.transact_write_items(TransactItems=items, ClientRequestToken=token)

    def _update(self, key: RollupKey, values: Increments) -> dict[str, Any]:
        names: dict[str, str] = {}
        vals: dict[str, Any] = {}
        adds = []
        for index, (attribute, amount) in enumerate(sorted(values.items())):
            names[f"#a{index}"] = attribute
            vals[f":a{index}"] = {"N": str(amount)}
            adds.append(f"#a{index} :a{index}")
        dims = {
            "hour": key.hour,
            "offer_id": key.offer_id,
            "affiliate_id": key.affiliate_id,
            "country": key.country,
            "device": key.device,
        }
        sets = []
        for name, value in dims.items():
            names[f"#{name}"] = name
            vals[f":{name}"] = {"S": value}
            sets.append(f"#{name} = :{name}")
        return {
            "TableName": self._table,
            "Key": {"pk": {"S": key.pk}, "sk": {"S": key.sk}},
            "UpdateExpression": f"SET {', '.join(sets)} ADD {', '.join(adds)}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": vals,
        }

    def scan_range(self, advertiser_id: str, first_hour: str, last_hour: str) -> Iterator[StoredRollup]:
        """Every row of one advertiser whose hour is within [first_hour, last_hour]."""
        client = self._client or dynamo.client()
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": {
                ":pk": {"S": f"ADV#{advertiser_id}"},
                ":lo": {"S": f"H#{first_hour}"},
                ":hi": {"S": f"H#{last_hour}#~"},
            },
        }
        while True:
            response = client.query(**request)
            for raw in response.get("Items", []):
                item = dynamo.decode(raw)
                key = RollupKey(
                    advertiser_id=advertiser_id,
                    hour=item["hour"],
                    offer_id=item["offer_id"],
                    affiliate_id=item["affiliate_id"],
                    country=item["country"],
                    device=item["device"],
                )
                values = {
                    name: int(value)
                    for name, value in item.items()
                    if name in COUNTERS or name.startswith(MONEY_PREFIXES)
                }
                yield StoredRollup(key=key, values=values)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
