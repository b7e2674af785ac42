"""The CloudFront tenants of advertisers' domains (partnerka.domains.tenants).

CloudFrontTenants runs on a real botocore client under botocore's Stubber: each request is checked
against CloudFront's service model and against the exact parameters expected here, and each answer
is shaped as the model's output (errors by their modelled codes). The scenarios at the end run the
same story against FakeTenantEdge and against the stubbed client, answered by `CloudFrontSim`
(CloudFront's side, kept as state), so the fake the domain service is tested with cannot drift from
what the adapter does on CloudFront's answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from partnerka.common.config import ConfigurationError, read_settings
from partnerka.domains.tenants import (
    CertificateStatus,
    CloudFrontTenants,
    DirectTenants,
    DomainNotPointed,
    DomainTaken,
    EdgeError,
    Tenant,
    TenantEdge,
    TenantEdgeSettings,
    TenantGone,
    TenantState,
    tenant_edge,
    tenant_name,
)
from tests.unit.fakes import CloudFrontMovesOn, FakeTenantEdge

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient

ACCOUNT = "123456789012"
DISTRIBUTION = "E2QWRUHEXAMPLE"
GROUP = "cg_2wjDKqRbT5vgLGp5ZTEXAMPLE"
TENANT = "dt_2wjDZi3hD1ivOXf6rpZJEXAMPLE"
DOMAIN = "partners.acme.com"
NAME = tenant_name("01JDOMA1N00000000000000000")
CERTIFICATE = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/1c3d5e7f-0000-4000-8000-00000000c3r7"
WAF = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/edge/0c0ffee0-0000-4000-8000-000000000000"
TAGS = {
    "partnerka:domain": "01JDOMA1N00000000000000000",
    "partnerka:advertiser": "01JAD0000000000000000000AA",
}
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NOT_POINTED = (
    "The provided Domain Name is not valid. Could not verify Domain Name ownership. It may not be"
    " pointing to a valid CloudFront resource."
)


# --------------------------------------------------------------------------- CloudFront's answers
def tenant_body(
    tenant_id: str = TENANT,
    *,
    name: str = NAME,
    domain: str = DOMAIN,
    distribution: str = DISTRIBUTION,
    enabled: bool = True,
    status: str = "InProgress",
    domain_status: str = "inactive",
    customizations: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A DistributionTenant as CloudFront describes one (the model's DistributionTenant shape)."""
    body: dict[str, Any] = {
        "Id": tenant_id,
        "DistributionId": distribution,
        "Name": name,
        "Arn": f"arn:aws:cloudfront::{ACCOUNT}:distribution-tenant/{tenant_id}",
        "Domains": [{"Domain": domain, "Status": domain_status}],
        "ConnectionGroupId": GROUP,
        "CreatedTime": AT,
        "LastModifiedTime": AT,
        "Enabled": enabled,
        "Status": status,
    }
    if customizations:
        body["Customizations"] = customizations
    return body


def tenant_reply(etag: str = "E1TENANTV1", **fields: Any) -> dict[str, Any]:
    return {"DistributionTenant": tenant_body(**fields), "ETag": etag}


def certificate_reply(status: str, domain: str = DOMAIN) -> dict[str, Any]:
    return {
        "ManagedCertificateDetails": {
            "CertificateArn": CERTIFICATE,
            "CertificateStatus": status,
            "ValidationTokenHost": "cloudfront",
            "ValidationTokenDetails": [
                {
                    "Domain": domain,
                    "RedirectFrom": f"http://{domain}/.well-known/pki-validation/3f2a9c.txt",
                    "RedirectTo": "http://3f2a9c.e4d1.acm-validations.aws/3f2a9c.txt",
                }
            ],
        }
    }


def create_request(domain: str = DOMAIN, name: str = NAME, tags: Mapping[str, str] = TAGS) -> dict[str, Any]:
    request: dict[str, Any] = {
        "DistributionId": DISTRIBUTION,
        "Name": name,
        "Domains": [{"Domain": domain}],
        "ConnectionGroupId": GROUP,
        "Enabled": True,
        "ManagedCertificateRequest": {
            "ValidationTokenHost": "cloudfront",
            "PrimaryDomainName": domain,
            "CertificateTransparencyLoggingPreference": "enabled",
        },
    }
    if tags:
        request["Tags"] = {"Items": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}
    return request


@pytest.fixture
def stubbed() -> Iterator[tuple[CloudFrontTenants, Stubber]]:
    client: CloudFrontClient = boto3.client("cloudfront", region_name="us-east-1")
    with Stubber(client) as stub:
        yield CloudFrontTenants(DISTRIBUTION, GROUP, client), stub
        stub.assert_no_pending_responses()


def refuse(
    stub: Stubber, operation: str, code: str, status: int, params: dict[str, Any], message: str = ""
) -> None:
    stub.add_client_error(
        operation,
        service_error_code=code,
        service_message=message or code,
        http_status_code=status,
        expected_params=params,
    )


# --------------------------------------------------------------------------- create
def test_create_asks_for_an_enabled_tenant_with_a_cloudfront_validated_logged_certificate(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response("create_distribution_tenant", tenant_reply(), create_request())
    assert edge.create(DOMAIN, NAME, TAGS) == Tenant(TENANT, NAME, DOMAIN)


def test_create_without_tags_sends_none(stubbed: tuple[CloudFrontTenants, Stubber]) -> None:
    edge, stub = stubbed
    stub.add_response("create_distribution_tenant", tenant_reply(), create_request(tags={}))
    assert edge.create(DOMAIN, NAME, {}).tenant_id == TENANT


def test_a_create_retried_after_cloudfront_made_the_tenant_returns_that_tenant(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    # Given a worker that died after CloudFront created the tenant, before its id was stored
    edge, stub = stubbed
    refuse(stub, "create_distribution_tenant", "EntityAlreadyExists", 409, create_request())
    stub.add_response("get_distribution_tenant", tenant_reply(), {"Identifier": NAME})
    # When the next run creates it again, Then it gets the tenant the first call made
    assert edge.create(DOMAIN, NAME, TAGS) == Tenant(TENANT, NAME, DOMAIN)


def test_a_retried_create_finds_its_tenant_by_domain_when_cloudfront_names_the_domain(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    refuse(stub, "create_distribution_tenant", "CNAMEAlreadyExists", 409, create_request())
    refuse(stub, "get_distribution_tenant", "EntityNotFound", 404, {"Identifier": NAME})
    stub.add_response("get_distribution_tenant_by_domain", tenant_reply(), {"Domain": DOMAIN})
    assert edge.create(DOMAIN, NAME, TAGS).tenant_id == TENANT


@pytest.mark.parametrize(
    "holder",
    [
        {"distribution": "E9OTHERDISTRIB"},  # another multi-tenant distribution of the account
        {"name": tenant_name("01JOTHERD0MA1N000000000000")},  # ours, for another domain record
    ],
)
def test_a_domain_held_by_a_tenant_that_is_not_this_records_is_taken(
    stubbed: tuple[CloudFrontTenants, Stubber], holder: dict[str, str]
) -> None:
    edge, stub = stubbed
    refuse(stub, "create_distribution_tenant", "CNAMEAlreadyExists", 409, create_request())
    refuse(stub, "get_distribution_tenant", "EntityNotFound", 404, {"Identifier": NAME})
    stub.add_response("get_distribution_tenant_by_domain", tenant_reply(**holder), {"Domain": DOMAIN})
    with pytest.raises(DomainTaken, match=DOMAIN):
        edge.create(DOMAIN, NAME, TAGS)


def test_a_domain_served_from_another_account_is_taken(stubbed: tuple[CloudFrontTenants, Stubber]) -> None:
    edge, stub = stubbed
    refuse(stub, "create_distribution_tenant", "CNAMEAlreadyExists", 409, create_request())
    refuse(stub, "get_distribution_tenant", "EntityNotFound", 404, {"Identifier": NAME})
    refuse(stub, "get_distribution_tenant_by_domain", "EntityNotFound", 404, {"Domain": DOMAIN})
    with pytest.raises(DomainTaken) as taken:
        edge.create(DOMAIN, NAME, TAGS)
    assert taken.value.code == "CNAMEAlreadyExists"


def test_cloudfront_not_seeing_the_cname_means_the_domain_does_not_point_here(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    refuse(stub, "create_distribution_tenant", "InvalidArgument", 400, create_request(), NOT_POINTED)
    with pytest.raises(DomainNotPointed):
        edge.create(DOMAIN, NAME, TAGS)


def test_another_invalid_argument_is_not_taken_for_missing_dns(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    message = "The parameter ConnectionGroupId is not valid."
    refuse(stub, "create_distribution_tenant", "InvalidArgument", 400, create_request(), message)
    with pytest.raises(EdgeError) as refused:
        edge.create(DOMAIN, NAME, TAGS)
    assert type(refused.value) is EdgeError
    assert (refused.value.code, refused.value.message) == ("InvalidArgument", message)


@pytest.mark.parametrize("name", ["", "ab", "-domain-1", "domain_1", "domain-1.", "d" * 129])
def test_a_name_cloudfront_would_refuse_is_refused_before_asking(name: str) -> None:
    client: CloudFrontClient = boto3.client("cloudfront", region_name="us-east-1")
    with Stubber(client), pytest.raises(ValueError, match="tenant name"):
        CloudFrontTenants(DISTRIBUTION, GROUP, client).create(DOMAIN, name, {})


def test_a_tenant_is_named_for_its_domain_record_within_cloudfronts_rules() -> None:
    assert tenant_name("01JDOMA1N00000000000000000") == "domain-01JDOMA1N00000000000000000"
    with pytest.raises(ValueError, match="tenant name"):
        tenant_name("a" * 130)


def test_no_answer_from_cloudfront_is_an_edge_error_to_try_again() -> None:
    # Nothing listens on the discard port: the connection is refused at once, and never retried here
    client: CloudFrontClient = boto3.client(
        "cloudfront",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    with pytest.raises(EdgeError) as refused:
        CloudFrontTenants(DISTRIBUTION, GROUP, client).state(TENANT)
    assert refused.value.code == "EndpointConnectionError"


# --------------------------------------------------------------------------- state
@pytest.mark.parametrize(
    ("raw", "expected", "reason"),
    [
        ("pending-validation", CertificateStatus.PENDING, ""),
        ("issued", CertificateStatus.ISSUED, ""),
        ("validation-timed-out", CertificateStatus.FAILED, "did not point at the platform"),
        ("failed", CertificateStatus.FAILED, "CAA record"),
        ("revoked", CertificateStatus.FAILED, "revoked"),
        ("expired", CertificateStatus.FAILED, "could not be renewed"),
        ("inactive", CertificateStatus.FAILED, "inactive"),
    ],
)
def test_state_tells_the_certificate_in_three_words_and_why_one_failed(
    stubbed: tuple[CloudFrontTenants, Stubber], raw: str, expected: CertificateStatus, reason: str
) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(), {"Identifier": TENANT})
    stub.add_response("get_managed_certificate_details", certificate_reply(raw), {"Identifier": TENANT})
    state = edge.state(TENANT)
    assert (state.certificate, state.certificate_status) == (expected, raw)
    assert reason in state.certificate_reason
    assert bool(state.certificate_reason) == (expected is CertificateStatus.FAILED)


def test_a_new_tenant_is_in_progress_and_its_domain_inactive(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(), {"Identifier": TENANT})
    stub.add_response(
        "get_managed_certificate_details", certificate_reply("pending-validation"), {"Identifier": TENANT}
    )
    assert edge.state(TENANT) == TenantState(
        tenant_id=TENANT,
        enabled=True,
        deployed=False,
        domain_active=False,
        certificate=CertificateStatus.PENDING,
        certificate_status="pending-validation",
        certificate_reason="",
        certificate_attached=False,
    )


def test_an_issued_certificate_serves_only_once_attached_and_deployed(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(status="Deployed"), {"Identifier": TENANT})
    stub.add_response("get_managed_certificate_details", certificate_reply("issued"), {"Identifier": TENANT})
    waiting = edge.state(TENANT)
    assert (waiting.certificate, waiting.certificate_attached, waiting.serving) == (
        CertificateStatus.ISSUED,
        False,
        False,
    )
    live = tenant_reply(
        status="Deployed", domain_status="active", customizations={"Certificate": {"Arn": CERTIFICATE}}
    )
    stub.add_response("get_distribution_tenant", live, {"Identifier": TENANT})
    stub.add_response("get_managed_certificate_details", certificate_reply("issued"), {"Identifier": TENANT})
    assert edge.state(TENANT).serving


def test_a_tenant_whose_certificate_is_not_requested_yet_is_pending(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(), {"Identifier": TENANT})
    refuse(stub, "get_managed_certificate_details", "EntityNotFound", 404, {"Identifier": TENANT})
    state = edge.state(TENANT)
    assert (state.certificate, state.certificate_status, state.certificate_attached) == (
        CertificateStatus.PENDING,
        "",
        False,
    )


def test_the_state_of_a_deleted_tenant_is_tenant_gone(stubbed: tuple[CloudFrontTenants, Stubber]) -> None:
    edge, stub = stubbed
    refuse(stub, "get_distribution_tenant", "EntityNotFound", 404, {"Identifier": TENANT})
    with pytest.raises(TenantGone):
        edge.state(TENANT)


# --------------------------------------------------------------------------- attach_certificate
def whole_update(etag: str = "E1TENANTV1", **changes: Any) -> dict[str, Any]:
    """UpdateDistributionTenant's parameters for tenant_body()'s tenant, with `changes`."""
    return {
        "Id": TENANT,
        "IfMatch": etag,
        "DistributionId": DISTRIBUTION,
        "Domains": [{"Domain": DOMAIN}],
        "Enabled": True,
        "ConnectionGroupId": GROUP,
        **changes,
    }


def test_an_issued_certificate_is_attached_keeping_the_tenants_other_customizations(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    waf = {"WebAcl": {"Action": "override", "Arn": WAF}}
    stub.add_response(
        "get_distribution_tenant", tenant_reply(status="Deployed", customizations=waf), {"Identifier": TENANT}
    )
    stub.add_response("get_managed_certificate_details", certificate_reply("issued"), {"Identifier": TENANT})
    both = {**waf, "Certificate": {"Arn": CERTIFICATE}}
    stub.add_response(
        "update_distribution_tenant",
        tenant_reply("E1TENANTV2", customizations=both),
        whole_update(Customizations=both),
    )
    assert edge.attach_certificate(TENANT) is True


@pytest.mark.parametrize("raw", ["pending-validation", "validation-timed-out"])
def test_a_certificate_not_issued_is_not_attached(
    stubbed: tuple[CloudFrontTenants, Stubber], raw: str
) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(), {"Identifier": TENANT})
    stub.add_response("get_managed_certificate_details", certificate_reply(raw), {"Identifier": TENANT})
    assert edge.attach_certificate(TENANT) is False  # and no update was sent


def test_an_attached_certificate_is_not_attached_again(stubbed: tuple[CloudFrontTenants, Stubber]) -> None:
    edge, stub = stubbed
    attached = tenant_reply(customizations={"Certificate": {"Arn": CERTIFICATE}})
    stub.add_response("get_distribution_tenant", attached, {"Identifier": TENANT})
    stub.add_response("get_managed_certificate_details", certificate_reply("issued"), {"Identifier": TENANT})
    assert edge.attach_certificate(TENANT) is True


def test_attaching_to_a_tenant_changed_meanwhile_waits_for_the_next_run(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(), {"Identifier": TENANT})
    stub.add_response("get_managed_certificate_details", certificate_reply("issued"), {"Identifier": TENANT})
    certificate = {"Certificate": {"Arn": CERTIFICATE}}
    refuse(
        stub,
        "update_distribution_tenant",
        "PreconditionFailed",
        412,
        whole_update(Customizations=certificate),
    )
    assert edge.attach_certificate(TENANT) is False


# --------------------------------------------------------------------------- remove
def test_removing_an_enabled_tenant_disables_it_by_its_etag_and_is_not_done_yet(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    live = {"WebAcl": {"Action": "disable"}, "Certificate": {"Arn": CERTIFICATE}}
    stub.add_response(
        "get_distribution_tenant",
        tenant_reply("E1TENANTV7", status="Deployed", domain_status="active", customizations=live),
        {"Identifier": TENANT},
    )
    stub.add_response(
        "update_distribution_tenant",
        tenant_reply("E1TENANTV8", enabled=False, customizations=live),
        whole_update("E1TENANTV7", Enabled=False, Customizations=live),
    )
    assert edge.remove(TENANT) is False


def test_removal_waits_while_disabling_reaches_the_edge(stubbed: tuple[CloudFrontTenants, Stubber]) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(enabled=False), {"Identifier": TENANT})
    assert edge.remove(TENANT) is False  # and nothing was deleted


def test_removing_a_disabled_deployed_tenant_deletes_it_by_its_etag(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response(
        "get_distribution_tenant",
        tenant_reply("E1TENANTV8", enabled=False, status="Deployed"),
        {"Identifier": TENANT},
    )
    stub.add_response("delete_distribution_tenant", {}, {"Id": TENANT, "IfMatch": "E1TENANTV8"})
    assert edge.remove(TENANT) is True


def test_removing_a_tenant_that_is_gone_is_done(stubbed: tuple[CloudFrontTenants, Stubber]) -> None:
    edge, stub = stubbed
    refuse(stub, "get_distribution_tenant", "EntityNotFound", 404, {"Identifier": TENANT})
    assert edge.remove(TENANT) is True


def test_a_tenant_deleted_between_reading_and_deleting_is_removed(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response(
        "get_distribution_tenant", tenant_reply(enabled=False, status="Deployed"), {"Identifier": TENANT}
    )
    refuse(stub, "delete_distribution_tenant", "EntityNotFound", 404, {"Id": TENANT, "IfMatch": "E1TENANTV1"})
    assert edge.remove(TENANT) is True


@pytest.mark.parametrize(
    ("enabled", "operation", "code", "status", "params"),
    [
        (True, "update_distribution_tenant", "PreconditionFailed", 412, whole_update(Enabled=False)),
        (
            False,
            "delete_distribution_tenant",
            "PreconditionFailed",
            412,
            {"Id": TENANT, "IfMatch": "E1TENANTV1"},
        ),
        (
            False,
            "delete_distribution_tenant",
            "ResourceNotDisabled",
            409,
            {"Id": TENANT, "IfMatch": "E1TENANTV1"},
        ),
    ],
)
def test_a_removal_step_that_raced_another_change_is_left_for_the_next_run(
    stubbed: tuple[CloudFrontTenants, Stubber],
    enabled: bool,
    operation: str,
    code: str,
    status: int,
    params: dict[str, Any],
) -> None:
    edge, stub = stubbed
    stub.add_response(
        "get_distribution_tenant", tenant_reply(enabled=enabled, status="Deployed"), {"Identifier": TENANT}
    )
    refuse(stub, operation, code, status, params)
    assert edge.remove(TENANT) is False


def test_a_tenant_of_another_distribution_is_never_removed(
    stubbed: tuple[CloudFrontTenants, Stubber],
) -> None:
    edge, stub = stubbed
    stub.add_response(
        "get_distribution_tenant", tenant_reply(distribution="E9OTHERDISTRIB"), {"Identifier": TENANT}
    )
    with pytest.raises(EdgeError, match="E9OTHERDISTRIB"):
        edge.remove(TENANT)  # and nothing was updated or deleted


def test_access_denied_is_raised_not_taken_for_progress(stubbed: tuple[CloudFrontTenants, Stubber]) -> None:
    edge, stub = stubbed
    stub.add_response("get_distribution_tenant", tenant_reply(), {"Identifier": TENANT})
    refuse(stub, "update_distribution_tenant", "AccessDenied", 403, whole_update(Enabled=False))
    with pytest.raises(EdgeError) as refused:
        edge.remove(TENANT)
    assert refused.value.code == "AccessDenied"


# --------------------------------------------------------------------------- the local platform
def test_without_a_cdn_every_tenant_is_at_once_live_and_removed() -> None:
    edge = DirectTenants()
    tenant = edge.create("partners.acme.localhost", NAME, TAGS)
    assert edge.state(tenant.tenant_id).serving
    assert edge.attach_certificate(tenant.tenant_id) is True
    assert edge.remove(tenant.tenant_id) is True
    with pytest.raises(ValueError, match="tenant name"):
        edge.create("partners.acme.localhost", "x", {})


def test_the_edge_is_chosen_by_configuration() -> None:
    ids = {"TENANT_DISTRIBUTION_ID": DISTRIBUTION, "TENANT_CONNECTION_GROUP_ID": GROUP}
    assert isinstance(
        tenant_edge(read_settings(TenantEdgeSettings, {"TENANT_EDGE": "direct", **ids})), DirectTenants
    )
    cloudfront = tenant_edge(read_settings(TenantEdgeSettings, {"TENANT_EDGE": "cloudfront", **ids}))
    assert isinstance(cloudfront, CloudFrontTenants)
    assert (cloudfront.distribution_id, cloudfront.connection_group_id) == (DISTRIBUTION, GROUP)
    with pytest.raises(ConfigurationError, match="TENANT_EDGE"):
        read_settings(TenantEdgeSettings, {"TENANT_EDGE": "local", **ids})
    with pytest.raises(ConfigurationError, match="TENANT_CONNECTION_GROUP_ID"):
        read_settings(
            TenantEdgeSettings, {"TENANT_EDGE": "cloudfront", "TENANT_DISTRIBUTION_ID": DISTRIBUTION}
        )


# =========================================================================== shared scenarios
@dataclass
class SimTenant:
    tenant_id: str
    name: str
    domain: str
    distribution: str = DISTRIBUTION
    enabled: bool = True
    deployed: bool = False
    certificate: str = "pending-validation"
    attached: bool = False
    version: int = 1

    @property
    def etag(self) -> str:
        return f"ETAGV{self.version}"

    def reply(self) -> dict[str, Any]:
        customizations = {"Certificate": {"Arn": CERTIFICATE}} if self.attached else None
        return {
            "DistributionTenant": tenant_body(
                self.tenant_id,
                name=self.name,
                domain=self.domain,
                distribution=self.distribution,
                enabled=self.enabled,
                status="Deployed" if self.deployed else "InProgress",
                domain_status="active" if self.enabled and self.attached else "inactive",
                customizations=customizations,
            ),
            "ETag": self.etag,
        }

    def update(self, **changes: Any) -> dict[str, Any]:
        request: dict[str, Any] = {
            "Id": self.tenant_id,
            "IfMatch": self.etag,
            "DistributionId": self.distribution,
            "Domains": [{"Domain": self.domain}],
            "Enabled": self.enabled,
            "ConnectionGroupId": GROUP,
        }
        if self.attached:
            request["Customizations"] = {"Certificate": {"Arn": CERTIFICATE}}
        return request | changes


@dataclass
class CloudFrontSim(CloudFrontMovesOn):
    """CloudFront's side of the scenarios: its tenants as state, and for each call of the port the
    requests CloudFrontTenants is to make, queued on the Stubber with the answers CloudFront would
    give from that state (and the state changed as CloudFront would change it). The world is moved
    by the same verbs as FakeTenantEdge's."""

    stub: Stubber
    tenants: dict[str, SimTenant] = field(default_factory=dict)
    unpointed: set[str] = field(default_factory=set)
    elsewhere: set[str] = field(default_factory=set)
    raced: set[str] = field(default_factory=set)

    # --- the calls each port method makes
    def on_create(self, domain: str, name: str, tags: Mapping[str, str]) -> None:
        request = create_request(domain, name, tags)
        if domain in self.unpointed:
            refuse(self.stub, "create_distribution_tenant", "InvalidArgument", 400, request, NOT_POINTED)
            return
        by_name = next((t for t in self.tenants.values() if t.name == name), None)
        by_domain = next((t for t in self.tenants.values() if t.domain == domain), None)
        if domain in self.elsewhere or by_name or by_domain:
            code = "EntityAlreadyExists" if by_name else "CNAMEAlreadyExists"
            refuse(self.stub, "create_distribution_tenant", code, 409, request)
            self._get("get_distribution_tenant", {"Identifier": name}, by_name)
            if by_name is None:
                self._get("get_distribution_tenant_by_domain", {"Domain": domain}, by_domain)
            return
        tenant = SimTenant(f"dt_sim{len(self.tenants) + 1}", name, domain)
        self.stub.add_response("create_distribution_tenant", tenant.reply(), request)
        self.tenants[tenant.tenant_id] = tenant

    def on_find(self, name: str) -> None:
        found = next((t for t in self.tenants.values() if t.name == name), None)
        self._get("get_distribution_tenant", {"Identifier": name}, found)

    def on_state(self, tenant_id: str) -> None:
        tenant = self._read(tenant_id)
        if tenant:
            certificate = certificate_reply(tenant.certificate, tenant.domain)
            self.stub.add_response("get_managed_certificate_details", certificate, {"Identifier": tenant_id})

    def on_attach_certificate(self, tenant_id: str) -> None:
        tenant = self._read(tenant_id)
        if tenant is None:
            return
        certificate = certificate_reply(tenant.certificate, tenant.domain)
        self.stub.add_response("get_managed_certificate_details", certificate, {"Identifier": tenant_id})
        if tenant.certificate == "issued" and not tenant.attached:
            self._change(
                tenant, tenant.update(Customizations={"Certificate": {"Arn": CERTIFICATE}}), attached=True
            )

    def on_remove(self, tenant_id: str) -> None:
        tenant = self._read(tenant_id)
        if tenant is None:
            return
        if tenant.enabled:
            self._change(tenant, tenant.update(Enabled=False), enabled=False)
        elif tenant.deployed:
            request = {"Id": tenant_id, "IfMatch": tenant.etag}
            if self._raced(tenant_id):
                refuse(self.stub, "delete_distribution_tenant", "PreconditionFailed", 412, request)
            else:
                self.stub.add_response("delete_distribution_tenant", {}, request)
                del self.tenants[tenant_id]

    def _get(self, operation: str, request: dict[str, Any], found: SimTenant | None) -> None:
        if found is None:
            refuse(self.stub, operation, "EntityNotFound", 404, request)
        else:
            self.stub.add_response(operation, found.reply(), request)

    def _read(self, tenant_id: str) -> SimTenant | None:
        tenant = self.tenants.get(tenant_id)
        self._get("get_distribution_tenant", {"Identifier": tenant_id}, tenant)
        return tenant

    def _change(self, tenant: SimTenant, request: dict[str, Any], **changes: Any) -> None:
        if self._raced(tenant.tenant_id):
            refuse(self.stub, "update_distribution_tenant", "PreconditionFailed", 412, request)
            return
        for name, value in changes.items():
            setattr(tenant, name, value)
        tenant.deployed = False
        tenant.version += 1
        self.stub.add_response("update_distribution_tenant", tenant.reply(), request)

    def _raced(self, tenant_id: str) -> bool:
        if tenant_id in self.raced:
            self.raced.discard(tenant_id)
            return True
        return False


class StubbedEdge:
    """CloudFrontTenants on a stubbed client, each call answered by the simulation and checked to
    have made exactly the calls it was answered for."""

    def __init__(self, sim: CloudFrontSim, tenants: CloudFrontTenants) -> None:
        self.sim = sim
        self.tenants = tenants

    def create(self, domain: str, name: str, tags: Mapping[str, str]) -> Tenant:
        self.sim.on_create(domain, name, tags)
        try:
            return self.tenants.create(domain, name, tags)
        finally:
            self.sim.stub.assert_no_pending_responses()

    def state(self, tenant_id: str) -> TenantState:
        self.sim.on_state(tenant_id)
        try:
            return self.tenants.state(tenant_id)
        finally:
            self.sim.stub.assert_no_pending_responses()

    def attach_certificate(self, tenant_id: str) -> bool:
        self.sim.on_attach_certificate(tenant_id)
        try:
            return self.tenants.attach_certificate(tenant_id)
        finally:
            self.sim.stub.assert_no_pending_responses()

    def remove(self, tenant_id: str) -> bool:
        self.sim.on_remove(tenant_id)
        try:
            return self.tenants.remove(tenant_id)
        finally:
            self.sim.stub.assert_no_pending_responses()

    def find(self, name: str) -> Tenant | None:
        self.sim.on_find(name)
        try:
            return self.tenants.find(name)
        finally:
            self.sim.stub.assert_no_pending_responses()


World = CloudFrontMovesOn  # an edge's CloudFront, moved on by the test


@pytest.fixture(params=["fake", "stubbed cloudfront"])
def world(request: pytest.FixtureRequest) -> Iterator[tuple[TenantEdge, World]]:
    if request.param == "fake":
        fake = FakeTenantEdge()
        yield fake, fake
        return
    client: CloudFrontClient = boto3.client("cloudfront", region_name="us-east-1")
    with Stubber(client) as stub:
        sim = CloudFrontSim(stub)
        yield StubbedEdge(sim, CloudFrontTenants(DISTRIBUTION, GROUP, client)), sim


def test_a_domain_goes_live_once_its_certificate_is_issued_and_attached(
    world: tuple[TenantEdge, World],
) -> None:
    edge, cloudfront = world
    # Given a domain whose CNAME points here
    tenant = edge.create(DOMAIN, NAME, TAGS)
    first = edge.state(tenant.tenant_id)
    assert (first.enabled, first.deployed, first.certificate, first.serving) == (
        True,
        False,
        CertificateStatus.PENDING,
        False,
    )
    assert edge.attach_certificate(tenant.tenant_id) is False  # nothing issued to attach
    # When CloudFront deploys the tenant and ACM issues its certificate
    cloudfront.deploy(tenant.tenant_id)
    cloudfront.issue(tenant.tenant_id)
    issued = edge.state(tenant.tenant_id)
    assert (issued.certificate, issued.certificate_attached, issued.domain_active) == (
        CertificateStatus.ISSUED,
        False,
        False,
    )
    # Then attaching it is a change that serves the domain once deployed
    assert edge.attach_certificate(tenant.tenant_id) is True
    attaching = edge.state(tenant.tenant_id)
    assert (attaching.certificate_attached, attaching.deployed, attaching.serving) == (True, False, False)
    assert edge.attach_certificate(tenant.tenant_id) is True  # asked once only
    cloudfront.deploy(tenant.tenant_id)
    assert edge.state(tenant.tenant_id).serving


def test_a_retried_create_returns_the_tenant_the_first_one_made(world: tuple[TenantEdge, World]) -> None:
    edge, _ = world
    first = edge.create(DOMAIN, NAME, TAGS)
    assert edge.create(DOMAIN, NAME, TAGS) == first


def test_a_domain_gets_its_tenant_only_once_it_points_here(world: tuple[TenantEdge, World]) -> None:
    edge, cloudfront = world
    cloudfront.unpoint(DOMAIN)
    with pytest.raises(DomainNotPointed):
        edge.create(DOMAIN, NAME, TAGS)
    cloudfront.point(DOMAIN)
    assert edge.create(DOMAIN, NAME, TAGS).domain == DOMAIN


def test_a_domain_served_by_someone_else_is_taken(world: tuple[TenantEdge, World]) -> None:
    edge, cloudfront = world
    cloudfront.serve_elsewhere(DOMAIN)
    with pytest.raises(DomainTaken):
        edge.create(DOMAIN, NAME, TAGS)
    edge.create("track.acme.com", NAME, TAGS)
    with pytest.raises(DomainTaken):  # the same domain for another record
        edge.create("track.acme.com", tenant_name("01JOTHERD0MA1N000000000000"), TAGS)


def test_a_certificate_that_timed_out_fails_with_its_reason(world: tuple[TenantEdge, World]) -> None:
    edge, cloudfront = world
    tenant = edge.create(DOMAIN, NAME, TAGS)
    cloudfront.fail_certificate(tenant.tenant_id, "validation-timed-out")
    state = edge.state(tenant.tenant_id)
    assert (state.certificate, state.certificate_status) == (CertificateStatus.FAILED, "validation-timed-out")
    assert "72 hours" in state.certificate_reason
    assert edge.attach_certificate(tenant.tenant_id) is False


def test_removal_disables_then_deletes_once_deployed(world: tuple[TenantEdge, World]) -> None:
    edge, cloudfront = world
    tenant = edge.create(DOMAIN, NAME, TAGS)
    cloudfront.deploy(tenant.tenant_id)
    assert edge.remove(tenant.tenant_id) is False  # disabled
    disabling = edge.state(tenant.tenant_id)
    assert (disabling.enabled, disabling.deployed) == (False, False)
    assert edge.remove(tenant.tenant_id) is False  # still in progress: not deleted
    cloudfront.deploy(tenant.tenant_id)
    assert edge.remove(tenant.tenant_id) is True  # deleted
    with pytest.raises(TenantGone):
        edge.state(tenant.tenant_id)
    assert edge.remove(tenant.tenant_id) is True  # gone stays done


def test_a_change_that_raced_another_is_left_for_the_next_run(world: tuple[TenantEdge, World]) -> None:
    edge, cloudfront = world
    tenant = edge.create(DOMAIN, NAME, TAGS)
    cloudfront.deploy(tenant.tenant_id)
    cloudfront.issue(tenant.tenant_id)
    cloudfront.race(tenant.tenant_id)
    assert edge.attach_certificate(tenant.tenant_id) is False
    assert edge.attach_certificate(tenant.tenant_id) is True
    cloudfront.deploy(tenant.tenant_id)
    cloudfront.race(tenant.tenant_id)
    assert edge.remove(tenant.tenant_id) is False
    assert edge.state(tenant.tenant_id).enabled  # the disabling did not happen
    assert edge.remove(tenant.tenant_id) is False  # now it did
    cloudfront.deploy(tenant.tenant_id)
    cloudfront.race(tenant.tenant_id)
    assert edge.remove(tenant.tenant_id) is False
    assert edge.remove(tenant.tenant_id) is True


def test_a_tenant_deleted_by_hand_is_gone(world: tuple[TenantEdge, World]) -> None:
    edge, cloudfront = world
    lost = edge.create("track.acme.com", tenant_name("01JTRACKD0MA1N000000000000"), TAGS)
    cloudfront.vanish(lost.tenant_id)
    with pytest.raises(TenantGone):
        edge.state(lost.tenant_id)
    with pytest.raises(TenantGone):
        edge.attach_certificate(lost.tenant_id)
    assert edge.remove(lost.tenant_id) is True


def test_a_tenant_is_found_by_its_name_and_nothing_when_there_is_none(
    world: tuple[TenantEdge, World],
) -> None:
    edge, _ = world
    made = edge.create("partners.acme.example", "domain-d1", {})
    assert edge.find("domain-d1") == Tenant(made.tenant_id, "domain-d1", "partners.acme.example")
    assert edge.find("domain-d2") is None
