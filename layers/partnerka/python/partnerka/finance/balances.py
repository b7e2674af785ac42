"""Reading the books: one scope's balances, the platform's overview of every advertiser, and the
advertiser's finance settings (its low-balance threshold and minimum payout, per currency)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.ids import new_id
from partnerka.common.money import currency_code, parse_amount
from partnerka.finance.access import BooksScope
from partnerka.finance.directory import Directory
from partnerka.finance.ledger import affiliate_owner
from partnerka.finance.low_balance import LowBalanceWatch
from partnerka.finance.repository import LedgerStore
from partnerka.finance.requests import MoneyRequestStore, RequestKind, RequestStatus
from partnerka.finance.service import AdvertiserBalance, Books, read_books
from partnerka.finance.settings import FinanceSettings, FinanceSettingsStore


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    """One scope's books as people read them: an affiliate's own balances only (`advertiser` and
    `offers` empty), or the advertiser's whole books; with its settings and the names to show."""

    scope: BooksScope
    books: Books
    settings: FinanceSettings
    affiliate_names: dict[str, str]
    offer_names: dict[str, str]


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One advertiser's books in one currency, with what its affiliates hold with it."""

    advertiser_id: str
    advertiser_name: str
    figures: AdvertiserBalance
    low_balance: bool
    hold: int
    approved: int
    paid: int
    open_topups: int  # submitted and waiting for review


def minor_amounts(amounts: Mapping[str, str]) -> dict[str, int]:
    """Currency → decimal text, as people type it, to currency code → minor units."""
    parsed = {}
    for code, text in amounts.items():
        currency = currency_code(code)
        parsed[currency] = parse_amount(text, currency).minor
    return parsed


class Balances:
    def __init__(
        self,
        ledger: LedgerStore,
        settings: FinanceSettingsStore,
        requests: MoneyRequestStore,
        directory: Directory,
        audit: AuditTrail,
        low_balance: LowBalanceWatch,
    ) -> None:
        self._ledger = ledger
        self._settings = settings
        self._requests = requests
        self._directory = directory
        self._audit = audit
        self._low_balance = low_balance

    def sheet(self, scope: BooksScope) -> BalanceSheet:
        """The scope's balances: an affiliate's Hold, Approved and Paid, or the advertiser's books by
        affiliate, in total and by offer."""
        tenant, own = scope.advertiser_id, scope.affiliate_id
        if own:
            books = read_books(self._ledger.balances(affiliate_owner(tenant, own)))
            books = Books([row for row in books.affiliates if row.affiliate_id == own], [], [])
        else:
            books = read_books(self._ledger.books(tenant))
        return BalanceSheet(
            scope,
            books,
            self._settings.get(tenant),
            self._directory.affiliate_names(tenant, (row.affiliate_id for row in books.affiliates)),
            {} if own else self._directory.offer_names(tenant),
        )

    def overview(self) -> list[OverviewRow]:
        """Every advertiser's books, by name then currency: what platform staff watch."""
        rows: list[OverviewRow] = []
        advertisers = self._directory.advertisers()
        for advertiser_id in sorted(advertisers, key=lambda known: advertisers[known].lower()):
            books = read_books(self._ledger.books(advertiser_id))
            thresholds = self._settings.get(advertiser_id)
            waiting = [
                r
                for r in self._requests.of_advertiser(RequestKind.TOPUP, advertiser_id)
                if r.status is RequestStatus.OPEN
            ]
            for row in books.advertiser:
                owed = [a for a in books.affiliates if a.currency == row.currency]
                rows.append(
                    OverviewRow(
                        advertiser_id,
                        advertisers[advertiser_id],
                        row,
                        thresholds.is_low(row.currency, row.balance),
                        hold=sum(a.hold for a in owed),
                        approved=sum(a.approved for a in owed),
                        paid=sum(a.paid for a in owed),
                        open_topups=sum(1 for r in waiting if r.currency == row.currency),
                    )
                )
        return rows

    def settings(self, advertiser_id: str) -> FinanceSettings:
        return self._settings.get(advertiser_id)

    def save_settings(
        self,
        advertiser_id: str,
        low_balance_threshold: Mapping[str, str],
        min_payout: Mapping[str, str],
        actor: Actor,
    ) -> FinanceSettings:
        """Replace the advertiser's thresholds (decimal amounts by currency); audited. A threshold now
        above the balance is a crossing, told as one; a removed threshold forgets its crossing."""
        before = self._settings.get(advertiser_id)
        after = FinanceSettings(
            advertiser_id, minor_amounts(low_balance_threshold), minor_amounts(min_payout)
        )
        self._settings.save(after)
        self._audit.record(
            actor,
            advertiser_id,
            "finance.settings",
            f"advertiser:{advertiser_id}",
            before={"low_balance_threshold": before.low_balance_threshold, "min_payout": before.min_payout},
            after={"low_balance_threshold": after.low_balance_threshold, "min_payout": after.min_payout},
        )
        removed = set(before.low_balance_threshold) - set(after.low_balance_threshold)
        self._low_balance.forget(advertiser_id, removed)
        changed = {
            currency
            for currency, threshold in after.low_balance_threshold.items()
            if before.low_balance_threshold.get(currency) != threshold
        }
        self._low_balance.check(advertiser_id, changed, f"threshold.{new_id()}")
        return after
