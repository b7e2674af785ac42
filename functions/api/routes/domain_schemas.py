"""Request and response bodies of /api/domains, and how a domain becomes one."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from partnerka.common.clock import iso_millis
from partnerka.domains.models import Domain

DomainStatusName = Literal[
    "pending_dns", "verifying", "issuing_certificate", "active", "broken", "failed", "removing"
]


class DomainIn(BaseModel):
    name: str = Field(
        min_length=1, max_length=300, description="e.g. partners.acme.com; a pasted URL is fine"
    )
    kind: Literal["portal", "tracking"]


class DnsRecordOut(BaseModel):
    type: Literal["TXT", "CNAME"]
    name: str
    value: str
    found: bool | None = Field(description="whether the last check found it; null before the first")


class DomainOut(BaseModel):
    id: str
    name: str = Field(description="the host in ASCII (punycode), as DNS and browsers use it")
    display_name: str = Field(description="the host as people read it (Unicode)")
    kind: Literal["portal", "tracking"]
    status: DomainStatusName
    status_reason: str | None
    dns_records: list[DnsRecordOut]
    created_at: str
    checked_at: str | None
    active_since: str | None

    @classmethod
    def of(cls, domain: Domain, cname_target: str) -> DomainOut:
        return cls(
            id=domain.domain_id,
            name=domain.host,
            display_name=domain.name.unicode,
            kind=domain.kind.value,
            status=domain.status.value,
            status_reason=domain.status_reason or None,
            dns_records=[
                DnsRecordOut(type=r.type, name=r.name, value=r.value, found=r.found)  # type: ignore[arg-type]
                for r in domain.records(cname_target)
            ],
            created_at=iso_millis(domain.created_at),
            checked_at=_iso(domain.checked_at),
            active_since=_iso(domain.active_since),
        )


class DomainList(BaseModel):
    items: list[DomainOut]
    cname_target: str = Field(description="where every domain's CNAME points: the platform's edge")


def _iso(moment: datetime | None) -> str | None:
    return iso_millis(moment) if moment else None
