"""Where the API leaves notifications for the notifier: the notify queue.

Sending a notification never fails the request that caused it: a sign-up is done when the account
exists, whether or not its e-mail can go out now. The notifier sends, retries and dead-letters; and
when even the queue refuses the message, the failure is logged and recorded as a failed notify
operation (with its counters), so the monitor shows it beside the notifier's own failures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from partnerka.common.clock import utc_now
from partnerka.common.ids import new_id
from partnerka.common.observability import logger
from partnerka.notifications.models import Notification
from partnerka.operations.models import Attempt, Operation, OperationStatus, OperationType
from partnerka.operations.repository import OperationStore

ERROR_KEPT_CHARACTERS = 300
ENQUEUE_FAILED = "enqueue"  # the error class of a notification the queue refused


class NotificationQueue(Protocol):
    def send(self, bodies: list[str]) -> None: ...


class Outbox:
    def __init__(
        self,
        queue: NotificationQueue,
        operations: OperationStore,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._queue = queue
        self._operations = operations
        self._now = now

    def post(
        self,
        kind: str,
        payload: dict[str, Any],
        subject: str = "",
        advertiser_id: str = "",
        notification_id: str = "",
    ) -> str:
        """Queue one notification and return its id (`notification_id` when the caller's business key
        makes one: a copy posted again is then sent once); never raises."""
        notification = new_notification(kind, payload, subject, advertiser_id, notification_id, self._now())
        self.post_all([notification])
        return notification.id

    def post_all(self, notifications: Sequence[Notification]) -> None:
        """Queue the notifications, ten to a request; never raises. When the queue refuses, each is
        recorded as refused: one it had taken after all is sent when its message arrives (the
        notifier replays a refused notification whose message it gets)."""
        try:
            self._queue.send([notification.body() for notification in notifications])
        except Exception as error:  # whatever the queue's trouble, the caller's work stands
            logger.exception("notifications not queued", notifications=len(notifications))
            for notification in notifications:
                record_failed_notification(
                    self._operations,
                    notification.id,
                    notification,
                    self._now(),
                    ENQUEUE_FAILED,
                    f"{type(error).__name__}: {error}",
                )


def new_notification(
    kind: str,
    payload: dict[str, Any],
    subject: str,
    advertiser_id: str,
    notification_id: str,
    now: datetime,
) -> Notification:
    return Notification(
        id=notification_id or new_id(),
        kind=kind,
        created_at=now,
        payload=payload,
        advertiser_id=advertiser_id or "",
        subject=subject,
    )


def record_failed_notification(
    operations: OperationStore,
    op_id: str,
    notification: Notification | None,
    now: datetime,
    error_class: str,
    error: str,
) -> None:
    """A notification that failed before any channel could try it (the queue refused it, or its
    message cannot be read), as a failed notify operation with its counters; never raises."""
    attempt = Attempt(
        number=1, at=now, ok=False, error_class=error_class, error=error[:ERROR_KEPT_CHARACTERS]
    )
    operation = Operation(
        op_id=op_id,
        type=OperationType.NOTIFY,
        subject_type=notification.kind if notification else "unreadable",
        subject_id=notification.subject if notification else "",
        status=OperationStatus.FAILED,
        created_at=notification.created_at if notification else now,
        updated_at=now,
        advertiser_id=notification.advertiser_id if notification else "",
        attempts=1,
        max_attempts=1,
        finished_at=now,
        last_error=attempt.error,
        history=(attempt,),
    )
    try:
        if operations.create(operation):
            operations.count(OperationType.NOTIFY, now, attempts=1, failures=1, failed=1)
    except Exception:  # the operations log is down too: the log line is all there is
        logger.exception("failed notification not recorded", op_id=op_id)
