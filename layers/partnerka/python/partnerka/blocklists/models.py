"""Block lists: the visitors an advertiser refuses, advertiser-wide or for one offer.

An entry is checked and written in one canonical spelling here, so the click path
(partnerka.tracking.blocking) compiles what it reads without checking it again.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from partnerka.common.errors import ValidationFailed
from partnerka.tracking.blocking import block_list_key, entries, entries_text, referrer_host
from partnerka.tracking.models import MAX_SUB_LENGTH, SUB_KEYS


class EntryKind(StrEnum):
    """The kinds of entry, named as the list's item attributes are."""

    IPS = "ips"  # addresses and CIDR ranges, IPv4 and IPv6
    ASNS = "asns"
    COUNTRIES = "countries"
    SUBS = "subs"  # per sub key
    REFERRERS = "referrers"  # domains; each blocks its subdomains too
    USER_AGENTS = "user_agents"  # case-insensitive substrings


# Sized to what an advertiser pastes (a provider's published ranges run to thousands of networks)
# while one list stays one DynamoDB item: 10,000 IPv4 CIDR ranges take about 190 KB.
MAX_ENTRIES: dict[EntryKind, int] = {
    EntryKind.IPS: 10_000,
    EntryKind.ASNS: 1_000,
    EntryKind.COUNTRIES: 250,
    EntryKind.SUBS: 1_000,  # per sub key
    EntryKind.REFERRERS: 2_000,
    EntryKind.USER_AGENTS: 200,
}
# DynamoDB refuses an item over 400 KB; the entries' own text (a line each) is held well under it, so
# long IPv6 ranges or long patterns meet this limit before their count's.
MAX_TEXT = 350_000
MIN_USER_AGENT = 3  # shorter patterns ("a", "5.") would block nearly every browser
MAX_USER_AGENT = 200
MAX_DOMAIN = 253

_DOMAIN = re.compile(r"^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


@dataclass(frozen=True, slots=True)
class BlockList:
    """One block list. Key shape: core table, PK `ADV#<advertiser_id>`, SK `BLOCKS` (advertiser-wide)
    or `BLOCKS#<offer_id>` (the offer's own); partnerka.tracking.blocking reads the same item."""

    advertiser_id: str
    offer_id: str | None = None
    ips: tuple[str, ...] = ()
    asns: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    subs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    referrers: tuple[str, ...] = ()
    user_agents: tuple[str, ...] = ()
    updated_at: str = ""

    def key(self) -> dict[str, str]:
        return block_list_key(self.advertiser_id, self.offer_id)

    def counts(self) -> dict[str, int]:
        """Entries of each kind: what audit entries keep of a list (never the list itself)."""
        return {
            EntryKind.IPS: len(self.ips),
            EntryKind.ASNS: len(self.asns),
            EntryKind.COUNTRIES: len(self.countries),
            EntryKind.SUBS: sum(len(values) for values in self.subs.values()),
            EntryKind.REFERRERS: len(self.referrers),
            EntryKind.USER_AGENTS: len(self.user_agents),
        }

    def entries_of(self, kind: EntryKind, key: str = "") -> tuple[str | int, ...]:
        """The entries of one kind (of one sub key, for sub-ids)."""
        if kind is EntryKind.SUBS:
            return self.subs.get(key, ())
        listed: tuple[str | int, ...] = getattr(self, kind.value)
        return listed

    def with_added(self, kind: EntryKind, entries: Sequence[str | int], key: str = "") -> BlockList:
        texts = tuple(str(entry) for entry in entries)
        match kind:
            case EntryKind.IPS:
                return replace(self, ips=self.ips + texts)
            case EntryKind.ASNS:
                return replace(self, asns=self.asns + tuple(int(entry) for entry in entries))
            case EntryKind.COUNTRIES:
                return replace(self, countries=self.countries + texts)
            case EntryKind.SUBS:
                return replace(self, subs={**self.subs, key: self.subs.get(key, ()) + texts})
            case EntryKind.REFERRERS:
                return replace(self, referrers=self.referrers + texts)
            case EntryKind.USER_AGENTS:
                return replace(self, user_agents=self.user_agents + texts)

    def as_item(self) -> dict[str, Any]:
        return {
            **self.key(),
            "advertiser_id": self.advertiser_id,
            "offer_id": self.offer_id,
            "ips": entries_text(self.ips),
            "asns": entries_text(self.asns),
            "countries": entries_text(self.countries),
            "subs": {key: entries_text(values) for key, values in self.subs.items() if values},
            "referrers": entries_text(self.referrers),
            "user_agents": entries_text(self.user_agents),
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> BlockList:
        return cls(
            advertiser_id=item["advertiser_id"],
            offer_id=item.get("offer_id"),
            ips=tuple(entries(item.get("ips"))),
            asns=tuple(int(asn) for asn in entries(item.get("asns"))),
            countries=tuple(entries(item.get("countries"))),
            subs={key: tuple(entries(values)) for key, values in (item.get("subs") or {}).items()},
            referrers=tuple(entries(item.get("referrers"))),
            user_agents=tuple(entries(item.get("user_agents"))),
            updated_at=item.get("updated_at", ""),
        )


@dataclass(frozen=True, slots=True)
class EntryError:
    """One refused entry: where it was (its line in pasted text, from 1; else its place in the list,
    from 0), what it said, and why it was refused."""

    kind: str
    position: int
    entry: str
    message: str


class InvalidEntries(ValidationFailed):
    """Entries that cannot be listed; nothing was changed. Each is named, so a paste can be fixed."""

    def __init__(self, errors: list[EntryError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first.kind} entry {first.position} '{first.entry}': {first.message}{more}")
        self.errors = errors

    def details(self) -> dict[str, Any]:
        return {
            "entries": [
                {"kind": e.kind, "position": e.position, "entry": e.entry, "message": e.message}
                for e in self.errors[:100]
            ]
        }


def ip_entry(text: str) -> str:
    try:
        if "/" not in text:
            return str(ipaddress.ip_address(text))
        return str(ipaddress.ip_network(text, strict=True))
    except ValueError as error:
        if "has host bits set" in str(error):
            network = ipaddress.ip_network(text, strict=False)
            raise ValueError(f"has host bits set; the range is {network}") from None
        raise ValueError("is not an IP address or CIDR range") from None


def asn_entry(text: str) -> int:
    digits = text[2:] if text[:2].upper() == "AS" else text
    if not digits.isdigit() or not 0 < int(digits) < 2**32:
        raise ValueError("is not an AS number (AS16509 or 16509)")
    return int(digits)


def country_entry(text: str) -> str:
    if len(text) != 2 or not text.isascii() or not text.isalpha():
        raise ValueError("is not a two-letter country code (ISO 3166-1)")
    return text.upper()


def sub_entry(text: str) -> str:
    if len(text) > MAX_SUB_LENGTH:
        raise ValueError(f"is longer than {MAX_SUB_LENGTH} characters")
    if not text.isprintable():
        raise ValueError("holds control characters")  # a list keeps its entries a line each
    return text


def referrer_entry(text: str) -> str:
    host = referrer_host(text) if "://" in text else text.lower().rstrip(".")
    host = host.removeprefix("*.")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise ValueError("is not a domain name") from None
    if len(host) > MAX_DOMAIN or not _DOMAIN.match(host):
        raise ValueError("is not a domain name (example.com; it blocks its subdomains too)")
    return host


def user_agent_entry(text: str) -> str:
    if not MIN_USER_AGENT <= len(text) <= MAX_USER_AGENT:
        raise ValueError(f"must be {MIN_USER_AGENT} to {MAX_USER_AGENT} characters long")
    if not text.isprintable():
        raise ValueError("holds control characters")
    return text.lower()


PARSERS: dict[EntryKind, Callable[[str], str | int]] = {
    EntryKind.IPS: ip_entry,
    EntryKind.ASNS: asn_entry,
    EntryKind.COUNTRIES: country_entry,
    EntryKind.SUBS: sub_entry,
    EntryKind.REFERRERS: referrer_entry,
    EntryKind.USER_AGENTS: user_agent_entry,
}


def canonical_entries(
    kind: EntryKind,
    entries: Iterable[str],
    errors: list[EntryError],
    first_position: int = 0,
    label: str = "",
) -> list[str | int]:
    """The entries in their canonical spelling, duplicates dropped (the first kept); each refused
    entry is added to `errors`, with its position counted from `first_position`."""
    kept: dict[str | int, None] = {}
    for position, raw in enumerate(entries, start=first_position):
        text = raw.strip()
        try:
            if not text:
                raise ValueError("is empty")
            kept[PARSERS[kind](text)] = None
        except ValueError as error:
            errors.append(EntryError(label or kind.value, position, text[:100], str(error)))
    return list(kept)


def sub_key(key: str) -> str:
    if key not in SUB_KEYS:
        raise ValidationFailed(f"'{key}' is not a sub-id key (sub1 to sub10)")
    return key


def check_size(block_list: BlockList) -> None:
    """Refuse a list over a kind's entry limit, or too large for one item."""
    too_many = [
        f"{len(values)} {kind.value}"
        for kind, values in (
            (EntryKind.IPS, block_list.ips),
            (EntryKind.ASNS, block_list.asns),
            (EntryKind.COUNTRIES, block_list.countries),
            (EntryKind.REFERRERS, block_list.referrers),
            (EntryKind.USER_AGENTS, block_list.user_agents),
            *((EntryKind.SUBS, values) for values in block_list.subs.values()),
        )
        if len(values) > MAX_ENTRIES[kind]
    ]
    if too_many:
        limits = ", ".join(f"{kind.value} {limit}" for kind, limit in MAX_ENTRIES.items())
        raise ValidationFailed(f"too many entries: {', '.join(too_many)} (at most: {limits})")
    text = sum(len(str(entry)) + 1 for entry in _all_entries(block_list))
    if text > MAX_TEXT:
        raise ValidationFailed(f"the list is too large to keep ({text} characters; at most {MAX_TEXT})")


def _all_entries(block_list: BlockList) -> Iterable[str | int]:
    yield from block_list.ips
    yield from block_list.asns
    yield from block_list.countries
    for values in block_list.subs.values():
        yield from values
    yield from block_list.referrers
    yield from block_list.user_agents
