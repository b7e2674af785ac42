"""Business metrics as CloudWatch reads them (EMF on stdout), counted where each event becomes true
and once however often its record or message comes: clicks stored and refused by reason and
conversions by status (the orchestrator), postback attempts sent, retried and failed (the sender),
ledger postings (finance), e-mails (the notifier)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from partnerka.finance.ledger import ConversionMoney
from partnerka.finance.service import FinanceEvent, FinanceEventKind, post_event
from partnerka.notifications.email import ACCOUNT_EMAIL, AccountEmails
from partnerka.notifications.notifier import Notifier
from partnerka.notifications.outbox import Outbox
from partnerka.orchestrator.records import StreamRecord
from partnerka.orchestrator.service import run_batch
from partnerka.postbacks.dispatch import PostbackDispatcher
from partnerka.postbacks.models import DeliveryFormat, OutgoingRequest
from partnerka.postbacks.sender import RETRY_DELAYS, DeliveryWorker, HttpSender, SendResult
from tests.metrics_output import emitted, flush_counts, metric
from tests.unit.fakes import FakeClock, FakeLedger, FakeOperations, FakeQueue, fake_stats
from tests.unit.test_notifications import FakeMailer, reset_mail
from tests.unit.test_postback_sender import Reads, queued_delivery
from tests.unit.test_stats_pipeline import changed, click_record, conversion_image, conversion_record


@pytest.fixture(autouse=True)
def nothing_counted_before(capsys: pytest.CaptureFixture[str]) -> None:
    """Counts an earlier test in this process left unflushed are written out and dropped."""
    flush_counts()
    capsys.readouterr()


def counted(capsys: pytest.CaptureFixture[str]) -> dict[tuple[str, frozenset[tuple[str, str]]], int]:
    """What the handler's `log_metrics` writes at the end of the invocation."""
    flush_counts()
    return dict(emitted(capsys.readouterr().out))


# ------------------------------------------------------------------------------- the orchestrator
def orchestrate(records: list[StreamRecord]) -> list[str]:
    stats = fake_stats()
    dispatcher = PostbackDispatcher(lambda ids: {}, FakeOperations(), FakeQueue().send, FakeClock().now)
    return run_batch(records, stats, None, dispatcher)


def test_stored_clicks_are_counted_and_refused_ones_by_reason(capsys: pytest.CaptureFixture[str]) -> None:
    # Given a batch of clicks: two sent to the landing, two refused for GEO, one for a bot, and one
    # with a reason no tracker writes
    records = [
        click_record(1),
        click_record(2),
        click_record(3, reason="geo_blocked"),
        click_record(4, reason="geo_blocked"),
        click_record(5, reason="bot"),
        click_record(6, reason="made up by hand"),
    ]

    # When the orchestrator takes it
    assert orchestrate(records) == []

    # Then every click counts as stored, and the refused ones by reason, in one document each
    assert counted(capsys) == {
        metric("ClicksStored"): 6,
        metric("ClicksRefused", reason="geo_blocked"): 2,
        metric("ClicksRefused", reason="bot"): 1,
        metric("ClicksRefused", reason="other"): 1,
    }


def test_conversions_count_under_the_status_they_arrive_in_or_change_to(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a conversion arriving on hold, one approved after its hold, and a change of money only
    held = conversion_image(1, "sale", 1250, 2000, status="hold")
    other = conversion_image(3, "lead", 300, 500, status="pending")
    records = [
        conversion_record(1, "sale", 1250, 2000, status="hold"),
        changed(2, held, status="approved"),
        changed(3, other, payout_minor=400),
    ]

    # When the orchestrator takes them
    assert orchestrate(records) == []

    # Then the arrival counts as hold, the approval as approved, and the money change not at all
    assert counted(capsys) == {
        metric("Conversions", status="hold"): 1,
        metric("Conversions", status="approved"): 1,
    }


def test_a_stream_batch_delivered_again_whole_or_in_halves_counts_each_record_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a batch the orchestrator took before its worker stopped
    records = [click_record(1), click_record(2, reason="bot"), conversion_record(3, "sale", 100, 200)]
    stats = fake_stats()
    dispatcher = PostbackDispatcher(lambda ids: {}, FakeOperations(), FakeQueue().send, FakeClock().now)
    assert run_batch(records, stats, None, dispatcher) == []

    # When the stream brings it again, whole and then in halves
    assert run_batch(records, stats, None, dispatcher) == []
    assert run_batch(records[:1], stats, None, dispatcher) == []
    assert run_batch(records[1:], stats, None, dispatcher) == []

    # Then each record counted once
    assert counted(capsys) == {
        metric("ClicksStored"): 2,
        metric("ClicksRefused", reason="bot"): 1,
        metric("Conversions", status="pending"): 1,
    }


# --------------------------------------------------------------------------- the postback sender
class ScriptedSender(HttpSender):
    """Answers each attempt with the next of `answers` (True: a 200, False: a 500), sending nothing."""

    def __init__(self, answers: Sequence[bool]) -> None:
        super().__init__()
        self.answers = list(answers)

    def send(
        self,
        request: OutgoingRequest,
        headers: dict[str, str] | None = None,
        advertiser_domains: Sequence[str] = (),
    ) -> SendResult:
        ok = self.answers.pop(0)
        status = 200 if ok else 500
        return SendResult(ok, 3, request.url, status, "" if ok else "http_status", "" if ok else "HTTP 500")


def sender(answers: Sequence[bool]) -> tuple[DeliveryWorker, FakeClock, str]:
    operations, clock, reads = FakeOperations(), FakeClock(), Reads()
    body = queued_delivery(operations, "https://tracker.example/pb", DeliveryFormat.GET, clock.at)
    worker = DeliveryWorker(
        operations, ScriptedSender(answers), FakeQueue(), reads.domains, reads.signing_secret, clock.now,
        random.Random(1),
    )  # fmt: skip
    return worker, clock, body


def test_a_postback_retried_then_sent_counts_one_retry_and_one_send(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a delivery whose first attempt gets a 500 and whose second gets a 200
    worker, clock, body = sender([False, True])

    # When its message comes, comes again when the retry is due, and a copy of it comes later
    assert not worker.process("m1", body).done
    clock.at += timedelta(seconds=RETRY_DELAYS[0] * 2)
    assert worker.process("m1", body).done
    assert worker.process("m2", body).done

    # Then one retry and one send are counted, nothing for the copy
    assert counted(capsys) == {
        metric("Postbacks", outcome="retried"): 1,
        metric("Postbacks", outcome="sent"): 1,
    }


def test_a_postback_out_of_attempts_counts_as_failed_once(capsys: pytest.CaptureFixture[str]) -> None:
    # Given a delivery every attempt of which gets a 500
    worker, clock, body = sender([False] * (len(RETRY_DELAYS) + 1))

    # When its message comes until it is out of attempts, and once more
    while not worker.process("m1", body).done:
        clock.at += timedelta(hours=12)
    assert worker.process("m1", body).done

    # Then each retry is counted, and the failure once
    assert counted(capsys) == {
        metric("Postbacks", outcome="retried"): len(RETRY_DELAYS),
        metric("Postbacks", outcome="failed"): 1,
    }


# ---------------------------------------------------------------------- finance and notifications
def arrival(conversion_id: str) -> FinanceEvent:
    money = ConversionMoney(conversion_id, "ADV", "AFF", "OFF", "USD", payout_minor=1250, revenue_minor=2000)
    return FinanceEvent(FinanceEventKind.ARRIVAL, money, False, datetime(2026, 11, 27, 12, tzinfo=UTC))


def test_a_ledger_posting_counts_once_when_its_message_comes_twice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given the finance worker's ledger
    ledger = FakeLedger()

    # When one conversion's arrival comes twice and another's once
    message = arrival("cv1").as_message()
    for body in (message, message, arrival("cv2").as_message()):
        post_event(ledger, FinanceEvent.from_message(body))

    # Then two postings are counted, under the kind of journal they are
    assert counted(capsys) == {metric("LedgerPostings", kind="conversion"): 2}


def test_an_email_sent_counts_once_and_a_refused_one_as_retried(capsys: pytest.CaptureFixture[str]) -> None:
    # Given two queued account e-mails, the second refused by SES for now
    queue, operations, dead, clock = FakeQueue(), FakeOperations(), FakeQueue(), FakeClock()
    outbox = Outbox(queue, operations, clock.now)
    reset_mail(outbox)
    reset_mail(outbox)
    mailer = FakeMailer()
    notifier = Notifier(
        {ACCOUNT_EMAIL: AccountEmails(mailer, "Platform Co")}, operations, dead, clock.now, random.Random(1)
    )

    # When the first is sent, delivered again, and the second is refused
    notifier.process("m1", queue.bodies[0])
    notifier.process("m1-copy", queue.bodies[0])
    mailer.refusing = "Throttling"
    notifier.process("m2", queue.bodies[1])

    # Then one e-mail is counted as sent and one as retried
    assert len(mailer.sent) == 1
    assert counted(capsys) == {
        metric("Notifications", outcome="sent"): 1,
        metric("Notifications", outcome="retried"): 1,
    }
