"""Conversions as people review them: the list an advertiser reads (platform staff name the
advertiser; an affiliate reads its own slice, never the revenue), and the advertiser's approvals and
rejections, audited here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol

from partnerka.accounts.permissions import Permission, allows, workspace_tenant
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.clock import iso_millis
from partnerka.common.errors import Forbidden, ValidationFailed
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.conversions.repository import ConversionLookup
from partnerka.conversions.service import Decision, decide, txn_ids_from_csv
from partnerka.offers.names import NameBook

MAX_ROWS = 1000
MAX_DAYS = 93


class ReviewedConversions(ConversionLookup, Protocol):
    def of_advertiser(self, advertiser_id: str, first: str, last: str, limit: int) -> list[Conversion]:
        """Newest first, created within [first, last] (ISO instants), at most `limit`."""
        ...

    def awaiting_review(self, advertiser_id: str, limit: int) -> list[Conversion]:
        """Marked for review and not decided yet, newest first, at most `limit`."""
        ...


@dataclass(frozen=True, slots=True)
class ConversionScope:
    """The conversions a principal reads: one advertiser's, or one affiliate's own within it."""

    advertiser_id: str
    affiliate_id: str | None  # set: this affiliate's own conversions only
    sees_revenue: bool  # what the advertiser pays the network

    def admits(self, conversion: Conversion) -> bool:
        return conversion.advertiser_id == self.advertiser_id and (
            self.affiliate_id is None or conversion.affiliate_id == self.affiliate_id
        )


def conversion_scope(principal: Principal, advertiser_id: str | None) -> ConversionScope:
    """The one rule for reading conversions by advertiser: an affiliate reads its own in the advertiser
    it switched to (an advertiser it names is not looked at); an advertiser its own tenant's; platform
    staff the advertiser they name (`workspace_tenant`)."""
    sees_revenue = allows(principal, Permission.REVENUE_READ)
    if allows(principal, Permission.STATS_READ_OWN_AFFILIATE):
        if not principal.advertiser_id:
            raise Forbidden("select an advertiser first")
        # An affiliate's token always names it; one that did not would match no conversion, not all.
        return ConversionScope(principal.advertiser_id, principal.affiliate_id or "", sees_revenue)
    return ConversionScope(workspace_tenant(principal, advertiser_id, manage=False), None, sees_revenue)


@dataclass(frozen=True, slots=True)
class NamedConversions:
    """Conversions as one viewer sees them: with their offers' and affiliates' names, and whether
    the viewer sees the advertiser's revenue."""

    items: list[Conversion]
    offer_names: dict[str, str]
    affiliate_names: dict[str, str]
    sees_revenue: bool


def named(
    conversions: list[Conversion],
    names: NameBook,
    sees_revenue: bool,
    advertisers: Iterable[str] = (),
    affiliates: Iterable[str] = (),
) -> NamedConversions:
    """The conversions with the names of their offers and affiliates (and of the offers of
    `advertisers` and of `affiliates` besides, for what is shown beside them)."""
    return NamedConversions(
        conversions,
        names.offers(sorted({*advertisers, *(c.advertiser_id for c in conversions)})),
        names.affiliates(sorted({*affiliates, *(c.affiliate_id for c in conversions)})),
        sees_revenue,
    )


@dataclass(frozen=True, slots=True)
class Decisions:
    updated: int  # conversions whose status changed
    results: list[Decision]  # one per conversion a reference found, or per reference found nowhere


class ConversionReview:
    def __init__(self, conversions: ReviewedConversions, names: NameBook, audit: AuditTrail) -> None:
        self._conversions = conversions
        self._names = names
        self._audit = audit

    def listed(
        self,
        principal: Principal,
        advertiser_id: str | None,
        date_from: date,
        date_to: date,
        status: str | None = None,
        offer_id: str | None = None,
    ) -> NamedConversions:
        """The conversions of UTC days [date_from, date_to] (at most MAX_DAYS) the principal may
        read, newest first, at most MAX_ROWS."""
        if date_to < date_from or (date_to - date_from).days >= MAX_DAYS:
            raise ValidationFailed(f"the range must be 1 to {MAX_DAYS} days, from before to")
        scope = conversion_scope(principal, advertiser_id)
        first = iso_millis(datetime.combine(date_from, time.min, UTC))
        last = iso_millis(datetime.combine(date_to, time.max, UTC))
        # Filtering after the index read keeps the key range one tenant's; MAX_ROWS bounds the answer.
        found = [
            c
            for c in self._conversions.of_advertiser(scope.advertiser_id, first, last, MAX_ROWS * 5)
            if scope.admits(c)
            and (not status or c.status.value == status)
            and (not offer_id or c.offer_id == offer_id)
        ][:MAX_ROWS]
        return named(found, self._names, scope.sees_revenue)

    def review_queue(
        self,
        principal: Principal,
        advertiser_id: str | None,
        offer_id: str | None = None,
        flag: str | None = None,
    ) -> NamedConversions:
        """The advertiser's conversions waiting for a person (held by a fraud rule, or marked for
        review), newest first, at most MAX_ROWS; of one offer, or held for one flag, when named."""
        tenant = workspace_tenant(principal, advertiser_id, manage=False)
        found = [
            c
            for c in self._conversions.awaiting_review(tenant, MAX_ROWS * 5)
            if (not offer_id or c.offer_id == offer_id) and (not flag or c.screening_flag == flag)
        ][:MAX_ROWS]
        return named(found, self._names, allows(principal, Permission.REVENUE_READ))

    def decide(
        self,
        principal: Principal,
        advertiser_id: str | None,
        to: ConversionStatus,
        reason: str | None,
        ids: list[str],
        txn_ids: list[str],
        csv: str | None,
        actor: Actor,
        now: datetime,
    ) -> Decisions:
        """Approve or reject the advertiser's conversions named by id, by transaction id, or by a CSV
        of transaction ids; one audit entry names the conversions whose status changed."""
        tenant = workspace_tenant(principal, advertiser_id, manage=True)
        txn_ids = txn_ids + (txn_ids_from_csv(csv) if csv else [])
        if not ids and not txn_ids:
            raise ValidationFailed("name the conversions: ids, txn_ids or csv")
        results = decide(self._conversions, tenant, ids, txn_ids, to, reason, now)
        changed = [r.conversion for r in results if r.ok and r.conversion and r.conversion.status is not to]
        self._audit.record(
            actor,
            tenant,
            f"conversions.{to.value}",
            f"conversions:{len(changed)}",
            after={"reason": reason, "ids": sorted({c.conversion_id for c in changed})},
        )
        return Decisions(len(changed), results)
