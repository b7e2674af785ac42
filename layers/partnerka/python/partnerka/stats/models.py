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
    # fraud rules (conversions.screening): conversions a rule held for review or rejected on arrival
    "held_by_rule",
    "rejected_by_rule",
)
MONEY_PREFIXES = ("revenue_", "payout_", "cpc_payout_")
# Refused clicks by their reason (`refused_geo_blocked`), beside `blocked`, which counts them all: a
# prefix like money's, so a refusal reason added to the click path is counted without a change here.
REFUSED_PREFIX = "refused_"
# The attributes named by a part that varies (a currency, a reason), beside the fixed COUNTERS.
KEYED_PREFIXES = (*MONEY_PREFIXES, REFUSED_PREFIX)


Increments = dict[str, int]
"""Attribute → amount to ADD: one of COUNTERS, `revenue_<CUR>`, `payout_<CUR>` or `refused_<reason>`.

`unique`, `bots`, `flood` and `datacenter` are subsets of `clicks` (clicks that reached a landing),
judged by the orchestrator after the redirect; `blocked` clicks were refused by a click-time check,
and `refused_<reason>` splits them by the check (tracking.service.RejectReason).
`cpc_clicks` are the clicks a CPC offer paid (stats.cpc), `cpc_payout_<CUR>` what they earned, which
`payout_<CUR>` includes as well. `held_by_rule` and `rejected_by_rule` count conversions by what a
fraud rule did when they arrived, once, in their arrival hour: a person's later decision moves
`hold` and `rejected`, never these."""


def refused_attribute(reason: str) -> str:
    return f"{REFUSED_PREFIX}{reason}"


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
    held_by_rule: int = 0
    rejected_by_rule: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # refusal reason → clicks
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
                (REFUSED_PREFIX, self.refused),
            ):
                if name.startswith(prefix):
                    part = name.removeprefix(prefix)  # a currency, or a refusal reason
                    target[part] = target.get(part, 0) + amount

    def values(self) -> Increments:
        """The row as increments (so rows of several reports merge by `add`)."""
        values: Increments = {name: getattr(self, name) for name in COUNTERS}
        values.update({money_attribute("revenue", c): amount for c, amount in self.revenue.items()})
        values.update({money_attribute("payout", c): amount for c, amount in self.payout.items()})
        values.update({money_attribute("cpc_payout", c): amount for c, amount in self.cpc_payout.items()})
        values.update({refused_attribute(r): clicks for r, clicks in self.refused.items()})
        return values
