"""Reports over the hourly rollups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from partnerka.accounts.permissions import Permission, allows
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, ValidationFailed
from partnerka.stats.engine import MAX_RANGE_DAYS
from partnerka.stats.models import GroupBy, RollupKey, StatsReport, StatsRow
from partnerka.stats.repository import RollupStore


@dataclass(frozen=True, slots=True)
class StatsFilter:
    offer_id: str | None = None
    affiliate_id: str | None = None
    country: str | None = None

    def matches(self, key: RollupKey) -> bool:
        return (
            (self.offer_id is None or key.offer_id == self.offer_id)
            and (self.affiliate_id is None or key.affiliate_id == self.affiliate_id)
            and (self.country is None or key.country == self.country.upper())
        )


def _group_value(key: RollupKey, group_by: GroupBy) -> str:
    match group_by:
        case GroupBy.HOUR:
            return key.hour
        case GroupBy.DAY:
            return key.hour[:10]
        case GroupBy.OFFER:
            return key.offer_id
        case GroupBy.AFFILIATE:
            return key.affiliate_id
        case GroupBy.COUNTRY:
            return key.country
        case GroupBy.DEVICE:
            return key.device


def build_report(
    rollups: RollupStore,
    advertiser_id: str,
    date_from: date,
    date_to: date,
    group_by: GroupBy,
    where: StatsFilter,
) -> StatsReport:
    """Clicks, leads, sales, rejections, revenue and payout of one advertiser for whole UTC days.

    The caller has already narrowed `advertiser_id` and `where` to what the principal may see.
    """
    if date_to < date_from:
        raise ValidationFailed("date_to is before date_from")
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise ValidationFailed(f"a report covers at most {MAX_RANGE_DAYS} days")
    rows: dict[str, StatsRow] = {}
    totals = StatsRow(key="total")
    for stored in rollups.scan_range(
        advertiser_id, f"{date_from.isoformat()}T00", f"{date_to.isoformat()}T23"
    ):
        if not where.matches(stored.key):
            continue
        group = _group_value(stored.key, group_by)
        rows.setdefault(group, StatsRow(key=group)).add(stored.values)
        totals.add(stored.values)
    return StatsReport(group_by=group_by, rows=[rows[key] for key in sorted(rows)], totals=totals)


def visible_scope(
    principal: Principal, advertiser_id: str | None, where: StatsFilter
) -> tuple[str, StatsFilter]:
    """Narrow a stats request to what the principal may see.

    Platform staff name any advertiser; an advertiser sees its own; an affiliate sees only its own
    traffic within the advertiser context it switched to. Every other advertiser stays invisible.
    """
    if allows(principal, Permission.STATS_READ_ANY_ADVERTISER):
        if not advertiser_id:
            raise ValidationFailed("advertiser_id is required")
        return advertiser_id, where
    if allows(principal, Permission.STATS_READ_OWN_ADVERTISER) and principal.advertiser_id:
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("statistics of another advertiser")
        return principal.advertiser_id, where
    if allows(principal, Permission.STATS_READ_OWN_AFFILIATE) and principal.affiliate_id:
        if not principal.advertiser_id:
            raise Forbidden("select an advertiser first")
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("statistics of another advertiser")
        if where.affiliate_id and where.affiliate_id != principal.affiliate_id:
            raise Forbidden("statistics of another affiliate")
        narrowed = StatsFilter(
            offer_id=where.offer_id, affiliate_id=principal.affiliate_id, country=where.country
        )
        return principal.advertiser_id, narrowed
    raise Forbidden("statistics are not available to this account")


def may_inspect(principal: Principal, advertiser_id: str, affiliate_id: str) -> bool:
    """Whether the principal may see one click or conversion of `advertiser_id` sent by
    `affiliate_id`: the same rule as `visible_scope`, for a single row."""
    if allows(principal, Permission.STATS_READ_ANY_ADVERTISER):
        return True
    if allows(principal, Permission.STATS_READ_OWN_ADVERTISER) and principal.advertiser_id:
        return advertiser_id == principal.advertiser_id
    if allows(principal, Permission.STATS_READ_OWN_AFFILIATE) and principal.affiliate_id:
        return advertiser_id == principal.advertiser_id and affiliate_id == principal.affiliate_id
    return False
