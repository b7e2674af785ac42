"""The notifier: sends each queued notification on its kind's channel (e-mails by SES, Telegram messages,
events fanned out into these, inbox notices and webhook deliveries),
once, retrying what fails after growing delays (30 s, 2 min, 10 min, 1 h, 4 h, ±15%), then marking
it failed and leaving its message in the dead-letter queue, from which the monitor's redrive sends
it again. Every attempt is a notify operation's attempt, counted in the monitor's failure rates.

Exactly once where it can be: the notification's id is its operation's id, the operation is created
once (a conditional put) and each attempt is claimed by a conditional update, so a message delivered
twice, or sent again by a redrive after it went out, does not send twice. (An attempt whose worker
dies after SES took the mail and before the outcome is written is retried once its lease ends:
the one case where a second copy can go out.)
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Protocol

from partnerka.common.clock import utc_now
from partnerka.common.observability import logger
from partnerka.notifications.models import MalformedNotification, Notification
from partnerka.notifications.outbox import ENQUEUE_FAILED, record_failed_notification
from partnerka.operations.models import Operation, OperationStatus, OperationType
from partnerka.operations.repository import OperationStore
from partnerka.operations.runner import (
    DONE,
    AttemptResult,
    DeadLetters,
    OperationRunner,
    Outcome,
    RetryPolicy,
)

RETRY_DELAYS = (30, 120, 600, 3600, 14400)
LEASE_SECONDS = 60  # longer than the notifier function's timeout
RETRIES = RetryPolicy(OperationType.NOTIFY, RETRY_DELAYS, LEASE_SECONDS, "Notifications")
MAX_ATTEMPTS = RETRIES.max_attempts


class Channel(Protocol):
    def deliver(self, notification: Notification) -> AttemptResult: ...


class Notifier:
    def __init__(
        self,
        channels: Mapping[str, Channel],
        operations: OperationStore,
        dead_letters: DeadLetters,
        now: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self._channels = dict(channels)
        self._operations = operations
        self._dead_letters = dead_letters
        self._now = now
        self._rng = rng or random.Random()
        self._runner = OperationRunner(
            RETRIES, operations, dead_letters, lambda: self._now(), lambda: self._rng
        )

    def process(self, message_id: str, body: str) -> Outcome:
        """One message of the notify queue: send it if due, else say how long it must wait."""
        try:
            notification = Notification.parse(body)
        except MalformedNotification as error:
            # Nothing can ever send it: straight to the DLQ, kept as it came for a person to read.
            logger.error("unreadable notification", message_id=message_id, reason=str(error))
            self._dead_letters.send([body])
            record_failed_notification(
                self._operations, f"unreadable-{message_id}", None, self._now(), "malformed", str(error)
            )
            return DONE
        operation = self._operation_of(notification)
        attempt = partial(self._send, self._channels.get(notification.kind), notification)
        return self._runner.process(message_id, operation, lambda _: attempt, body)

    def _operation_of(self, notification: Notification) -> Operation:
        found = self._operations.get(notification.id)
        if found is not None and _queued_after_all(found):
            # The queue answered an error (a timeout) but had taken the message: send it after all.
            return self._operations.replay(found.op_id, self._now(), MAX_ATTEMPTS) or found
        if found is not None:
            return found
        created = Operation(
            op_id=notification.id,
            type=OperationType.NOTIFY,
            subject_type=notification.kind,
            subject_id=notification.subject,
            status=OperationStatus.PENDING,
            created_at=notification.created_at,
            updated_at=self._now(),
            advertiser_id=notification.advertiser_id,
            max_attempts=MAX_ATTEMPTS,
        )
        if self._operations.create(created):
            return created
        return self._operations.get(notification.id) or created  # a copy of the message created it

    @staticmethod
    def _send(channel: Channel | None, notification: Notification) -> AttemptResult:
        if channel is None:
            return AttemptResult(
                ok=False,
                error_class="unknown_kind",
                error=f"no channel sends '{notification.kind}' notifications",
                permanent=True,
            )
        return channel.deliver(notification)


def _queued_after_all(operation: Operation) -> bool:
    """An operation the API recorded as refused by the queue, whose message is here nonetheless."""
    return (
        operation.status is OperationStatus.FAILED
        and operation.replays == 0
        and [a.error_class for a in operation.history] == [ENQUEUE_FAILED]
    )


def replay_notification(operations: OperationStore, body: str, now: datetime) -> bool:
    """Give the notification a dead-letter message names a fresh set of attempts before the message
    goes back to the queue (the monitor's redrive); False when there is nothing to replay: the
    message cannot be read, its notification was never tried (it starts afresh anyway), or it was
    sent after all (the copy is dropped, nothing goes out twice)."""
    try:
        notification = Notification.parse(body)
    except MalformedNotification:
        return False
    found = operations.get(notification.id)
    if found is None or found.status is OperationStatus.SUCCESS:
        return False
    return operations.replay(notification.id, now, MAX_ATTEMPTS) is not None
