"""The SSRF guard every outgoing postback passes, at send time.

A postback URL is typed by an affiliate, so it is hostile until proven otherwise. It must be http or
https on the scheme's default port, carry no user-info, name its host canonically (no `127.1`,
`0x7f000001` or `017700000001` spellings), and every address the host resolves to must be public.
The sender then connects to exactly the addresses checked here (no second lookup an attacker's DNS
could answer differently) and never follows redirects.

A loopback receiver is allowed only by an explicit setting (the local platform and the tests); the
setting is off by default and refused in the `prod` stage.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from partnerka.common.errors import DomainError, ErrorCode

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048
# Cloud metadata endpoints, refused even where a private range would otherwise be allowed.
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]


class UnsafeDestination(DomainError):
    code = ErrorCode.UNSAFE_DESTINATION


@dataclass(frozen=True, slots=True)
class SafeTarget:
    """A checked URL and the only addresses the sender may connect to."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: mapped, 6to4, Teredo (client) or NAT64."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address, allow_loopback: bool = False) -> bool:
    if address in METADATA:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return is_public(inner, allow_loopback)
    if allow_loopback and address.is_loopback:
        return True
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def _canonical_host(host: str) -> str:
    """Refuse hosts that only a lenient parser reads as an address (`127.1`, `0x7f.1`, `2130706433`)."""
    if not host or len(host) > 253:
        raise UnsafeDestination("the postback URL has no valid host")
    try:
        ipaddress.ip_address(host)
        return host  # a canonical literal: checked like any resolved address
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if all(label and all(c in "0123456789abcdefxABCDEFX" for c in label) for label in labels) and any(
        label.isdigit() or label.lower().startswith("0x") for label in labels[-1:]
    ):
        raise UnsafeDestination("the postback host is a numeric address in a non-standard form")
    if not all(label and len(label) <= 63 for label in labels):
        raise UnsafeDestination("the postback URL has no valid host")
    return host.lower()


def on_domain_list(host: str, domains: Sequence[str]) -> bool:
    """The host is one of the domains or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (a.lower().strip().rstrip(".") for a in domains))


def check_destination(
    url: str,
    resolver: Resolver = system_resolver,
    allow_loopback: bool = False,
    allowed_domains: Sequence[str] = (),
) -> SafeTarget:
    """The URL's target, every address of it public; raises UnsafeDestination otherwise.

    `allowed_domains` (the platform's and the advertiser's whitelist), when not empty, limits the
    host to those domains and their subdomains.
    """
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeDestination("the postback URL is too long")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise UnsafeDestination("the postback URL cannot be parsed") from error
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeDestination("a postback URL must be http or https")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeDestination("a postback URL must not carry user-info")
    if port is not None and port != DEFAULT_PORTS[scheme] and not allow_loopback:
        raise UnsafeDestination("a postback URL must use the scheme's default port")
    host = _canonical_host(parts.hostname or "")
    if allowed_domains and not on_domain_list(host, allowed_domains):
        raise UnsafeDestination("the postback host is not on the domain whitelist")
    effective_port = port or DEFAULT_PORTS[scheme]
    try:
        resolved = list(resolver(host, effective_port))
    except (OSError, UnicodeError) as error:
        raise UnsafeDestination("the postback host does not resolve") from error
    if not resolved:
        raise UnsafeDestination("the postback host does not resolve")
    addresses: list[str] = []
    for raw in resolved:
        try:
            address = ipaddress.ip_address(raw.split("%", 1)[0])
        except ValueError as error:
            raise UnsafeDestination("the postback host resolves to an invalid address") from error
        if not is_public(address, allow_loopback):
            raise UnsafeDestination("the postback host resolves to a private or reserved address")
        if port is not None and port != DEFAULT_PORTS[scheme] and not address.is_loopback:
            raise UnsafeDestination("a postback URL must use the scheme's default port")
        addresses.append(str(address))
    return SafeTarget(
        url=url.strip(), scheme=scheme, host=host, port=effective_port, addresses=tuple(addresses)
    )


def loopback_allowed(stage: str, setting: str | None) -> bool:
    """The explicit local/test switch: off unless set to "true", and never in `prod`."""
    if setting != "true":
        return False
    if stage == "prod":
        raise RuntimeError("ALLOW_LOOPBACK_POSTBACKS must not be set in the prod stage")
    return True
