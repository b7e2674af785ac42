"""Datacenter addresses: is a visitor's IP announced by a cloud or hosting network?

Real visitors browse from consumer and mobile networks; clicks from cloud and hosting networks are
scripts, proxies or click farms. The address ranges come from the ASN database of the npm package
`@ip-location-db/asn` (RouteViews and DB-IP, CC-BY-4.0), filtered by `scripts/setup` (through
`python -m scripts.build_datacenter_ranges`) down to the networks below, and shipped beside the
country database. Only the orchestrator and log readers look addresses up, never the click path.
"""

from __future__ import annotations

import ipaddress
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from partnerka.common.observability import logger

# Autonomous systems that rent servers, not consumer connections. Transit carriers and CDNs whose
# addresses also carry consumer traffic (Cloudflare WARP, iCloud Private Relay) are left out on
# purpose: flagging them would mark real people.
HOSTING_NETWORKS: dict[int, str] = {
    16509: "Amazon AWS",
    14618: "Amazon AWS",
    15169: "Google Cloud",
    396982: "Google Cloud",
    139070: "Google Cloud",
    8075: "Microsoft Azure",
    31898: "Oracle Cloud",
    45102: "Alibaba Cloud",
    37963: "Alibaba Cloud",
    132203: "Tencent Cloud",
    45090: "Tencent Cloud",
    135377: "UCloud",
    14061: "DigitalOcean",
    63949: "Akamai Linode",
    20473: "Vultr",
    16276: "OVHcloud",
    24940: "Hetzner",
    213230: "Hetzner",
    51167: "Contabo",
    12876: "Scaleway",
    60781: "Leaseweb",
    16265: "Leaseweb",
    9009: "M247",
    212238: "Datacamp",
    197540: "netcup",
    3214: "xTom",
    202053: "UpCloud",
    29802: "Hivelocity",
    61317: "Hivelocity",
    40676: "Psychz Networks",
    35916: "Multacom",
    8100: "QuadraNet",
    32097: "WholeSale Internet",
    19318: "Interserver",
    53667: "FranTech",
    8560: "IONOS",
    43350: "NForce",
    49981: "WorldStream",
    200651: "FlokiNET",
    36352: "HostPapa",
    54290: "HostPapa",
    55286: "B2 Net",
    46606: "Unified Layer",
    399629: "BL Networks",
}


@dataclass(frozen=True, slots=True)
class HostingNetwork:
    """An autonomous system that announces an address: its number and the provider's name."""

    asn: int
    name: str

    def __str__(self) -> str:
        return f"AS{self.asn} ({self.name})" if self.name != f"AS{self.asn}" else self.name


class DatacenterRanges:
    """Sorted, non-overlapping address ranges, each with the network that announces it.

    File format (one range per line, sorted by version then start): `<4|6> <first> <last> <asn>`,
    the addresses as integers. A missing file means no address is known to be a datacenter's.
    """

    def __init__(self, ranges: dict[int, list[tuple[int, int, int]]]) -> None:
        self._starts = {version: [r[0] for r in rows] for version, rows in ranges.items()}
        self._rows = ranges

    @classmethod
    def load(cls, path: str | Path) -> DatacenterRanges:
        ranges: dict[int, list[tuple[int, int, int]]] = {4: [], 6: []}
        try:
            with open(path, encoding="ascii") as lines:
                for line in lines:
                    version, first, last, asn = line.split()
                    ranges[int(version)].append((int(first), int(last), int(asn)))
        except OSError:
            logger.warning("datacenter ranges unavailable", path=str(path))
        for rows in ranges.values():
            rows.sort()
        return cls(ranges)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    def network(self, ip: str) -> str | None:
        """The hosting provider announcing `ip`, or None for other and malformed addresses."""
        found = self.announcer(ip)
        return found.name if found is not None else None

    def announcer(self, ip: str) -> HostingNetwork | None:
        """The hosting network announcing `ip` (its AS number and name), or None for other and
        malformed addresses."""
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        rows = self._rows.get(address.version, [])
        value = int(address)
        index = bisect_right(self._starts.get(address.version, []), value) - 1
        if index < 0 or value > rows[index][1]:
            return None
        asn = rows[index][2]
        return HostingNetwork(asn, HOSTING_NETWORKS.get(asn, f"AS{asn}"))
