"""Block lists as the click path sees them: compiled once per cache load, asked once per click.

Key shape (core table): the advertiser's list PK `ADV#<advertiser_id>`, SK `BLOCKS`; an offer's own
list PK `ADV#<advertiser_id>`, SK `BLOCKS#<offer_id>`. Attributes, each one string of entries a line
(as the blocklists context validated and normalised them on the way in): `ips` (addresses and CIDR
ranges, v4 and v6), `asns`, `countries` (ISO codes, upper case), `subs` (a map `sub1`…`sub10` →
values), `referrers` (domains, lower case; a domain blocks its subdomains), `user_agents`
(substrings, lower case). One string, not a list: ten thousand ranges as a DynamoDB list cost the
click that reloads the cache some 70 ms to parse, as one string about one. The route cache reads both
items in the click's one BatchGetItem and compiles them here.

Matching costs a few microseconds whatever a list's size: addresses are sorted integer ranges searched
by bisection, the other kinds are set look-ups, and User-Agent patterns are plain substrings (no
regex: a pattern can never make a click slow). No `ipaddress` here: parsing ten thousand networks with
it would take tens of milliseconds on every cache load; `socket.inet_pton` takes a microsecond.
"""

from __future__ import annotations

import socket
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

BLOCKS_SK = "BLOCKS"


def block_list_key(advertiser_id: str, offer_id: str | None = None) -> dict[str, str]:
    """The advertiser's own list, or with `offer_id` that offer's."""
    return {"pk": f"ADV#{advertiser_id}", "sk": f"{BLOCKS_SK}#{offer_id}" if offer_id else BLOCKS_SK}


def entries(text: str | None) -> list[str]:
    """A stored attribute's entries (one a line; none when the attribute is absent)."""
    return text.split("\n") if text else []


def entries_text(listed: Iterable[object]) -> str:
    """Entries as one stored attribute ("" for none, which the codec leaves out)."""
    return "\n".join(map(str, listed))


Address = tuple[int, int]  # (IP version, the address as an integer)
_V4_MAPPED = 0xFFFF << 32


def parse_address(text: str) -> Address | None:
    """`text` as (4 | 6, integer), an IPv4-mapped IPv6 address as the IPv4 one; None when malformed."""
    try:
        return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, text))
    except OSError:
        pass
    try:
        value = int.from_bytes(socket.inet_pton(socket.AF_INET6, text))
    except (OSError, ValueError):
        return None
    if value >> 32 == 0xFFFF:
        return 4, value ^ _V4_MAPPED
    return 6, value


def parse_network(entry: str) -> tuple[int, int, int] | None:
    """An address or CIDR range as (version, first, last); None when malformed. A range inside
    IPv4-mapped IPv6 (`::ffff:0:0/96`) is the IPv4 range it maps, as visitors' addresses are."""
    text, slash, length = entry.partition("/")
    family, bits = (socket.AF_INET6, 128) if ":" in text else (socket.AF_INET, 32)
    try:
        value = int.from_bytes(socket.inet_pton(family, text))
    except (OSError, ValueError):
        return None
    if slash and not (length.isdigit() and int(length) <= bits):
        return None
    host_bits = bits - int(length) if slash else 0
    first = value >> host_bits << host_bits
    last = first | ((1 << host_bits) - 1)
    if bits == 32:
        return 4, first, last
    if first >> 32 == 0xFFFF and last >> 32 == 0xFFFF:
        return 4, first ^ _V4_MAPPED, last ^ _V4_MAPPED
    return 6, first, last


class AddressRanges:
    """Address ranges of one IP version, searched by bisection. CIDR ranges either nest or are
    apart, so keeping only the outermost ones leaves ranges that never overlap, each with the entry
    that blocks it."""

    __slots__ = ("_ends", "_labels", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int, str]]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._labels: list[str] = []
        for first, last, label in sorted(ranges, key=lambda r: (r[0], -r[1])):
            if self._ends and last <= self._ends[-1]:
                continue  # inside the range before it
            self._starts.append(first)
            self._ends.append(last)
            self._labels.append(label)

    def __len__(self) -> int:
        return len(self._starts)

    def find(self, value: int) -> str | None:
        index = bisect_right(self._starts, value) - 1
        if index >= 0 and value <= self._ends[index]:
            return self._labels[index]
        return None


class Visit:
    """What the block lists look at in one click, each part worked out at most once."""

    __slots__ = ("_asn", "_asn_known", "_asns", "address", "country", "referrer_host", "subs", "user_agent")

    def __init__(
        self,
        ip: str,
        country: str,
        subs: Mapping[str, str],
        referrer: str,
        user_agent: str,
        asns: Callable[[Address], int | None],
    ) -> None:
        self.address = parse_address(ip)
        self.country = country
        self.subs = subs
        self.referrer_host = referrer_host(referrer)
        self.user_agent = user_agent.lower()
        self._asns = asns
        self._asn: int | None = None
        self._asn_known = False

    @property
    def asn(self) -> int | None:
        """The network announcing the address, looked up on first use only (a list without ASNs
        never asks, so the ASN database is never loaded for it)."""
        if not self._asn_known:
            self._asn = self._asns(self.address) if self.address is not None else None
            self._asn_known = True
        return self._asn


def referrer_host(referrer: str) -> str:
    """The host of a Referer header, lower case, without port or user info; "" when there is none."""
    scheme, separator, rest = referrer.partition("://")
    if not separator or not scheme:
        return ""
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop)
        if found != -1 and found < end:
            end = found
    host = rest[:end].rpartition("@")[2]
    if host.startswith("["):
        return ""  # an IPv6 literal names no domain
    return host.partition(":")[0].rstrip(".").lower()


@dataclass(frozen=True, slots=True)
class BlockList:
    """One block list compiled for matching (see the module's docstring for its item)."""

    v4: AddressRanges = field(default_factory=lambda: AddressRanges(()))
    v6: AddressRanges = field(default_factory=lambda: AddressRanges(()))
    asns: frozenset[int] = frozenset()
    countries: frozenset[str] = frozenset()
    subs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    referrers: frozenset[str] = frozenset()
    user_agents: tuple[str, ...] = ()

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> BlockList:
        ranges: dict[int, list[tuple[int, int, str]]] = {4: [], 6: []}
        for entry in entries(item.get("ips")):
            network = parse_network(entry)
            if network is not None:
                version, first, last = network
                kind = "cidr" if "/" in entry else "ip"
                ranges[version].append((first, last, f"{kind}:{entry}"))
        return cls(
            v4=AddressRanges(ranges[4]),
            v6=AddressRanges(ranges[6]),
            asns=frozenset(int(asn) for asn in entries(item.get("asns")) if asn.isdigit()),
            countries=frozenset(entries(item.get("countries"))),
            subs={
                key: frozenset(entries(values)) for key, values in (item.get("subs") or {}).items() if values
            },
            referrers=frozenset(entries(item.get("referrers"))),
            user_agents=tuple(entries(item.get("user_agents"))),
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.v4
            or self.v6
            or self.asns
            or self.countries
            or self.subs
            or self.referrers
            or self.user_agents
        )

    def blocked_by(self, visit: Visit) -> str | None:
        """The entry that blocks the visit, as `<kind>:<entry>` (`cidr:203.0.113.0/24`, `asn:16509`,
        `sub1:spam`), or None."""
        if visit.address is not None:
            version, number = visit.address
            label = (self.v4 if version == 4 else self.v6).find(number)
            if label is not None:
                return label
        if self.asns and visit.asn in self.asns:
            return f"asn:{visit.asn}"
        if visit.country in self.countries:
            return f"country:{visit.country}"
        for key, values in self.subs.items():
            sub = visit.subs.get(key)
            if sub is not None and sub in values:
                return f"{key}:{sub}"
        if self.referrers and visit.referrer_host:
            domain = _listed_domain(visit.referrer_host, self.referrers)
            if domain is not None:
                return f"referrer:{domain}"
        for pattern in self.user_agents:
            if pattern in visit.user_agent:
                return f"user_agent:{pattern}"
        return None


def _listed_domain(host: str, domains: frozenset[str]) -> str | None:
    """The host itself or the nearest of its parent domains that is listed."""
    while True:
        if host in domains:
            return host
        dot = host.find(".")
        if dot == -1:
            return None
        host = host[dot + 1 :]
