"""The orchestrator's edge: a DynamoDB stream record, exactly as Lambda delivers it, decoded once into
the typed event of the context that owns the data (tracking.events.ClickRecorded for the Clicks
table, conversions.events.ConversionChanged for the Conversions table). Every consumer takes that
event; none reads the record's images again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from partnerka.conversions.events import ConversionChanged, conversion_event
from partnerka.tracking.events import ClickRecorded, click_event

StreamEvent = ClickRecorded | ConversionChanged


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One DynamoDB stream record: its place in the shard and its event (None for a record that tells
    no one anything: a REMOVE by TTL, a record of another table).

    A record that cannot be handled (an image that is not a click or a conversion, no sequence
    number) carries its `problem` and the record as Lambda delivered it (`raw`): it is parked, and
    keeps its place in the stream so that everything around it is handled as usual."""

    sequence_number: str
    event_id: str
    event_name: str  # INSERT | MODIFY | REMOVE
    source: str  # "clicks" | "conversions" | other
    event: StreamEvent | None = None
    problem: str = ""
    raw: dict[str, Any] | None = None

    def parked(self, problem: str) -> StreamRecord:
        """This record as one that nothing is done with, for `problem`."""
        return StreamRecord(
            self.sequence_number, self.event_id, self.event_name, self.source, None, problem, self.raw
        )


def decode_record(raw: dict[str, Any], source_of: Callable[[str], str]) -> StreamRecord:
    """A record of a DynamoDB stream event as Lambda delivers it (`source_of` names its table from the
    stream's ARN), with its event; one that cannot be decoded comes back with its problem."""
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
        raw=raw if isinstance(raw, dict) else {"record": repr(raw)[:1000]},
    )
    if not record.sequence_number or not record.event_id:
        return record.parked("the record has no sequence number or event id")
    new, old = change.get("NewImage"), change.get("OldImage")
    try:
        event: StreamEvent | None = None
        if source == "clicks":
            event = click_event(record.event_name, new)
        elif source == "conversions":
            event = conversion_event(record.event_name, new, old)
    except Exception as error:
        return record.parked(f"its image does not decode: {describe_error(error)}")
    return StreamRecord(
        record.sequence_number, record.event_id, record.event_name, source, event, raw=record.raw
    )


def describe_error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]
