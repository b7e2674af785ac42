"""The conversions context's event: a conversion stored or changed, as the Conversions stream reports it.

The orchestrator decodes each Conversions stream record once, here, and hands the same typed event to
every consumer (statistics, postbacks, finance); none of them reads a stream image.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from partnerka.common import dynamo
from partnerka.conversions.models import Conversion
from partnerka.tracking.models import SUB_KEYS

# The attributes a stored conversion holds as text (see Conversion.as_item).
TEXT_ATTRIBUTES = (
    "pk",
    "conversion_id",
    "click_id",
    "offer_id",
    "affiliate_id",
    "advertiser_id",
    "goal",
    "status",
    "currency",
    "txn_id",
    "created_at",
    "updated_at",
    "hold_until",
    "click_created_at",
    "reason",
    "country",
    "ua",
    "screening",
    "screening_flag",
    "screening_note",
    *SUB_KEYS,
)


@dataclass(frozen=True, slots=True)
class ConversionChanged:
    """A conversion arrived (`before` is None) or changed: its status (hold or pending → approved or
    rejected, approved → rejected), its money, or its review flag."""

    conversion: Conversion
    before: Conversion | None = None

    @property
    def arrival(self) -> bool:
        return self.before is None

    @property
    def status_changed(self) -> bool:
        return self.before is not None and self.before.status is not self.conversion.status

    @property
    def at(self) -> datetime:
        """When it happened: the conversion's arrival, or the change."""
        conversion = self.conversion
        return (
            conversion.created_at if self.before is None else conversion.updated_at or conversion.created_at
        )


def conversion_event(
    event_name: str, new_image: dict[str, Any] | None, old_image: dict[str, Any] | None
) -> ConversionChanged | None:
    """What a Conversions stream record reports (images as Lambda delivers them, in DynamoDB's attribute
    format): an arrival on INSERT, a change on MODIFY; nothing on a REMOVE. Raises on an image that is
    not a conversion."""
    if event_name == "INSERT" and new_image:
        return ConversionChanged(_conversion(new_image))
    if event_name == "MODIFY" and new_image and old_image:
        return ConversionChanged(_conversion(new_image), _conversion(old_image))
    return None


def _conversion(image: dict[str, Any]) -> Conversion:
    item = dynamo.decode(image)
    dynamo.require_text(item, TEXT_ATTRIBUTES)
    return Conversion.from_item(item)
