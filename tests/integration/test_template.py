"""template.yaml is valid SAM: cfn-lint accepts it and aws-sam-translator turns it into CloudFormation."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from pathlib import Path
from typing import Any

import pytest
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.yaml_helper import yaml_parse

from tests.conftest import ROOT
from tests.integration.iam_policies import translate, translated
from tests.kept_runs import CACHE, kept_run

TEMPLATE = ROOT / "template.yaml"
CFN_LINT = Path(sys.executable).parent / "cfn-lint"


# A reference to a resource that is not there, in the smallest template that has one: linting a
# broken copy of the whole template would double the test's time for the same proof.
BROKEN = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ClicksTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: click_id, AttributeType: S}]
      KeySchema: [{AttributeName: click_id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      InlineCode: "def handler(event, context): return None"
      Events:
        Clicks:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt ClicksTabel.StreamArn
            StartingPosition: LATEST
"""


def test_cfn_lint_accepts_the_template_and_catches_a_broken_reference() -> None:
    """One cfn-lint run over both (its start costs seconds), run again only when the template, the
    broken example or cfn-lint changed (tests/kept_runs.py): the template passes, and a template with
    a misspelt reference fails, naming it and its file."""
    broken = CACHE / "cfn-lint-broken.yaml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text(BROKEN)
    depends_on = [importlib.metadata.version("cfn-lint"), TEMPLATE.read_text(), BROKEN]
    answer = kept_run("cfn-lint", [str(CFN_LINT), str(TEMPLATE), str(broken)], depends_on)
    assert answer.returncode != 0
    output = answer.output
    assert str(TEMPLATE) not in output, output
    assert "'ClicksTabel' is not one of" in output
    assert f"{broken}:" in output, output


def test_sam_translates_with_stream_mappings_routes_and_arm64_python313() -> None:
    resources = translated(TEMPLATE.read_text())["Resources"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in resources.values():
        by_type.setdefault(resource["Type"], []).append(resource)
    mappings = by_type["AWS::Lambda::EventSourceMapping"]
    streams = [m["Properties"] for m in mappings if "StartingPosition" in m["Properties"]]
    queues = [m["Properties"] for m in mappings if "StartingPosition" not in m["Properties"]]
    # postback sender, reports worker, finance worker, notifier, domain checks
    assert (len(streams), len(queues)) == (2, 5)
    for props in streams + queues:
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    for props in streams:
        assert props["BisectBatchOnFunctionError"] is True
        assert "OnFailure" in props["DestinationConfig"]
    routes = {r["Properties"]["RouteKey"] for r in by_type.get("AWS::ApiGatewayV2::Route", [])}
    body_paths = set()
    for api in by_type.get("AWS::ApiGatewayV2::Api", []):
        body_paths |= set(api["Properties"].get("Body", {}).get("paths", {}))
    assert routes or body_paths
    paths = body_paths or {r.split(" ", 1)[1] for r in routes}
    assert {"/click", "/postback", "/api/offers", "/api/finance/payouts", "/api/clicks/{click_id}"} <= paths
    # every route by its method and path: no greedy variable, no $default
    assert not [path for path in paths if "+}" in path or path == "$default"]
    for function in by_type["AWS::Lambda::Function"]:
        assert function["Properties"]["Runtime"] == "python3.13"
        assert function["Properties"]["Architectures"] == ["arm64"]


# A function with an event of a type SAM does not know, in the smallest template that has one (the
# whole template with one event misspelt took 5 s of CPU to translate for the same proof).
UNKNOWN_EVENT = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: functions/api/
      Events:
        Offers:
          Type: HttpApii
          Properties:
            Path: /api/offers
            Method: GET
"""


def test_sam_translation_fails_on_an_unknown_event_type() -> None:
    assert "Type: HttpApi\n" in TEMPLATE.read_text()  # the type misspelt here is the template's own
    with pytest.raises(InvalidDocumentException, match="HttpApii"):
        translate(UNKNOWN_EVENT)
    translate(UNKNOWN_EVENT.replace("HttpApii", "HttpApi"))  # and spelt right, it translates


def test_every_function_has_a_handler_where_the_template_says() -> None:
    resources = yaml_parse(TEMPLATE.read_text())["Resources"]
    functions = {k: v for k, v in resources.items() if v["Type"] == "AWS::Serverless::Function"}
    assert {"ClickFunction", "PostbackFunction", "ApiOffersFunction", "OrchestratorFunction"} <= set(
        functions
    )
    for logical_id, function in functions.items():
        module, attribute = function["Properties"]["Handler"].rsplit(".", 1)
        source = ROOT / function["Properties"]["CodeUri"] / f"{module}.py"
        assert source.exists(), logical_id
        names: set[str] = set()
        for node in ast.parse(source.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        assert attribute in names, logical_id


def test_the_glue_tables_declare_the_columns_the_writer_writes() -> None:
    """Athena reads the Parquet by the Glue tables' columns: they are the schema module's, in order,
    with the partitions projected from the keys the writer uses (no crawler, no partition added)."""
    from partnerka.analytics.schema import CLICK_COLUMNS, CONVERSION_COLUMNS, PARTITION_KEYS

    resources = yaml_parse(TEMPLATE.read_text())["Resources"]
    for logical_id, name, columns in (
        ("AnalyticsClicksTable", "clicks", CLICK_COLUMNS),
        ("AnalyticsConversionsTable", "conversions", CONVERSION_COLUMNS),
    ):
        table = resources[logical_id]["Properties"]["TableInput"]
        assert table["Name"] == name
        declared = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]
        assert declared == list(columns)
        assert [(k["Name"], k["Type"]) for k in table["PartitionKeys"]] == list(PARTITION_KEYS)
        parameters = table["Parameters"]
        assert parameters["projection.enabled"] == "true"
        assert parameters["projection.advertiser.type"] == "injected"
        assert parameters["storage.location.template"]["Fn::Sub"].endswith(
            f"/{name}/advertiser=${{!advertiser}}/day=${{!day}}/"
        )
    workgroup = resources["AnalyticsWorkGroup"]["Properties"]["WorkGroupConfiguration"]
    assert workgroup["EnforceWorkGroupConfiguration"] is True
    assert workgroup["BytesScannedCutoffPerQuery"] > 0
    assert workgroup["ResultConfiguration"]["EncryptionConfiguration"] == {"EncryptionOption": "SSE_S3"}
    # DuckDB, the Parquet writer, only where Parquet is written: never on the click path or the API
    carriers = sorted(
        lid
        for lid, res in resources.items()
        if {"Ref": "AnalyticsLayer"} in (res.get("Properties", {}).get("Layers") or [])
    )
    assert carriers == ["AnalyticsCompactFunction", "OrchestratorFunction"]
