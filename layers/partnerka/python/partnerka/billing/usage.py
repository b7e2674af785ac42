"""What an advertiser uses against what its plan allows: the meters of the usage page.

The counts come from the contexts that hold what is counted (each counts its own: offers their active
offers, accounts the approved affiliates and team seats, domains the custom domains, branding whether
white-label is in use), put together by the composition as one `UsageCounts`; the month's clicks come
from the statistics (`ClicksMeter`). The same counting functions serve the services' checks (PlanGate)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from partnerka.billing.models import Limit
from partnerka.billing.ports import ClicksMeter, EntitlementsSource, UsageCounts
from partnerka.common.clock import utc_now
from partnerka.common.errors import ValidationFailed


def month_of(at: datetime) -> str:
    """The UTC calendar month `at` falls in, as `YYYY-MM`."""
    return f"{at.year:04d}-{at.month:02d}"


def month_start(month: str) -> date:
    """The first day of a `YYYY-MM` month; ValidationFailed for anything else."""
    try:
        return datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise ValidationFailed(f"'{month}' is not a month: write it as YYYY-MM") from None


def percent_of(usage: int, allowed: int | None) -> int | None:
    """How much of a limit is used, in whole percent rounded down (so 80 % is reached, not nearly
    reached); None for no limit. Over the limit it goes past 100; a limit of none used at all is full."""
    if allowed is None:
        return None
    if allowed == 0:
        return 100 if usage > 0 else 0
    return usage * 100 // allowed


@dataclass(frozen=True, slots=True)
class Meter:
    limit: Limit
    usage: int
    allowed: int | None  # None: unlimited; white-label: 1 (included) or 0
    percent: int | None


@dataclass(frozen=True, slots=True)
class Usage:
    """An advertiser's meters, one for every limit (in the order of Limit), in `month`."""

    advertiser_id: str
    month: str
    plan_code: str
    meters: tuple[Meter, ...]

    def meter(self, limit: Limit) -> Meter:
        return next(meter for meter in self.meters if meter.limit is limit)


class CountedUsage:
    """UsageCounts from one counting function per limit, each its context's own (see the module's
    docstring); a limit without one is not counted."""

    def __init__(self, counters: Mapping[Limit, Callable[[str], int]]) -> None:
        self._counters = dict(counters)

    def usage(self, advertiser_id: str) -> dict[Limit, int]:
        return {limit: count(advertiser_id) for limit, count in self._counters.items()}


class UsageReport:
    def __init__(
        self,
        entitlements: EntitlementsSource,
        counts: UsageCounts,
        clicks: ClicksMeter,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._entitlements = entitlements
        self._counts = counts
        self._clicks = clicks
        self._now = now

    def usage(self, advertiser_id: str, month: str | None = None) -> Usage:
        """Every limit's meter: what is in use now, and the clicks of `month` (by default the current
        UTC month), against the limits in force now."""
        month = month or month_of(self._now())
        month_start(month)  # refuses one not written YYYY-MM
        entitlements = self._entitlements.entitlements(advertiser_id)
        used = self._counts.usage(advertiser_id)
        used[Limit.CLICKS_PER_MONTH] = self._clicks.clicks(advertiser_id, month)
        meters = []
        for limit in Limit:
            allowed = entitlements.limits.allowed(limit)
            count = used.get(limit, 0)
            meters.append(Meter(limit, count, allowed, percent_of(count, allowed)))
        return Usage(advertiser_id, month, entitlements.plan.code, tuple(meters))
