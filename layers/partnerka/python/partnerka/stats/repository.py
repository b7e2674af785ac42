"""The Stats table: aggregated ADDs in transactions, and key-range reads for reports."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.stats.models import COUNTERS, MONEY_PREFIXES, Increments, RollupKey, StoredRollup

# DynamoDB allows 100 items in a transaction; one of them is the batch marker.
MAX_KEYS_PER_TRANSACTION = 99
MARKER_TTL_SECONDS = 2 * 86400


class RollupStore(Protocol):
    def apply(self, increments: dict[RollupKey, Increments], token: str) -> bool:
        """True when this call added the increments, False when `token` was applied before."""
        ...

    def scan_range(self, advertiser_id: str, first_hour: str, last_hour: str) -> Iterator[StoredRollup]: ...


def apply_once(client: Any, table: str, updates: list[dict[str, Any]], token: str) -> bool:
    """Updates in one transaction, together with a marker item named by `token`; True when this call
    applied them, False when `token` was applied before.

    Atomicity matters: if some rows were added and others not, the stream's retry would add the
    first ones twice. The marker (PK `BATCH#<token>`, kept two days) makes a redelivered batch a
    no-op: its insert-once condition cancels the whole transaction, which means "already applied".
    """
    if len(updates) > MAX_KEYS_PER_TRANSACTION:
        raise ValueError(f"at most {MAX_KEYS_PER_TRANSACTION} rows per transaction")
    marker = {
        "Put": {
            "TableName": table,
            "Item": {
                "pk": {"S": f"BATCH#{token}"},
                "sk": {"S": "BATCH"},
                "expires_at": {"N": str(int(time.time()) + MARKER_TTL_SECONDS)},
            },
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }
    try:
        client.transact_write_items(
            TransactItems=[marker, *({"Update": update} for update in updates)], ClientRequestToken=token
        )
    except client.exceptions.TransactionCanceledException as error:
        reasons = getattr(error, "response", {}).get("CancellationReasons") or []
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            return False
        raise
    return True


class StatsRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def apply(self, increments: dict[RollupKey, Increments], token: str) -> bool:
        """All increments in one transaction (see `apply_once`)."""
        if not increments:
            return True
        return apply_once(
            self._client or dynamo.client(),
            self._table,
            [self._update(key, values) for key, values in increments.items()],
            token,
        )

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
