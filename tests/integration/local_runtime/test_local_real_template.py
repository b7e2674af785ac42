"""Smoke test on the real template.yaml: its resources exist, every function starts as Lambda starts it
(its folder and its layers' `python/` only on the path), and each API function serves its routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_runtime_helpers import client, http
from samtranslator.yaml_helper import yaml_parse

from partnerka_local import LocalRuntime
from partnerka_local.workers import InvocationError

REAL = Path(__file__).resolve().parents[3] / "template.yaml"


def _handler_files() -> list[Path]:
    doc = yaml_parse(REAL.read_text())
    return [
        REAL.parent / res["Properties"]["CodeUri"] / f"{res['Properties']['Handler'].rsplit('.', 1)[0]}.py"
        for res in doc["Resources"].values()
        if res["Type"] == "AWS::Serverless::Function"
    ]


def test_real_template_resources_exist() -> None:
    if not REAL.exists() or not all(f.is_file() for f in _handler_files()):
        pytest.skip("some function of the real template has no handler module yet")
    rt = LocalRuntime(
        template=REAL,
        port=0,
        stack_name="partnerka-smoke",
        parameter_overrides={"Stage": "local", "AppBaseUrl": "http://127.0.0.1:8000"},
    )
    try:
        rt.start()
        doc = yaml_parse(REAL.read_text())
        ddb, sqs, sm = client(rt, "dynamodb"), client(rt, "sqs"), client(rt, "secretsmanager")
        for logical_id, res in doc["Resources"].items():
            if res["Type"] == "AWS::DynamoDB::Table":
                ddb.describe_table(TableName=rt.physical_id(logical_id))
            elif res["Type"] == "AWS::SQS::Queue":
                sqs.get_queue_attributes(QueueUrl=rt.physical_id(logical_id), AttributeNames=["QueueArn"])
            elif res["Type"] == "AWS::SecretsManager::Secret":
                sm.describe_secret(SecretId=rt.physical_id(logical_id))
        failed = {}
        for logical_id, worker in rt.workers.items():
            try:
                worker.wait_ready()
            except InvocationError as error:
                failed[logical_id] = str(error)
        assert failed == {}
        # A function nudges the pollers of the sources its settings name when it returns
        fed = {f: {p.name for p in rt.pollers_fed_by(f)} for f in rt.functions}
        assert fed["ClickFunction"] == {"stream-OrchestratorFunction-ClicksStream"}
        assert {"sqs-PostbackSenderFunction-Deliveries", "sqs-FinanceFunction-Events"} <= fed[
            "OrchestratorFunction"
        ]
        assert fed["ApiAuditFunction"] == set()
        # Each API function answers a route of its own: anonymous, a 401 in the API's envelope.
        assert http(f"{rt.url}/api/health").json() == {"status": "ok"}
        for logical_id, spec in rt.functions.items():
            protected = [
                e["Properties"]
                for e in spec.events.values()
                if e["Type"] == "HttpApi"
                and e["Properties"]["Method"] == "GET"
                and "{" not in e["Properties"]["Path"]
                and not e["Properties"]["Path"].startswith(("/api/health", "/api/openapi", "/api/join"))
            ]
            if protected and protected[0]["Path"].startswith("/api/"):
                answer = http(f"{rt.url}{protected[0]['Path']}")
                assert (answer.status, answer.json()["error"]["code"]) == (401, "unauthenticated"), logical_id
    finally:
        rt.stop()
