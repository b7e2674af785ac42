"""Where an advertiser's links point: its own active domain of the kind (a registration link on its
portal domain, a tracking link on its tracking domain), else the platform's configured URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from partnerka.domains.models import DomainKind, hosts_of
from partnerka.domains.repository import DomainStore


def on_host(base_url: str, host: str) -> str:
    """`base_url` moved to `host`, keeping its scheme and port: the platform's HTTPS (or, locally,
    its plain HTTP on its port) serves every advertiser's domain the same way."""
    parts = urlsplit(base_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


class LinkBases:
    """The base URL of an advertiser's links of a kind: its oldest active domain of that kind (one
    Query of its domains), else the platform's URL."""

    def __init__(self, store: DomainStore, platform_base_url: str) -> None:
        self._store = store
        self._platform = platform_base_url.rstrip("/")

    def of(self, advertiser_id: str, kind: DomainKind) -> str:
        hosts = hosts_of(self._store.of_advertiser(advertiser_id), kind)
        return on_host(self._platform, hosts[0]) if hosts else self._platform

    def tracking_base(self, advertiser_id: str) -> str:
        """offers.service.TrackingBases."""
        return self.of(advertiser_id, DomainKind.TRACKING)

    def portal_base(self, advertiser_id: str) -> str:
        """Where the advertiser's registration links point."""
        return self.of(advertiser_id, DomainKind.PORTAL)
