"""HTTP API: payload 2.0 events, route precedence, response mapping, SPA fallback, timeouts."""

from __future__ import annotations

import base64
import json
import time

from local_runtime_helpers import http

from partnerka_local import LocalRuntime


def test_echo_event_has_payload_v2_shape(runtime: LocalRuntime) -> None:
    response = http(
        f"{runtime.url}/echo?a=1&a=2&b=x%20y",
        headers={
            "Cookie": "sid=abc; theme=dark",
            "X-Forwarded-For": "203.0.113.7, 10.0.0.1",
            "X-Multi": "one",
        },
    )
    assert response.status == 201
    assert response.header("x-echo") == "yes"
    assert [v for k, v in response.headers if k.lower() == "set-cookie"] == ["a=1; Path=/", "b=2"]
    payload = response.json()
    event = payload["event"]
    assert event["version"] == "2.0"
    assert event["routeKey"] == "ANY /echo"
    assert event["rawPath"] == "/echo"
    assert event["rawQueryString"] == "a=1&a=2&b=x%20y"
    assert event["queryStringParameters"] == {"a": "1,2", "b": "x y"}
    assert event["cookies"] == ["sid=abc", "theme=dark"]
    assert "cookie" not in event["headers"]
    assert event["headers"]["x-multi"] == "one"
    assert "pathParameters" not in event
    assert "stageVariables" not in event
    assert "body" not in event
    assert event["isBase64Encoded"] is False
    ctx = event["requestContext"]
    assert ctx["http"]["sourceIp"] == "203.0.113.7"
    assert ctx["http"]["method"] == "GET"
    assert ctx["http"]["path"] == "/echo"
    assert ctx["http"]["protocol"] == "HTTP/1.1"
    assert ctx["stage"] == "$default"
    assert ctx["routeKey"] == "ANY /echo"
    assert ctx["accountId"] == "123456789012"
    assert ctx["apiId"] == runtime.physical_id("HttpApi")
    assert set(ctx) >= {"domainName", "domainPrefix", "requestId", "time", "timeEpoch"}
    assert abs(ctx["timeEpoch"] / 1000 - time.time()) < 30
    context = payload["context"]
    assert context["function_name"] == "toy-EchoFunction"
    assert context["memory_limit_in_mb"] == 128
    assert context["invoked_function_arn"].endswith(":function:toy-EchoFunction")
    assert 0 < context["remaining"] <= 5000
    assert payload["layer"] == "OK!"


def test_function_env_resolves_intrinsics_and_extra_env(runtime: LocalRuntime) -> None:
    env = http(f"{runtime.url}/echo").json()["env"]
    assert env["GREETING"] == "hello-test"
    assert env["JOINED"] == "a/b/c"
    assert env["SELECTED"] == "y"
    assert env["REGION_SUB"] == "us-east-1:123456789012:toy:${Literal}"
    assert env["NO_VALUE"] is None
    assert env["STAGE"] == "overridden"
    assert env["EXTRA"] == "from-extra-env"
    assert env["EVENTS_TABLE"] == runtime.physical_id("EventsTable") == "toy-EventsTable"
    assert env["QUEUE_URL"] == runtime.physical_id("WorkQueue")
    assert env["SECRET_ARN"] == runtime.physical_id("ToySecret")
    assert env["AWS_ENDPOINT_URL"] == runtime.aws_env["AWS_ENDPOINT_URL"]
    full = runtime.function_env("EchoFunction")
    assert full["AWS_ACCOUNT_ID_ENDPOINT_MODE"] == "disabled"
    assert full["AWS_LAMBDA_FUNCTION_NAME"] == "toy-EchoFunction"


def test_path_parameters_and_route_precedence(runtime: LocalRuntime) -> None:
    item = http(f"{runtime.url}/items/42", method="DELETE").json()["event"]
    assert item["routeKey"] == "ANY /items/{id}"
    assert item["pathParameters"] == {"id": "42"}
    special = http(f"{runtime.url}/items/special").json()["event"]
    assert special["routeKey"] == "GET /items/special"
    # An explicit route only wins for its own method; other methods fall back to the variable route.
    assert (
        http(f"{runtime.url}/items/special", method="POST").json()["event"]["routeKey"] == "ANY /items/{id}"
    )
    proxy = http(f"{runtime.url}/proxy/a/b/c.txt").json()["event"]
    assert proxy["routeKey"] == "ANY /proxy/{proxy+}"
    assert proxy["pathParameters"] == {"proxy": "a/b/c.txt"}


def test_bodies_text_and_binary(runtime: LocalRuntime) -> None:
    text = http(f"{runtime.url}/echo", "POST", b'{"k": 1}', {"Content-Type": "application/json"}).json()[
        "event"
    ]
    assert text["body"] == '{"k": 1}'
    assert text["isBase64Encoded"] is False
    raw = bytes(range(256))
    binary = http(f"{runtime.url}/echo", "POST", raw, {"Content-Type": "application/octet-stream"}).json()[
        "event"
    ]
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == raw


def test_bare_result_becomes_200_json_and_unknown_route_404(runtime: LocalRuntime) -> None:
    plain = http(f"{runtime.url}/plain")
    assert plain.status == 200
    assert plain.header("content-type") == "application/json"
    assert plain.json() == {"plain": True}
    missing = http(f"{runtime.url}/api/nothing")
    assert missing.status == 404
    assert missing.json() == {"message": "Not Found"}
    assert http(f"{runtime.url}/nothing", method="POST").status == 404


def test_spa_serves_files_and_falls_back_to_index(runtime: LocalRuntime) -> None:
    asset = http(f"{runtime.url}/assets/app.js")
    assert asset.status == 200
    assert b"console.log" in asset.body
    assert "javascript" in (asset.header("content-type") or "")
    for path in ("/", "/dashboard/offers/7"):
        page = http(f"{runtime.url}{path}")
        assert page.status == 200
        assert b"toy spa" in page.body
        assert page.header("content-type") == "text/html"
    head = http(f"{runtime.url}/dashboard", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert http(f"{runtime.url}/../../etc/passwd").body.startswith(b"<!doctype html>")


def test_timeout_gives_500_and_worker_recovers(runtime: LocalRuntime) -> None:
    started = time.monotonic()
    slow = http(f"{runtime.url}/slow")
    assert slow.status == 500
    assert slow.json() == {"message": "Internal Server Error"}
    assert time.monotonic() - started < 3.5
    fast = http(f"{runtime.url}/slow?fast=1")
    assert fast.status == 200
    assert fast.body == b"fast"
    assert runtime.workers["SlowFunction"].errors >= 1
    assert json.loads(http(f"{runtime.url}/plain").body) == {"plain": True}


def test_reserved_concurrency_caps_a_functions_instances(runtime: LocalRuntime) -> None:
    # SlowFunction reserves one instance in the template; the others get the runtime's concurrency
    assert runtime.workers["SlowFunction"].size == 1
    assert runtime.workers["EchoFunction"].size == runtime.concurrency
