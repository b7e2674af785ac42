"""The traffic the cost is measured on, with its mix stated (MIX) and drawn reproducibly.

Visitors come from a pool half the size of the click count, drawn by Zipf, so some return; offers
and affiliates are drawn by Zipf too (tests.bench.orchestrator_bench's skew). On top: crawlers
(refused at click time as bots), hosting-network addresses and a few flooding addresses (both judged
by the orchestrator), visitors from a country every offer refuses, and a share of the accepted
clicks that convert (a postback with a sale)."""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass

from tests.bench.orchestrator_bench import CHROME, CRAWLER, IPHONE, zipf_index

MIX = {
    "conversion_rate": 0.02,  # of the clicks accepted at click time
    "crawlers": 0.02,  # a crawler's User-Agent: stored, refused as a bot
    "datacenter": 0.03,  # an AWS address: accepted, marked by the orchestrator
    "flood": 0.02,  # from three addresses
    "refused_country": 0.05,  # a country every offer denies: stored, refused
}
DENIED_COUNTRY = "KP"
COUNTRIES = ("US", "GB", "DE", "FR", "BR", "IN", "CA", "ES", "IT", "PL")


@dataclass(frozen=True, slots=True)
class Visit:
    offer_id: str
    affiliate_id: str
    ip: str
    user_agent: str
    country: str
    sub1: str


def visits(offers: list[str], affiliates: list[str], count: int, seed: int) -> list[Visit]:
    """`count` clicks over the advertiser's offers and affiliates, in the mix of MIX."""
    rng = random.Random(seed)
    aws = int(ipaddress.ip_address("3.5.140.0"))
    pool = []
    for _ in range(max(1, count // 2)):
        version = rng.randrange(100, 130)
        pool.append(
            Visit(
                offer_id=offers[zipf_index(rng, len(offers))],
                affiliate_id=affiliates[zipf_index(rng, len(affiliates))],
                ip=f"95.{rng.randrange(24, 200)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                user_agent=(IPHONE if version % 2 else CHROME).format(v=version),
                country=COUNTRIES[zipf_index(rng, len(COUNTRIES))],
                sub1=f"campaign-{zipf_index(rng, 200)}",
            )
        )
    drawn = []
    edges = _edges()
    for _ in range(count):
        visit = pool[zipf_index(rng, len(pool), 0.8)]
        roll = rng.random()
        if roll < edges["crawlers"]:
            visit = _with(visit, user_agent=CRAWLER)
        elif roll < edges["datacenter"]:
            visit = _with(visit, ip=str(ipaddress.ip_address(aws + rng.randrange(1024))))
        elif roll < edges["flood"]:
            visit = _with(visit, ip=f"198.51.100.{rng.randrange(3)}")
        elif roll < edges["refused_country"]:
            visit = _with(visit, country=DENIED_COUNTRY)
        drawn.append(visit)
    return drawn


def _edges() -> dict[str, float]:
    total, edges = 0.0, {}
    for name in ("crawlers", "datacenter", "flood", "refused_country"):
        total += MIX[name]
        edges[name] = total
    return edges


def _with(visit: Visit, **changes: str) -> Visit:
    fields = {name: getattr(visit, name) for name in Visit.__slots__}
    return Visit(**{**fields, **changes})


def repeat_share(drawn: list[Visit]) -> float:
    """The share of clicks from a visitor (address and browser) seen before in the run."""
    seen: set[tuple[str, str]] = set()
    repeats = 0
    for visit in drawn:
        repeats += (visit.ip, visit.user_agent) in seen
        seen.add((visit.ip, visit.user_agent))
    return repeats / max(1, len(drawn))
