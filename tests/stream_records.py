"""DynamoDB stream records as Lambda delivers them, built from item images (as the repositories
store them), and decoded by the orchestrator's own edge, so tests hand every consumer the typed
event the orchestrator would."""

from __future__ import annotations

from typing import Any

from partnerka.common import dynamo
from partnerka.orchestrator.records import StreamRecord, decode_record

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/{table}/stream/2026-11-27T00:00:00.000"
KEYS = {"clicks": "click_id", "conversions": "pk"}


def raw_record(
    sequence: str,
    event_id: str,
    name: str,
    source: str,
    new: dict[str, Any] | None,
    old: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The record of table `source` ("clicks", "conversions") as it comes in a Lambda event."""
    image = new or old or {}
    key = KEYS.get(source, "")
    change: dict[str, Any] = {
        "ApproximateCreationDateTime": 1795773600,
        "Keys": dynamo.encode({key: image.get(key)}),
        "SequenceNumber": sequence,
        "SizeBytes": 256,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if new is not None:
        change["NewImage"] = dynamo.encode(new)
    if old is not None:
        change["OldImage"] = dynamo.encode(old)
    return {
        "eventID": event_id,
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": change,
        "eventSourceARN": STREAM_ARN.format(table=source),
    }


def stream_record(
    sequence: str,
    event_id: str,
    name: str,
    source: str,
    new: dict[str, Any] | None,
    old: dict[str, Any] | None = None,
) -> StreamRecord:
    """The record, decoded as the orchestrator decodes it."""
    return decode_record(raw_record(sequence, event_id, name, source, new, old), lambda arn: source)
