"""Smoke test of the real template on the end-to-end platform: every resource it declares exists in
moto, every function starts as Lambda starts it (its folder and its layers' `python/` only on the
path; the platform starts workers lazily, so this starts the ones no other test has called), each API
function serves a route of its own, and each function nudges the pollers of the sources its settings
name. One platform for all of it: a second one only for this test cost twenty worker imports."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from samtranslator.yaml_helper import yaml_parse

from partnerka_local.resources import make_client
from partnerka_local.workers import InvocationError
from tests.conftest import ROOT
from tests.e2e.conftest import Platform

pytestmark = pytest.mark.e2e

TEMPLATE = ROOT / "template.yaml"


def aws(platform: Platform, service: str) -> Any:
    return make_client(service, platform.runtime.aws_env["AWS_ENDPOINT_URL"])


def test_every_resource_exists_and_every_function_starts_and_serves(platform: Platform) -> None:
    rt = platform.runtime
    resources = yaml_parse(TEMPLATE.read_text())["Resources"]
    ddb, sqs, sm = aws(platform, "dynamodb"), aws(platform, "sqs"), aws(platform, "secretsmanager")
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::DynamoDB::Table":
            ddb.describe_table(TableName=rt.physical_id(logical_id))
        elif resource["Type"] == "AWS::SQS::Queue":
            sqs.get_queue_attributes(QueueUrl=rt.physical_id(logical_id), AttributeNames=["QueueArn"])
        elif resource["Type"] == "AWS::SecretsManager::Secret":
            sm.describe_secret(SecretId=rt.physical_id(logical_id))

    functions = {k for k, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert set(rt.workers) == functions
    for worker in rt.workers.values():
        worker.prestart()
    failed = {}
    for logical_id, worker in rt.workers.items():
        try:
            worker.wait_ready()
        except InvocationError as error:
            failed[logical_id] = str(error)
    assert failed == {}

    # Each API function answers a route of its own: anonymous, a 401 in the API's envelope.
    assert httpx.get(f"{rt.url}/api/health", timeout=30).json() == {"status": "ok"}
    for logical_id, spec in rt.functions.items():
        protected = [
            e["Properties"]
            for e in spec.events.values()
            if e["Type"] == "HttpApi"
            and e["Properties"]["Method"] == "GET"
            and "{" not in e["Properties"]["Path"]
            and not e["Properties"]["Path"].startswith(
                ("/api/health", "/api/openapi", "/api/join", "/api/portal", "/api/plans")
            )
        ]
        if protected and protected[0]["Path"].startswith("/api/"):
            answer = httpx.get(f"{rt.url}{protected[0]['Path']}", timeout=30)
            assert (answer.status_code, answer.json()["error"]["code"]) == (401, "unauthenticated"), (
                logical_id
            )

    # A function nudges the pollers of the sources its settings name when it returns
    fed = {f: {p.name for p in rt.pollers_fed_by(f)} for f in rt.functions}
    assert fed["ClickFunction"] == {"stream-OrchestratorFunction-ClicksStream"}
    assert {"sqs-PostbackSenderFunction-Deliveries", "sqs-FinanceFunction-Events"} <= fed[
        "OrchestratorFunction"
    ]
    assert fed["ApiAuditFunction"] == set()
