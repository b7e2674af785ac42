"""What the platform's CloudFront edge does to the dashboard's answers, for the local runtime and for
the dashboard's upload (scripts/publish_dashboard.py), from one description:

- the response headers policy of template.yaml (CSP, framing, HSTS and the rest), read from the
  template, so the local platform's browser tests run under the production headers;
- the dashboard's routing (the CloudFront Function `DashboardRouting`): a path whose last segment
  has no dot is a route of the page and gets index.html;
- the Cache-Control of each of the dashboard's files: hashed assets a year, index.html never.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

RESPONSE_HEADERS_POLICY = "AWS::CloudFront::ResponseHeadersPolicy"

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
