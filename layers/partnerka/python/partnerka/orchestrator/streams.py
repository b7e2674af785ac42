"""Applying a batch of stream records to the statistics cubes and the click log, exactly once per
record."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerka.common.clock import utc_now
from partnerka.common.observability import logger
from partnerka.finance.dispatch import FinanceDispatcher
from partnerka.finance.dispatch import event_of as finance_event_of
from partnerka.operations.models import Operation, OperationStatus, OperationType
from partnerka.operations.repository import OperationStore
from partnerka.orchestrator.dispatch import PostbackDispatcher
from partnerka.orchestrator.quality import ClickQuality, QualityJudge, ip_hour_key, visitor_key
from partnerka.orchestrator.routing import Job, Routed, route
from partnerka.orchestrator.service import StatsEffect, StreamRecord, aggregate, describe_error, effect_of
from partnerka.stats.click_log import LOG_RETENTION, ClickLogStore
from partnerka.stats.cube import CubeKey
from partnerka.stats.cube_store import CubeStore
from partnerka.stats.models import Increments
from partnerka.stats.repository import RangeMarker, chunk_sizes


@dataclass(frozen=True, slots=True)
class StatsStores:
    """Where the orchestrator keeps statistics: the cubes, and the click log for raw reports."""

    cubes: CubeStore
    log: ClickLogStore


# A range's event ids are kept in its marker item: this many stay far under DynamoDB's 400 KB.
MAX_RANGE_RECORDS = 2000
PARKED_RECORD_BYTES = 32_000  # what is kept of a parked record, as delivered


def _new_clicks(records: list[StreamRecord]) -> list[dict[str, Any]]:
    return [
        record.new_image
        for record in records
        if record.source == "clicks" and record.event_name == "INSERT" and record.new_image
    ]


def token_of(event_id: str) -> str:
    """A range is named by its first record's event id (stable across every redelivery of it)."""
    return hashlib.sha256(event_id.encode()).hexdigest()[:32]


class RetryLater(Exception):
    """The statistics of these records cannot be applied exactly once in this call."""


class RangeMismatch(Exception):
    """A delivery's records differ from the range an earlier delivery began at the same record: the
    stream's order is not what Lambda guarantees. Nothing is applied; the records are retried."""


def apply_stream_batch(
    records: list[StreamRecord],
    stats: StatsStores,
    judge: QualityJudge | None = None,
    now: Callable[[], datetime] = utc_now,
) -> list[str]:
    """Apply the records' statistics exactly once; return the sequence numbers to retry (empty when
    all went in).

    Records are applied in ranges (see stats.repository): a range is the run of records a delivery
    brings from a record on which no range was begun yet, and it goes in whole or not at all, in
    transactions of aggregated ADDs (a thousand clicks on skewed traffic touch a few hundred cube
    items). Lambda hands a shard's records over in order, and after a failure it delivers them
    again from the first record not reported done: the whole batch, its first half and then its
    second (bisect on error), fewer records, more records, or the same ones again. So a delivery
    starts either on a new record or on a record where a range was begun (a range's first record, or
    where an earlier shorter delivery of the range ended, which is marked then). Each record is thus
    applied once, and a range an attempt left half done is finished from its stored plans, whatever
    records the next delivery carries.

    New clicks are judged first (uniqueness claims are idempotent per click, so a retry reaches the
    same verdicts); their flood counts and suspect verdicts are kept only by the call that began
    their range (a redelivered click would be judged against counts that already hold it). The
    click log is written for every delivered click, at least once (its reader drops repeats).
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

    def begun(batch: list[StreamRecord]) -> None:
        if judge is not None:
            _keep_quality(judge, _new_clicks(batch), verdicts)

    start = 0
    while start < len(records):
        try:
            taken = _apply_range(records[start:], effects, stats, expires_at, begun)
        except Exception:
            logger.exception("statistics range failed", first_sequence=records[start].sequence_number)
            return [record.sequence_number for record in records[start:]]
        start += taken
    return []


def _apply_range(
    records: list[StreamRecord],
    effects: dict[str, StatsEffect | None],
    stats: StatsStores,
    expires_at: int,
    begun: Callable[[list[StreamRecord]], None],
) -> int:
    """The range at records[0]: begin it on the records from there, or, when an earlier delivery
    began one there, finish it and skip the records it covers. How many records it took."""
    token = token_of(records[0].event_id)
    marker = stats.cubes.marker(token)
    if marker is None:
        batch = records[:MAX_RANGE_RECORDS]
        chunks = _chunks([effect for record in batch if (effect := effects[record.event_id]) is not None])
        # A range with nothing to count is marked too: a later delivery that starts on it must find
        # where the next range begins.
        if stats.cubes.begin(token, [record.event_id for record in batch], chunks):
            begun(batch)
            for index in range(1, len(chunks)):
                # False: the chunk is in already (this call's own first try, whose answer was lost)
                stats.cubes.advance(token, index, chunks[index])
            _log(stats, batch, effects, token, expires_at)
            return len(batch)
        # Begun meanwhile: by this call's own first try, whose answer was lost, as botocore retries
        # a transaction that timed out. Go on from the marker like any later delivery.
        marker = stats.cubes.marker(token)
        if marker is None:
            raise RetryLater(f"range {token} was begun and is gone")
    covered = records[: len(marker.records)]
    if tuple(record.event_id for record in covered) != marker.records[: len(covered)]:
        raise RangeMismatch(f"the records from {records[0].sequence_number} differ from range {token}")
    if len(covered) < len(marker.records):
        # This delivery ends inside the range: the next starts at the first record it left out.
        rest = marker.records[len(covered) :]
        stats.cubes.split(token_of(rest[0]), rest, marker.owner)
    _finish(stats.cubes, marker)
    _log(stats, covered, effects, token, expires_at)
    return len(covered)


def _chunks(effects: list[StatsEffect]) -> list[dict[CubeKey, Increments]]:
    """The records' increments, aggregated and split into the range's transactions."""
    merged = {  # status changes can cancel out within a range: nothing to write for those
        key: kept
        for key, values in aggregate(effects).items()
        if (kept := {name: amount for name, amount in values.items() if amount})
    }
    keys = sorted(merged)
    chunks: list[dict[CubeKey, Increments]] = []
    for size in chunk_sizes(len(keys)):
        chunks.append({key: merged[key] for key in keys[:size]})
        keys = keys[size:]
    return chunks


def _finish(cubes: CubeStore, marker: RangeMarker) -> None:
    """Apply the chunks an earlier attempt left, from their plans (the range that holds them may have
    been begun at an earlier record)."""
    owner = marker if marker.owner == marker.token else cubes.marker(marker.owner)
    if owner is None:
        raise RetryLater(f"range {marker.owner} is gone (older than its markers live)")
    for index in range(owner.done, owner.chunks):
        cubes.advance(owner.token, index)  # False: another attempt applied it meanwhile


def _log(
    stats: StatsStores,
    records: list[StreamRecord],
    effects: dict[str, StatsEffect | None],
    token: str,
    expires_at: int,
) -> None:
    """The delivered records' clicks into the click log, in chunks named by the run of records they
    came in: the same run delivered again puts the same items, and a run cut differently puts its own
    (never a smaller copy over items that hold clicks it lacks); the reader drops the repeats."""
    clicks = [effect.click for r in records if (effect := effects[r.event_id]) and effect.click is not None]
    if clicks:
        stats.log.write(clicks, f"{token}-{len(records)}", expires_at)


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


def screen(record: StreamRecord) -> StreamRecord:
    """The record, or the record parked with its problem when what the orchestrator derives from it
    (its statistics, its postback and finance events, its click's quality keys) cannot be derived:
    one bad record must not hold back the records behind it."""
    if record.problem:
        return record
    try:
        routed = route(record)
        effect_of(record)
        if Job.FINANCE in routed.jobs:
            finance_event_of(record)
        if record.source == "clicks" and record.event_name == "INSERT" and record.new_image is not None:
            visitor_key(record.new_image)
            ip_hour_key(record.new_image)
    except Exception as error:
        return record.parked(f"it cannot be handled: {describe_error(error)}")
    return record


def park(log: OperationStore | None, records: list[StreamRecord], at: datetime) -> None:
    """Keep each problem record, as delivered and with its reason, as a failed operation the monitor
    lists and counts (once per record, however often the stream brings it again). Raises when one
    cannot be kept: it must not be skipped unseen."""
    for record in records:
        logger.warning(
            "stream record parked",
            sequence=record.sequence_number,
            event_id=record.event_id,
            problem=record.problem,
        )
        if log is None:
            continue
        raw = json.dumps(record.raw, default=str, ensure_ascii=False)
        name = record.event_id or hashlib.sha256(raw.encode()).hexdigest()
        operation = Operation(
            op_id=f"parked-{token_of(name)}",
            type=OperationType.STATS,
            subject_type="record",
            subject_id=f"{record.source}:{record.sequence_number or '?'}",
            status=OperationStatus.FAILED,
            created_at=at,
            updated_at=at,
            finished_at=at,
            last_error=record.problem,
            payload=raw[:PARKED_RECORD_BYTES],
        )
        if log.create(operation):
            log.count(OperationType.STATS, at, attempts=1, failures=1, failed=1, parked=1)


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

    Records that cannot be handled are parked first (see `screen`, `park`) and keep their place as
    records with nothing to do. Postbacks and finance messages go next: making a delivery sure and
    sending a finance event are safe to repeat, the statistics' ranges are not. When either cannot
    be made sure of at record k, the statistics take the records before k only and the stream
    retries from k, so no record's statistics are applied twice.
    """
    started = now()
    records = [screen(record) for record in records]
    problems = [record for record in records if record.problem]
    if problems:
        park(log, problems, started)
        # A record without a sequence number or an event id cannot be retried or placed in a range.
        records = [record for record in records if record.sequence_number and record.event_id]
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
