"""Custom domains: an advertiser's own portal and tracking hosts, and how far each has come.

A domain goes `pending_dns → verifying → issuing_certificate → active`, or to `failed` with its
reason; an active domain whose CNAME moves away is `broken` until it points back; a removed one is
`removing` until its edge tenant is gone. The checks that move it are in domains.service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from partnerka.domains.claims import DomainClaim
from partnerka.domains.names import DomainName


class DomainKind(StrEnum):
    PORTAL = "portal"  # the branded dashboard: sign-in, registration links, the affiliate's screens
    TRACKING = "tracking"  # /click, /postback and /pixel.gif


class DomainStatus(StrEnum):
    PENDING_DNS = "pending_dns"  # waiting for the ownership TXT record
    VERIFYING = "verifying"  # owned (TXT found); waiting for the CNAME to point at the edge
    ISSUING_CERTIFICATE = "issuing_certificate"  # the edge tenant exists; its certificate is coming
    ACTIVE = "active"
    BROKEN = "broken"  # was active; its CNAME no longer points at the edge
    FAILED = "failed"  # given up (see status_reason); a check by hand starts it over
    REMOVING = "removing"  # deleted by the advertiser; the edge tenant is being taken down


# How often each status is looked at by the scheduled check (a check by hand goes at once); a failed
# domain is not, once nothing of it is left at the edge.
CHECK_EVERY = {
    DomainStatus.PENDING_DNS: timedelta(minutes=5),
    DomainStatus.VERIFYING: timedelta(minutes=5),
    DomainStatus.ISSUING_CERTIFICATE: timedelta(minutes=5),
    DomainStatus.ACTIVE: timedelta(days=1),
    DomainStatus.BROKEN: timedelta(hours=1),
    DomainStatus.REMOVING: timedelta(minutes=5),
}
# A domain whose records never appear is given up after this long (the advertiser may start over).
GIVE_UP_AFTER = timedelta(days=7)
# Where the ownership token is published: `_verify.<host>`, a name nobody else uses for anything.
TXT_PREFIX = "_verify."
TXT_VALUE_PREFIX = "verify="


@dataclass(frozen=True, slots=True)
class DnsRecord:
    """A record the advertiser creates at its DNS provider, and whether the last check found it."""

    type: str  # TXT | CNAME
    name: str
    value: str
    found: bool | None = None  # None: not looked for yet


@dataclass(frozen=True, slots=True)
class Domain:
    """One of an advertiser's domains. PK `ADV#<advertiser>`, SK `DOMAIN#<domain_id>`; while a
    check is due, `gsi1pk` = `DOMAINCHECK`, `gsi1sk` = `<next check at>#<domain_id>` (the scheduled
    check finds what is due without a scan)."""

    domain_id: str
    advertiser_id: str
    name: DomainName
    kind: DomainKind
    status: DomainStatus
    token: str  # proves ownership: published as TXT `_verify.<host>` = `verify=<token>`
    created_at: datetime
    updated_at: datetime
    status_reason: str = ""
    tenant_id: str = ""  # the edge's distribution tenant, once created
    checked_at: datetime | None = None
    active_since: datetime | None = None
    next_check_at: datetime | None = None
    txt_found: bool | None = None
    cname_found: bool | None = None
    version: int = 0  # every save is conditional on it: a check and a removal never overwrite each other

    @property
    def host(self) -> str:
        return self.name.ascii

    @property
    def at_edge(self) -> bool:
        """Whether an edge tenant may exist for it: from the moment a check set out to make one."""
        return bool(self.tenant_id) or self.status in (
            DomainStatus.ISSUING_CERTIFICATE,
            DomainStatus.ACTIVE,
            DomainStatus.BROKEN,
        )

    def records(self, cname_target: str) -> list[DnsRecord]:
        """What to create at the DNS provider: the ownership token and the CNAME to the edge."""
        return [
            DnsRecord("TXT", f"{TXT_PREFIX}{self.host}", f"{TXT_VALUE_PREFIX}{self.token}", self.txt_found),
            DnsRecord("CNAME", self.host, cname_target, self.cname_found),
        ]

    def claim(self) -> DomainClaim:
        return DomainClaim(self.host, self.advertiser_id, self.domain_id, self.kind.value, self.status.value)

    def next_check(self, now: datetime) -> datetime | None:
        """When the scheduled check looks at it again: by its status; a failed domain only while its
        edge tenant is being taken down."""
        if self.status is DomainStatus.FAILED:
            return now + CHECK_EVERY[DomainStatus.REMOVING] if self.tenant_id else None
        return now + CHECK_EVERY[self.status]

    def moved_to(self, status: DomainStatus, now: datetime, reason: str = "") -> Domain:
        """The domain in `status` from `now`, next looked at when that status is due."""
        active_since = self.active_since
        if status is DomainStatus.ACTIVE and self.status is not DomainStatus.BROKEN:
            active_since = now
        moved = replace(
            self,
            status=status,
            status_reason=reason,
            updated_at=now,
            active_since=active_since if status in (DomainStatus.ACTIVE, DomainStatus.BROKEN) else None,
        )
        return replace(moved, next_check_at=moved.next_check(now))


def hosts_of(domains: Iterable[Domain], kind: DomainKind) -> list[str]:
    """The active hosts of one kind, oldest first: the first is the one links use."""
    return [d.host for d in domains if d.kind is kind and d.status is DomainStatus.ACTIVE]
