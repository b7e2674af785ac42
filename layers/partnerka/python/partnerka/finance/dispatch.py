"""Sending a stream batch's finance events (finance.service.FinanceEvent, the finance queue's own
message shape) to the finance worker.

One FIFO message group per affiliate account (advertiser and affiliate), so a conversion's arrival,
approval and rejection reach the worker in order; the message id is the event's, so a redelivered
stream batch sends nothing twice within SQS's five-minute window, and the ledger's keys catch any
later repeat. Sending is safe to repeat, so the orchestrator runs it before the statistics.
"""

from __future__ import annotations

from collections.abc import Callable

from partnerka.common.observability import logger
from partnerka.finance.service import FinanceEvent

Send = Callable[[list[str], list[str], list[str]], None]  # bodies, groups, ids


class FinanceDispatcher:
    def __init__(self, send: Send) -> None:
        self._send = send

    def dispatch(self, events: list[tuple[int, FinanceEvent]]) -> int | None:
        """Send a batch's finance events (each with its record's position) in order; the position of
        the first record whose message could not be sent (to be retried from), or None."""
        for start in range(0, len(events), 10):
            chunk = events[start : start + 10]
            try:
                self._send(
                    [e.as_message() for _, e in chunk],
                    [f"{e.money.advertiser_id}#{e.money.affiliate_id}" for _, e in chunk],
                    [e.event_id for _, e in chunk],
                )
            except Exception:
                logger.exception("enqueueing finance events failed", messages=len(chunk))
                return chunk[0][0]
        return None
