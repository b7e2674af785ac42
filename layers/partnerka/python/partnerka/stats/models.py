"""What statistics count, and a report row."""

from __future__ import annotations

from dataclasses import dataclass, field

COUNTERS = (
    "clicks",
    "unique",
    "bots",
    "flood",
    "datacenter",
    "blocked",
    "leads",
    "sales",
    "rejected",
    "hold",
    "cpc_clicks",
)
MONEY_PREFIXES = ("revenue_", "payout_", "cpc_payout_")


Increments = dict[str, int]
"""Attribute → amount to ADD: one of COUNTERS, `revenue_<CUR>` or `payout_<CUR>`.

`unique`, `bots`, `flood` and `datacenter` are subsets of `clicks` (clicks that reached a landing),
judged by the orchestrator after the redirect; `blocked` clicks were refused by a click-time check.
`cpc_clicks` are the clicks a CPC offer paid (stats.cpc), `cpc_payout_<CUR>` what they earned, which
`payout_<CUR>` includes as well."""


def money_attribute(kind: str, currency: str) -> str:
    """Money is kept per currency (`revenue_USD`), so sums never mix currencies."""
    return f"{kind}_{currency}"


@dataclass(slots=True)
class StatsRow:
    key: str
    clicks: int = 0
    unique: int = 0
    bots: int = 0
    flood: int = 0
    datacenter: int = 0
    blocked: int = 0
    leads: int = 0
    sales: int = 0
    rejected: int = 0
    hold: int = 0
    cpc_clicks: int = 0
    revenue: dict[str, int] = field(default_factory=dict)
    payout: dict[str, int] = field(default_factory=dict)  # every payout, the paid clicks' included
    cpc_payout: dict[str, int] = field(default_factory=dict)

    def add(self, values: dict[str, int]) -> None:
        for name in COUNTERS:
            setattr(self, name, getattr(self, name) + values.get(name, 0))
        for name, amount in values.items():
            for prefix, target in (
                ("revenue_", self.revenue),
                ("payout_", self.payout),
                ("cpc_payout_", self.cpc_payout),
            ):
                if name.startswith(prefix):
                    currency = name.removeprefix(prefix)
                    target[currency] = target.get(currency, 0) + amount

    def values(self) -> Increments:
        """The row as increments (so rows of several reports merge by `add`)."""
        values: Increments = {name: getattr(self, name) for name in COUNTERS}
        values.update({money_attribute("revenue", c): amount for c, amount in self.revenue.items()})
        values.update({money_attribute("payout", c): amount for c, amount in self.payout.items()})
        values.update({money_attribute("cpc_payout", c): amount for c, amount in self.cpc_payout.items()})
        return values
