"""The orchestrator's monitor: queues beside their dead-letter queues, operations, replays, redrives."""

from __future__ import annotations

from dataclasses import dataclass

from composition import audit, service
from composition.postbacks import postbacks
from partnerka.common.config import read_settings
from partnerka.notifications.models import redact
from partnerka.notifications.notifier import replay_notification
from partnerka.operations.monitor import Monitor, standard_queues
from partnerka.operations.repository import OperationsRepository


@dataclass(frozen=True, slots=True)
class MonitorSettings:
    """The work queues beside their dead-letter queues, and the operations log."""

    operations_table: str
    postback_queue_url: str
    postback_dlq_url: str
    finance_queue_url: str
    finance_dlq_url: str
    notify_queue_url: str
    notify_dlq_url: str
    orchestrator_failure_queue_url: str
    reports_queue_url: str
    reports_dlq_url: str


@service
def monitor() -> Monitor:
    s = read_settings(MonitorSettings)
    operations = OperationsRepository(s.operations_table)
    queues = standard_queues(
        s.postback_queue_url,
        s.postback_dlq_url,
        s.finance_queue_url,
        s.finance_dlq_url,
        s.notify_queue_url,
        s.notify_dlq_url,
        s.orchestrator_failure_queue_url,
        s.reports_queue_url,
        s.reports_dlq_url,
    )
    return Monitor(
        queues,
        operations,
        resend_delivery=lambda op_id: postbacks().resend(postbacks().delivery(op_id)),
        replay_delivery=lambda op_id, actor: postbacks().replay(postbacks().delivery(op_id), actor),
        redact=redact,
        audit=audit(),
        replay_notification=lambda body, now: replay_notification(operations, body, now),
    )
