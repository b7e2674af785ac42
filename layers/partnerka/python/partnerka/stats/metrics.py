"""The derived metrics, defined once: every report row, total, chart and export computes them here.

- conversions = leads + sales (rejected ones are not conversions; those on hold are)
- CR  = conversions / clicks * 100, in percent; none without clicks
- EPC = payout / clicks, per currency, in minor units (what an affiliate earns per click; the payout
  includes paid clicks', so a CPC offer's EPC is its price per paid click, over every click)
- profit = revenue - payout, per currency, in minor units
- ROI = profit / payout * 100, per currency, in percent; none without payout

Money never mixes currencies: each figure is kept per ISO-4217 currency.
"""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.stats.models import StatsRow


@dataclass(frozen=True, slots=True)
class Derived:
    conversions: int
    cr: float | None
    epc: dict[str, float]
    profit: dict[str, int]
    roi: dict[str, float | None]


def derive(row: StatsRow) -> Derived:
    conversions = row.leads + row.sales
    currencies = sorted(set(row.revenue) | set(row.payout))
    profit = {c: row.revenue.get(c, 0) - row.payout.get(c, 0) for c in currencies}
    return Derived(
        conversions=conversions,
        cr=round(conversions * 100 / row.clicks, 4) if row.clicks else None,
        epc={c: round(amount / row.clicks, 4) for c, amount in row.payout.items()} if row.clicks else {},
        profit=profit,
        roi={c: round(profit[c] * 100 / row.payout[c], 4) if row.payout.get(c) else None for c in currencies},
    )
