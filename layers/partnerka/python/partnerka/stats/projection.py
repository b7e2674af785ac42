"""The statistics' projection of the clicks and conversions streams: what each event adds to the cubes
and the click log, and applying a stream batch's worth exactly once per record.

The orchestrator hands over every record of a batch, in the shard's order, each with its typed event
(tracking.events.ClickRecorded, conversions.events.ConversionChanged) or none (a record that tells
statistics nothing, or one parked as a problem): records without an event still take their place in
the ranges below, so every delivery of the shard finds where the next range begins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from partnerka.common.clock import utc_now
from partnerka.common.observability import logger
from partnerka.conversions.events import ConversionChanged
from partnerka.stats.analytics_store import AnalyticsSink, ChangeDelivered
from partnerka.stats.click_log import LOG_RETENTION, ClickLogStore, LoggedClick
from partnerka.stats.cpc import ClickPayer
from partnerka.stats.cube import CubeKey, Facts, cube_increments, merge_into
from partnerka.stats.cube_store import CubeStore
from partnerka.stats.models import Increments
from partnerka.stats.quality import ClickQuality, QualityJudge
from partnerka.stats.raw import SCREENING_COUNTERS, converted_event
from partnerka.stats.repository import RangeMarker
from partnerka.tracking.events import ClickRecorded
from partnerka.tracking.models import Click
from partnerka.tracking.user_agent import describe_user_agent

StatsEvent = ClickRecorded | ConversionChanged


class Delivered(Protocol):
    """A stream record as statistics see it: its place in the shard and its event, if any."""

    @property
    def sequence_number(self) -> str: ...

    @property
    def event_id(self) -> str: ...

    @property
    def event(self) -> StatsEvent | None: ...


@dataclass(frozen=True, slots=True)
class StatsStores:
    """Where the orchestrator keeps statistics: the cubes, the click log for raw reports, and the
    analytics store (Parquet in S3, for reports at any scale) when the deployment has one."""

    cubes: CubeStore
    log: ClickLogStore
    analytics: AnalyticsSink | None = None


@dataclass(frozen=True, slots=True)
class StatsEffect:
    """What one event adds: increments where its facts belong, and a new click for the click log."""

    facts: Facts
    increments: Increments
    click: LoggedClick | None = None

    def cubes(self) -> dict[CubeKey, Increments]:
        return cube_increments(self.facts, self.increments)


def click_facts(click: Click) -> Facts:
    agent = describe_user_agent(click.user_agent)
    return Facts(
        advertiser_id=click.advertiser_id,
        at=click.created_at,
        offer=click.offer_id,
        affiliate=click.affiliate_id,
        country=click.country,
        device=agent.device,
        os=agent.os,
        browser=agent.browser,
        subs={key: value for key, value in click.subs.items() if value},
    )


def click_effect(click: Click, quality: ClickQuality | None) -> StatsEffect:
    """A new click counts once, in the hour it happened: as blocked when a check refused it, else as
    a click with the orchestrator's quality verdict (unique, flood, bots, datacenter)."""
    flags = frozenset(quality.counters()) if quality is not None and not click.reason else frozenset()
    logged = LoggedClick(click.click_id, click_facts(click), click.reason or "", flags)
    return StatsEffect(logged.facts, logged.increments(), logged)


def conversion_effect(change: ConversionChanged) -> StatsEffect | None:
    """An arriving conversion counts its goal, money and hold in the hour it arrived. A conversion
    whose status (or money) changed later moves its counts in that same hour, by the difference
    between what it counts now and what it counted: hold → approved leaves `hold`; a rejection
    leaves its goal and money and counts as rejected. What a fraud rule did (`held_by_rule`,
    `rejected_by_rule`) counts with the arrival alone. None when nothing counted changes."""
    after = converted_event(change.conversion)
    if change.before is None:
        return StatsEffect(after.facts, after.increments)
    before = converted_event(change.before)
    difference: Increments = dict(after.increments)
    for name, amount in before.increments.items():
        difference[name] = difference.get(name, 0) - amount
    # A rule's decision counts with the arrival only: a change never moves it, even one that rewrote
    # the screening fields.
    difference = {
        name: amount
        for name, amount in difference.items()
        if amount and name not in SCREENING_COUNTERS.values()
    }
    return StatsEffect(before.facts, difference) if difference else None


def effect_of(
    event: StatsEvent | None, verdicts: dict[str, ClickQuality] | None = None
) -> StatsEffect | None:
    """What an event adds to statistics: a new click (with its quality verdict), a new conversion,
    or a conversion's change; a record without an event (an expiry) adds nothing."""
    if isinstance(event, ClickRecorded):
        return click_effect(event.click, (verdicts or {}).get(event.click.click_id))
    if isinstance(event, ConversionChanged):
        return conversion_effect(event)
    return None


def aggregate(effects: Iterable[StatsEffect]) -> dict[CubeKey, Increments]:
    """Many records to one ADD per cube item: a batch of 100 clicks on one offer is one update there."""
    merged: dict[CubeKey, Increments] = {}
    for effect in effects:
        merge_into(merged, effect.cubes())
    return merged


# A range's event ids are kept in its marker item: this many stay far under DynamoDB's 400 KB.
MAX_RANGE_RECORDS = 2000


def _new_clicks(records: Sequence[Delivered]) -> list[Click]:
    return [record.event.click for record in records if isinstance(record.event, ClickRecorded)]


def token_of(event_id: str) -> str:
    """A range is named by its first record's event id (stable across every redelivery of it)."""
    return hashlib.sha256(event_id.encode()).hexdigest()[:32]


class RetryLater(Exception):
    """The statistics of these records cannot be applied exactly once in this call."""


class RangeMismatch(Exception):
    """A delivery's records differ from the range an earlier delivery began at the same record: the
    stream's order is not what Lambda guarantees. Nothing is applied; the records are retried."""


def apply_stream_batch(
    records: Sequence[Delivered],
    stats: StatsStores,
    judge: QualityJudge | None = None,
    now: Callable[[], datetime] = utc_now,
    on_begun: Callable[[Sequence[Delivered]], None] | None = None,
    payer: ClickPayer | None = None,
) -> list[str]:
    """Apply the records' statistics exactly once; return the sequence numbers to retry (empty when
    all went in). `on_begun` is told each range's records once, when this call began the range:
    the one moment a record is taken, however often the stream delivers it. `payer` decides the
    paid clicks of each range as it begins (stats.cpc), so they go in with it.

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
    effects = {record.event_id: effect_of(record.event, verdicts) for record in records}
    expires_at = int((now() + LOG_RETENTION).timestamp())

    def paid(batch: Sequence[Delivered]) -> dict[CubeKey, Increments]:
        if payer is None:
            return {}
        facts = {
            r.event.click.click_id: effect.facts
            for r in batch
            if isinstance(r.event, ClickRecorded) and (effect := effects[r.event_id]) is not None
        }
        return payer.pay(_new_clicks(batch), verdicts, facts)

    def begun(batch: Sequence[Delivered]) -> None:
        if judge is not None:
            _keep_quality(judge, _new_clicks(batch), verdicts, token_of(batch[0].event_id))
        if on_begun is not None:
            on_begun(batch)

    start = 0
    while start < len(records):
        try:
            taken = _apply_range(records[start:], effects, stats, expires_at, begun, paid)
        except Exception:
            logger.exception("statistics range failed", first_sequence=records[start].sequence_number)
            return [record.sequence_number for record in records[start:]]
        start += taken
    return []


def _apply_range(
    records: Sequence[Delivered],
    effects: dict[str, StatsEffect | None],
    stats: StatsStores,
    expires_at: int,
    begun: Callable[[Sequence[Delivered]], None],
    paid: Callable[[Sequence[Delivered]], dict[CubeKey, Increments]],
) -> int:
    """The range at records[0]: begin it on the records from there, or, when an earlier delivery
    began one there, finish it and skip the records it covers. How many records it took.

    Paid clicks are decided here, when the range begins, against counters that hold every earlier
    range of the shard (each is finished before the next begins); once begun, the range is only
    finished from its plans, so a redelivery never decides them again."""
    token = token_of(records[0].event_id)
    marker = stats.cubes.marker(token)
    if marker is None:
        batch = records[:MAX_RANGE_RECORDS]
        chunks = _chunks(
            stats.cubes,
            [effect for record in batch if (effect := effects[record.event_id]) is not None],
            paid(batch),
        )
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


def _chunks(
    cubes: CubeStore, effects: list[StatsEffect], more: dict[CubeKey, Increments] | None = None
) -> list[dict[CubeKey, Increments]]:
    """The records' increments (and `more`: their paid clicks'), aggregated and split into the
    range's transactions (as the store writes them: see CubeStore.chunk)."""
    everything = aggregate(effects)
    merge_into(everything, more or {})
    merged = {  # status changes can cancel out within a range: nothing to write for those
        key: kept
        for key, values in everything.items()
        if (kept := {name: amount for name, amount in values.items() if amount})
    }
    return cubes.chunk(merged)


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
    records: Sequence[Delivered],
    effects: dict[str, StatsEffect | None],
    token: str,
    expires_at: int,
) -> None:
    """The delivered records' clicks into the click log, and their clicks and conversion changes into
    the analytics store, named by the run of records they came in: the same run delivered again puts
    the same items and objects, and a run cut differently puts its own (never a smaller copy over
    items that hold clicks it lacks); the readers drop the repeats."""
    name = f"{token}-{len(records)}"
    clicks = [effect.click for r in records if (effect := effects[r.event_id]) and effect.click is not None]
    if clicks:
        stats.log.write(clicks, name, expires_at)
    if stats.analytics is not None:
        changes = [
            ChangeDelivered(r.event, r.sequence_number)
            for r in records
            if isinstance(r.event, ConversionChanged)
        ]
        if clicks or changes:
            stats.analytics.write(clicks, changes, name)


def _keep_quality(
    judge: QualityJudge, clicks: list[Click], verdicts: dict[str, ClickQuality], token: str
) -> None:
    """After the cubes are in: the flood counts and the suspect clicks' verdicts.

    Statistics are already right at this point, so a failure here is logged and not retried: a lost
    count makes a flood show a little later; a lost verdict makes one click look clean when inspected.
    """
    try:
        judge.commit_counts(clicks, token)
        judge.save(clicks, verdicts, token)
    except Exception:
        logger.exception("keeping click quality failed", clicks=len(clicks))
