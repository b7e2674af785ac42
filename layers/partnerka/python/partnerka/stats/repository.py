"""The Stats table's once-only transactions: a stream chunk's aggregated ADDs, applied exactly once."""

from __future__ import annotations

import time
from typing import Any

# DynamoDB allows 100 items in a transaction; one of them is the batch marker.
MAX_KEYS_PER_TRANSACTION = 99
MARKER_TTL_SECONDS = 2 * 86400


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
