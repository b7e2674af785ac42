"""Affiliate postbacks through the real functions: advertiser postback → conversions stream →
orchestrator → postback queue → sender → a receiver on loopback; then the delivery log, replays,
the monitor and its redrive, as each role sees them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest

from partnerka.operations.models import Operation, OperationStatus
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.sender import MAX_ATTEMPTS, RETRY_DELAYS
from partnerka_local.receiver import Receiver, running_receiver
from partnerka_local.template import Template
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_orchestrator_and_api import stream_event
from tests.integration.world import PASSWORD, World, build_world

EVERY_MACRO = (
    "/pb?cid={click_id}&aff={affiliate_id}&adv={advertiser_id}&off={offer_id}&st={status}&pay={payout}"
    "&cur={currency}&ts={timestamp}&eid={event_id}&why={reason}"
    + "".join(f"&s{i}={{sub{i}}}" for i in range(1, 11))
    + "&token=super-secret-value"
)


@dataclass
class Clock:
    at: datetime

    def now(self) -> datetime:
        return self.at


@dataclass
class Setup:
    world: World
    api: Api
    tokens: dict[str, str]
    stack: Template
    load: FunctionLoader
    orchestrator: ModuleType
    sender: ModuleType
    clock: Clock
    operations: OperationsRepository

    def token(self, who: str) -> str:
        return self.tokens[who]

    def configure(self, url: str, events: list[str], **extra: Any) -> dict[str, Any]:
        reply = self.api.call(
            "PUT",
            "/api/postback-settings",
            {"url": url, "events": events, **extra},
            token=self.token("affiliate"),
        )
        assert reply.status == 200, reply.body
        return reply.body  # type: ignore[no-any-return]

    def click(self, **subs: str) -> str:
        click = self.load("click")
        query = urlencode({"o": self.world.offer.offer_id, "a": self.world.affiliate_id, **subs})
        location = click.handler(http_event("GET", "/click", query), CONTEXT)["headers"]["location"]
        return parse_qs(urlsplit(location).query)["cid"][0]

    def convert(self, click_id: str, status: str, txn: str) -> None:
        postback = self.load("postback")
        params = urlencode(
            {
                "click_id": click_id,
                "status": status,
                "txn_id": txn,
                "secret": self.world.offer.postback_secret,
            }
        )
        assert postback.handler(http_event("GET", "/postback", params), CONTEXT)["statusCode"] == 200

    def orchestrate(self, table: str = "ConversionsTable") -> None:
        result = self.orchestrator.handler(stream_event(self.stack, table), CONTEXT)
        assert result == {"batchItemFailures": []}

    def postback_ops(self) -> list[Operation]:
        items = boto3.client("dynamodb").scan(TableName=self.stack.refs["OperationsTable"])["Items"]
        ids = [i["op_id"]["S"] for i in items if i.get("type", {}).get("S") == "postback"]
        return [op for op in (self.operations.get(i) for i in sorted(ids)) if op is not None]


@pytest.fixture
def setup(load_function: FunctionLoader, stack: Template) -> Setup:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    tokens = {who: api.login(email, PASSWORD)["access_token"] for who, email in world.emails.items()}
    switched = api.call(
        "POST", "/api/me/context", {"advertiser_id": world.advertiser_id}, token=tokens["affiliate"]
    )
    if switched.status == 200:
        tokens["affiliate"] = switched.body["access_token"]
    clock = Clock(datetime.now(UTC))
    sender = load_function("postback_sender")
    sender.worker._now = clock.now
    sender.worker._rng = random.Random(7)
    orchestrator = load_function("orchestrator")
    return Setup(
        world,
        api,
        tokens,
        stack,
        load_function,
        orchestrator,
        sender,
        clock,
        OperationsRepository(os.environ["OPERATIONS_TABLE"]),
    )


def sqs_record(message: dict[str, Any], arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": "us-east-1",
    }


class Driver:
    """Plays Lambda's SQS poller for the sender; time passes only when the test moves the clock."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sqs = boto3.client("sqs")
        self.url = setup.stack.refs["PostbackQueue"]
        self.arn = setup.stack.get_att("PostbackQueue", "Arn")

    def receive(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10, VisibilityTimeout=60)
            if not batch.get("Messages"):
                return found
            found.extend(batch["Messages"])

    def invoke(self, messages: list[dict[str, Any]]) -> set[str]:
        """One sender invocation; the ids it reported as failed (to come back later)."""
        result = self.setup.sender.handler({"Records": [sqs_record(m, self.arn) for m in messages]}, CONTEXT)
        return {f["itemIdentifier"] for f in result["batchItemFailures"]}

    def settle(self, messages: list[dict[str, Any]], failed: set[str]) -> None:
        """Delete what succeeded; what failed comes back (its wait is simulated by the clock)."""
        for message in messages:
            if message["MessageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])

    def round(self) -> int:
        messages = self.receive()
        for start in range(0, len(messages), 5):  # the template's batch size
            chunk = messages[start : start + 5]
            self.settle(chunk, self.invoke(chunk))
        return len(messages)

    def run(self, max_rounds: int = 40) -> None:
        """Until every delivery has finished: deliver what is due, then move the clock to the next
        due time."""
        for _ in range(max_rounds):
            self.round()
            waiting = [op for op in self.setup.postback_ops() if not op.terminal]
            if not waiting:
                return
            due = [op.next_attempt_at for op in waiting if op.next_attempt_at]
            if due:
                self.setup.clock.at = max(self.setup.clock.at, min(due) + timedelta(seconds=1))
        raise AssertionError("deliveries did not settle")


def dlq_bodies(stack: Template) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=stack.refs["PostbackDeadLetterQueue"], MaxNumberOfMessages=10, VisibilityTimeout=0
    ).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    # An answer longer than the KiB the sender keeps of it
    with running_receiver(answer_body=b"OK " + b"x" * 3000) as running:
        yield running


# ---------------------------------------------------------------------- end to end
def test_conversion_reaches_the_affiliates_tracker_with_every_macro(setup: Setup, receiver: Receiver) -> None:
    setup.configure(receiver.url(EVERY_MACRO), ["lead", "sale"])
    subs = {f"sub{i}": f"v{i} &x" for i in range(1, 11)}
    click_id = setup.click(**subs)
    setup.convert(click_id, "sale", "S-1")
    setup.orchestrate()
    Driver(setup).run()

    assert len(receiver.requests) == 1
    got = receiver.requests[0].query
    (op,) = setup.postback_ops()
    assert op.request is not None
    assert got["cid"] == click_id
    assert (got["aff"], got["adv"], got["off"]) == (
        setup.world.affiliate_id,
        setup.world.advertiser_id,
        setup.world.offer.offer_id,
    )
    assert (got["st"], got["pay"], got["cur"], got["why"]) == ("sale", "12.50", "USD", "")
    assert got["eid"] == op.op_id == f"{op.request.conversion_id}.sale"
    assert abs(int(got["ts"]) - datetime.now(UTC).timestamp()) < 120
    assert {f"sub{i}": got[f"s{i}"] for i in range(1, 11)} == subs  # encoded, decoded back intact

    delivered = setup.api.call("GET", f"/api/deliveries/{op.op_id}", token=setup.token("affiliate"))
    assert delivered.status == 200, delivered.body
    assert (delivered.body["status"], delivered.body["attempts"]) == ("success", 1)
    assert "super-secret-value" not in json.dumps(delivered.body)
    attempt = delivered.body["history"][0]
    assert (attempt["http_status"], attempt["ok"]) == (200, True)
    assert attempt["response"].startswith("OK ")
    assert len(attempt["response"]) == 1024

    # The advertiser sees the delivery of its event; the other affiliate and support cannot replay.
    listed = setup.api.call("GET", "/api/deliveries", token=setup.token("advertiser"))
    assert [d["delivery_id"] for d in listed.body["items"]] == [op.op_id]
    assert setup.api.call("GET", f"/api/deliveries/{op.op_id}", token=setup.token("outsider")).status == 404
    outsider_list = setup.api.call("GET", "/api/deliveries", token=setup.token("outsider"))
    assert (outsider_list.status, outsider_list.code) == (400, "validation_error")  # no advertiser context
    mine = setup.api.call("GET", "/api/deliveries", token=setup.token("affiliate"), status="success")
    assert [d["delivery_id"] for d in mine.body["items"]] == [op.op_id]


def test_rejections_and_approvals_reach_the_tracker_with_their_reason(
    setup: Setup, receiver: Receiver
) -> None:
    setup.configure(
        receiver.url("/pb?st={status}&why={reason}&e={event_id}"), ["sale", "rejected", "approved"]
    )
    click_id = setup.click()
    setup.convert(click_id, "sale", "S-1")
    setup.orchestrate()
    Driver(setup).run()
    (sale,) = setup.postback_ops()
    assert sale.request is not None
    conversion_id = sale.request.conversion_id
    advertiser = setup.token("advertiser")
    reply = setup.api.call(
        "POST",
        "/api/conversions/decisions",
        {"status": "rejected", "reason": "fraud", "ids": [conversion_id]},
        token=advertiser,
    )
    assert reply.status == 200, reply.body
    setup.orchestrate()
    Driver(setup).run()
    assert [(r.query["st"], r.query["why"]) for r in receiver.requests] == [
        ("sale", ""),
        ("rejected", "fraud"),
    ]
    assert receiver.requests[1].query["e"] == f"{conversion_id}.rejected"


# ---------------------------------------------------------------------- retries
@pytest.mark.parametrize("failures", [1, 3])
def test_a_receiver_failing_n_times_gets_exactly_n_plus_one_attempts(setup: Setup, failures: int) -> None:
    with running_receiver(fail_first=failures) as receiver:
        setup.configure(receiver.url("/pb?e={event_id}"), ["sale"])
        setup.convert(setup.click(), "sale", "S-1")
        setup.orchestrate()
        Driver(setup).run()
        (op,) = setup.postback_ops()
        assert len(receiver.requests) == failures + 1
    assert (op.status, op.attempts) == (OperationStatus.SUCCESS, failures + 1)
    assert [a.http_status for a in op.history] == [503] * failures + [200]
    assert [a.error_class for a in op.history[:-1]] == ["http_status"] * failures
    assert dlq_bodies(setup.stack) == []


def test_an_always_failing_receiver_gets_six_attempts_then_the_dlq_then_replay_delivers(
    setup: Setup,
) -> None:
    with running_receiver(always_fail=True) as receiver:
        setup.configure(receiver.url("/pb?e={event_id}"), ["sale"])
        setup.convert(setup.click(), "sale", "S-1")
        setup.orchestrate()
        driver = Driver(setup)
        driver.run()
        (op,) = setup.postback_ops()
        assert (op.status, op.attempts, len(receiver.requests)) == (OperationStatus.FAILED, 6, 6)
        assert MAX_ATTEMPTS == 6
        gaps = [(b.at - a.at).total_seconds() for a, b in zip(op.history, op.history[1:], strict=False)]
        for gap, base in zip(gaps, RETRY_DELAYS, strict=True):
            assert base * 0.85 - 2 <= gap <= base * 1.15 + 2, (gaps, RETRY_DELAYS)
        assert dlq_bodies(setup.stack) == [{"op_id": op.op_id, "reason": "out of attempts"}]

        # The tracker is fixed; the affiliate replays from the delivery log.
        receiver.always_fail = False
        replayed = setup.api.call(
            "POST", f"/api/deliveries/{op.op_id}/replay", token=setup.token("affiliate")
        )
        assert replayed.status == 200, replayed.body
        assert replayed.body["status"] == "retrying"
        driver.run()
    done = setup.operations.get(op.op_id)
    assert done is not None
    assert (done.status, done.attempts, done.replays, len(receiver.requests)) == (
        OperationStatus.SUCCESS,
        7,
        1,
        7,
    )


def test_the_monitor_redrives_the_postback_dlq(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_receiver(always_fail=True) as receiver:
        setup.configure(receiver.url("/pb"), ["sale"])
        for n in range(2):
            setup.convert(setup.click(), "sale", f"S-{n}")
        setup.orchestrate()
        driver = Driver(setup)
        driver.run()
        assert len(dlq_bodies(setup.stack)) == 2
        owner = setup.token("owner")
        # The attempts happened on the test's clock, hours ahead: the monitor looks from there.
        monkeypatch.setattr(
            setup.api.module.function("ApiMonitorFunction").monitor_routes, "utc_now", setup.clock.now
        )

        overview = setup.api.call("GET", "/api/monitor", token=owner)
        assert overview.status == 200, overview.body
        queues = {q["key"]: q for q in overview.body["queues"]}
        assert queues["postback-dlq"]["visible"] == 2
        rates = {r["type"]: r for r in overview.body["rates"]}
        assert (
            rates["postback"]["attempts"],
            rates["postback"]["failures"],
            rates["postback"]["failed"],
        ) == (12, 12, 2)
        assert rates["stats"]["succeeded"] >= 1
        peeked = setup.api.call("GET", "/api/monitor/queues/postback-dlq/messages", token=owner)
        assert sorted(m["op_id"] for m in peeked.body["items"]) == sorted(
            op.op_id for op in setup.postback_ops()
        )
        failed_ops = setup.api.call(
            "GET", "/api/monitor/operations", token=owner, type="postback", status="failed"
        )
        assert len(failed_ops.body["items"]) == 2
        batches = setup.api.call("GET", "/api/monitor/operations", token=owner, type="stats")
        assert batches.body["items"]
        assert batches.body["items"][0]["subject_type"] == "batch"
        for who in ("advertiser", "affiliate"):
            assert setup.api.call("GET", "/api/monitor", token=setup.token(who)).status == 403
        assert setup.api.call("POST", "/api/monitor/queues/postback/redrive", token=owner).status == 409

        receiver.always_fail = False
        redriven = setup.api.call("POST", "/api/monitor/queues/postback-dlq/redrive", token=owner)
        assert redriven.body == {"moved": 2, "replayed": 2}
        driver.run()
    assert [(op.status, op.attempts) for op in setup.postback_ops()] == [(OperationStatus.SUCCESS, 7)] * 2
    assert dlq_bodies(setup.stack) == []


# ---------------------------------------------------------------------- exactly once
@pytest.mark.parametrize("mode", ["in_a_row", "concurrently", "shuffled", "stream_redelivered"])
def test_a_message_delivered_ten_times_sends_each_event_once(
    setup: Setup, receiver: Receiver, mode: str
) -> None:
    setup.configure(receiver.url("/pb?e={event_id}"), ["sale"])
    for n in range(4):
        setup.convert(setup.click(), "sale", f"S-{n}")
    setup.orchestrate()
    driver = Driver(setup)
    if mode == "stream_redelivered":
        for _ in range(9):  # the orchestrator runs the same batch again: more messages, same deliveries
            setup.orchestrate()
        messages = driver.receive()
        assert len(messages) == 40
        random.Random(3).shuffle(messages)
        for start in range(0, len(messages), 5):
            driver.settle(messages[start : start + 5], driver.invoke(messages[start : start + 5]))
    else:
        messages = driver.receive()
        assert len(messages) == 4
        copies = [m for m in messages for _ in range(10)]
        if mode == "in_a_row":
            for message in copies:
                driver.invoke([message])
        elif mode == "concurrently":
            start_together = threading.Barrier(10)

            def deliver(message: dict[str, Any]) -> set[str]:
                start_together.wait()
                return driver.invoke([message])

            for message in messages:
                with ThreadPoolExecutor(max_workers=10) as pool:
                    list(pool.map(deliver, [message] * 10))
        else:
            random.Random(5).shuffle(copies)
            for start in range(0, len(copies), 5):
                driver.invoke(copies[start : start + 5])
    sent = sorted(r.query["e"] for r in receiver.requests)
    ops = setup.postback_ops()
    assert sent == sorted(op.op_id for op in ops)
    assert len(sent) == 4
    assert {(op.status, op.attempts) for op in ops} == {(OperationStatus.SUCCESS, 1)}


def test_copies_of_a_retrying_delivery_wait_for_it_instead_of_sending(setup: Setup) -> None:
    with running_receiver(fail_first=1) as receiver:
        setup.configure(receiver.url("/pb?e={event_id}"), ["sale"])
        setup.convert(setup.click(), "sale", "S-1")
        setup.orchestrate()
        setup.orchestrate()  # a second message for the same delivery
        driver = Driver(setup)
        messages = driver.receive()
        assert len(messages) == 2
        for _ in range(10):
            driver.invoke(messages)
        (op,) = setup.postback_ops()
        assert (op.status, op.attempts, len(receiver.requests)) == (OperationStatus.RETRYING, 1, 1)
        driver.settle(messages, {m["MessageId"] for m in messages})
        driver.run()
        (op,) = setup.postback_ops()
        assert (op.status, op.attempts, len(receiver.requests)) == (OperationStatus.SUCCESS, 2, 2)


# ---------------------------------------------------------------------- guard, test button, webhooks
def test_a_redirect_to_the_metadata_address_is_not_followed(setup: Setup) -> None:
    with running_receiver(redirect_to="http://169.254.169.254/latest/meta-data/") as receiver:
        setup.configure(receiver.url("/pb"), ["sale"])
        setup.convert(setup.click(), "sale", "S-1")
        setup.orchestrate()
        Driver(setup).round()
        (op,) = setup.postback_ops()
        assert len(receiver.requests) == 1
    assert (op.history[0].http_status, op.history[0].error_class) == (302, "redirect")
    assert op.status is OperationStatus.RETRYING


def test_saving_an_unsafe_url_is_refused(setup: Setup) -> None:
    for url in (
        "ftp://tracker.example/pb",
        "http://user@tracker.example/pb",
        "http://10.0.0.8/pb",
        "http://169.254.169.254/latest",
        "https://tracker.example/pb?x={nope}",
    ):
        reply = setup.api.call(
            "PUT", "/api/postback-settings", {"url": url, "events": ["sale"]}, token=setup.token("affiliate")
        )
        assert (reply.status, reply.code) == (400, "validation_error"), url
    other = setup.api.call(
        "PUT",
        "/api/postback-settings",
        {"url": "", "events": ["sale"], "overrides": [{"advertiser_id": "someone-else", "url": ""}]},
        token=setup.token("affiliate"),
    )
    assert (other.status, other.code) == (400, "validation_error")
    assert setup.api.call("GET", "/api/postback-settings", token=setup.token("advertiser")).status == 403


def test_the_test_button_shows_the_exchange(setup: Setup, receiver: Receiver) -> None:
    setup.configure(receiver.url("/pb?st={status}&p={payout}&k={event_id}&api_key=hidden-one"), ["sale"])
    reply = setup.api.call(
        "POST", "/api/postback-settings/test", {"event": "sale"}, token=setup.token("affiliate")
    )
    assert reply.status == 200, reply.body
    assert (reply.body["response"]["ok"], reply.body["response"]["http_status"]) == (True, 200)
    assert reply.body["request"]["method"] == "GET"
    assert "hidden-one" not in reply.body["request"]["url"]
    assert receiver.requests[0].query["st"] == "sale"
    assert receiver.requests[0].query["p"] == "12.34"
    assert setup.postback_ops() == []  # nothing stored

    blocked = setup.api.call(
        "POST",
        "/api/postback-settings/test",
        {"event": "lead", "url": "http://localhost:9001/pb"},
        token=setup.token("affiliate"),
    )
    assert (blocked.status, blocked.code) == (400, "validation_error")


def test_an_advertisers_domain_whitelist_holds_back_other_hosts(setup: Setup, receiver: Receiver) -> None:
    reply = setup.api.call(
        "PUT",
        "/api/settings/postback-domains",
        {"domains": ["tracker.example"]},
        token=setup.token("advertiser"),
    )
    assert reply.body == {"domains": ["tracker.example"]}
    setup.configure(receiver.url("/pb"), ["sale"])
    setup.convert(setup.click(), "sale", "S-1")
    setup.orchestrate()
    Driver(setup).round()
    (op,) = setup.postback_ops()
    assert receiver.requests == []
    assert op.history[0].error_class == "unsafe_destination"
    # The IP whitelist of the same settings item is kept.
    assert setup.api.call("GET", "/api/settings/postback-ips", token=setup.token("advertiser")).body == {
        "ips": []
    }


def test_signed_json_delivery_verifies_with_the_affiliates_secret(setup: Setup, receiver: Receiver) -> None:
    saved = setup.configure(receiver.url("/hook"), ["sale"], format="webhook")
    secret = saved["signing_secret"]
    assert secret.startswith("whsec_")
    setup.convert(setup.click(sub1="abc"), "sale", "S-1")
    setup.orchestrate()
    Driver(setup).run()
    (request,) = receiver.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    signed = f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.{request.body}"
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, signed.encode(), hashlib.sha256).digest()).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"
    payload = json.loads(request.body)
    assert payload["type"] == "conversion.sale"
    assert (payload["data"]["sub1"], payload["data"]["payout"]) == ("abc", "12.50")
    assert request.headers["webhook-id"] == payload["data"]["event_id"]


def test_a_sender_that_stops_during_the_last_attempt_still_ends_in_the_dlq(setup: Setup) -> None:
    with running_receiver(always_fail=True) as receiver:
        setup.configure(receiver.url("/pb"), ["sale"])
        setup.convert(setup.click(), "sale", "S-1")
        setup.orchestrate()
        driver = Driver(setup)
        (op,) = setup.postback_ops()
        while op.attempts < MAX_ATTEMPTS - 1:
            driver.round()
            (op,) = setup.postback_ops()
            assert op.next_attempt_at is not None
            setup.clock.at = op.next_attempt_at + timedelta(seconds=1)
        # The last attempt is claimed by a sender that then dies (no outcome is ever written)
        (message,) = driver.receive()
        assert setup.operations.claim(
            op, setup.clock.at, setup.clock.at + timedelta(seconds=120), message["MessageId"]
        )
        assert driver.invoke([message]) == {message["MessageId"]}  # the lease holds it back
        setup.clock.at += timedelta(seconds=121)
        assert driver.invoke([message]) == set()
        (op,) = setup.postback_ops()
        assert len(receiver.requests) == MAX_ATTEMPTS - 1
    assert (op.status, op.attempts, op.history[-1].error_class) == (
        OperationStatus.FAILED,
        6,
        "worker_stopped",
    )
    assert dlq_bodies(setup.stack) == [{"op_id": op.op_id, "reason": "out of attempts"}]


def test_a_suspended_advertisers_postbacks_are_failed_unsent_with_the_reason(
    setup: Setup, receiver: Receiver
) -> None:
    # Given a sale of the advertiser's affiliate, arriving while the staff have suspended the advertiser
    setup.configure(receiver.url("/pb?e={event_id}"), ["sale"])
    setup.convert(setup.click(), "sale", "S-1")
    suspended = setup.api.call(
        "POST",
        f"/api/advertisers/{setup.world.advertiser_id}/suspend",
        {"reason": "chargebacks"},
        token=setup.token("owner"),
    )
    assert suspended.status == 200, suspended.body

    # When its postback is due
    setup.orchestrate()
    Driver(setup).run()

    # Then nothing reached the tracker: the delivery failed at once with the reason, for a replay
    assert receiver.requests == []
    (op,) = setup.postback_ops()
    assert (op.status, op.attempts) == (OperationStatus.FAILED, 1)
    assert op.history[0].error_class == "advertiser_suspended"
    shown = setup.api.call("GET", f"/api/deliveries/{op.op_id}", token=setup.token("owner")).body
    assert shown["history"][0]["error_class"] == "advertiser_suspended"
