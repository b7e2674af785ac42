"""Account e-mails never fail the request that sends them: the API queues them, the notifier function
sends them through SES, retries what SES refuses with growing delays, dead-letters what keeps
failing, and every attempt shows in the monitor. Driven through the real functions on moto."""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from samtranslator.yaml_helper import yaml_parse

from partnerka.common.ids import new_id
from partnerka.notifications.notifier import MAX_ATTEMPTS, RETRY_DELAYS
from partnerka.operations.models import Operation, OperationStatus
from partnerka.operations.repository import OperationsRepository
from partnerka_local.template import Template
from tests.conftest import ROOT
from tests.integration.api_client import Api, Mailbox, sent_links
from tests.integration.conftest import FunctionLoader
from tests.integration.test_accounts_api import ADVERTISER
from tests.integration.world import PASSWORD, build_world

BOSS = "boss@acme.example"


@dataclass
class Clock:
    at: datetime

    def now(self) -> datetime:
        return self.at


@dataclass
class Setup:
    api: Api
    mailbox: Mailbox
    clock: Clock
    stack: Template
    owner: str  # the owner's access token, for the monitor

    def notify_ops(self) -> list[Operation]:
        items = boto3.client("dynamodb").scan(TableName=self.stack.refs["OperationsTable"])["Items"]
        ids = sorted(i["op_id"]["S"] for i in items if i.get("type", {}).get("S") == "notify")
        repo = OperationsRepository(os.environ["OPERATIONS_TABLE"])
        return [op for op in (repo.get(i) for i in ids) if op is not None]

    def monitor(self) -> dict[str, Any]:
        reply = self.api.call("GET", "/api/monitor", token=self.owner)
        assert reply.status == 200, reply.body
        return reply.body  # type: ignore[no-any-return]

    def notify_rate(self) -> dict[str, Any]:
        return next(r for r in self.monitor()["rates"] if r["type"] == "notify")

    def dead_letters(self) -> list[str]:
        sqs = boto3.client("sqs")
        found = sqs.receive_message(
            QueueUrl=self.stack.refs["NotifyDeadLetterQueue"], MaxNumberOfMessages=10, VisibilityTimeout=0
        )
        return [m["Body"] for m in found.get("Messages", [])]


@pytest.fixture
def setup(
    load_function: FunctionLoader, mailbox: Mailbox, stack: Template, monkeypatch: pytest.MonkeyPatch
) -> Setup:
    world = build_world(with_people=True)
    api = Api(load_function("api"), mailbox=mailbox)
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    clock = Clock(datetime.now(UTC))
    mailbox.notifier.worker._now = clock.now
    # The API's monitor reads its hourly counters on the same clock as the worker counts them (a
    # retry moved past the hour would otherwise fall outside its window, as a run at 05:59:47 saw).
    monitor_routes = api.module.function("ApiMonitorFunction").monitor_routes
    monkeypatch.setattr(monitor_routes, "utc_now", clock.now)
    mailbox.notifier.worker._rng = random.Random(7)
    return Setup(api, mailbox, clock, stack, owner)


def ses_refuses_the_sender() -> None:
    boto3.client("ses").delete_identity(Identity=os.environ["MAIL_FROM"])


def ses_accepts_the_sender() -> None:
    boto3.client("ses").verify_email_identity(EmailAddress=os.environ["MAIL_FROM"])


def test_sign_up_succeeds_while_ses_refuses_the_sender_and_the_mail_follows_once_it_is_allowed(
    setup: Setup,
) -> None:
    ses_refuses_the_sender()
    created = setup.api.call("POST", "/api/auth/signup", ADVERTISER)
    assert created.status == 201, created.body

    first = setup.mailbox.deliver()
    assert (first.received, first.failed) == (1, 1)
    (op,) = setup.notify_ops()
    assert (op.status, op.attempts, op.subject_type) == (OperationStatus.RETRYING, 1, "account_email")
    assert op.subject_id == f"user:{created.body['user']['id']}"
    assert op.history[0].error_class == "MessageRejected"
    assert BOSS not in json.dumps([a.as_item() for a in op.history])  # the log keeps no address or link
    # The worker hid the message until its retry is due; the monitor shows the failure and the wait.
    assert setup.mailbox.deliver().received == 0
    rate = setup.notify_rate()
    assert (rate["attempts"], rate["failures"], rate["failed"]) == (1, 1, 0)
    queue = next(q for q in setup.monitor()["queues"] if q["key"] == "notify")
    assert queue["in_flight"] == 1

    ses_accepts_the_sender()
    assert op.next_attempt_at is not None
    setup.clock.at = op.next_attempt_at + timedelta(seconds=1)
    setup.mailbox.time_passes()
    (token,) = setup.mailbox.tokens(BOSS, "verify-email")
    (op,) = setup.notify_ops()
    assert (op.status, op.attempts) == (OperationStatus.SUCCESS, 2)
    assert setup.api.call("POST", "/api/auth/verify-email", {"token": token}).status == 200
    assert setup.api.login(BOSS, ADVERTISER["password"])["access_token"]
    rate = setup.notify_rate()
    assert (rate["attempts"], rate["failures"], rate["succeeded"]) == (2, 1, 1)


def test_sign_up_succeeds_even_when_the_mail_cannot_be_queued_and_the_monitor_counts_it(
    setup: Setup,
) -> None:
    boto3.client("sqs").delete_queue(QueueUrl=setup.stack.refs["NotifyQueue"])
    created = setup.api.call("POST", "/api/auth/signup", ADVERTISER)
    assert created.status == 201, created.body
    assert setup.api.call("POST", "/api/auth/password/forgot", {"email": BOSS}).status == 204

    ops = setup.notify_ops()
    assert [(op.status, op.history[0].error_class) for op in ops] == [(OperationStatus.FAILED, "enqueue")] * 2
    listed = setup.api.call("GET", "/api/monitor/operations", token=setup.owner, type="notify")
    assert listed.status == 200, listed.body
    assert {item["op_id"] for item in listed.body["items"]} == {op.op_id for op in ops}
    repo = OperationsRepository(os.environ["OPERATIONS_TABLE"])
    hours = repo.rates(ops[0].type, datetime.now(UTC), 1)
    assert (hours[-1].attempts, hours[-1].failures, hours[-1].failed) == (2, 2, 2)


def test_a_mail_message_delivered_twice_is_sent_once(setup: Setup) -> None:
    assert setup.api.call("POST", "/api/auth/signup", ADVERTISER).status == 201
    (message,) = setup.mailbox.receive()
    assert setup.mailbox.invoke([message]) == set()
    assert setup.mailbox.invoke([message]) == set()  # SQS delivers at least once: the same message again
    # ... or the same notification as another message (a producer's retry, a redrive)
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=setup.mailbox.url, MessageBody=message["Body"])
    assert setup.mailbox.deliver().failed == 0
    assert len(sent_links(BOSS, "verify-email")) == 1
    (op,) = setup.notify_ops()
    assert (op.status, op.attempts) == (OperationStatus.SUCCESS, 1)


def test_a_mail_that_keeps_failing_is_retried_with_growing_delays_then_dead_lettered_and_redriven(
    setup: Setup,
) -> None:
    ses_refuses_the_sender()
    assert setup.api.call("POST", "/api/auth/signup", ADVERTISER).status == 201
    waits: list[float] = []
    for _ in range(MAX_ATTEMPTS):
        setup.mailbox.time_passes()
        setup.mailbox.deliver()
        (op,) = setup.notify_ops()
        if op.next_attempt_at is not None:
            waits.append((op.next_attempt_at - setup.clock.at).total_seconds())
            setup.clock.at = op.next_attempt_at + timedelta(seconds=1)
    (op,) = setup.notify_ops()
    assert (op.status, op.attempts, op.dead_lettered) == (OperationStatus.FAILED, MAX_ATTEMPTS, True)
    assert len(waits) == len(RETRY_DELAYS)
    assert waits == sorted(waits)
    assert all(abs(wait - base) <= base * 0.16 for wait, base in zip(waits, RETRY_DELAYS, strict=True))
    # The attempts were counted in the (moved) clock's hours: read the counters up to then.
    hours = OperationsRepository(os.environ["OPERATIONS_TABLE"]).rates(op.type, setup.clock.at, 24)
    counted = [sum(getattr(h, name) for h in hours) for name in ("attempts", "failures", "failed")]
    assert counted == [MAX_ATTEMPTS, MAX_ATTEMPTS, 1]
    (dead,) = setup.dead_letters()
    assert json.loads(dead)["id"] == op.op_id
    assert sent_links(BOSS, "verify-email") == []
    # The monitor shows the dead letter without the link's secret.
    peeked = setup.api.call("GET", "/api/monitor/queues/notify-dlq/messages", token=setup.owner).body
    (shown,) = peeked["items"]
    assert shown["op_id"] == op.op_id
    assert "token=***" in shown["body"]
    assert json.loads(dead)["payload"]["link"].rsplit("=", 1)[1] not in shown["body"]

    # Fixed, and redriven from the monitor: the mail goes out with a fresh set of attempts.
    ses_accepts_the_sender()
    redriven = setup.api.call("POST", "/api/monitor/queues/notify-dlq/redrive", token=setup.owner)
    assert redriven.body == {"moved": 1, "replayed": 1}
    assert len(setup.mailbox.links(BOSS, "verify-email")) == 1
    (op,) = setup.notify_ops()
    assert (op.status, op.attempts, op.replays) == (OperationStatus.SUCCESS, MAX_ATTEMPTS + 1, 1)
    assert setup.dead_letters() == []


def test_a_message_no_channel_can_send_goes_to_the_dead_letter_queue_at_once(setup: Setup) -> None:
    sqs = boto3.client("sqs")
    unknown = json.dumps(
        {
            "v": 1,
            "id": new_id(),
            "kind": "carrier_pigeon",
            "created_at": "2026-12-01T10:00:00.000Z",
            "payload": {"to": "x"},
        }
    )
    bad_payload = json.dumps(
        {
            "v": 1,
            "id": new_id(),
            "kind": "account_email",
            "created_at": "2026-12-01T10:00:00.000Z",
            "payload": {},
        }
    )
    for body in (
        unknown,
        bad_payload,
        "not json \udcff".encode("utf-8", "surrogateescape").decode("latin-1"),
    ):
        sqs.send_message(QueueUrl=setup.mailbox.url, MessageBody=body)
    delivered = setup.mailbox.deliver()
    assert (delivered.received, delivered.failed) == (3, 0)
    assert len(setup.dead_letters()) == 3
    ops = setup.notify_ops()
    assert sorted((op.status, op.attempts, op.history[-1].error_class) for op in ops) == sorted(
        [
            (OperationStatus.FAILED, 1, "unknown_kind"),
            (OperationStatus.FAILED, 1, "bad_payload"),
            (OperationStatus.FAILED, 1, "malformed"),
        ]
    )
    assert setup.notify_rate()["failed"] == 3


def test_the_notifier_consumes_the_notify_queue_with_least_privilege() -> None:
    resources = yaml_parse((ROOT / "template.yaml").read_text())["Resources"]
    notifier = resources["NotifierFunction"]["Properties"]
    assert notifier["CodeUri"] == "functions/notifier/"
    (event,) = notifier["Events"].values()
    assert event["Type"] == "SQS"
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": ["NotifyQueue", "Arn"]}
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    granted = json.dumps(notifier["Policies"])
    assert "SESCrudPolicy" not in granted
    assert '"ses:SendEmail"' in granted
    assert "identity/${MailFromAddress}" in granted
    sends_to = set()
    for policy in notifier["Policies"]:
        name = next(iter(policy))
        if name == "SQSSendMessagePolicy":
            sends_to.add(policy[name]["QueueName"]["Fn::GetAtt"][0])
        elif name.startswith("DynamoDB"):
            assert policy[name]["TableName"] == {"Ref": "OperationsTable"}
    # Its dead letters, the notifications an event fans out into (on its own queue), and the
    # deliveries to webhook endpoints (the postback sender's).
    assert sends_to == {"NotifyDeadLetterQueue", "NotifyQueue", "PostbackQueue"}
    # The API no longer sends mail itself.
    api = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function" and r["Properties"]["CodeUri"] == "functions/api/"
    ]
    assert api
    assert all("ses:" not in json.dumps(r["Properties"].get("Policies", [])).lower() for r in api)
