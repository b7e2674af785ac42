"""Telling an affiliate that its postbacks fail: a delivery given up for good, and a URL failing at
least half its attempts over a 15-minute window (once it has had enough of them to judge).

The delivery worker shows every attempt to the watch after making it. Each attempt counts on one item
per (affiliate, URL, window) in the Operations table, one ADD answering the new counts, so the attempt
whose count crosses the threshold is the one that tells; a crossing again in the same window (the rate
dipped and came back) sends the same event id, which the notifier sends once. Both notices share a
fold key per affiliate and URL, so a storm of failures is folded into one notice a window.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.observability import logger
from partnerka.notifications.events import Audience, Event, EventType, Notices
from partnerka.operations.runner import AttemptResult
from partnerka.postbacks.models import Delivery, mask_url

WINDOW = timedelta(minutes=15)
MIN_ATTEMPTS = 10  # fewer attempts in a window say too little to call the URL failing
FAILING_SHARE = 0.5  # of the window's attempts failed
COUNTER_DAYS = 2  # a window's counter outlives it by this much, for whoever looks into it


class AttemptCounters(Protocol):
    def add(self, affiliate_id: str, url_hash: str, window: datetime, failed: bool) -> tuple[int, int]:
        """Count one attempt in the window; (attempts, failures) counted in it now, this one too."""
        ...


@dataclass(frozen=True, slots=True)
class AttemptCounter:
    """One URL's attempts in one window. Key shape: Operations table, PK
    `PBRATE#<affiliate>#<url hash>#<window start iso>`; `attempts`, `failures`, TTL `expires_at`."""

    affiliate_id: str
    url_hash: str
    window: datetime

    def key(self) -> dict[str, Any]:
        return {"pk": {"S": f"PBRATE#{self.affiliate_id}#{self.url_hash}#{iso_millis(self.window)}"}}


class AttemptCounterRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def add(self, affiliate_id: str, url_hash: str, window: datetime, failed: bool) -> tuple[int, int]:
        answer = self._c().update_item(
            TableName=self._table,
            Key=AttemptCounter(affiliate_id, url_hash, window).key(),
            UpdateExpression="ADD attempts :one, failures :failed SET expires_at = :expires",
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":failed": {"N": "1" if failed else "0"},
                ":expires": {"N": str(int((window + WINDOW + timedelta(days=COUNTER_DAYS)).timestamp()))},
            },
            ReturnValues="ALL_NEW",
        )
        counts = answer["Attributes"]
        return int(counts["attempts"]["N"]), int(counts.get("failures", {}).get("N", 0))


def url_hash(masked_url: str) -> str:
    """A URL's name in counters and fold keys: its masked form without the query, so one endpoint's
    postbacks for different clicks are one URL."""
    parts = urlsplit(masked_url)
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return hashlib.sha256(bare.encode()).hexdigest()[:16]


def window_of(at: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    return datetime.fromtimestamp(int(at.timestamp()) // seconds * seconds, tz=at.tzinfo)


def failing(attempts: int, failures: int) -> bool:
    return attempts >= MIN_ATTEMPTS and failures >= attempts * FAILING_SHARE


class PostbackFailureWatch:
    """The delivery worker's observer of affiliate postbacks' attempts (DeliveryWorker's `observer`)."""

    def __init__(
        self, counters: AttemptCounters, notices: Notices, now: Callable[[], datetime] = utc_now
    ) -> None:
        self._counters = counters
        self._notices = notices
        self._now = now

    def __call__(self, delivery: Delivery, result: AttemptResult, number: int, last: bool) -> None:
        """After attempt `number` of the delivery; `last`: it failed and no other will be made.
        Never raises: the attempt's outcome is the delivery's, whatever becomes of its notice."""
        try:
            self._watch(delivery, result, number, last)
        except Exception:
            logger.exception("the postback's failures were not watched", delivery_id=delivery.delivery_id)

    def _watch(self, delivery: Delivery, result: AttemptResult, number: int, last: bool) -> None:
        if delivery.request.endpoint_id or not delivery.affiliate_id:
            # A webhook endpoint's delivery: its owner watches the endpoint's own delivery log.
            return
        now = self._now()
        url = mask_url(delivery.request.url)
        hashed = url_hash(url)
        affiliate = delivery.affiliate_id
        failed = not result.ok
        window = window_of(now)
        attempts, failures = self._counters.add(affiliate, hashed, window, failed)
        if failed and failing(attempts, failures) and not failing(attempts - 1, failures - 1):
            self._tell(
                delivery,
                f"postback-rate.{affiliate}.{hashed}.{iso_millis(window)}",
                now,
                hashed,
                {
                    "url": url,
                    "reason": "failure_rate",
                    "failures": failures,
                    "attempts": attempts,
                    "window_minutes": int(WINDOW.total_seconds() // 60),
                    "last_error": result.error,
                },
            )
        if last and failed:
            self._tell(
                delivery,
                f"postback-failed.{delivery.delivery_id}",
                now,
                hashed,
                {
                    "url": url,
                    "reason": "gave_up",
                    "failures": number,
                    "attempts": number,
                    "last_error": result.error,
                },
            )

    def _tell(
        self, delivery: Delivery, event_id: str, now: datetime, hashed: str, data: dict[str, Any]
    ) -> None:
        self._notices.send(
            Event(
                event_id=event_id,
                type=EventType.POSTBACK_FAILING,
                occurred_at=now,
                advertiser_id=delivery.advertiser_id,
                audience=Audience(affiliate_id=delivery.affiliate_id),
                data=data,
                fold_key=f"postback.{delivery.affiliate_id}.{hashed}",
            )
        )
