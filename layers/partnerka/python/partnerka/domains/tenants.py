"""The edge of an advertiser's own domains: one CloudFront SaaS Manager distribution tenant per domain,
on the platform's multi-tenant distribution (template.yaml: TenantDistribution, reached through
TenantConnectionGroup, whose routing endpoint is the CNAME target advertisers are shown).

What CloudFront does, and the order it forces (botocore's service model, and the tenant code of
Terraform's AWS provider, argos-ci and Domits, which met it in production):

1. A tenant is created only once its domain already resolves to CloudFront. With the validation token
   served by CloudFront (`ValidationTokenHost: cloudfront`, so the advertiser creates one record, the
   CNAME), CreateDistributionTenant refuses a domain it cannot see pointing at it: an InvalidArgument
   "Could not verify Domain Name ownership". `create` raises DomainNotPointed for it.
2. A new tenant is InProgress and its certificate `pending-validation`; ACM validates it over HTTP
   through the CNAME and issues it, or gives up after 72 hours (`validation-timed-out`).
3. An issued certificate serves nothing until the tenant is updated to use it
   (Customizations.Certificate): its domain stays `inactive` until then. `attach_certificate` does
   that. Renewals keep the certificate's ARN, so it is done once.
4. A tenant is deleted only disabled and deployed. Every change names the tenant's version (its
   ETag, as If-Match), so a change that raced another fails with PreconditionFailed.

The DomainCheckFunction calls the port on a schedule and may die between any two calls, so each
method reads the tenant's current state, does at most one step, and is safe to repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Protocol, cast

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from partnerka.common import aws
from partnerka.common.config import ConfigurationError, setting
from partnerka.common.observability import logger
from partnerka.common.timeouts import read_timeout

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient
    from mypy_boto3_cloudfront.type_defs import (
        CreateDistributionTenantRequestTypeDef,
        CustomizationsUnionTypeDef,
        DistributionTenantTypeDef,
        ManagedCertificateDetailsTypeDef,
        UpdateDistributionTenantRequestTypeDef,
    )

# CloudFront is a global service whose control plane answers in us-east-1 only.
CLOUDFRONT_REGION = "us-east-1"
# A scheduled worker, not a visitor, waits for these answers.
_CONFIG = Config(
    connect_timeout=2, read_timeout=read_timeout(10), retries={"mode": "standard", "max_attempts": 3}
)
DEPLOYED = "Deployed"  # a tenant's Status once a change has reached the edge ("InProgress" before)
ACTIVE = "active"  # a domain's Status once its tenant serves it ("inactive" before)
# CreateDistributionTenantRequest's Name: 3 to 128 letters, digits, dots and hyphens.
_TENANT_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9.-]{1,126}[a-zA-Z0-9]")
# CloudFront's answer when the domain does not resolve to it (the words, not the code, tell it from
# an InvalidArgument about the request itself).
_NOT_POINTED_WORDS = "domain name ownership"
# Refusals that are about the moment, not the request: the next run tries again.
_NOT_NOW = frozenset({"PreconditionFailed", "ResourceNotDisabled"})


class CertificateStatus(StrEnum):
    PENDING = "pending"
    ISSUED = "issued"
    FAILED = "failed"


# CloudFront's managed certificate statuses that end the certificate, each with why, in words an
# advertiser can act on. Any other status (`pending-validation`, or one CloudFront adds later) is
# still pending: a domain waits rather than fails on a word nobody here knows.
_FAILURES = {
    "validation-timed-out": "the domain did not point at the platform while its certificate was being"
    " validated (the certificate authority waits 72 hours)",
    "failed": "the certificate authority refused to issue a certificate for the domain (for example,"
    " a CAA record that does not allow Amazon)",
    "revoked": "the domain's certificate was revoked",
    "expired": "the domain's certificate expired: it could not be renewed while the domain did not"
    " point at the platform",
    "inactive": "the domain's certificate is inactive",
}


def certificate_of(status: str) -> tuple[CertificateStatus, str]:
    """A managed certificate's status in CloudFront's word (empty before one exists), and why it
    failed when it did."""
    if status == "issued":
        return CertificateStatus.ISSUED, ""
    if status in _FAILURES:
        return CertificateStatus.FAILED, _FAILURES[status]
    return CertificateStatus.PENDING, ""


class EdgeError(Exception):
    """CloudFront did not do what was asked. `code` is its error code (or the client's, for a call
    that got no answer). Unless a subclass says otherwise, worth another try on the next run."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class TenantGone(EdgeError):
    """The tenant does not exist: deleted (by us or by hand), or never created."""


class DomainNotPointed(EdgeError):
    """CloudFront does not see the domain resolving to it, so it will not create the domain's tenant:
    the advertiser's CNAME is missing, wrong, or not yet visible."""


class DomainTaken(EdgeError):
    """Another CloudFront distribution or tenant serves the domain, in this account or any other. A
    tenant of ours that holds it under another name is one still being removed: that passes."""


@dataclass(frozen=True, slots=True)
class Tenant:
    tenant_id: str
    name: str
    domain: str


@dataclass(frozen=True, slots=True)
class TenantState:
    tenant_id: str
    enabled: bool
    deployed: bool  # the tenant's last change has reached the edge
    domain_active: bool  # CloudFront serves the domain
    certificate: CertificateStatus
    certificate_status: str  # CloudFront's own word; empty while the tenant has no certificate yet
    certificate_reason: str  # why a failed certificate failed, for the advertiser; empty otherwise
    certificate_attached: bool  # the tenant uses its issued certificate (attach_certificate)

    @property
    def serving(self) -> bool:
        """Visitors reach the platform on the domain over HTTPS."""
        return (
            self.enabled
            and self.deployed
            and self.domain_active
            and self.certificate is CertificateStatus.ISSUED
            and self.certificate_attached
        )


class TenantEdge(Protocol):
    def create(self, domain: str, name: str, tags: Mapping[str, str]) -> Tenant:
        """The domain's tenant (the domain as stored: lower case, IDNs in punycode), created enabled
        with a managed certificate, or the one an earlier call created under the same name. Raises
        DomainNotPointed, DomainTaken or EdgeError."""
        ...

    def state(self, tenant_id: str) -> TenantState:
        """Raises TenantGone for a tenant that does not exist."""
        ...

    def attach_certificate(self, tenant_id: str) -> bool:
        """True once the tenant uses its issued certificate (asked now or before); False while the
        certificate is not issued or the tenant changed under the call. Raises TenantGone."""
        ...

    def remove(self, tenant_id: str) -> bool:
        """One step towards deleting the tenant: True once it is gone, False while it is still being
        disabled (the next call goes on)."""
        ...

    def find(self, name: str) -> Tenant | None:
        """Our tenant of this name (tenant_name), if it exists: one a check made and was stopped
        before it could store the id."""
        ...


def tenant_name(domain_id: str) -> str:
    """The tenant's name for the domain of this id. Unique in the AWS account (CloudFront's rule) as
    the id is; not the host name, because a tenant's name never changes and CloudFront's name rules
    are narrower than a host name's."""
    return _checked_name(f"domain-{domain_id}")


def _checked_name(name: str) -> str:
    if not _TENANT_NAME.fullmatch(name):
        raise ValueError(f"'{name}' is not a CloudFront tenant name (3-128 letters, digits, dots, hyphens)")
    return name


@cache
def cloudfront_client() -> CloudFrontClient:
    return cast(
        "CloudFrontClient",
        aws.session().create_client("cloudfront", region_name=CLOUDFRONT_REGION, config=_CONFIG),
    )


@contextmanager
def _answers() -> Iterator[None]:
    """CloudFront's refusals as EdgeError: TenantGone for a tenant that does not exist."""
    try:
        yield
    except ClientError as error:
        code, message = _reason(error)
        raise (TenantGone if code == "EntityNotFound" else EdgeError)(code, message) from None
    except BotoCoreError as error:  # no connection, a timeout: nothing was answered
        raise EdgeError(type(error).__name__, str(error)) from None


def _reason(error: ClientError) -> tuple[str, str]:
    details = error.response.get("Error", {})
    code = str(details.get("Code", "ClientError"))
    return code, str(details.get("Message", code))


class CloudFrontTenants:
    """The port on CloudFront SaaS Manager: tenants of one multi-tenant distribution, reached through
    one connection group."""

    def __init__(
        self, distribution_id: str, connection_group_id: str, client: CloudFrontClient | None = None
    ) -> None:
        self.distribution_id = distribution_id
        self.connection_group_id = connection_group_id
        self._client = client

    def _c(self) -> CloudFrontClient:
        return self._client or cloudfront_client()

    def create(self, domain: str, name: str, tags: Mapping[str, str]) -> Tenant:
        request: CreateDistributionTenantRequestTypeDef = {
            "DistributionId": self.distribution_id,
            "Name": _checked_name(name),
            "Domains": [{"Domain": domain}],
            "ConnectionGroupId": self.connection_group_id,
            "Enabled": True,
            "ManagedCertificateRequest": {
                "ValidationTokenHost": "cloudfront",
                "PrimaryDomainName": domain,
                # Browsers refuse a certificate that was not logged (Chrome and Safari require
                # Certificate Transparency), so logging is never opted out of.
                "CertificateTransparencyLoggingPreference": "enabled",
            },
        }
        if tags:
            request["Tags"] = {"Items": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}
        try:
            reply = self._c().create_distribution_tenant(**request)
        except ClientError as error:
            code, message = _reason(error)
            if code in ("EntityAlreadyExists", "CNAMEAlreadyExists"):
                return self._created_before(domain, name, code, message)
            if code == "InvalidArgument" and _NOT_POINTED_WORDS in message.lower():
                raise DomainNotPointed(code, message) from None
            raise EdgeError(code, message) from None
        except BotoCoreError as error:
            raise EdgeError(type(error).__name__, str(error)) from None
        tenant_id = reply["DistributionTenant"]["Id"]
        logger.info("distribution tenant created", tenant_id=tenant_id, domain=domain)
        return Tenant(tenant_id, name, domain)

    def _created_before(self, domain: str, name: str, code: str, message: str) -> Tenant:
        """The tenant a call before this one created (its worker died before the id was stored), if
        the name or the domain is taken by it; DomainTaken if by anything else."""
        found = self._find(name) or self._find_by_domain(domain)
        if (
            found is not None
            and found.get("DistributionId") == self.distribution_id
            and found.get("Name") == name
            and domain.lower() in _domains(found)
        ):
            logger.info("distribution tenant found from an earlier attempt", tenant_id=found["Id"])
            return Tenant(found["Id"], name, domain)
        raise DomainTaken(
            code, f"{domain} is served by another CloudFront distribution or tenant ({message})"
        )

    def find(self, name: str) -> Tenant | None:
        found = self._find(name)
        if found is None or found.get("DistributionId") != self.distribution_id:
            return None
        domains = sorted(_domains(found))
        return Tenant(found["Id"], name, domains[0] if domains else "")

    def _find(self, name: str) -> DistributionTenantTypeDef | None:
        try:
            with _answers():
                return self._c().get_distribution_tenant(Identifier=name)["DistributionTenant"]
        except TenantGone:
            return None

    def _find_by_domain(self, domain: str) -> DistributionTenantTypeDef | None:
        try:
            with _answers():
                return self._c().get_distribution_tenant_by_domain(Domain=domain)["DistributionTenant"]
        except TenantGone:  # or served by a distribution of another account, which we cannot see
            return None

    def state(self, tenant_id: str) -> TenantState:
        tenant, _ = self._read(tenant_id)
        details = self._certificate(tenant_id)
        raw = str(details.get("CertificateStatus", "")) if details else ""
        arn = details.get("CertificateArn", "") if details else ""
        certificate, reason = certificate_of(raw)
        domains = tenant.get("Domains", [])
        return TenantState(
            tenant_id=tenant_id,
            enabled=bool(tenant.get("Enabled")),
            deployed=tenant.get("Status") == DEPLOYED,
            domain_active=bool(domains) and all(d.get("Status") == ACTIVE for d in domains),
            certificate=certificate,
            certificate_status=raw,
            certificate_reason=reason,
            certificate_attached=bool(arn) and _attached(tenant) == arn,
        )

    def attach_certificate(self, tenant_id: str) -> bool:
        tenant, etag = self._read(tenant_id)
        self._check_ours(tenant)
        details = self._certificate(tenant_id)
        if not details or details.get("CertificateStatus") != "issued" or not details.get("CertificateArn"):
            return False
        arn = details["CertificateArn"]
        if _attached(tenant) == arn:
            return True
        customizations = cast("CustomizationsUnionTypeDef", dict(tenant.get("Customizations", {})))
        customizations["Certificate"] = {"Arn": arn}
        if not self._update(tenant, etag, Customizations=customizations):
            return False
        logger.info("certificate attached to its tenant", tenant_id=tenant_id)
        return True

    def remove(self, tenant_id: str) -> bool:
        try:
            tenant, etag = self._read(tenant_id)
            self._check_ours(tenant)
            if tenant.get("Enabled"):
                if self._update(tenant, etag, Enabled=False):
                    logger.info("distribution tenant disabled", tenant_id=tenant_id)
                return False
            if tenant.get("Status") != DEPLOYED:
                return False
            with _answers():
                self._c().delete_distribution_tenant(Id=tenant_id, IfMatch=etag)
        except TenantGone:
            return True
        except EdgeError as error:
            if error.code in _NOT_NOW:
                return False
            raise
        logger.info("distribution tenant deleted", tenant_id=tenant_id)
        return True

    def _read(self, tenant_id: str) -> tuple[DistributionTenantTypeDef, str]:
        with _answers():
            reply = self._c().get_distribution_tenant(Identifier=tenant_id)
        return reply["DistributionTenant"], reply["ETag"]

    def _certificate(self, tenant_id: str) -> ManagedCertificateDetailsTypeDef | None:
        """The tenant's managed certificate; None before CloudFront has requested one."""
        try:
            with _answers():
                return self._c().get_managed_certificate_details(Identifier=tenant_id)[
                    "ManagedCertificateDetails"
                ]
        except TenantGone:
            return None

    def _check_ours(self, tenant: DistributionTenantTypeDef) -> None:
        # A tenant id comes from our own table, but one that names another distribution's tenant
        # must not be changed or deleted from here.
        if tenant.get("DistributionId") != self.distribution_id:
            raise EdgeError(
                "NotThisDistribution",
                f"tenant {tenant.get('Id')} belongs to distribution {tenant.get('DistributionId')},"
                f" not {self.distribution_id}",
            )

    def _update(self, tenant: DistributionTenantTypeDef, etag: str, **changes: object) -> bool:
        """The tenant updated with `changes`; False if it changed since it was read (the ETag).

        The request carries the tenant's whole configuration, not only the changes: the API is a PUT
        whose model requires only the id and ETag, and what it does with a field left out is not
        documented, so nothing is left out (Terraform's provider does the same)."""
        request: UpdateDistributionTenantRequestTypeDef = {
            "Id": tenant["Id"],
            "IfMatch": etag,
            "DistributionId": tenant["DistributionId"],
            "Domains": [{"Domain": d["Domain"]} for d in tenant.get("Domains", [])],
            "Enabled": bool(tenant.get("Enabled")),
        }
        if tenant.get("ConnectionGroupId"):
            request["ConnectionGroupId"] = tenant["ConnectionGroupId"]
        if tenant.get("Customizations"):
            request["Customizations"] = tenant["Customizations"]
        if tenant.get("Parameters"):
            request["Parameters"] = tenant["Parameters"]
        request.update(cast("UpdateDistributionTenantRequestTypeDef", changes))
        try:
            with _answers():
                self._c().update_distribution_tenant(**request)
        except EdgeError as error:
            if error.code == "PreconditionFailed":
                return False
            raise
        return True


def _domains(tenant: DistributionTenantTypeDef) -> set[str]:
    return {d["Domain"].lower() for d in tenant.get("Domains", [])}


def _attached(tenant: DistributionTenantTypeDef) -> str:
    """The ARN of the certificate the tenant uses, or empty when it uses the distribution's."""
    return tenant.get("Customizations", {}).get("Certificate", {}).get("Arn", "")


class DirectTenants:
    """The port where no CDN stands in front of the platform: the local platform, whose gateway
    answers every Host itself (browsers resolve `partners.acme.localhost` to loopback). There is
    nothing to create, wait for or delete, so it keeps no state: every tenant exists, is deployed
    and serves its domain with an issued certificate, and every domain points here."""

    def create(self, domain: str, name: str, tags: Mapping[str, str]) -> Tenant:  # noqa: ARG002 - the port's signature
        return Tenant(f"direct-{_checked_name(name)}", name, domain)

    def state(self, tenant_id: str) -> TenantState:
        return TenantState(
            tenant_id=tenant_id,
            enabled=True,
            deployed=True,
            domain_active=True,
            certificate=CertificateStatus.ISSUED,
            certificate_status="issued",
            certificate_reason="",
            certificate_attached=True,
        )

    def attach_certificate(self, tenant_id: str) -> bool:  # noqa: ARG002 - the port's signature
        return True

    def remove(self, tenant_id: str) -> bool:  # noqa: ARG002 - the port's signature
        return True

    def find(self, name: str) -> Tenant | None:  # noqa: ARG002 - the port's signature
        return None  # a tenant here is its name: there is never one to take down


CLOUDFRONT = "cloudfront"
DIRECT = "direct"


def _edge_kind(name: str, value: str) -> str:
    if value not in (CLOUDFRONT, DIRECT):
        raise ConfigurationError(f"{name} is '{value}': '{CLOUDFRONT}' or '{DIRECT}' is required")
    return value


@dataclass(frozen=True, slots=True)
class TenantEdgeSettings:
    # `direct` where no CDN stands in front (the local platform), `cloudfront` everywhere else
    tenant_edge: str = setting(_edge_kind)
    tenant_distribution_id: str = setting()  # template.yaml: TenantDistribution
    tenant_connection_group_id: str = setting()  # template.yaml: TenantConnectionGroup's Id


def tenant_edge(settings: TenantEdgeSettings) -> TenantEdge:
    if settings.tenant_edge == DIRECT:
        return DirectTenants()
    return CloudFrontTenants(settings.tenant_distribution_id, settings.tenant_connection_group_id)
