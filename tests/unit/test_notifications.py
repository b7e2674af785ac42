"""Notifications against fakes: the API's outbox never fails its caller, and the notifier sends each
notification once, retries what fails, survives a worker that dies mid-attempt, and dead-letters
what can never be sent."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from partnerka.notifications.email import (
    ACCOUNT_EMAIL,
    AccountEmails,
    Email,
    MailBrand,
    MailRefused,
    SesMailer,
    account_email_payload,
)
from partnerka.notifications.models import Notification, redact
from partnerka.notifications.notifier import LEASE_SECONDS, MAX_ATTEMPTS, RETRY_DELAYS, Notifier
from partnerka.notifications.outbox import Outbox
from partnerka.operations.models import OperationStatus
from tests.unit.fakes import FakeClock as Clock
from tests.unit.fakes import FakeOperations, FakeQueue

LINK = "https://app.partnerka.test/reset-password?token=s3cr3t-t0ken_value"


PLATFORM = "Platform Co"


@dataclass
class FakeMailer:
    """Takes mail, or refuses it with an SES error code while `refusing` is set."""

    sent: list[Email] = field(default_factory=list)
    refusing: str = ""
    permanent: bool = False

    def send(self, email: Email) -> None:
        if self.refusing:
            raise MailRefused(self.refusing, f"{self.refusing}: refused", permanent=self.permanent)
        self.sent.append(email)


def reset_mail(outbox: Outbox) -> str:
    return outbox.post(
        ACCOUNT_EMAIL, account_email_payload("reset", "ru", "vera@vendor.example", LINK), "user:U1"
    )


def notifier_for(operations: FakeOperations, mailer: FakeMailer, clock: Clock, dead: FakeQueue) -> Notifier:
    return Notifier(
        {ACCOUNT_EMAIL: AccountEmails(mailer, PLATFORM)}, operations, dead, clock.now, random.Random(1)
    )


# ---------------------------------------------------------------------- the outbox (API side)
def test_a_queued_notification_carries_a_kind_and_its_payload() -> None:
    queue, operations, clock = FakeQueue(), FakeOperations(), Clock()
    notification_id = reset_mail(Outbox(queue, operations, clock.now))
    (body,) = queue.bodies
    notification = Notification.parse(body)
    assert (notification.id, notification.kind, notification.subject) == (
        notification_id,
        ACCOUNT_EMAIL,
        "user:U1",
    )
    assert notification.payload == {
        "purpose": "reset",
        "locale": "ru",
        "to": "vera@vendor.example",
        "link": LINK,
    }
    assert operations.items == {}  # nothing recorded until the notifier tries it


def test_a_notification_the_queue_refuses_never_fails_the_caller_and_is_counted() -> None:
    operations, clock = FakeOperations(), Clock()
    notification_id = reset_mail(Outbox(FakeQueue(refuses=True), operations, clock.now))
    op = operations.items[notification_id]
    assert (op.status, op.attempts, op.history[0].error_class) == (OperationStatus.FAILED, 1, "enqueue")
    assert "the queue cannot be reached" in op.last_error
    assert LINK not in json.dumps([a.as_item() for a in op.history])
    assert dict(operations.counted) == {"notify.attempts": 1, "notify.failures": 1, "notify.failed": 1}


class TimesOutAfterTaking(FakeQueue):
    """SQS took the message, but the answer never came back: the sender sees an error."""

    def send(self, bodies: list[str]) -> None:
        super().send(bodies)
        raise TimeoutError("read timeout")


def test_a_message_the_queue_took_although_it_answered_an_error_is_still_sent() -> None:
    queue, operations, mailer, dead, clock = (
        TimesOutAfterTaking(),
        FakeOperations(),
        FakeMailer(),
        FakeQueue(),
        Clock(),
    )
    notification_id = reset_mail(Outbox(queue, operations, clock.now))
    assert operations.items[notification_id].status is OperationStatus.FAILED
    assert notifier_for(operations, mailer, clock, dead).process("m1", queue.bodies[0]).done
    assert len(mailer.sent) == 1
    assert operations.items[notification_id].status is OperationStatus.SUCCESS


def test_when_the_operations_log_is_down_too_the_caller_still_goes_on() -> None:
    assert reset_mail(Outbox(FakeQueue(refuses=True), FakeOperations(down=True), Clock().now))


# ---------------------------------------------------------------------- the notifier
def test_every_copy_of_a_message_sends_the_mail_once() -> None:
    queue, operations, mailer, dead, clock = FakeQueue(), FakeOperations(), FakeMailer(), FakeQueue(), Clock()
    reset_mail(Outbox(queue, operations, clock.now))
    notifier = notifier_for(operations, mailer, clock, dead)
    outcomes = [notifier.process(message_id, queue.bodies[0]) for message_id in ("m1", "m1", "m2", "m1")]
    assert all(outcome.done for outcome in outcomes)
    (email,) = mailer.sent
    assert (email.to, email.subject) == ("vera@vendor.example", "Сброс пароля")
    assert LINK in email.text


def test_a_refused_mail_waits_longer_after_each_failure_then_is_dead_lettered() -> None:
    queue, operations, dead, clock = FakeQueue(), FakeOperations(), FakeQueue(), Clock()
    mailer = FakeMailer(refusing="Throttling")
    notification_id = reset_mail(Outbox(queue, operations, clock.now))
    notifier = notifier_for(operations, mailer, clock, dead)
    waits = []
    for _ in range(MAX_ATTEMPTS):
        outcome = notifier.process("m1", queue.bodies[0])
        if not outcome.done:
            # Asked early, the message is told to wait for the rest of its delay.
            assert notifier.process("m1", queue.bodies[0]).wait_seconds == outcome.wait_seconds
            waits.append(outcome.wait_seconds)
            clock.at += timedelta(seconds=outcome.wait_seconds)
    assert waits == sorted(waits)
    assert len(waits) == len(RETRY_DELAYS)
    op = operations.items[notification_id]
    assert (op.status, op.attempts, op.dead_lettered) == (OperationStatus.FAILED, MAX_ATTEMPTS, True)
    assert dead.bodies == queue.bodies  # the message as it was, for a redrive
    assert mailer.sent == []


class WorkerKilled(BaseException):
    """Lambda stopping the process mid-attempt (a timeout): nothing after it runs."""


def test_an_attempt_whose_worker_died_is_made_again_once_its_lease_ends() -> None:
    queue, operations, dead, clock = FakeQueue(), FakeOperations(), FakeQueue(), Clock()
    mailer = FakeMailer()
    notification_id = reset_mail(Outbox(queue, operations, clock.now))
    notifier = notifier_for(operations, mailer, clock, dead)
    dying = Notifier({ACCOUNT_EMAIL: AccountEmails(Dying(), PLATFORM)}, operations, dead, clock.now)
    with pytest.raises(WorkerKilled):
        dying.process("m1", queue.bodies[0])
    # The message comes back while attempt 1 still holds its lease: it waits, nothing is sent twice.
    waiting = notifier.process("m1", queue.bodies[0])
    assert (waiting.done, waiting.wait_seconds) == (False, LEASE_SECONDS)
    assert mailer.sent == []
    clock.at += timedelta(seconds=LEASE_SECONDS + 1)
    assert notifier.process("m1", queue.bodies[0]).done
    assert len(mailer.sent) == 1
    op = operations.items[notification_id]
    assert (op.status, op.attempts) == (OperationStatus.SUCCESS, 2)


class Dying:
    def send(self, email: Email) -> None:
        raise WorkerKilled


def test_a_channel_that_raises_is_a_failed_attempt_not_a_crash() -> None:
    queue, operations, dead, clock = FakeQueue(), FakeOperations(), FakeQueue(), Clock()

    class Broken:
        def deliver(self, notification: Notification) -> None:
            raise KeyError("surprise")

    notification_id = reset_mail(Outbox(queue, operations, clock.now))
    notifier = Notifier({ACCOUNT_EMAIL: Broken()}, operations, dead, clock.now)  # type: ignore[dict-item]
    outcome = notifier.process("m1", queue.bodies[0])
    assert not outcome.done
    op = operations.items[notification_id]
    assert (op.status, op.history[0].error_class) == (OperationStatus.RETRYING, "KeyError")


def test_a_mail_ses_calls_invalid_fails_at_once() -> None:
    queue, operations, dead, clock = FakeQueue(), FakeOperations(), FakeQueue(), Clock()
    mailer = FakeMailer(refusing="InvalidParameterValue", permanent=True)
    notification_id = reset_mail(Outbox(queue, operations, clock.now))
    assert notifier_for(operations, mailer, clock, dead).process("m1", queue.bodies[0]).done
    assert operations.items[notification_id].status is OperationStatus.FAILED
    assert len(dead.bodies) == 1


def test_what_a_person_sees_of_a_message_hides_the_links_secret() -> None:
    queue = FakeQueue()
    reset_mail(Outbox(queue, FakeOperations(), Clock().now))
    shown = redact(queue.bodies[0])
    assert "s3cr3t-t0ken_value" not in shown
    assert "reset-password?token=***" in shown


def test_an_account_email_wears_the_brand_it_carries_and_nothing_of_the_platform() -> None:
    brand = MailBrand(
        name="Acme Partners",
        sender_name="Acme Партнёры",
        logo_url="https://partners.acme.example/brand/adv/abc.png",
        primary_color="#0b5fff",
        primary_text_color="#ffffff",
        support_email="help@acme.example",
        terms_url="https://acme.example/terms",
        privacy_url="https://acme.example/privacy",
    )
    payload = account_email_payload("verify", "ru", "vera@vendor.example", LINK, brand)
    email = AccountEmails(FakeMailer(), PLATFORM).render(payload)
    assert email.sender_name == "Acme Партнёры"
    assert email.reply_to == "help@acme.example"
    assert "Acme Partners" in email.text
    assert 'src="https://partners.acme.example/brand/adv/abc.png"' in email.html
    assert "background:#0b5fff;color:#ffffff" in email.html
    for part in ("https://acme.example/terms", "https://acme.example/privacy", "mailto:help@acme.example"):
        assert part in email.html
    assert PLATFORM not in email.html + email.text + email.subject


def test_without_a_brand_an_account_email_carries_the_platforms_name() -> None:
    payload = account_email_payload("invite", "en", "vera@vendor.example", LINK)
    email = AccountEmails(FakeMailer(), PLATFORM).render(payload)
    assert email.subject == f"You are invited to {PLATFORM}"
    assert (email.sender_name, email.reply_to) == (PLATFORM, "")


def test_a_brand_from_the_queue_is_checked_again_and_keeps_only_what_is_sound() -> None:
    queued = {
        "name": "Acme\r\nBcc: x@evil.example",
        "primary_color": "red;background:url(x)",
        "primary_text_color": "#ffffff",
        "logo_url": "javascript:alert(1)",
        "terms_url": "https://acme.example/terms",
        "support_email": "no-at-sign",
    }
    brand = MailBrand.from_payload(queued, PLATFORM)
    assert brand.name == PLATFORM  # a name with a line break is no name
    assert (brand.primary_color, brand.primary_text_color, brand.logo_url, brand.support_email) == (
        "",
        "",
        "",
        "",
    )
    assert brand.terms_url == "https://acme.example/terms"
    assert MailBrand.from_payload(["not", "a", "dict"], PLATFORM) == MailBrand(PLATFORM)


def test_the_sender_name_goes_into_from_quoted_and_encoded() -> None:
    calls: list[dict[str, object]] = []

    class Client:
        def send_email(self, **request: object) -> None:
            calls.append(request)

    mailer = SesMailer("no-reply@mail.example")
    mailer._client = lambda: Client()  # type: ignore[method-assign]
    mailer.send(
        Email("a@b.example", "s", "t", "<p>h</p>", sender_name="Acme, Партнёры", reply_to="help@acme.example")
    )
    mailer.send(Email("a@b.example", "s", "t", "<p>h</p>"))
    assert calls[0]["Source"] == "=?utf-8?b?QWNtZSwg0J/QsNGA0YLQvdGR0YDRiw==?= <no-reply@mail.example>"
    assert calls[0]["ReplyToAddresses"] == ["help@acme.example"]
    assert calls[1]["Source"] == "no-reply@mail.example"
    assert "ReplyToAddresses" not in calls[1]
