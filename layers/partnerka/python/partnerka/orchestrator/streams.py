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
from partnerka.finance.dispatch import FinanceDispatcher
from partnerka.operations.models import Operation, OperationStatus, OperationType
from partnerka.operations.repository import OperationStore
from partnerka.orchestrator.dispatch import PostbackDispatcher
from partnerka.orchestrator.quality import ClickQuality, QualityJudge
from partnerka.orchestrator.routing import Job, Routed, route
from partnerka.orchestrator.service import StatsEffect, StreamRecord, aggregate, effect_of
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


def _token(record: StreamRecord) -> str:
    """A batch is named by its first record: a retry starts from that record and finds its marker."""
    return hashlib.sha256(record.event_id.encode()).hexdigest()[:32]


class RetryLater(Exception):
    """The statistics of these records cannot be applied exactly once in this call."""


def apply_stream_batch(
    records: list[StreamRecord],
    stats: StatsStores,
    judge: QualityJudge | None = None,
    now: Callable[[], datetime] = utc_now,
) -> list[str]:
    """Apply the records' statistics exactly once; return the sequence numbers to retry (empty when
    all went in).

    New clicks are judged first (uniqueness claims are idempotent per click, so a retry reaches the
    same verdicts). Then the whole batch is aggregated once, so each cube item it touches is written
    once (a thousand clicks on skewed traffic touch a few hundred items), split into transactions of
    at most MAX_KEYS_PER_TRANSACTION items, each carrying the batch's marker (`apply_chunk`). A failure
    anywhere sends the batch back from its first record; the retry (however many records the stream
    then delivers) finds the marker, takes exactly the records the first attempt took, resumes at the
    first chunk not applied, and goes on with the records after them as a batch of their own. The
    clicks then go to the click log under the batch's token (puts of the same items: repeating them is
    harmless). The clicks join their addresses' flood counts, and their verdicts are kept, only when
    this call applied the batch's first chunk (a redelivered batch would be judged against counts that
    already hold its own clicks).
    """
    verdicts: dict[str, ClickQuality] = {}
    if judge is not None:
        try:
            verdicts = judge.judge(_new_clicks(records))
        except Exception:
            logger.exception("judging clicks failed", size=len(records))
            return [record.sequence_number for record in records]
    effects = {record.event_id: effect_of(record, verdicts) for record in records}
    expires_at = int((now() + LOG_RETENTION).timestamp())
    start = 0
    while start < len(records):
        try:
            batch, first_applied = _apply_batch(records[start:], effects, stats, expires_at)
        except Exception:
            logger.exception("statistics batch failed", first_sequence=records[start].sequence_number)
            return [record.sequence_number for record in records[start:]]
        if judge is not None and first_applied:
            _keep_quality(judge, _new_clicks(batch), verdicts)
        start += len(batch)
    return []


def _apply_batch(
    records: list[StreamRecord],
    effects: dict[str, StatsEffect | None],
    stats: StatsStores,
    expires_at: int,
) -> tuple[list[StreamRecord], bool]:
    """The batch that starts at records[0] (all of them, or exactly those an earlier attempt took);
    whether this call applied its first chunk."""
    token = _token(records[0])
    progress = stats.cubes.progress(token)
    batch = records
    if progress is not None:
        last = int(progress.last_sequence)
        batch = [record for record in records if int(record.sequence_number) <= last]
        if batch[-1].sequence_number != progress.last_sequence:
            raise RetryLater(f"the stream delivered fewer records than batch {token} took; wait for them")
    batch_effects = [effect for record in batch if (effect := effects[record.event_id]) is not None]
    merged = {  # status changes can cancel out within a batch: nothing to write for those
        key: kept
        for key, values in aggregate(batch_effects).items()
        if (kept := {name: amount for name, amount in values.items() if amount})
    }
    keys = sorted(merged)
    chunks = [keys[i : i + MAX_KEYS_PER_TRANSACTION] for i in range(0, len(keys), MAX_KEYS_PER_TRANSACTION)]
    if progress is not None and progress.chunks != len(chunks):
        raise RetryLater(f"batch {token} split into {progress.chunks} chunks before, {len(chunks)} now")
    first_applied = False
    for index, chunk in enumerate(chunks):
        if progress is not None and index < progress.done:
            continue
        applied = stats.cubes.apply(
            {key: merged[key] for key in chunk}, token, index, len(chunks), batch[-1].sequence_number
        )
        if not applied:  # another attempt moved the marker since it was read: start again from it
            raise RetryLater(f"chunk {index} of batch {token} was applied meanwhile")
        first_applied = first_applied or index == 0
    stats.log.write([e.click for e in batch_effects if e.click is not None], token, expires_at)
    return batch, first_applied


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
    finance: FinanceDispatcher | None = None,
) -> list[str]:
    """One stream batch through every job routing gives it; the sequence numbers to retry.

    Postbacks and finance messages go first: making a delivery sure and sending a finance event are
    safe to repeat, the statistics' chunks are not. When either cannot be made sure of at record k,
    the statistics take the records before k only and the stream retries from k, so no record's
    statistics are applied twice.
    """
    started = now()
    routed = [route(record) for record in records]
    candidates = [(i, r.event) for i, r in enumerate(routed) if Job.POSTBACK in r.jobs and r.event]
    stops = [dispatcher.dispatch(candidates)]
    if finance is not None:
        stops.append(
            finance.dispatch([(i, records[i]) for i, r in enumerate(routed) if Job.FINANCE in r.jobs])
        )
    stop = min((s for s in stops if s is not None), default=None)
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
