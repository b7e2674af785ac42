"""Who is on the other end of a request: the visitor behind the platform's CloudFront edge, or
whoever called the API's own URL.

Behind CloudFront the connection's source address is CloudFront's. CloudFront tells the visitor's
address and country in `CloudFront-Viewer-Address` and `CloudFront-Viewer-Country`, but anyone can
send those headers to the API's own URL. So they count only beside the secret header CloudFront adds
to every request it sends to the API (template.yaml: the distribution's origin header from
EdgeSecret); without it the request is taken as direct: the connection's address, and no country
(the click path then looks the address up in its mmdb).

The host the viewer asked for follows the same rule. Behind CloudFront the `Host` header is the
API's own (the edge forwards every viewer header but Host), so the CloudFront Function `ViewerHost`
copies the viewer's Host into `X-Forwarded-Host`; that header counts only beside the secret too, or
anyone calling the API's own URL could claim to be on an advertiser's portal domain. A direct call's
host is its `Host` header (the local gateway passes the browser's through).

The secret is read from Secrets Manager the first time a request carries the header (a direct call
never causes a read) and again after `REFRESH_SECONDS`, so a rotation reaches warm instances. It holds
`current` and, after a rotation, `previous`: both are accepted, so requests CloudFront sent with the
old value during the deployment that switches it are still trusted.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from partnerka.common.config import flag, setting
from partnerka.common.http import Event, header, source_ip
from partnerka.common.observability import logger
from partnerka.common.secrets import HOT_PATH, secret_string

EDGE_HEADER = "x-partnerka-edge"
VIEWER_ADDRESS = "cloudfront-viewer-address"
VIEWER_COUNTRY = "cloudfront-viewer-country"
VIEWER_HOST = "x-forwarded-host"  # set by the CloudFront Function ViewerHost from the viewer's Host
REFRESH_SECONDS = 300.0
RETRY_SECONDS = 30.0  # after a failed read: not one read per request while Secrets Manager is down


@dataclass(frozen=True, slots=True)
class EdgeSettings:
    edge_secret_arn: str  # the values CloudFront's origin header carries (template.yaml: EdgeSecret)


@dataclass(frozen=True, slots=True)
class TrackingEdgeSettings:
    edge_secret_arn: str
    edge_required: bool = setting(flag)  # refuse tracking calls that did not come through the edge


@dataclass(frozen=True, slots=True)
class Viewer:
    ip: str  # the visitor's address, or the caller's for a direct call
    country: str | None  # CloudFront's two-letter country, only through the edge
    via_edge: bool
    host: str  # the host the viewer asked for, lower case without its port; "" when malformed


class EdgeTrust:
    """Reads the viewer of a request, trusting CloudFront's viewer headers only beside the secret."""

    def __init__(self, read_secret: Callable[[], str], clock: Callable[[], float] = time.monotonic) -> None:
        self._read_secret = read_secret
        self._clock = clock
        self._accepted: tuple[bytes, ...] = ()
        self._next_read = 0.0

    def viewer(self, event: Event) -> Viewer:
        direct = Viewer(source_ip(event), None, via_edge=False, host=host_name(header(event, "host")))
        presented = header(event, EDGE_HEADER)
        if not presented or not self._is_accepted(presented):
            return direct
        address = _address(header(event, VIEWER_ADDRESS))
        country = header(event, VIEWER_COUNTRY).strip().upper()
        return Viewer(
            ip=address or direct.ip,
            country=country if len(country) == 2 and country.isascii() and country.isalpha() else None,
            via_edge=True,
            host=host_name(header(event, VIEWER_HOST)),
        )

    def _is_accepted(self, presented: str) -> bool:
        value = presented.encode("utf-8", "surrogateescape")
        accepted = self._values()
        # Every value compared, each in constant time: how many match says nothing about either.
        return sum(hmac.compare_digest(value, known) for known in accepted) > 0

    def _values(self) -> tuple[bytes, ...]:
        now = self._clock()
        if now >= self._next_read:
            try:
                document = json.loads(self._read_secret())
                values = [document.get("current"), document.get("previous")]
                accepted = tuple(v.encode() for v in values if isinstance(v, str) and v)
                if not accepted:
                    raise ValueError("the edge secret holds no `current` value")
                self._accepted = accepted
                self._next_read = now + REFRESH_SECONDS
            except Exception:  # the request goes on as a direct one
                logger.exception("the edge secret could not be read; viewer headers are not trusted")
                self._accepted = ()
                self._next_read = now + RETRY_SECONDS
        return self._accepted


def _address(value: str) -> str | None:
    """The address of `CloudFront-Viewer-Address` (`198.51.100.7:46532`, `2001:db8::1:46532`)."""
    host, separator, port = value.strip().rpartition(":")
    if not separator or not port.isdigit():
        return None
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def host_name(value: str) -> str:
    """The host of a `Host` header value (`Partners.Acme.com:443` → `partners.acme.com`, `[2001:DB8::1]:8443`
    → `[2001:db8::1]`), or "" when it is empty or not one host: API Gateway joins a repeated header
    with commas, and a host that is not ASCII letters, digits and hyphens in dot-separated labels (or
    an IP literal) cannot be a domain of ours."""
    text = value.strip().lower()
    if not text or not text.isascii() or len(text) > 260:
        return ""
    host, port = text, ""
    if text.startswith("["):
        end = text.find("]")
        host, rest = text[: end + 1], text[end + 1 :]
        if end < 0 or (rest and not rest.startswith(":")):
            return ""
        port = rest[1:]
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1])}]" if _is_port(port) else ""
        except ValueError:
            return ""
    if ":" in text:
        host, port = text.rsplit(":", 1)
        if not _is_port(port):
            return ""
    host = host.removesuffix(".")  # the absolute form of a name is the same host
    labels = host.split(".")
    if len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return ""
    return host


_HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def _is_port(text: str) -> bool:
    return text == "" or (text.isdigit() and 0 < int(text) < 65536)


def edge_trust(settings: EdgeSettings | TrackingEdgeSettings) -> EdgeTrust:
    """Reads the secret with short timeouts: a click waits at most about two seconds for it, once,
    and then goes on as a direct call (RETRY_SECONDS later it asks again)."""
    return EdgeTrust(lambda: secret_string(settings.edge_secret_arn, HOT_PATH))
