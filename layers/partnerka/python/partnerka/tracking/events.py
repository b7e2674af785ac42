"""The tracking context's event: a click the tracker stored, as the Clicks stream reports it.

The orchestrator decodes each Clicks stream record once, here, and hands the same typed event to
every consumer (statistics and click quality, postbacks); none of them reads a stream image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerka.common import dynamo
from partnerka.tracking.models import SUB_KEYS, Click

# The attributes a stored click holds as text (see Click.as_item).
TEXT_ATTRIBUTES = (
    "click_id",
    "offer_id",
    "affiliate_id",
    "advertiser_id",
    "ip",
    "country",
    "ua",
    "created_at",
    "reason",
    *SUB_KEYS,
)


@dataclass(frozen=True, slots=True)
class ClickRecorded:
    """The tracker stored a click: sent to a landing, or refused by a check (`click.reason`)."""

    click: Click


def click_event(event_name: str, new_image: dict[str, Any] | None) -> ClickRecorded | None:
    """What a Clicks stream record reports (`new_image` as Lambda delivers it, in DynamoDB's attribute
    format): a recorded click on INSERT, nothing otherwise (a click only ever changes by expiring).
    Raises on an image that is not a click."""
    if event_name != "INSERT" or not new_image:
        return None
    item = dynamo.decode(new_image)
    dynamo.require_text(item, TEXT_ATTRIBUTES)
    return ClickRecorded(Click.from_item(item))
