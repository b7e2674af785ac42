"""The orchestrator's side of the analytics store: a stream batch's clicks and conversion changes as
Parquet objects in S3, one per table, advertiser and day the batch touches.

An object is named by the run of stream records it came from (as the click log's chunks are, see
stats.projection): the same run delivered again puts the same object with the same rows, so a batch
retried ten times is stored once; a run cut differently (a bisected retry) puts its own object, and
the click or change it shares with another object is removed by the hourly compaction
(analytics.compaction) and, until then, by every query (stats.analytics_sql reads each click and each
change once).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from partnerka.analytics.schema import CLICKS, CONVERSIONS, SEQ_WIDTH, object_prefix
from partnerka.common.clock import iso_millis
from partnerka.conversions.events import ConversionChanged
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.raw import converted_event
from partnerka.tracking.models import SUB_KEYS

BATCH_PREFIX = "b-"  # objects written per stream batch; compacted ones begin with "c-"


@dataclass(frozen=True, slots=True)
class ChangeDelivered:
    """A conversion change and where the stream put it (its sequence number orders the changes of
    one instant)."""

    change: ConversionChanged
    sequence_number: str


def _subs(subs: dict[str, str]) -> dict[str, str]:
    return {key: subs.get(key, "") for key in SUB_KEYS}


def click_row(click: LoggedClick) -> dict[str, Any]:
    f = click.facts
    return {
        "click_id": click.click_id,
        "clicked_at": iso_millis(f.at),
        "offer": f.offer,
        "affiliate": f.affiliate,
        "country": f.country,
        "device": f.device,
        "os": f.os,
        "browser": f.browser,
        "reason": click.reason,
        "is_unique": int("unique" in click.flags),
        "is_bot": int("bots" in click.flags),
        "is_flood": int("flood" in click.flags),
        "is_datacenter": int("datacenter" in click.flags),
        **_subs(f.subs),
    }


def change_row(delivered: ChangeDelivered) -> dict[str, Any]:
    """A conversion as it is after the change: its status and money now, and the facts it counts
    under (device, OS and browser from the click's User-Agent, as the cubes count it)."""
    conversion = delivered.change.conversion
    f = converted_event(conversion).facts
    return {
        "conversion_id": conversion.conversion_id,
        "click_id": conversion.click_id,
        "created_at": iso_millis(conversion.created_at),
        "changed_at": iso_millis(delivered.change.at),
        "seq": delivered.sequence_number.rjust(SEQ_WIDTH, "0"),
        "offer": f.offer,
        "affiliate": f.affiliate,
        "country": f.country,
        "device": f.device,
        "os": f.os,
        "browser": f.browser,
        "status": conversion.status.value,
        "goal": conversion.goal,
        "currency": conversion.currency,
        "revenue_minor": conversion.revenue_minor,
        "payout_minor": conversion.payout_minor,
        "screening": conversion.screening or "",
        **_subs(f.subs),
    }


class AnalyticsSink(Protocol):
    def write(self, clicks: Sequence[LoggedClick], changes: Sequence[ChangeDelivered], name: str) -> int:
        """Store the batch's rows in objects named `name`; the number of objects written."""
        ...


class AnalyticsStore:
    """Writes the objects with one PutObject each; `put(key, body)` is the S3 call
    (analytics.objects.BucketObjects.put)."""

    def __init__(self, put: Callable[[str, bytes], None]) -> None:
        self._put = put

    def write(self, clicks: Sequence[LoggedClick], changes: Sequence[ChangeDelivered], name: str) -> int:
        from partnerka.analytics.parquet import parquet_writer  # DuckDB: the AnalyticsLayer's

        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for click in clicks:
            row = click_row(click)
            groups.setdefault((CLICKS, click.facts.advertiser_id, row["clicked_at"][:10]), []).append(row)
        for delivered in changes:
            row = change_row(delivered)
            advertiser = delivered.change.conversion.advertiser_id
            groups.setdefault((CONVERSIONS, advertiser, row["created_at"][:10]), []).append(row)
        with parquet_writer() as parquet:
            for (table, advertiser, day), rows in sorted(groups.items()):
                self._put(
                    f"{object_prefix(table, advertiser, day)}{BATCH_PREFIX}{name}.parquet",
                    parquet(table, rows),
                )
        return len(groups)
