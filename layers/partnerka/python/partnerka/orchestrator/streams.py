"""Applying a batch of stream records to the stats rollups, exactly once per record."""

from __future__ import annotations

import hashlib

from partnerka.common.observability import logger
from partnerka.orchestrator.service import (
    StreamRecord,
    aggregate,
    chunks_for_transactions,
    contribution_of,
)
from partnerka.stats.repository import MAX_KEYS_PER_TRANSACTION, RollupStore


def apply_stream_batch(records: list[StreamRecord], rollups: RollupStore) -> list[str]:
    """Apply the records in order; return the sequence numbers to retry (empty when all went in).

    Each chunk is one transaction with an idempotency token made of its records' event ids, so a
    retry of a chunk that did commit (the function died after the write) adds nothing the second time.
    """
    for chunk in chunks_for_transactions(records, MAX_KEYS_PER_TRANSACTION):
        increments = aggregate(c for c in map(contribution_of, chunk) if c is not None)
        token = hashlib.sha256("|".join(r.event_id for r in chunk).encode()).hexdigest()[:36]
        try:
            rollups.apply(increments, token)
        except Exception:
            logger.exception("rollup chunk failed", first_sequence=chunk[0].sequence_number, size=len(chunk))
            failed_from = records.index(chunk[0])
            return [record.sequence_number for record in records[failed_from:]]
    return []
