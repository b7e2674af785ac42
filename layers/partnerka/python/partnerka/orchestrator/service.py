"""What stream records of clicks and conversions add to statistics: where each belongs (its Facts) and
what it counts there, aggregated into the cubes once per stream batch (see stats.cube)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from partnerka.common import dynamo
from partnerka.common.clock import parse_iso
from partnerka.conversions.models import Conversion
from partnerka.orchestrator.quality import ClickQuality
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.cube import CubeKey, Facts, cube_increments, merge_into
from partnerka.stats.models import Increments
from partnerka.stats.raw import converted_event
from partnerka.tracking.models import SUB_KEYS
from partnerka.tracking.user_agent import describe_user_agent


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One DynamoDB stream record, with its images already decoded.

    A record that cannot be handled (an image that does not decode, a missing attribute) carries
    its `problem` and the record as Lambda delivered it (`raw`): it is parked, and keeps its place in
    the stream so that everything around it is handled as usual."""

    sequence_number: str
    event_id: str
    event_name: str  # INSERT | MODIFY | REMOVE
    source: str  # "clicks" | "conversions" | other
    new_image: dict[str, Any] | None
    old_image: dict[str, Any] | None = None
    problem: str = ""
    raw: dict[str, Any] | None = None

    def parked(self, problem: str, raw: dict[str, Any] | None = None) -> StreamRecord:
        """This record as one that nothing is done with, for `problem`."""
        return StreamRecord(
            self.sequence_number,
            self.event_id,
            self.event_name,
            self.source,
            None,
            None,
            problem,
            raw if raw is not None else self.raw,
        )


def decode_record(raw: dict[str, Any], source_of: Callable[[str], str]) -> StreamRecord:
    """A record of a DynamoDB stream event as Lambda delivers it (`source_of` names its table from the
    stream's ARN); one that cannot be decoded comes back with its problem."""
    change = raw.get("dynamodb") if isinstance(raw, dict) else None
    change = change if isinstance(change, dict) else {}
    sequence = change.get("SequenceNumber")
    event_id = raw.get("eventID") if isinstance(raw, dict) else None
    source = source_of(str(raw.get("eventSourceARN", ""))) if isinstance(raw, dict) else "unknown"
    record = StreamRecord(
        sequence if isinstance(sequence, str) else "",
        event_id if isinstance(event_id, str) else "",
        str(raw.get("eventName", "")) if isinstance(raw, dict) else "",
        source,
        None,
        raw=raw if isinstance(raw, dict) else {"record": repr(raw)[:1000]},
    )
    if not record.sequence_number or not record.event_id:
        return record.parked("the record has no sequence number or event id")
    try:
        new, old = change.get("NewImage"), change.get("OldImage")
        return StreamRecord(
            record.sequence_number,
            record.event_id,
            record.event_name,
            source,
            dynamo.decode(new) if new else None,
            dynamo.decode(old) if old else None,
            raw=record.raw,
        )
    except Exception as error:
        return record.parked(f"its image does not decode: {describe_error(error)}")


def describe_error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


@dataclass(frozen=True, slots=True)
class StatsEffect:
    """What one record adds: increments where its facts belong, and a new click for the click log."""

    facts: Facts
    increments: Increments
    click: LoggedClick | None = None

    def cubes(self) -> dict[CubeKey, Increments]:
        return cube_increments(self.facts, self.increments)


def click_facts(image: dict[str, Any]) -> Facts:
    agent = describe_user_agent(image.get("ua", ""))
    return Facts(
        advertiser_id=image["advertiser_id"],
        at=parse_iso(image["created_at"]),
        offer=image["offer_id"],
        affiliate=image.get("affiliate_id", "-"),
        country=image.get("country", "ZZ"),
        device=agent.device,
        os=agent.os,
        browser=agent.browser,
        subs={key: str(image[key]) for key in SUB_KEYS if image.get(key)},
    )


def click_effect(image: dict[str, Any], quality: ClickQuality | None) -> StatsEffect:
    """A new click counts once, in the hour it happened: as blocked when a check refused it, else as
    a click with the orchestrator's quality verdict (unique, flood, bots, datacenter)."""
    flags = frozenset(quality.counters()) if quality is not None and not image.get("reason") else frozenset()
    logged = LoggedClick(image["click_id"], click_facts(image), image.get("reason") or "", flags)
    return StatsEffect(logged.facts, logged.increments(), logged)


def status_change_effect(old: dict[str, Any], new: dict[str, Any]) -> StatsEffect | None:
    """A conversion whose status (or money) changed moves its counts in the hour it arrived, by the
    difference between what it counts now and what it counted: hold → approved leaves `hold`; a
    rejection leaves its goal and money and counts as rejected. None when nothing counted changes."""
    before, after = converted_event(Conversion.from_item(old)), converted_event(Conversion.from_item(new))
    difference: Increments = dict(after.increments)
    for name, amount in before.increments.items():
        difference[name] = difference.get(name, 0) - amount
    difference = {name: amount for name, amount in difference.items() if amount}
    return StatsEffect(before.facts, difference) if difference else None


def effect_of(record: StreamRecord, verdicts: dict[str, ClickQuality] | None = None) -> StatsEffect | None:
    """What a record adds to statistics: new clicks (with their quality verdicts) and conversions,
    and conversions whose status changed later; expiries (REMOVE) add nothing."""
    if record.source == "conversions" and record.event_name == "MODIFY":
        if record.old_image and record.new_image:
            return status_change_effect(record.old_image, record.new_image)
        return None
    if record.event_name != "INSERT" or record.new_image is None:
        return None
    if record.source == "clicks":
        return click_effect(record.new_image, (verdicts or {}).get(record.new_image["click_id"]))
    if record.source == "conversions":
        event = converted_event(Conversion.from_item(record.new_image))
        return StatsEffect(event.facts, event.increments)
    return None


def aggregate(effects: Iterable[StatsEffect]) -> dict[CubeKey, Increments]:
    """Many records to one ADD per cube item: a batch of 100 clicks on one offer is one update there."""
    merged: dict[CubeKey, Increments] = {}
    for effect in effects:
        merge_into(merged, effect.cubes())
    return merged
