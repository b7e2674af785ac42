"""The edge of advertisers' own domains in template.yaml: TenantDistribution serves them exactly as
Distribution serves the platform's domain (its copy is written out, so this test is what keeps the
two alike), carries nothing a multi-tenant distribution refuses, and reaches the dashboard's bucket
and the advertisers' DNS records (the connection group's endpoint) as the platform's does."""

from __future__ import annotations

from typing import Any

from partnerka_local.template import Template
from tests.conftest import ROOT

# What only a standard distribution may carry: a multi-tenant one has no domain, certificate, price
# class or IPv6 switch of its own (its tenants and connection group have them).
STANDARD_ONLY = {"Aliases", "ViewerCertificate", "PriceClass", "IPV6Enabled"}
# Fields of a distribution or a behaviour that CloudFront refuses on a multi-tenant distribution
# (the CloudFormation schema's "only supports standard distributions").
UNSUPPORTED = {
    "Aliases",
    "AnycastIpListId",
    "ContinuousDeploymentPolicyId",
    "IPV6Enabled",
    "PriceClass",
    "Staging",
    "DefaultTTL",
    "MaxTTL",
    "MinTTL",
    "ForwardedValues",
    "SmoothStreaming",
    "TrustedSigners",
}


def template() -> Template:
    return Template(ROOT / "template.yaml", "tenant-edge-test")


def config(tpl: Template, logical_id: str) -> dict[str, Any]:
    return dict(tpl.resources[logical_id]["Properties"]["DistributionConfig"])


def keys(value: Any) -> set[str]:
    """Every key anywhere in `value`."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_advertisers_domains_are_served_with_the_platforms_origins_behaviours_and_functions() -> None:
    tpl = template()
    platform, advertisers = config(tpl, "Distribution"), config(tpl, "TenantDistribution")
    assert advertisers["ConnectionMode"] == "tenant-only"
    assert platform.get("ConnectionMode", "direct") == "direct"
    assert set(platform) - set(advertisers) == STANDARD_ONLY
    assert set(advertisers) - set(platform) == {"ConnectionMode"}
    different = {k for k in set(platform) & set(advertisers) if platform[k] != advertisers[k]}
    assert different == {"Comment"}
    # Both name the edge secret's rotation: a rotation updates both origin headers
    for comment in (platform["Comment"], advertisers["Comment"]):
        assert "${EdgeSecretRotation}" in comment["Fn::Sub"]


def test_the_advertisers_distribution_carries_nothing_a_multi_tenant_one_refuses() -> None:
    assert not keys(config(template(), "TenantDistribution")) & UNSUPPORTED


def test_both_distributions_and_no_other_read_the_dashboard() -> None:
    tpl = template()
    statement = tpl.resources["DashboardBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    readers = statement["Condition"]["StringEquals"]["AWS:SourceArn"]
    prefix = "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/"
    assert sorted(reader["Fn::Sub"] for reader in readers) == [
        prefix + "${Distribution}",
        prefix + "${TenantDistribution}",
    ]
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "s3:GetObject"


def test_advertisers_point_their_domains_at_the_connection_groups_endpoint() -> None:
    tpl = template()
    group = tpl.resources["TenantConnectionGroup"]
    assert group["Type"] == "AWS::CloudFront::ConnectionGroup"
    assert (group["Properties"]["Enabled"], group["Properties"]["Ipv6Enabled"]) == (True, True)
    outputs = tpl.doc["Outputs"]
    assert outputs["TenantCnameTarget"]["Value"] == {
        "Fn::GetAtt": ["TenantConnectionGroup", "RoutingEndpoint"]
    }
    assert outputs["TenantConnectionGroupId"]["Value"] == {"Ref": "TenantConnectionGroup"}
    assert outputs["TenantDistributionId"]["Value"] == {"Ref": "TenantDistribution"}
