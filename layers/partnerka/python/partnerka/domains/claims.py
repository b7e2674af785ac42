"""Which advertiser a host belongs to: the one item the hot paths read about domains, kept apart
from the rest of the context so that the click path imports nothing else of it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from partnerka.common import dynamo

PORTAL = "portal"  # domains.models.DomainKind.PORTAL, the kind whose host shows its advertiser's portal
MAX_KNOWN_HOSTS = 1000


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


class PortalHosts:
    """Whose portal a host is: the advertiser of a `portal` claim on it, or None (the platform's own
    hosts, and tracking domains). Read once per host and kept `ttl_seconds` (a miss too), so a warm
    API function answers without reading it again; a removed domain stops counting within the TTL."""

    def __init__(
        self,
        table: str,
        ttl_seconds: float = 30.0,
        client: Any = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._table = table
        self._ttl = ttl_seconds
        self._client = client
        self._monotonic = monotonic
        self._known: dict[str, tuple[float, str | None]] = {}

    def owner(self, host: str) -> str | None:
        if not host:
            return None
        now = self._monotonic()
        known = self._known.get(host)
        if known is not None and known[0] > now:
            return known[1]
        client = self._client or dynamo.client()
        item = client.get_item(TableName=self._table, Key=dynamo.encode(DomainClaim.key(host))).get("Item")
        claim = DomainClaim.from_item(dynamo.decode(item)) if item else None
        owner = claim.advertiser_id if claim is not None and claim.kind == PORTAL else None
        if len(self._known) >= MAX_KNOWN_HOSTS:
            self._known.clear()  # only hosts the edge accepted reach us: a bound against the odd flood
        self._known[host] = (now + self._ttl, owner)
        return owner
