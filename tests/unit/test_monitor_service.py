"""The orchestrator's monitor as staff use it: what may be replayed by hand, failure rates, peeking
at dead letters without their secrets, and redriving (operations.monitor, on fakes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from partnerka.audit.service import Actor
from partnerka.common.errors import Conflict, NotFound
from partnerka.notifications.models import redact
from partnerka.operations.models import Operation, OperationStatus, OperationType, RateCounts
from partnerka.operations.monitor import Monitor, standard_queues
from tests.unit.fakes import FakeAudit, FakeMessages, FakeOperationsLog

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ACTOR = Actor("u-owner", "owner@platform.example", "req-9", "203.0.113.7")
QUEUES = standard_queues(
    "https://sqs/postback",
    "https://sqs/postback-dlq",
    "https://sqs/finance",
    "https://sqs/finance-dlq",
    "https://sqs/notify",
    "https://sqs/notify-dlq",
    "https://sqs/failures",
)


def operation(op_id: str, type: OperationType, status: OperationStatus = OperationStatus.FAILED) -> Operation:
    return Operation(op_id, type, "conversion", "conv-1", status, NOW, NOW, "adv-1", "aff-1")


class Replays:
    """The postbacks' side of the monitor: which deliveries were replayed or resent, and how."""

    def __init__(self, resendable: set[str]) -> None:
        self.replayed: list[tuple[str, Actor]] = []
        self.resent: list[str] = []
        self.resendable = resendable

    def replay(self, delivery_id: str, actor: Actor) -> None:
        self.replayed.append((delivery_id, actor))

    def resend(self, delivery_id: str) -> None:
        if delivery_id not in self.resendable:
            raise Conflict("this delivery has been replayed as often as it can be")
        self.resent.append(delivery_id)


def monitor(
    queues: dict[str, FakeMessages] | None = None, resendable: frozenset[str] = frozenset()
) -> tuple[Monitor, FakeOperationsLog, Replays, FakeAudit]:
    operations, replays, audit = FakeOperationsLog(), Replays(set(resendable)), FakeAudit()
    by_url = {spec.url: (queues or {}).get(spec.key) or FakeMessages() for spec in QUEUES}
    found = Monitor(
        QUEUES,
        operations,
        resend_delivery=replays.resend,
        replay_delivery=replays.replay,
        redact=redact,
        audit=audit,
        queue_of=by_url.__getitem__,
    )
    return found, operations, replays, audit


def test_only_a_postbacks_delivery_is_replayed_by_hand() -> None:
    service, operations, replays, _ = monitor()
    for op in (
        operation("d-1", OperationType.POSTBACK),
        operation("n-1", OperationType.NOTIFY),
        operation("b-1", OperationType.STATS),
    ):
        operations.create(op)
    assert service.replay("d-1", ACTOR).op_id == "d-1"
    assert replays.replayed == [("d-1", ACTOR)]
    with pytest.raises(Conflict, match="redriving the notifications"):
        service.replay("n-1", ACTOR)
    with pytest.raises(Conflict, match="stream mapping"):
        service.replay("b-1", ACTOR)
    with pytest.raises(NotFound, match="no such operation"):
        service.replay("missing", ACTOR)
    assert replays.replayed == [("d-1", ACTOR)]


def test_failure_rates_sum_each_job_types_hours() -> None:
    service, operations, _, _ = monitor()
    operations.rate_counts[OperationType.POSTBACK] = [
        RateCounts("2026-12-01T08", attempts=6, failures=3, succeeded=1, failed=0),
        RateCounts("2026-12-01T09", attempts=2, failures=0, succeeded=2, failed=1),
    ]
    rates = {rate.type: rate for rate in service.failure_rates(NOW)}
    postback = rates[OperationType.POSTBACK]
    total = postback.total
    assert (total.attempts, total.failures, total.succeeded, total.failed) == (8, 3, 3, 1)
    assert postback.failure_rate == 0.375
    assert (rates[OperationType.NOTIFY].total.attempts, rates[OperationType.NOTIFY].failure_rate) == (0, 0.0)


def test_peeked_dead_letters_hide_the_secrets_in_their_links_and_name_their_operation() -> None:
    body = json.dumps(
        {"id": "op-7", "kind": "password_reset", "payload": {"link": "https://app/reset?token=abc123"}}
    )
    service, _, _, _ = monitor({"notify-dlq": FakeMessages([body, "x" * 5000])})
    first, long = service.peek("notify-dlq")
    assert "abc123" not in first.body
    assert "token=***" in first.body
    assert (first.op_id, first.sent_at) == ("op-7", datetime(2025, 12, 1, 10, 0, tzinfo=UTC))
    assert (len(long.body), long.op_id) == (4000, None)
    with pytest.raises(Conflict, match="work queue"):
        service.peek("notify")
    with pytest.raises(NotFound):
        service.peek("nowhere")


def test_a_redrive_resends_each_dead_delivery_it_can_and_is_audited_once() -> None:
    bodies = [json.dumps({"op_id": op_id}) for op_id in ("d-1", "d-2")]
    service, _, replays, audit = monitor(
        {"postback-dlq": FakeMessages(bodies)}, resendable=frozenset({"d-1"})
    )
    done = service.redrive("postback-dlq", ACTOR, NOW)
    assert (done.moved, done.replayed, replays.resent) == (2, 1, ["d-1"])
    (entry,) = audit.records
    assert (entry.action, entry.target, entry.after) == (
        "monitor.dlq_redriven",
        "queue:postback-dlq",
        {"moved": 2, "replayed": 1, "deliveries": ["d-1"]},
    )
    with pytest.raises(Conflict, match="only dead-letter queues"):
        service.redrive("orchestrator-failures", ACTOR, NOW)
