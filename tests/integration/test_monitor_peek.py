"""The monitor looks at the orchestrator's queues without changing them.

SQS has no read that leaves a message alone: every ReceiveMessage counts a receive, and a queue with
a redrive policy moves a message to its dead-letter queue once the count passes maxReceiveCount. So
work queues are never received from: their open jobs are read from the operations log. Dead-letter
and failure queues have no redrive policy, so a receive (with no visibility timeout) moves nothing
and hides nothing from a redrive; the monitor checks that before it reads one.
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
import pytest

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import Role
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from partnerka.common.errors import Conflict
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.models import DeliveryFormat, Destination, EventData, PostbackEvent
from partnerka.postbacks.repository import operation_of
from partnerka.postbacks.service import message_body, new_delivery
from partnerka_local.template import Template
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader

PASSWORD = "monitor-passw0rd"
# monitor key → (work queue, its dead-letter queue) as template.yaml names them
WORK_QUEUES = {
    "postback": ("PostbackQueue", "PostbackDeadLetterQueue"),
    "finance": ("FinanceQueue", "FinanceDeadLetterQueue"),
    "notify": ("NotifyQueue", "NotifyDeadLetterQueue"),
    "reports": ("ReportsQueue", "ReportsDeadLetterQueue"),
}
PEEKS = 10


def owner_token(api: Api) -> str:
    service, _ = account_services(read_settings(AccountSettings))
    provisioning.create_verified_user(service, "owner@platform.example", PASSWORD, "Owner", Role.OWNER)
    return api.login("owner@platform.example", PASSWORD)["access_token"]  # type: ignore[no-any-return]


def open_postback_job() -> str:
    """A postback delivery waiting in the operations log, as the orchestrator leaves it."""
    event = EventData(
        event_id="evt-monitor-1.sale",
        event=PostbackEvent.SALE,
        click_id="c-1",
        affiliate_id="aff-1",
        advertiser_id="adv-1",
        offer_id="off-1",
        occurred_at=utc_now(),
        conversion_id="cv-1",
    )
    delivery = new_delivery(event, Destination("https://tracker.example/pb", DeliveryFormat.GET), utc_now())
    assert OperationsRepository(os.environ["OPERATIONS_TABLE"]).create(operation_of(delivery))
    return delivery.delivery_id


def enqueue(url: str, body: str) -> None:
    queue = SqsQueue(url)
    if queue.fifo:
        queue.send([body], groups=["g"], ids=["m-1"])
    else:
        queue.send([body])


def receive_counts(url: str) -> list[int]:
    """The test's own look (one more receive): each message's count, itself included."""
    messages = boto3.client("sqs").receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, AttributeNames=["All"]
    )
    return [int(m["Attributes"]["ApproximateReceiveCount"]) for m in messages.get("Messages", [])]


def waiting(url: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def max_receive_count(url: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    return int(json.loads(attributes["Attributes"]["RedrivePolicy"])["maxReceiveCount"])


def test_peeking_a_work_queue_ten_times_neither_dead_letters_its_job_nor_counts_a_receive(
    load_function: FunctionLoader, stack: Template
) -> None:
    # Given one job in every work queue (the postback one also open in the operations log)
    api = Api(load_function("api"))
    token = owner_token(api)
    op_id = open_postback_job()
    for key, (work, _) in WORK_QUEUES.items():
        enqueue(stack.refs[work], message_body(op_id) if key == "postback" else json.dumps({"job": key}))
    assert min(max_receive_count(stack.refs[work]) for work, _ in WORK_QUEUES.values()) < PEEKS

    # When an operator opens every way of looking at each of them ten times
    answers: dict[str, list[Any]] = {key: [] for key in WORK_QUEUES}
    for _ in range(PEEKS):
        for key in WORK_QUEUES:
            for view in ("messages", "jobs"):
                reply = api.call("GET", f"/api/monitor/queues/{key}/{view}", token=token)
                assert reply.status < 500, reply.body
                answers[key].append((view, reply.status, reply.body))

    # Then no job reached a dead-letter queue and no receive was counted (the one is the test's own)
    for key, (work, dead_letters) in WORK_QUEUES.items():
        assert waiting(stack.refs[dead_letters]) == 0, f"{key}: a peek dead-lettered its job"
        assert receive_counts(stack.refs[work]) == [1], f"{key}: peeks counted receives"
    # and the postback queue's open job was shown from the operations log, every time
    jobs = [body for view, status, body in answers["postback"] if view == "jobs" and status == 200]
    assert len(jobs) == PEEKS
    assert all([item["op_id"] for item in body["items"]] == [op_id] for body in jobs)
    # while asking for a work queue's messages is refused, with the reason
    refused = [
        (status, body["error"]["code"]) for view, status, body in answers["postback"] if view == "messages"
    ]
    assert refused == [(409, "conflict")] * PEEKS


def test_the_overview_says_how_each_queue_can_be_looked_at(load_function: FunctionLoader) -> None:
    api = Api(load_function("api"))
    overview = api.call("GET", "/api/monitor", token=owner_token(api))
    assert overview.status == 200, overview.body
    inspect = {queue["key"]: queue["inspect"] for queue in overview.body["queues"]}
    assert inspect == {
        "postback": "jobs",  # open deliveries, from the operations log
        "finance": "none",  # depths only: these jobs keep no log of their own
        "notify": "jobs",  # notifications keep an operations log too
        "reports": "none",
        "postback-dlq": "messages",
        "finance-dlq": "messages",
        "notify-dlq": "messages",
        "reports-dlq": "messages",
        "orchestrator-failures": "messages",
    }


def test_peeking_a_dead_letter_queue_ten_times_leaves_every_letter_for_the_redrive(
    load_function: FunctionLoader, stack: Template
) -> None:
    # Given two dead letters of postback deliveries
    api = Api(load_function("api"))
    token = owner_token(api)
    op_id = open_postback_job()
    dlq = stack.refs["PostbackDeadLetterQueue"]
    SqsQueue(dlq).send([message_body(op_id), message_body("evt-gone.sale")])

    # When the operator peeks at them ten times
    for _ in range(PEEKS):
        peeked = api.call("GET", "/api/monitor/queues/postback-dlq/messages", token=token)
        assert peeked.status == 200, peeked.body
        assert sorted(m["op_id"] for m in peeked.body["items"]) == sorted([op_id, "evt-gone.sale"])

    # Then both are still there, visible at once, and a redrive takes both
    assert waiting(dlq) == 2
    redriven = api.call("POST", "/api/monitor/queues/postback-dlq/redrive", token=token)
    assert redriven.body == {"moved": 2, "replayed": 1}
    assert waiting(dlq) == 0


def test_a_queue_with_a_redrive_policy_is_never_received_from(stack: Template) -> None:
    # Given a work queue holding a job one receive short of its dead-letter queue
    work = stack.refs["ReportsQueue"]
    SqsQueue(work).send([json.dumps({"job": "reports"})])
    for _ in range(max_receive_count(work) - 1):
        boto3.client("sqs").receive_message(QueueUrl=work, VisibilityTimeout=0)

    # When something asks to read its messages directly, it is refused before any receive
    with pytest.raises(Conflict):
        SqsQueue(work).peek()

    # Then the job is still in its queue with the same count
    assert waiting(stack.refs["ReportsDeadLetterQueue"]) == 0
    assert receive_counts(work) == [max_receive_count(work)]
