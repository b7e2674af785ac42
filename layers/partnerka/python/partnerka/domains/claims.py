"""Which advertiser a host belongs to: the one item the hot paths read about domains, kept apart
from the rest of the context so that the click path imports nothing else of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DomainClaim:
    """Who a host belongs to. PK `DOMAIN#<ascii host>`, SK `CLAIM`: one item per host, written only
    where none is, so a host belongs to one advertiser at a time. `kind` is `portal` or `tracking`,
    `status` the domain's (domains.models.DomainStatus)."""

    host: str
    advertiser_id: str
    domain_id: str
    kind: str
    status: str

    @staticmethod
    def key(host: str) -> dict[str, str]:
        return {"pk": f"DOMAIN#{host}", "sk": "CLAIM"}

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> DomainClaim:
        return cls(
            host=str(item["pk"]).removeprefix("DOMAIN#"),
            advertiser_id=item["advertiser_id"],
            domain_id=item.get("domain_id", ""),
            kind=item.get("kind", ""),
            status=item.get("status", ""),
        )
