"""The orchestrator's monitor: queue depths and ages, dead-letter contents, failure rates by job
type, and the two repair actions (replay one operation, redrive a whole dead-letter queue).

Looking never changes a queue. Work queues are never received from (every receive counts toward
their dead-letter queue): their open jobs come from the operations log, and a work queue whose job
keeps no log shows its depths only. Dead-letter and failure queues, which have no redrive policy,
are read with no visibility timeout (see `SqsQueue.peek`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.errors import Conflict, NotFound
from partnerka.operations.models import Operation, OperationType, RateCounts
from partnerka.operations.queue import PeekedMessage, QueueDepth, SqsQueue
from partnerka.operations.repository import Filters, Page

REDRIVE_BATCH_LIMIT = 500  # messages moved per redrive call; call again for more
PEEKED_BODY_LIMIT = 4000  # characters of a peeked message's body shown


class MonitoredOperations(Protocol):
    """The operations log as the monitor reads it (operations.repository.OperationsRepository)."""

    def get(self, op_id: str) -> Operation | None: ...

    def recent(self, now: datetime, filters: Filters, limit: int, cursor: str | None) -> Page: ...

    def rates(self, type: OperationType, now: datetime, hours: int) -> list[RateCounts]: ...

    def open_of(self, type: OperationType, limit: int, cursor: str | None) -> Page: ...

    def oldest_open(self, type: OperationType) -> datetime | None: ...


class MonitoredQueue(Protocol):
    def depth(self) -> QueueDepth: ...

    def peek(self, limit: int = 10) -> list[PeekedMessage]: ...

    def take(self, limit: int = 10) -> list[tuple[str, str]]:
        """Up to `limit` messages as (body, receipt handle)."""
        ...

    def delete(self, receipt_handle: str) -> None: ...

    def send(self, bodies: list[str]) -> None: ...


@dataclass(frozen=True, slots=True)
class QueueSpec:
    key: str  # how the API names it: postback, postback-dlq, ...
    url: str
    kind: str  # work | dlq | failures
    job: str  # the job type whose work it holds
    source: str = ""  # for a DLQ: the key of the queue its messages came from

    @property
    def inspect(self) -> str:
        """How it can be looked at: `jobs` (open operations of its job, from the operations log),
        `messages` (read: queues without a redrive policy) or `none` (depths only)."""
        if self.kind != "work":
            return "messages"
        return "jobs" if self.job in {t.value for t in OperationType} else "none"


@dataclass(frozen=True, slots=True)
class QueueStatus:
    spec: QueueSpec
    depth: QueueDepth
    oldest_open: datetime | None  # the oldest operation of its job that can still run


@dataclass(frozen=True, slots=True)
class Redriven:
    moved: int
    replayed: int


@dataclass(frozen=True, slots=True)
class FailureRate:
    """One job type's attempts and outcomes, hour by hour over the window."""

    type: OperationType
    hours: list[RateCounts]

    @property
    def total(self) -> RateCounts:
        """The window's hours added up."""
        hours = self.hours
        return RateCounts(
            "total",
            attempts=sum(h.attempts for h in hours),
            failures=sum(h.failures for h in hours),
            succeeded=sum(h.succeeded for h in hours),
            failed=sum(h.failed for h in hours),
        )

    @property
    def failure_rate(self) -> float:
        """Failed attempts / attempts (0 when there were none)."""
        total = self.total
        return round(total.failures / total.attempts, 4) if total.attempts else 0.0


@dataclass(frozen=True, slots=True)
class Peeked:
    """A dead-letter or failure queue's message as the monitor shows it: its body redacted."""

    message_id: str
    body: str
    sent_at: datetime
    receive_count: int
    op_id: str | None  # the operation it names


def standard_queues(
    postback: str,
    postback_dlq: str,
    finance: str,
    finance_dlq: str,
    notify: str,
    notify_dlq: str,
    failures: str,
    reports: str = "",
    reports_dlq: str = "",
) -> list[QueueSpec]:
    specs = [
        QueueSpec("postback", postback, "work", "postback"),
        QueueSpec("postback-dlq", postback_dlq, "dlq", "postback", source="postback"),
        QueueSpec("finance", finance, "work", "finance"),
        QueueSpec("finance-dlq", finance_dlq, "dlq", "finance", source="finance"),
        QueueSpec("notify", notify, "work", "notify"),
        QueueSpec("notify-dlq", notify_dlq, "dlq", "notify", source="notify"),
        QueueSpec("orchestrator-failures", failures, "failures", "stats"),
        QueueSpec("reports", reports, "work", "reports"),
        QueueSpec("reports-dlq", reports_dlq, "dlq", "reports", source="reports"),
    ]
    return [spec for spec in specs if spec.url]


class Monitor:
    def __init__(
        self,
        queues: list[QueueSpec],
        operations: MonitoredOperations,
        resend_delivery: Callable[[str], object],
        replay_delivery: Callable[[str, Actor], object],
        redact: Callable[[str], str],
        audit: AuditTrail,
        queue_of: Callable[[str], MonitoredQueue] = SqsQueue,
        replay_notification: Callable[[str, datetime], bool] | None = None,
    ) -> None:
        """A postback operation runs a postback delivery, which the postbacks context replays:
        `resend_delivery(op_id)`: give a delivery fresh attempts without auditing it (the redrive
        audits itself, once); NotFound or Conflict when there is no such delivery or it cannot be
        replayed.
        `replay_delivery(op_id, actor)`: one delivery replayed by hand, audited by the postbacks.
        `redact(body)`: a queued message's body with its secrets (sign-in links) masked."""
        self._specs = {spec.key: spec for spec in queues}
        self._operations = operations
        self._resend_delivery = resend_delivery
        self._replay_delivery = replay_delivery
        self._redact = redact
        self._replay_notification = replay_notification
        self._audit = audit
        self._queue_of = queue_of

    def _spec(self, key: str) -> QueueSpec:
        if key not in self._specs:
            raise NotFound(f"no queue '{key}'")
        return self._specs[key]

    def queues(self) -> list[QueueStatus]:
        statuses = []
        for spec in self._specs.values():
            oldest = None
            if spec.kind == "work" and spec.job in {t.value for t in OperationType}:
                oldest = self._operations.oldest_open(OperationType(spec.job))
            statuses.append(QueueStatus(spec, self._queue_of(spec.url).depth(), oldest))
        return statuses

    def failure_rates(self, now: datetime, hours: int = 24) -> list[FailureRate]:
        """Every job type's attempts and failures over the last `hours` hours."""
        return [FailureRate(kind, self._operations.rates(kind, now, hours)) for kind in OperationType]

    def recent(self, now: datetime, filters: Filters, limit: int, cursor: str | None) -> Page:
        """The latest operations, newest first."""
        return self._operations.recent(now, filters, limit, cursor)

    def operation(self, op_id: str) -> Operation:
        """One operation with every attempt."""
        found = self._operations.get(op_id)
        if found is None:
            raise NotFound("no such operation")
        return found

    def replay(self, op_id: str, actor: Actor) -> Operation:
        """Run one operation again, as it stands afterwards: only a postback delivery is replayed by
        hand; a notification goes again by redriving its dead-letter queue, a stream batch by its
        stream mapping."""
        found = self.operation(op_id)
        if found.type is OperationType.NOTIFY:
            raise Conflict("a notification is sent again by redriving the notifications' dead-letter queue")
        if found.type is not OperationType.POSTBACK:
            raise Conflict("a stream batch is retried by its stream mapping, not replayed by hand")
        self._replay_delivery(op_id, actor)
        return self.operation(op_id)

    def peek(self, key: str, limit: int = 10) -> list[Peeked]:
        """The first messages of a dead-letter or failure queue, left where they are, redacted."""
        spec = self._spec(key)
        if spec.inspect != "messages":
            raise Conflict(
                f"'{key}' is a work queue: its messages are never received by the monitor (each receive"
                " counts toward its dead-letter queue); its open jobs are shown instead"
            )
        return [
            Peeked(
                message.message_id,
                self._redact(message.body)[:PEEKED_BODY_LIMIT],
                datetime.fromtimestamp(message.sent_at_ms / 1000, UTC),
                message.receive_count,
                op_id_of(message.body),
            )
            for message in self._queue_of(spec.url).peek(limit)
        ]

    def open_jobs(self, key: str, limit: int, cursor: str | None) -> Page:
        """The jobs of a work queue that can still run, oldest first, from the operations log."""
        spec = self._spec(key)
        if spec.inspect != "jobs":
            raise Conflict(f"'{key}' keeps no operations log of open jobs; its depths are all there is")
        return self._operations.open_of(OperationType(spec.job), limit, cursor)

    def redrive(self, key: str, actor: Actor, now: datetime) -> Redriven:
        """Every message of a DLQ back to work: a postback's delivery gets fresh attempts and a new
        message; a notification gets fresh attempts and its message goes back as it is; other jobs'
        messages go back to their queue as they are. One audit entry names what was replayed."""
        spec = self._spec(key)
        if spec.kind != "dlq":
            raise Conflict(
                "only dead-letter queues are redriven; failed stream batches are kept for inspection"
                " (their records are in the stream's retention, re-read by the orchestrator's mapping)"
            )
        dlq = self._queue_of(spec.url)
        target = self._queue_of(self._spec(spec.source).url)
        moved = 0
        replayed: list[str] = []
        while moved < REDRIVE_BATCH_LIMIT:
            taken = dlq.take(10)
            if not taken:
                break
            for body, receipt in taken:
                if spec.job == OperationType.POSTBACK.value:
                    op_id = op_id_of(body)
                    if op_id is not None and self._resends_delivery(op_id):
                        replayed.append(op_id)
                else:
                    if spec.job == OperationType.NOTIFY.value and self._replays_notification(body, now):
                        replayed.append(op_id_of(body) or "notification")
                    target.send([body])
                dlq.delete(receipt)
                moved += 1
        self._audit.record(
            actor,
            None,
            "monitor.dlq_redriven",
            f"queue:{key}",
            after={"moved": moved, "replayed": len(replayed), "deliveries": replayed},
        )
        return Redriven(moved, len(replayed))

    def _resends_delivery(self, op_id: str) -> bool:
        try:
            self._resend_delivery(op_id)
        except (NotFound, Conflict):
            return False
        return True

    def _replays_notification(self, body: str, now: datetime) -> bool:
        return self._replay_notification is not None and self._replay_notification(body, now)


def op_id_of(body: str) -> str | None:
    """The operation a queue message names (postbacks: `op_id`; notifications: their `id`, which is
    their operation's; other jobs' messages may name none)."""
    try:
        found = json.loads(body)
    except ValueError:
        return None
    if not isinstance(found, dict):
        return None
    if "op_id" in found:
        return str(found["op_id"])
    return str(found["id"]) if "kind" in found and "id" in found else None
