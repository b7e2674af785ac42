"""Calling the API function the way API Gateway does, for readable integration tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import RawMessage, ses_backends

from tests.integration.conftest import CONTEXT, http_event


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]
    set_cookies: list[str] = field(default_factory=list)  # as API Gateway sends them, one header each

    @property
    def cookies(self) -> dict[str, str]:
        """What the answer sets: name → value ("" for a cookie it removes)."""
        return {c.split(";")[0].split("=", 1)[0]: c.split(";")[0].split("=", 1)[1] for c in self.set_cookies}

    @property
    def code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


class Api:
    """The API function, and (when given) the mailbox its e-mails reach through the notifier."""

    def __init__(self, module: Any, source_ip: str = "203.0.113.7", mailbox: Mailbox | None = None) -> None:
        self.module = module
        self.source_ip = source_ip
        self._mailbox = mailbox

    @property
    def mailbox(self) -> Mailbox:
        assert self._mailbox is not None, "this test's Api was made without a mailbox"
        return self._mailbox

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        request_id: str = "req-1",
        **query: Any,
    ) -> Reply:
        headers = {"content-type": "application/json", "host": "app.example", **(headers or {})}
        if token:
            headers["authorization"] = f"Bearer {token}"
        query_string = urlencode({k: v for k, v in query.items() if v is not None})
        event = http_event(
            method,
            path,
            query_string,
            headers,
            json.dumps(body) if body is not None else None,
            source_ip=self.source_ip,
            request_id=request_id,
        )
        response = self.module.handler(event, CONTEXT)
        text = response.get("body") or ""
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = text
        return Reply(
            response["statusCode"], parsed, response.get("headers") or {}, response.get("cookies") or []
        )

    def login(self, email: str, password: str) -> dict[str, Any]:
        """The session's body, with the cookies the answer set under "cookies"."""
        reply = self.call("POST", "/api/auth/login", {"email": email, "password": password})
        assert reply.status == 200, reply.body
        return {**reply.body, "cookies": reply.cookies}

    def with_session(self, method: str, path: str, cookies: dict[str, str], csrf: str | None = None) -> Reply:
        return self.call(method, path, headers=session_headers(cookies, csrf))

    def refresh(self, cookies: dict[str, str], csrf: str | None = None) -> Reply:
        return self.with_session("POST", "/api/auth/refresh", cookies, csrf)

    def logout(self, cookies: dict[str, str], csrf: str | None = None) -> Reply:
        return self.with_session("POST", "/api/auth/logout", cookies, csrf)


def session_headers(cookies: dict[str, str], csrf: str | None = None) -> dict[str, str]:
    """A call as the dashboard makes it with a session's cookies: the browser sends them, the page's
    script copies pk_csrf into X-CSRF-Token (`csrf` overrides it)."""
    headers = {"cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    headers["x-csrf-token"] = cookies.get("pk_csrf", "") if csrf is None else csrf
    return headers


def sent_links(to: str, path: str) -> list[str]:
    """The links moto's SES has sent to `to` for `path` (verify-email, reset-password,
    accept-invite), oldest first."""
    links = []
    for message in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages:
        if isinstance(message, RawMessage):  # event e-mails (List-Unsubscribe): no account links
            continue
        if to in message.destinations.get("ToAddresses", []):
            links += re.findall(rf"https?://[^\s\"'<>]*/{path}\?token=[A-Za-z0-9_\-]+", message.body)
    return list(dict.fromkeys(links))  # each link appears twice (button and plain text)


@dataclass
class Delivered:
    received: int
    failed: int


class Mailbox:
    """Account e-mails as they go out: the API queues them, the notifier function sends them.
    `deliver` plays Lambda's SQS poller for the notifier (the template's batch size, partial batch
    failures honoured: a failed message stays hidden for as long as the notifier asked); `links`
    delivers what is waiting, then reads what moto's SES has sent."""

    def __init__(self, notifier: Any, queue_url: str, queue_arn: str, batch_size: int) -> None:
        self.notifier = notifier
        self.url = queue_url
        self.arn = queue_arn
        self.batch_size = batch_size
        self.sqs = boto3.client("sqs")
        self.waiting: list[dict[str, Any]] = []  # received, failed and hidden until their retry

    def receive(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            batch = self.sqs.receive_message(
                QueueUrl=self.url,
                MaxNumberOfMessages=10,
                VisibilityTimeout=60,
                AttributeNames=["All"],
            )
            if not batch.get("Messages"):
                return found
            found.extend(batch["Messages"])

    def invoke(self, messages: list[dict[str, Any]]) -> set[str]:
        """One notifier invocation; the message ids it reported as failed."""
        event = {"Records": [sqs_record(m, self.arn) for m in messages]}
        result = self.notifier.handler(event, CONTEXT)
        return {failure["itemIdentifier"] for failure in result["batchItemFailures"]}

    def deliver(self) -> Delivered:
        messages = self.receive()
        failed: set[str] = set()
        for start in range(0, len(messages), self.batch_size):
            chunk = messages[start : start + self.batch_size]
            failed |= self.invoke(chunk)
        for message in messages:
            if message["MessageId"] in failed:
                self.waiting.append(message)
            else:
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        return Delivered(received=len(messages), failed=len(failed))

    def time_passes(self) -> None:
        """The messages waiting for a retry become visible again (the test moves the clock)."""
        for message in self.waiting:
            self.sqs.change_message_visibility(
                QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        self.waiting = []

    def links(self, to: str, path: str) -> list[str]:
        self.deliver()
        return sent_links(to, path)

    def tokens(self, to: str, path: str) -> list[str]:
        return [link.rsplit("token=", 1)[1] for link in self.links(to, path)]


def sqs_record(message: dict[str, Any], arn: str) -> dict[str, Any]:
    """A received SQS message as Lambda's poller hands it to a function."""
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
