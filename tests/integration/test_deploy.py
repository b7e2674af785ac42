"""scripts/deploy's own logic, against moto (S3) and botocore's Stubber (CloudFront, CloudFormation
and Lambda calls, checked against the real service models): the stages of samconfig.toml, the
parameters each deployment is given, the dashboard's upload, the owner's settings of a stage, and
the edge secret's rotation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from partnerka_local.edge import IMMUTABLE, NEVER_STALE, SHORT
from partnerka_local.template import Template
from scripts.create_owner import stage_settings
from scripts.deploy import Stage, parameters_for, publish_dashboard, read_stage, who_deploys
from scripts.rotate_edge_secret import rotated
from tests.conftest import ROOT


def test_the_stages_are_separate_stacks_sending_from_their_own_addresses() -> None:
    dev, prod = read_stage("dev"), read_stage("prod")
    assert dev.stack_name != prod.stack_name
    assert dev.parameters["MailFromAddress"] != prod.parameters["MailFromAddress"]
    assert (dev.parameters["RequireEdge"], prod.parameters["RequireEdge"]) == ("false", "true")
    assert "AppBaseUrl" not in dev.parameters  # derived by scripts/deploy
    template = (ROOT / "template.yaml").read_text()
    for name in {**dev.parameters, **prod.parameters}:
        assert f"\n  {name}:\n" in template, (
            f"samconfig.toml sets {name}, which the template does not declare"
        )
    with pytest.raises(SystemExit):
        read_stage("staging")


def test_the_platforms_url_comes_from_the_domain_or_from_the_stack_once_it_exists() -> None:
    stage = Stage("dev", "partnerka-dev", "eu-central-1", {"Stage": "dev"})
    first = parameters_for(stage, current={}, outputs={})
    assert "AppBaseUrl" not in first  # the distribution's domain is not known yet: deployed twice
    later = parameters_for(
        stage,
        current={"AppBaseUrl": "https://d1.cloudfront.net", "EdgeSecretRotation": "20261207T0400"},
        outputs={"DashboardUrl": "https://d1.cloudfront.net"},
    )
    assert later["AppBaseUrl"] == "https://d1.cloudfront.net"
    assert later["EdgeSecretRotation"] == "20261207T0400"  # kept: no needless distribution update
    own = Stage("prod", "partnerka-prod", "eu-central-1", {"DomainName": "app.acme.example"})
    assert parameters_for(own, {}, {})["AppBaseUrl"] == "https://app.acme.example"
    chosen = Stage("prod", "p", "r", {"AppBaseUrl": "https://partners.acme.example"})
    assert (
        parameters_for(chosen, {"AppBaseUrl": "https://old"}, {})["AppBaseUrl"]
        == "https://partners.acme.example"
    )


def build(dist: Path, files: dict[str, bytes]) -> None:
    for key, body in files.items():
        path = dist / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)


def test_the_dashboard_goes_up_assets_first_index_last_with_the_edges_cache_rules(
    stack: Template, tmp_path: Path
) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="dashboard")  # moto's, as the stack's are (gone with them after the test)
    order: list[str] = []
    s3.meta.events.register(
        "provide-client-params.s3.PutObject", lambda params, **_: order.append(params["Key"])
    )
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    dist = tmp_path / "dist"
    build(
        dist,
        {
            "index.html": b'<script type="module" src="/assets/index-AAAA.js"></script>',
            "assets/index-AAAA.js": b"console.log(1)",
            "assets/index-BBBB.css": b"body{}",
            "favicon.svg": b"<svg/>",
            "theme.js": b"0",
        },
    )
    with Stubber(cloudfront) as edge:
        invalidation = {
            "DistributionId": "E123",
            "InvalidationBatch": {
                "Paths": {"Quantity": 3, "Items": ["/favicon.svg", "/index.html", "/theme.js"]},
                "CallerReference": ANY,
            },
        }
        edge.add_response("create_invalidation", invalidation_reply(), invalidation)
        done = publish_dashboard(s3, cloudfront, "dashboard", "E123", dist)
        edge.assert_no_pending_responses()
    assert order[-1] == "index.html"
    assert sorted(order) == sorted(done["uploaded"])
    heads = {key: s3.head_object(Bucket="dashboard", Key=key) for key in order}
    assert heads["index.html"]["CacheControl"] == NEVER_STALE
    assert heads["assets/index-AAAA.js"]["CacheControl"] == IMMUTABLE
    assert heads["favicon.svg"]["CacheControl"] == SHORT
    assert heads["index.html"]["ContentType"] == "text/html; charset=utf-8"
    assert heads["assets/index-AAAA.js"]["ContentType"].startswith(
        ("text/javascript", "application/javascript")
    )
    assert heads["assets/index-BBBB.css"]["ContentType"] == "text/css; charset=utf-8"

    # The next build: its old assets stay a week for the tabs still open, other stale files go at once
    (dist / "assets" / "index-AAAA.js").rename(dist / "assets" / "index-CCCC.js")
    (dist / "theme.js").unlink()
    with Stubber(cloudfront) as edge:
        edge.add_response("create_invalidation", invalidation_reply())
        assert publish_dashboard(s3, cloudfront, "dashboard", "E123", dist)["removed"] == ["theme.js"]
    with Stubber(cloudfront) as edge:
        edge.add_response("create_invalidation", invalidation_reply())
        a_week_on = datetime.now(UTC) + timedelta(days=8)
        done = publish_dashboard(s3, cloudfront, "dashboard", "E123", dist, now=a_week_on)
        assert done["removed"] == ["assets/index-AAAA.js"]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="dashboard")["Contents"])
    assert keys == ["assets/index-BBBB.css", "assets/index-CCCC.js", "favicon.svg", "index.html"]


def invalidation_reply() -> dict[str, Any]:
    return {
        "Location": "https://cloudfront.amazonaws.com/2020-05-31/distribution/E123/invalidation/I1",
        "Invalidation": {
            "Id": "I1",
            "Status": "InProgress",
            "CreateTime": datetime(2026, 12, 7, tzinfo=UTC),
            "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/index.html"]}, "CallerReference": "x"},
        },
    }


def test_a_build_without_its_page_is_not_published(tmp_path: Path) -> None:
    build(tmp_path, {"assets/x.js": b""})
    with pytest.raises(SystemExit, match=r"no index\.html"):
        publish_dashboard(None, None, "b", "E", tmp_path)


def test_an_owner_is_created_with_the_stages_own_account_settings() -> None:
    cloudformation = boto3.client("cloudformation", region_name="eu-central-1")
    lambda_client = boto3.client("lambda", region_name="eu-central-1")
    variables = {"CORE_TABLE": "partnerka-dev-CoreTable-1", "APP_BASE_URL": "https://d1.cloudfront.net"}
    with Stubber(cloudformation) as stack, Stubber(lambda_client) as functions:
        stack.add_response(
            "describe_stack_resource",
            {
                "StackResourceDetail": {
                    "LogicalResourceId": "ApiAccountFunction",
                    "PhysicalResourceId": "partnerka-dev-ApiAccountFunction-x1",
                    "ResourceType": "AWS::Lambda::Function",
                    "LastUpdatedTimestamp": datetime(2026, 12, 7, tzinfo=UTC),
                    "ResourceStatus": "UPDATE_COMPLETE",
                }
            },
            {"StackName": "partnerka-dev", "LogicalResourceId": "ApiAccountFunction"},
        )
        functions.add_response(
            "get_function_configuration",
            {"Environment": {"Variables": variables}},
            {"FunctionName": "partnerka-dev-ApiAccountFunction-x1"},
        )
        assert stage_settings(cloudformation, lambda_client, "partnerka-dev") == variables


def test_a_rotation_keeps_the_old_value_as_previous() -> None:
    after = rotated({"current": "old-value", "previous": "older-value"})
    assert after["previous"] == "old-value"
    assert len(after["current"]) == 48
    assert after["current"].isalnum()
    assert after["current"] != rotated({"current": "old-value"})["current"]
    assert json.loads(json.dumps(after)) == after


def test_without_credentials_the_deployment_stops_with_a_clear_word() -> None:
    sts = boto3.client("sts", region_name="us-east-1")
    with Stubber(sts) as stub:
        stub.add_client_error("get_caller_identity", "InvalidClientTokenId", "The security token is invalid")
        with pytest.raises(SystemExit, match="no usable AWS credentials"):
            who_deploys(sts)
    with Stubber(sts) as stub:
        stub.add_response(
            "get_caller_identity",
            {"UserId": "AIDA", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/ops"},
        )
        assert who_deploys(sts) == "arn:aws:iam::123456789012:user/ops (account 123456789012)"


def test_the_advertisers_domains_copies_are_invalidated_tenant_by_tenant(
    stack: Template, tmp_path: Path
) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="dashboard-tenants")
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    dist = tmp_path / "dist"
    build(dist, {"index.html": b"<html></html>", "theme.js": b"0"})
    tenant = {  # a summary as ListDistributionTenants answers it
        "Id": "dt_1",
        "DistributionId": "ETENANTS",
        "Name": "domain-1",
        "Arn": "arn:aws:cloudfront::123456789012:distribution-tenant/dt_1",
        "Domains": [{"Domain": "partners.acme.example", "Status": "active"}],
        "CreatedTime": datetime(2026, 12, 1, tzinfo=UTC),
        "LastModifiedTime": datetime(2026, 12, 1, tzinfo=UTC),
        "ETag": "E1",
        "Enabled": True,
        "Status": "Deployed",
    }
    with Stubber(cloudfront) as edge:
        edge.add_response("create_invalidation", invalidation_reply())
        filtered = {"AssociationFilter": {"DistributionId": "ETENANTS"}}
        edge.add_response(
            "list_distribution_tenants", {"DistributionTenantList": [tenant], "NextMarker": "m2"}, filtered
        )
        edge.add_response(
            "list_distribution_tenants",
            {"DistributionTenantList": [tenant | {"Id": "dt_2", "Name": "domain-2"}]},
            filtered | {"Marker": "m2"},
        )
        paths = {"Paths": {"Quantity": 2, "Items": ["/index.html", "/theme.js"]}, "CallerReference": ANY}
        for tenant_id in ("dt_1", "dt_2"):
            edge.add_response(
                "create_invalidation_for_distribution_tenant",
                {"Invalidation": invalidation_reply()["Invalidation"]},
                {"Id": tenant_id, "InvalidationBatch": paths},
            )
        done = publish_dashboard(
            s3, cloudfront, "dashboard-tenants", "E123", dist, tenant_distribution_id="ETENANTS"
        )
        edge.assert_no_pending_responses()
    assert done["tenants"] == ["dt_1", "dt_2"]
