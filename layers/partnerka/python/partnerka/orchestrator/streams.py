"""Applying a batch of stream records to the stats rollups, exactly once per record."""

from __future__ import annotations

import hashlib
from typing import Any

from partnerka.common.observability import logger
from partnerka.orchestrator.quality import ClickQuality, QualityJudge
from partnerka.orchestrator.service import (
    StreamRecord,
    aggregate,
    chunks_for_transactions,
    contribution_of,
)
from partnerka.stats.repository import MAX_KEYS_PER_TRANSACTION, RollupStore


def _new_clicks(records: list[StreamRecord]) -> list[dict[str, Any]]:
    return [
        record.new_image
        for record in records
        if record.source == "clicks" and record.event_name == "INSERT" and record.new_image
    ]


def apply_stream_batch(
    records: list[StreamRecord], rollups: RollupStore, judge: QualityJudge | None = None
) -> list[str]:
    """Apply the records in order; return the sequence numbers to retry (empty when all went in).

    New clicks are judged first (uniqueness claims are idempotent per click, so a retry reaches the
    same verdicts). Each chunk is then one transaction with an idempotency token made of its records'
    event ids, so a retry of a chunk that did commit (the function died after the write) adds nothing
    the second time; the chunk's clicks join their addresses' flood counts, and their verdicts are
    kept, only when it commits (a redelivered chunk would be judged against counts that already hold
    its own clicks).
    """
    verdicts: dict[str, ClickQuality] = {}
    if judge is not None:
        try:
            verdicts = judge.judge(_new_clicks(records))
        except Exception:
            logger.exception("judging clicks failed", size=len(records))
            return [record.sequence_number for record in records]
    for chunk in chunks_for_transactions(records, MAX_KEYS_PER_TRANSACTION):
        increments = aggregate(c for c in (contribution_of(r, verdicts) for r in chunk) if c is not None)
        token = hashlib.sha256("|".join(r.event_id for r in chunk).encode()).hexdigest()[:36]
        try:
            applied = rollups.apply(increments, token)
        except Exception:
            logger.exception("rollup chunk failed", first_sequence=chunk[0].sequence_number, size=len(chunk))
            failed_from = records.index(chunk[0])
            return [record.sequence_number for record in records[failed_from:]]
        if judge is not None and applied:
            _keep_quality(judge, _new_clicks(chunk), verdicts)
    return []


def _keep_quality(
    judge: QualityJudge, clicks: list[dict[str, Any]], verdicts: dict[str, ClickQuality]
) -> None:
    """After the rollups are in: the flood counts and the suspect clicks' verdicts.

    Statistics are already right at this point, so a failure here is logged and not retried: a lost
    count makes a flood show a little later; a lost verdict makes one click look clean when inspected.
    """
    try:
        judge.commit_counts(clicks)
        judge.save(clicks, verdicts)
    except Exception:
        logger.exception("keeping click quality failed", clicks=len(clicks))
