"""The DNS lookups that prove a tenant's domain: its ownership TXT record and its CNAME to the edge.

A lookup has three outcomes, and the checker must never confuse the last two: the records, "no such
records" (NXDOMAIN, or a name without records of the type), and "could not ask" (a timeout, SERVFAIL,
REFUSED, no nameserver reachable), which raises DnsUnavailable. A resolver's hiccup therefore never
marks a working domain broken.

dnspython is imported at a ResolverLookup's first lookup, not with this module nor when the lookup is
made (the API's composition makes it at cold start): it costs about 0.1 s of import, which a function
whose calls seldom look anything up (the API's branding and domain routes) should not pay at cold
start. The nameservers' setting is still checked when the lookup is made.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    import dns.resolver
    import dns.rrset
    from dns.rdtypes.txtbase import TXTBase

# A lookup's whole budget, over every nameserver and retry: the checker runs on a schedule and
# comes back, so a slow resolver costs one round, not the function's timeout.
LOOKUP_LIFETIME = 3.0
DNS_PORT = 53


class DnsUnavailable(Exception):
    """A lookup no nameserver answered: not evidence that the record is missing."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"could not look up {name}: {reason}")
        self.name = name
        self.reason = reason


class DnsLookup(Protocol):
    def txt(self, name: str) -> list[str]:
        """The TXT records of `name` (absolute, ASCII), each record's strings joined and decoded as
        UTF-8 (undecodable bytes replaced); [] when the name or its TXT records do not exist.
        Raises DnsUnavailable when no answer could be had."""
        ...

    def cname(self, name: str) -> str | None:
        """The CNAME target of `name` (absolute, ASCII), lowercase without the trailing dot; None when
        the name does not exist or has no CNAME. Raises DnsUnavailable when no answer could be had."""
        ...


class ResolverLookup:
    """DnsLookup on dnspython's stub resolver: no cache (a check must see a record the moment the
    tenant adds it), no search list (the names are absolute).

    `nameservers` is a setting such as `"1.1.1.1,8.8.8.8"` or `"127.0.0.1:5353"` (the local
    platform's server; an IPv6 one with a port is `[::1]:5353`); empty means the system's resolver
    from /etc/resolv.conf, which on Lambda is the VPC's or AWS's.
    """

    def __init__(self, nameservers: str = "", lifetime: float = LOOKUP_LIFETIME) -> None:
        self._servers = _nameservers(nameservers)
        self._lifetime = lifetime
        self._made: dns.resolver.Resolver | None = None

    @property
    def _resolver(self) -> dns.resolver.Resolver:
        if self._made is None:
            import dns.nameserver
            import dns.resolver

            resolver = dns.resolver.Resolver(configure=not self._servers)
            if self._servers:
                resolver.nameservers = [dns.nameserver.Do53Nameserver(*server) for server in self._servers]
            resolver.cache = None
            resolver.search = []
            resolver.use_search_by_default = False
            resolver.lifetime = self._lifetime
            # Each nameserver gets its share of the lifetime, so a dead first one leaves time to ask
            # the next.
            resolver.timeout = self._lifetime / max(len(resolver.nameservers), 1)
            self._made = resolver
        return self._made

    def txt(self, name: str) -> list[str]:
        records = self._records(name, "TXT")
        if records is None:
            return []
        return [b"".join(cast("TXTBase", record).strings).decode("utf-8", "replace") for record in records]

    def cname(self, name: str) -> str | None:
        records = self._records(name, "CNAME")
        if records is None:
            return None
        return str(records[0].to_text()).removesuffix(".").lower()

    def _records(self, name: str, record_type: str) -> dns.rrset.RRset | None:
        import dns.exception
        import dns.name
        import dns.resolver

        if not name.isascii():
            raise ValueError(f"look up names in their ASCII form (A-labels), not {name!r}")
        try:
            query_name = dns.name.from_text(name)
        except dns.exception.DNSException as error:
            raise ValueError(f"{name!r} is not a DNS name: {error}") from None
        try:
            answer = self._resolver.resolve(query_name, record_type, search=False, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            return None
        except dns.exception.DNSException as error:
            raise DnsUnavailable(name, str(error) or type(error).__name__) from error
        return answer.rrset


def _nameservers(setting: str) -> list[tuple[str, int]]:
    """The (address, port) of each nameserver of the setting; [] for the system's resolver."""
    entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
    return [_address_and_port(entry) for entry in entries]


def _address_and_port(entry: str) -> tuple[str, int]:
    """`1.1.1.1`, `127.0.0.1:5353`, `2606:4700::1111` or `[::1]:5353`."""
    port = ""
    if entry.startswith("["):
        address, bracket, after = entry[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise ValueError(f"DNS nameserver {entry!r}: write an IPv6 address with a port as [address]:port")
        port = after[1:]
    elif entry.count(":") == 1:
        address, _, port = entry.partition(":")
    else:
        address = entry
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"DNS nameserver {entry!r} is not an IP address (or address:port)") from None
    if not port:
        return address, DNS_PORT
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"DNS nameserver {entry!r} has no valid port")
    return address, int(port)
