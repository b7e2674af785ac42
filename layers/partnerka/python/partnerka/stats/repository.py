"""The Stats table's once-only transactions: a stream batch's aggregated ADDs, applied exactly once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

# DynamoDB allows 100 items in a transaction; one of them is the batch marker.
MAX_KEYS_PER_TRANSACTION = 99
MARKER_TTL_SECONDS = 2 * 86400


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """How far a stream batch's statistics got: the batch is the records up to `last_sequence`, its
    increments split into `chunks` transactions, of which the first `done` are applied."""

    last_sequence: str
    chunks: int
    done: int


def marker_key(token: str) -> dict[str, Any]:
    return {"pk": {"S": f"BATCH#{token}"}, "sk": {"S": "BATCH"}}


def read_progress(client: Any, table: str, token: str) -> BatchProgress | None:
    item = client.get_item(TableName=table, Key=marker_key(token), ConsistentRead=True).get("Item")
    if not item:
        return None
    return BatchProgress(item["last_sequence"]["S"], int(item["chunks"]["N"]), int(item["done"]["N"]))


def apply_chunk(
    client: Any,
    table: str,
    updates: list[dict[str, Any]],
    token: str,
    index: int,
    chunks: int,
    last_sequence: str,
) -> bool:
    """Chunk `index` of a batch's `chunks`, in one transaction with the batch's marker (PK
    `BATCH#<token>`, kept two days): the first chunk creates it with `done = 1`, each next one moves
    `done` from `index` to `index + 1`. So every chunk is applied exactly once however often the
    batch is retried, and the marker says where a retry resumes. False when the chunk's condition
    failed (applied before)."""
    if len(updates) > MAX_KEYS_PER_TRANSACTION:
        raise ValueError(f"at most {MAX_KEYS_PER_TRANSACTION} rows per transaction")
    if index == 0:
        marker: dict[str, Any] = {
            "Put": {
                "TableName": table,
                "Item": {
                    **marker_key(token),
                    "last_sequence": {"S": last_sequence},
                    "chunks": {"N": str(chunks)},
                    "done": {"N": "1"},
                    "expires_at": {"N": str(int(time.time()) + MARKER_TTL_SECONDS)},
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
    else:
        marker = {
            "Update": {
                "TableName": table,
                "Key": marker_key(token),
                "UpdateExpression": "SET done = :next",
                "ConditionExpression": "done = :index AND last_sequence = :last",
                "ExpressionAttributeValues": {
                    ":next": {"N": str(index + 1)},
                    ":index": {"N": str(index)},
                    ":last": {"S": last_sequence},
                },
            }
        }
    try:
        client.transact_write_items(
            TransactItems=[marker, *({"Update": update} for update in updates)],
            ClientRequestToken=f"{token[:32]}-{index}",
        )
    except client.exceptions.TransactionCanceledException as error:
        reasons = getattr(error, "response", {}).get("CancellationReasons") or []
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            return False
        raise
    return True
