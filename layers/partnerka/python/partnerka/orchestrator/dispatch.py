"""Turning a stream batch's postback candidates into deliveries and queue messages.

A delivery is created once per event (its id is the event id, written with attribute_not_exists),
and a message is sent for it every time its record is processed: a redelivered batch may send a
delivery twice, and the sender drops the copy (see postbacks.sender). So this step is safe to repeat,
and the orchestrator runs it before the statistics, whose chunks must not be applied twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from partnerka.common.observability import logger
from partnerka.operations.repository import OperationStore
from partnerka.postbacks.models import EventData, PostbackSettings
from partnerka.postbacks.service import delivery_operation, message_body


class PostbackDispatcher:
    def __init__(
        self,
        settings_of: Callable[[set[str]], dict[str, PostbackSettings]],
        operations: OperationStore,
        enqueue: Callable[[list[str]], None],
        now: Callable[[], datetime],
    ) -> None:
        self._settings_of = settings_of
        self._operations = operations
        self._enqueue = enqueue
        self._now = now

    def dispatch(self, candidates: list[tuple[int, EventData]]) -> int | None:
        """Create and enqueue the deliveries the affiliates asked for; the position of the first
        record whose delivery could not be made sure of (to be retried from), or None."""
        wanted = [(i, e) for i, e in candidates if e.affiliate_id and e.affiliate_id != "-"]
        if not wanted:
            return None
        try:
            settings = self._settings_of({e.affiliate_id for _, e in wanted})
        except Exception:
            logger.exception("reading postback settings failed", events=len(wanted))
            return wanted[0][0]
        now = self._now()
        queued: list[tuple[int, str]] = []
        for index, event in wanted:
            found = settings.get(event.affiliate_id)
            destination = (
                found.destination(event.advertiser_id, event.offer_id, event.event) if found else None
            )
            if destination is None:
                continue
            try:
                self._operations.create(delivery_operation(event, destination, now))
            except Exception:
                logger.exception("creating a delivery failed", event_id=event.event_id)
                failed = self._send(queued)
                return index if failed is None else failed
            queued.append((index, message_body(event.event_id)))
        return self._send(queued)

    def _send(self, queued: list[tuple[int, str]]) -> int | None:
        for start in range(0, len(queued), 10):
            chunk = queued[start : start + 10]
            try:
                self._enqueue([body for _, body in chunk])
            except Exception:
                logger.exception("enqueueing deliveries failed", messages=len(chunk))
                return chunk[0][0]
        return None
