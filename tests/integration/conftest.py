"""Integration fixtures: the template's resources created in in-process moto, handlers loaded fresh."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest
from moto import mock_aws

from partnerka.common.config import get_settings
from partnerka.common.secrets import secret_string
from partnerka_local import moto_fixes
from partnerka_local.resources import ResourceManager
from partnerka_local.template import SERVERLESS_FUNCTION, Template
from tests.conftest import ROOT, TEST_STACK


@pytest.fixture
def stack() -> Iterator[Template]:
    """Every table, queue and secret of template.yaml, in moto, named as tests/conftest.py expects."""
    moto_fixes.apply()
    with mock_aws():
        settings = get_settings()
        # Tests may deliver postbacks to a receiver on loopback (refused by default and in prod).
        template = Template(
            ROOT / "template.yaml",
            stack_name=TEST_STACK,
            parameter_overrides={"AllowLoopbackPostbacks": "true", "AppBaseUrl": settings.app_base_url},
        )
        ResourceManager(template, None).create_all()  # type: ignore[arg-type]
        for logical_id in template.of_type(SERVERLESS_FUNCTION):
            env = template.function_spec(logical_id).environment
            for name, value in (
                ("CORE_TABLE", settings.core_table),
                ("CLICKS_TABLE", settings.clicks_table),
                ("CONVERSIONS_TABLE", settings.conversions_table),
                ("STATS_TABLE", settings.stats_table),
                ("AUDIT_TABLE", settings.audit_table),
                ("CAPS_TABLE", settings.caps_table),
                ("OPERATIONS_TABLE", settings.operations_table),
                ("LEDGER_TABLE", settings.ledger_table),
                ("APP_BASE_URL", settings.app_base_url),
            ):
                assert env.get(name, value) == value, f"{logical_id}: {name} drifted from tests/conftest.py"
        secret_string.cache_clear()
        yield template
        secret_string.cache_clear()


FunctionLoader = Callable[[str], ModuleType]


@pytest.fixture
def load_function(monkeypatch: pytest.MonkeyPatch, stack: Template) -> FunctionLoader:
    """Import functions/<name>/app.py as a cold start would, with that function's environment."""

    def load(name: str) -> ModuleType:
        logical_id = next(
            lid
            for lid in stack.of_type(SERVERLESS_FUNCTION)
            if stack.function_spec(lid).code_dir == (ROOT / "functions" / name).resolve()
        )
        spec_env = stack.function_spec(logical_id).environment
        for key, value in spec_env.items():
            if key not in ("GEOIP_DB_PATH", "FONTS_DIR"):  # the layers' paths: from tests/conftest.py
                monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        code_dir = str(ROOT / "functions" / name)
        monkeypatch.syspath_prepend(code_dir)
        for cached in [
            m for m in sys.modules if m in ("auth", "composition", "routes") or m.startswith("routes.")
        ]:
            sys.modules.pop(cached, None)
        spec = importlib.util.spec_from_file_location(f"function_{name}", Path(code_dir) / "app.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture
def mailbox(load_function: FunctionLoader, stack: Template) -> Any:
    """Account e-mails through the notifier function (tests.integration.api_client.Mailbox)."""
    from tests.integration.api_client import Mailbox

    spec = stack.function_spec("NotifierFunction").events["Notifications"]["Properties"]
    return Mailbox(
        load_function("notifier"),
        stack.refs["NotifyQueue"],
        stack.get_att("NotifyQueue", "Arn"),
        int(spec.get("BatchSize", 10)),
    )


def http_event(
    method: str,
    path: str,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: str | None = None,
    source_ip: str = "203.0.113.7",
    request_id: str = "req-1",
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event as API Gateway sends it."""
    all_headers = {"host": "track.example", "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"}
    all_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "track.example",
            "domainPrefix": "track",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": all_headers["user-agent"],
            },
            "requestId": request_id,
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": "27/Nov/2026:16:05:00 +0000",
            "timeEpoch": 1795795500000,
        },
        "isBase64Encoded": False,
    }
    if query:
        params: dict[str, str] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            params[key] = f"{params[key]},{value}" if key in params else value
        event["queryStringParameters"] = params
    if body is not None:
        event["body"] = body
    return event


class LambdaContext:
    """The fields of the Lambda context object that handlers and Powertools read."""

    function_name = "test-function"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    memory_limit_in_mb = 256
    aws_request_id = "00000000-0000-4000-8000-000000000001"
    log_group_name = "/aws/lambda/test-function"
    log_stream_name = "2026/11/27/[$LATEST]test"

    def get_remaining_time_in_millis(self) -> int:
        return 5000


CONTEXT = LambdaContext()
