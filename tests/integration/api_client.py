"""Calling the API function the way API Gateway does, for readable integration tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from tests.integration.conftest import CONTEXT, http_event


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


class Api:
    def __init__(self, module: Any, source_ip: str = "203.0.113.7") -> None:
        self.module = module
        self.source_ip = source_ip

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        request_id: str = "req-1",
        **query: Any,
    ) -> Reply:
        headers = {"content-type": "application/json", "host": "app.example"}
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
        return Reply(response["statusCode"], parsed, response.get("headers") or {})

    def login(self, email: str, password: str) -> dict[str, Any]:
        reply = self.call("POST", "/api/auth/login", {"email": email, "password": password})
        assert reply.status == 200, reply.body
        return reply.body  # type: ignore[no-any-return]


def mailed_tokens(to: str, path: str) -> list[str]:
    """Tokens of the links e-mailed to `to` for `path` (verify-email, reset-password, accept-invite),
    as sent through moto's SES."""
    tokens = []
    for message in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages:
        if to in message.destinations.get("ToAddresses", []):
            tokens += re.findall(rf"/{path}\?token=([A-Za-z0-9_\-]+)", message.body)
    return list(dict.fromkeys(tokens))  # each link appears twice (button and plain text)
