"""An advertiser's clicks in a calendar month, as its plan meters them (billing.ports.ClicksMeter)."""

from __future__ import annotations

import calendar

from partnerka.billing.usage import month_start
from partnerka.stats.cube import TOTAL
from partnerka.stats.cube_store import CubeStore


class MonthClicks:
    """The month's clicks from the advertiser's total cube: its day items of the UTC month, read in one
    Query (they are one key range: `ADV#<advertiser>#total`, `<yyyy-mm-dd>#-`), `clicks` alone.

    These are the clicks the advertiser's statistics show (those that reached a landing, bots
    included); clicks a click-time check refused (`blocked`) sent nobody to the advertiser and are not
    counted. A click is in the month of its UTC day."""

    def __init__(self, cubes: CubeStore) -> None:
        self._cubes = cubes

    def clicks(self, advertiser_id: str, month: str) -> int:
        first = month_start(month)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        days = self._cubes.days(advertiser_id, TOTAL, first.isoformat(), last.isoformat(), ("clicks",))
        return sum(item.values.get("clicks", 0) for item in days)
