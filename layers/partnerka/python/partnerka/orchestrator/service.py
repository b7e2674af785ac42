"""The orchestrator: one stream batch of typed events (orchestrator.records) routed to every consumer
(orchestrator.routing): postbacks, finance, notifications and the statistics' projection, in the order
that keeps each record's effects exactly once; records it cannot handle are parked; each batch is
logged as an operation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime

from partnerka.common.clock import utc_now
from partnerka.common.observability import count, logger, tracer
from partnerka.conversions.cap_notices import CapWatch
from partnerka.conversions.events import ConversionChanged
from partnerka.finance.dispatch import FinanceDispatcher
from partnerka.notifications.events import Notices
from partnerka.operations.models import Operation, OperationStatus, OperationType
from partnerka.operations.repository import OperationStore
from partnerka.orchestrator.records import StreamRecord, describe_error
from partnerka.orchestrator.routing import NOTHING, Job, Routed, route
from partnerka.postbacks.dispatch import PostbackDispatcher
from partnerka.stats.cpc import ClickPayer
from partnerka.stats.projection import Delivered, StatsStores, apply_stream_batch, token_of
from partnerka.stats.quality import QualityJudge
from partnerka.tracking.events import ClickRecorded
from partnerka.tracking.service import RejectReason

PARKED_RECORD_BYTES = 32_000  # what is kept of a parked record, as delivered


def screen(record: StreamRecord) -> tuple[StreamRecord, Routed]:
    """The record with where its event goes, or the record parked with its problem when that cannot
    be told: one bad record must not hold back the records behind it. (A record whose image is not
    a click or a conversion was parked when it was decoded.)"""
    if record.problem:
        return record, NOTHING
    try:
        return record, route(record.event)
    except Exception as error:
        return record.parked(f"it cannot be handled: {describe_error(error)}"), NOTHING


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


def tell(notices: Notices, caps: CapWatch | None, records: list[StreamRecord], routed: list[Routed]) -> None:
    """Send the notification events of these records: the conversions' own, and the caps their
    refusals prove. Neither the port nor the cap watch raises, so this never holds the batch."""
    events = [found.notice for found in routed if found.notice is not None]
    if caps is not None:
        events += caps.notices([r.event for r in records if r.event is not None])
    notices.send_all(events)


def count_taken(records: Sequence[Delivered]) -> None:
    """The business metrics of records the statistics have just taken (each record once): every
    click stored, the refused ones by reason, and each conversion under the status it arrived in or
    changed to. The stream is where every writer's click and conversion is seen once (the tracker,
    postbacks, hold release, reviews), and the click function stays as lean as it is."""
    for record in records:
        event = record.event
        if isinstance(event, ClickRecorded):
            count("ClicksStored")
            if reason := event.click.reason:
                count("ClicksRefused", reason=reason if reason in RejectReason else "other")
        elif isinstance(event, ConversionChanged) and (event.arrival or event.status_changed):
            count("Conversions", status=event.conversion.status.value)


@tracer.capture_method(capture_response=False)
def run_batch(
    records: list[StreamRecord],
    stats: StatsStores,
    judge: QualityJudge | None,
    dispatcher: PostbackDispatcher,
    log: OperationStore | None = None,
    now: Callable[[], datetime] = utc_now,
    finance: FinanceDispatcher | None = None,
    notices: Notices | None = None,
    caps: CapWatch | None = None,
    payer: ClickPayer | None = None,
) -> list[str]:
    """One stream batch through every job routing gives it; the sequence numbers to retry.

    Records that cannot be handled are parked first (see `screen`, `park`) and keep their place as
    records without an event. Postbacks and finance messages go next: making a delivery sure and
    sending a finance event are safe to repeat, the statistics' ranges are not. When either cannot
    be made sure of at record k, the statistics take the records before k only and the stream
    retries from k, so no record's statistics are applied twice. Notifications go with the records
    the statistics take: their ids are the events', so a record that comes again sends the same
    event, and sending never fails or holds the batch (see `tell`). Paid clicks (`payer`, stats.cpc)
    are decided with the statistics' ranges and counted in them; the ledger posts them by the hour
    from those counts (finance.clicks).
    """
    started = now()
    screened = [screen(record) for record in records]
    problems = [record for record, _ in screened if record.problem]
    if problems:
        park(log, problems, started)
        # A record without a sequence number or an event id cannot be retried or placed in a range.
        screened = [
            (record, routed) for record, routed in screened if record.sequence_number and record.event_id
        ]
    records = [record for record, _ in screened]
    routed = [routed for _, routed in screened]
    stops = [dispatcher.dispatch([(i, r.postback) for i, r in enumerate(routed) if r.postback is not None])]
    if finance is not None:
        stops.append(
            finance.dispatch([(i, r.finance) for i, r in enumerate(routed) if r.finance is not None])
        )
    stop = min((s for s in stops if s is not None), default=None)
    upto = len(records) if stop is None else stop
    if notices is not None:
        tell(notices, caps, records[:upto], routed[:upto])
    failed = apply_stream_batch(records[:upto], stats, judge, now, count_taken, payer)
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
