"""What the platform's CloudFront edge does to the dashboard's answers, for the local runtime and for
the dashboard's upload (scripts/publish_dashboard.py), from one description:

- the response headers policy of template.yaml (CSP, framing, HSTS and the rest), read from the
  template, so the local platform's browser tests run under the production headers;
- the dashboard's routing (the CloudFront Function `DashboardRouting`): a path whose last segment
  has no dot is a route of the page and gets index.html;
- the Cache-Control of each of the dashboard's files: hashed assets a year, index.html never;
- the distributions' behaviours whose origin is one of the template's buckets (`/brand/*`): the
  gateway serves their paths from the emulated bucket, each object with its own Content-Type and
  Cache-Control, as CloudFront does through its origin access control.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .template import Template, TemplateError

RESPONSE_HEADERS_POLICY = "AWS::CloudFront::ResponseHeadersPolicy"
DISTRIBUTION = "AWS::CloudFront::Distribution"
BUCKET = "AWS::S3::Bucket"

INDEX = "index.html"
# Vite names what it builds under assets/ by the hash of its content: a changed file is a new name.
HASHED_PREFIX = "assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
NEVER_STALE = "no-cache"
SHORT = "public, max-age=3600"


# The parts of a ResponseHeadersPolicyConfig the local gateway plays; a policy with any other part
# (CORS, XSSProtection, server timing, headers to remove) is refused, so that what the browser tests
# run under cannot drift from what the edge sends without anyone noticing.
EMULATED = {"Name", "Comment", "SecurityHeadersConfig", "CustomHeadersConfig"}
EMULATED_SECURITY = {
    "ContentSecurityPolicy",
    "FrameOptions",
    "ContentTypeOptions",
    "ReferrerPolicy",
    "StrictTransportSecurity",
}


def security_headers(policy_config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The headers a ResponseHeadersPolicyConfig adds to every answer (each overrides the origin's)."""
    security = policy_config.get("SecurityHeadersConfig") or {}
    unplayed = (set(policy_config) - EMULATED) | (set(security) - EMULATED_SECURITY)
    if unplayed:
        raise ValueError(
            f"the local gateway does not play these parts of the response headers policy: {sorted(unplayed)}"
        )
    headers: list[tuple[str, str]] = []
    if "ContentSecurityPolicy" in security:
        csp = " ".join(str(security["ContentSecurityPolicy"]["ContentSecurityPolicy"]).split())
        headers.append(("Content-Security-Policy", csp))
    if "FrameOptions" in security:
        headers.append(("X-Frame-Options", str(security["FrameOptions"]["FrameOption"])))
    if "ContentTypeOptions" in security:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if "ReferrerPolicy" in security:
        headers.append(("Referrer-Policy", str(security["ReferrerPolicy"]["ReferrerPolicy"])))
    if "StrictTransportSecurity" in security:
        hsts = security["StrictTransportSecurity"]
        value = f"max-age={int(hsts['AccessControlMaxAgeSec'])}"
        if _flag(hsts.get("IncludeSubdomains")):
            value += "; includeSubDomains"
        if _flag(hsts.get("Preload")):
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    for item in (policy_config.get("CustomHeadersConfig") or {}).get("Items") or []:
        headers.append((str(item["Header"]), str(item["Value"])))
    return headers


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def with_headers(response: list[tuple[str, str]], added: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`response` with `added` overriding any header of the same name, as the policy's Override does."""
    names = {name.lower() for name, _ in added}
    return [(n, v) for n, v in response if n.lower() not in names] + added


def dashboard_key(path: str) -> str:
    """The object the edge serves for a path of the dashboard (DashboardRouting's rule)."""
    last = path.rsplit("/", 1)[-1]
    return INDEX if "." not in last else path.lstrip("/")


def cache_control(key: str) -> str:
    """Cache-Control of a dashboard file by its key in the bucket."""
    if key == INDEX:
        return NEVER_STALE
    if key.startswith(HASHED_PREFIX):
        return IMMUTABLE
    return SHORT


def edge_headers(template: Template, s3_endpoint: str | None = None) -> list[tuple[str, str]]:
    """The headers of the template's response headers policy (its buckets named: see
    resources.name_bucket). With `s3_endpoint` (the emulator's), a bucket's S3 host that the CSP
    admits becomes the bucket on that endpoint, where the local platform's browser reaches it."""
    policies = template.of_type(RESPONSE_HEADERS_POLICY)
    if len(policies) > 1:
        raise TemplateError(f"one response headers policy is emulated, the template has {policies}")
    if not policies:
        return []
    properties = template.resolve(template.resources[policies[0]].get("Properties") or {})
    headers = security_headers(properties["ResponseHeadersPolicyConfig"])
    if s3_endpoint is None:
        return headers
    return [
        (name, _local_buckets(value, template, s3_endpoint) if name == "Content-Security-Policy" else value)
        for name, value in headers
    ]


def _local_buckets(policy: str, template: Template, s3_endpoint: str) -> str:
    for logical_id in template.of_type(BUCKET):
        local = f"{s3_endpoint.rstrip('/')}/{template.refs[logical_id]}"
        for attribute in ("RegionalDomainName", "DomainName"):
            source = re.escape(f"https://{template.attrs[(logical_id, attribute)]}")
            policy = re.sub(rf"(?<=\s){source}(?=[\s;]|$)", local, policy)
    return policy


@dataclass(frozen=True, slots=True)
class BucketBehaviour:
    """A cache behaviour whose origin is a bucket: paths matching `pattern` are its objects' keys."""

    path_pattern: str
    bucket: str  # the bucket's physical name

    def matches(self, path: str) -> bool:
        return _path_pattern(self.path_pattern).fullmatch(path) is not None


def _path_pattern(pattern: str) -> re.Pattern[str]:
    """CloudFront's path pattern (`*` any run of characters, `?` one; case-sensitive) as a regex."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body if pattern.startswith("/") else "/" + body)


def bucket_behaviours(template: Template) -> list[BucketBehaviour]:
    """The distributions' cache behaviours served from one of the template's buckets, in order. The
    default behaviour (the dashboard, served from its built files) is not among them."""
    domains = {
        str(template.attrs[(lid, attribute)]): str(template.refs[lid])
        for lid in template.of_type(BUCKET)
        for attribute in ("RegionalDomainName", "DomainName")
    }
    found: list[BucketBehaviour] = []
    for distribution in template.of_type(DISTRIBUTION):
        config = (template.resources[distribution].get("Properties") or {}).get("DistributionConfig") or {}
        # Only the parts read here are resolved: the rest names what the local runtime does not emulate.
        origins = {
            str(origin["Id"]): domains.get(str(template.resolve(origin["DomainName"])))
            for origin in config.get("Origins") or []
            if "S3OriginConfig" in origin
        }
        for behaviour in config.get("CacheBehaviors") or []:
            bucket = origins.get(str(behaviour["TargetOriginId"]))
            pattern = str(behaviour["PathPattern"])
            if bucket is not None and all(b.path_pattern != pattern for b in found):
                found.append(BucketBehaviour(pattern, bucket))
    return found
