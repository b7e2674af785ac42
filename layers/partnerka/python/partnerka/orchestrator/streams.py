"""Applying a batch of stream records to the statistics cubes and the click log, exactly once per
record."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerka.common.clock import utc_now
from partnerka.common.observability import logger
from partnerka.operations.models import Operation, OperationStatus, OperationType
from partnerka.operations.repository import OperationStore
from partnerka.orchestrator.dispatch import PostbackDispatcher
from partnerka.orchestrator.quality import ClickQuality, QualityJudge
from partnerka.orchestrator.routing import Job, Routed, route
from partnerka.orchestrator.service import StreamRecord, aggregate, chunks_for_transactions, effect_of
from partnerka.stats.click_log import LOG_RETENTION, ClickLogStore
from partnerka.stats.cube_store import CubeStore
from partnerka.stats.repository import MAX_KEYS_PER_TRANSACTION


@dataclass(frozen=True, slots=True)
class StatsStores:
    """Where the orchestrator keeps statistics: the cubes, and the click log for raw reports."""

    cubes: CubeStore
    log: ClickLogStore


def _new_clicks(records: list[StreamRecord]) -> list[dict[str, Any]]:
    return [
        record.new_image
        for record in records
        if record.source == "clicks" and record.event_name == "INSERT" and record.new_image
    ]


def apply_stream_batch(
    records: list[StreamRecord],
    stats: StatsStores,
    judge: QualityJudge | None = None,
    now: Callable[[], datetime] = utc_now,
) -> list[str]:
    """Apply the records in order; return the sequence numbers to retry (empty when all went in).

    New clicks are judged first (uniqueness claims are idempotent per click, so a retry reaches the
    same verdicts). Each chunk is then one transaction of cube ADDs with an idempotency token made of
    its records' event ids, so a retry of a chunk that did commit (the function died after the write)
    adds nothing the second time. The chunk's clicks then go to the click log under the same token
    (puts of the same items: repeating them is harmless, so a failure there retries the chunk). The
    clicks join their addresses' flood counts, and their verdicts are kept, only when the chunk
    commits (a redelivered chunk would be judged against counts that already hold its own clicks).
    """
    verdicts: dict[str, ClickQuality] = {}
    if judge is not None:
        try:
            verdicts = judge.judge(_new_clicks(records))
        except Exception:
            logger.exception("judging clicks failed", size=len(records))
            return [record.sequence_number for record in records]
    effected = [(record, effect_of(record, verdicts)) for record in records]
    expires_at = int((now() + LOG_RETENTION).timestamp())
    for chunk in chunks_for_transactions(effected, MAX_KEYS_PER_TRANSACTION):
        chunk_records = [record for record, _ in chunk]
        token = hashlib.sha256("|".join(r.event_id for r in chunk_records).encode()).hexdigest()[:36]
        try:
            applied = stats.cubes.apply(aggregate(e for _, e in chunk if e is not None), token)
            stats.log.write([e.click for _, e in chunk if e is not None and e.click], token, expires_at)
        except Exception:
            logger.exception(
                "statistics chunk failed", first_sequence=chunk_records[0].sequence_number, size=len(chunk)
            )
            failed_from = records.index(chunk_records[0])
            return [record.sequence_number for record in records[failed_from:]]
        if judge is not None and applied:
            _keep_quality(judge, _new_clicks(chunk_records), verdicts)
    return []


def _keep_quality(
    judge: QualityJudge, clicks: list[dict[str, Any]], verdicts: dict[str, ClickQuality]
) -> None:
    """After the cubes are in: the flood counts and the suspect clicks' verdicts.

    Statistics are already right at this point, so a failure here is logged and not retried: a lost
    count makes a flood show a little later; a lost verdict makes one click look clean when inspected.
    """
    try:
        judge.commit_counts(clicks)
        judge.save(clicks, verdicts)
    except Exception:
        logger.exception("keeping click quality failed", clicks=len(clicks))


def run_batch(
    records: list[StreamRecord],
    stats: StatsStores,
    judge: QualityJudge | None,
    dispatcher: PostbackDispatcher,
    log: OperationStore | None = None,
    now: Callable[[], datetime] = utc_now,
) -> list[str]:
    """One stream batch through every job routing gives it; the sequence numbers to retry.

    Postbacks go first: making a delivery sure is safe to repeat, the statistics' chunks are not. When
    a delivery cannot be made sure of at record k, the statistics take the records before k only and
    the stream retries from k, so no record's statistics are applied twice.
    """
    started = now()
    routed = [route(record) for record in records]
    candidates = [(i, r.event) for i, r in enumerate(routed) if Job.POSTBACK in r.jobs and r.event]
    stop = dispatcher.dispatch(candidates)
    upto = len(records) if stop is None else stop
    failed = apply_stream_batch(records[:upto], stats, judge, now)
    if not failed and stop is not None:
        failed = [record.sequence_number for record in records[stop:]]
    if log is not None and records:
        _log_batch(log, records, routed, failed, started, now())
    return failed


def _log_batch(
    log: OperationStore,
    records: list[StreamRecord],
    routed: list[Routed],
    failed: list[str],
    started: datetime,
    finished: datetime,
) -> None:
    """The batch as one stats operation (a rerun of the very same batch counts as another attempt)."""
    digest = hashlib.sha256("|".join(r.event_id for r in records).encode()).hexdigest()[:32]
    operation = Operation(
        op_id=f"batch-{digest}",
        type=OperationType.STATS,
        subject_type="batch",
        subject_id=f"{records[0].source}:{records[0].sequence_number}",
        status=OperationStatus.FAILED if failed else OperationStatus.SUCCESS,
        created_at=started,
        updated_at=finished,
        finished_at=finished,
        last_error=f"{len(failed)} records left for the stream to retry" if failed else "",
        detail={
            "records": len(records),
            "postback_candidates": sum(1 for r in routed if Job.POSTBACK in r.jobs),
            "retried": len(failed),
            "duration_ms": int((finished - started).total_seconds() * 1000),
        },
    )
    try:
        log.record_batch(operation)
        log.count(
            OperationType.STATS,
            finished,
            attempts=1,
            failures=1 if failed else 0,
            succeeded=0 if failed else 1,
            failed=1 if failed else 0,
        )
    except Exception:
        logger.exception("logging the batch operation failed", records=len(records))
