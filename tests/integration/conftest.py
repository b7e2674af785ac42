"""Integration fixtures: the template's resources created in in-process moto, its functions loaded
as cold starts (tests.integration.functions), each function's AWS calls checked against its policy."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import boto3
import pytest

from partnerka.common.secrets import secret_string
from partnerka_local.dns import LocalDns
from partnerka_local.stripe_fake import FakeStripe
from partnerka_local.template import REGION, Template
from tests.conftest import ROOT, TEST_STACK
from tests.integration import aws_calls, in_process_dynamodb
from tests.integration.emulated_stack import EmulatedStack
from tests.integration.functions import LAYER_PATHS, Functions, template_variables
from tests.integration.iam_policies import function_grants, unauthorized

aws_calls.install()
in_process_dynamodb.install()
TEMPLATE = ROOT / "template.yaml"


def _test_owned(name: str) -> bool:
    """Variables a test keeps its own value of: the layers' paths in .local, quieter logs."""
    return name in LAYER_PATHS or name.startswith("POWERTOOLS_")


@pytest.fixture(scope="session")
def local_dns() -> Iterator[LocalDns]:
    """The resolver the functions' domain checks ask (DnsNameservers): a loopback server whose
    records a test sets, as an advertiser would at its DNS provider."""
    with LocalDns() as dns:
        yield dns


@pytest.fixture(scope="session")
def fake_stripe() -> Iterator[FakeStripe]:
    """Stripe's API as the billing functions call it (StripeApiBaseUrl): a fake on loopback with its
    own key and webhook signing secret, which the stack's StripeSecret holds (see `stack`)."""
    fake = FakeStripe()
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture(scope="session")
def emulated_stack(local_dns: LocalDns, fake_stripe: FakeStripe) -> EmulatedStack:
    """Every table, queue and secret of template.yaml, in moto, named as tests/conftest.py expects;
    built once per session (tests.integration.emulated_stack)."""
    # Tests may deliver postbacks to a receiver on loopback (refused by default and in prod).
    template = Template(
        TEMPLATE,
        stack_name=TEST_STACK,
        parameter_overrides={
            "AllowLoopbackPostbacks": "true",
            "AppBaseUrl": os.environ["APP_BASE_URL"],
            "TenantEdge": "direct",  # moto has no distribution tenants (tests drive a fake of them)
            "DnsNameservers": local_dns.address,
            "StripeApiBaseUrl": fake_stripe.url,
        },
    )
    stack = EmulatedStack(template)
    with stack.fresh():  # built, so that every Ref and attribute of the template resolves
        pass
    for name, value in template_variables(template).items():
        if name in os.environ and not _test_owned(name):
            assert os.environ[name] == value, f"{name} drifted from tests/conftest.py"
    return stack


@pytest.fixture
def stack(
    emulated_stack: EmulatedStack, fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Template]:
    """The emulated stack as just created: empty tables and queues, moto's patching on. A test's own
    code sees every function's variables (as a seed script beside the local platform does); a
    function sees only its own (tests.integration.functions)."""
    with emulated_stack.fresh() as template:
        _fill_stripe_secret(template, fake_stripe)
        for name, value in template_variables(template).items():
            if not _test_owned(name):
                monkeypatch.setenv(name, value)
        yield template


FunctionLoader = Functions


def _fill_stripe_secret(template: Template, fake: FakeStripe) -> None:
    """StripeSecret as the operator fills it in: the fake's key and signing secret (kept across tests,
    written again when the stack was built anew)."""
    arn = str(template.refs["StripeSecret"])
    if json.loads(secret_string(arn)).get("api_key") != fake.api_key:
        value = {"api_key": fake.api_key, "webhook_secret": fake.webhook_secret}
        boto3.client("secretsmanager", region_name=REGION).put_secret_value(
            SecretId=arn, SecretString=json.dumps(value)
        )


@pytest.fixture
def load_function(monkeypatch: pytest.MonkeyPatch, stack: Template) -> Iterator[FunctionLoader]:
    """The template's functions: `load_function("notifier")`, `load_function("api")` (the API behind
    API Gateway), imported as a cold start would the first time and then a warm instance for every
    test that asks with the same environment (tests.integration.functions). Their AWS calls are
    theirs; when the test ends, each must be one its function's policy in template.yaml allows, or
    the test fails naming the function, the action and the resource."""
    start = aws_calls.mark()
    functions = Functions(stack, monkeypatch.syspath_prepend)
    yield functions
    grants = function_grants(TEMPLATE.read_text(), stack)
    problems = unauthorized(aws_calls.since(start), grants, functions.stand_ins)
    if problems:
        pytest.fail(
            "AWS calls their functions' policies do not allow:\n" + "\n".join(problems), pytrace=False
        )


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


def through_edge(stack: Template, country: str, address: str = "198.51.100.23:51324") -> dict[str, str]:
    """The headers CloudFront adds to a request it sends to the API: its origin header with the
    edge secret's current value, and the viewer's country and address."""
    secret = json.loads(secret_string(stack.refs["EdgeSecret"]))
    return {
        "x-partnerka-edge": secret["current"],
        "cloudfront-viewer-country": country,
        "cloudfront-viewer-address": address,
    }


def http_event(
    method: str,
    path: str,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: str | None = None,
    source_ip: str = "203.0.113.7",
    request_id: str = "req-1",
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event as API Gateway sends it: a Cookie header's
    cookies move to the event's `cookies`, one entry each."""
    all_headers = {"host": "track.example", "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"}
    all_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    cookie_header = all_headers.pop("cookie", "")
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
    if cookie_header:
        event["cookies"] = [c.strip() for c in cookie_header.split(";") if c.strip()]
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
