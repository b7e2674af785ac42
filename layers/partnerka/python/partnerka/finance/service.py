"""What a conversion's life posts to the ledger, one event at a time, exactly once.

The finance worker receives one message per conversion event (routed by the orchestrator from the
Conversions stream): its arrival, its approval, its rejection. Each event posts under a permanent key
derived from the conversion and the event, so a message delivered any number of times, or a crash
between the ledger write and the acknowledgement, posts once. An approval or a rejection that
arrives before its conversion's arrival is refused by the ledger's Hold floor and retried later.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from partnerka.common.clock import iso_millis, parse_iso
from partnerka.finance.ledger import Account, ConversionMoney, Journal, approval, arrival
from partnerka.finance.ledger_store import LedgerStore


class FinanceEventKind(StrEnum):
    ARRIVAL = "arrival"  # on hold, pending, or approved at once
    APPROVAL = "approval"
    REJECTION = "rejection"


@dataclass(frozen=True, slots=True)
class FinanceEvent:
    kind: FinanceEventKind
    money: ConversionMoney
    approved: bool  # arrival only: the conversion arrived approved
    at: datetime

    @property
    def event_id(self) -> str:
        return f"{self.money.conversion_id}.{self.kind.value}"

    def as_message(self) -> str:
        return json.dumps(
            {
                "kind": self.kind.value,
                "money": asdict(self.money),
                "approved": self.approved,
                "at": iso_millis(self.at),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_message(cls, body: str) -> FinanceEvent:
        data: dict[str, Any] = json.loads(body)
        return cls(
            FinanceEventKind(data["kind"]),
            ConversionMoney(**data["money"]),
            bool(data["approved"]),
            parse_iso(data["at"]),
        )


def finance_event(old: dict[str, Any] | None, new: dict[str, Any], at: datetime) -> FinanceEvent | None:
    """The finance event of a Conversions stream record (new and old images), or None.

    A conversion stored already rejected (over a cap) never owed anything; a status change between
    hold and pending moves no money; a conversion without payout posts nothing."""
    money = ConversionMoney(
        conversion_id=new["conversion_id"],
        advertiser_id=new["advertiser_id"],
        affiliate_id=new["affiliate_id"],
        offer_id=new["offer_id"],
        currency=new["currency"],
        payout_minor=int(new.get("payout_minor", 0)),
    )
    if money.payout_minor <= 0:
        return None
    status = new.get("status")
    if old is None:
        if status == "rejected":
            return None
        return FinanceEvent(FinanceEventKind.ARRIVAL, money, status == "approved", at)
    if old.get("status") == status:
        return None
    if status == "approved":
        return FinanceEvent(FinanceEventKind.APPROVAL, money, False, at)
    if status == "rejected":
        return FinanceEvent(FinanceEventKind.REJECTION, money, False, at)
    return None


class NotYetArrived(Exception):
    """A rejection came before the arrival it undoes: the message is retried later."""


def post_event(ledger: LedgerStore, event: FinanceEvent) -> list[str]:
    """Post what the event moves; the keys of the journals this call posted (none on a repeat)."""
    money, at = event.money, event.at
    journals: list[Journal] = []
    if event.kind is FinanceEventKind.ARRIVAL:
        journals = [arrival(money, event.approved, at)]
    elif event.kind is FinanceEventKind.APPROVAL:
        journals = [approval(money, at)]
    else:
        # Undo what the conversion posted, newest first: its approval (if any), then its arrival.
        if ledger.get(f"{money.conversion_id}.arrival") is None:
            raise NotYetArrived(f"conversion {money.conversion_id} is rejected before its arrival is posted")
        for key in (f"{money.conversion_id}.approval", f"{money.conversion_id}.arrival"):
            posted = ledger.get(key)
            if posted is not None:
                journals.append(
                    posted.reversal(f"{key}.reversal", at, {**posted.detail, "reason": "rejected"})
                )
    return [journal.key for journal in journals if ledger.post(journal)]


@dataclass(frozen=True, slots=True)
class AffiliateBalance:
    affiliate_id: str
    currency: str
    hold: int
    approved: int
    paid: int


@dataclass(frozen=True, slots=True)
class AdvertiserBalance:
    currency: str
    deposits: int
    pending: int
    spend: int

    @property
    def balance(self) -> int:
        """What is left of the top-ups once approved payouts are charged."""
        return self.deposits - self.spend


@dataclass(frozen=True, slots=True)
class Books:
    """An advertiser's books as people read them: each affiliate's Hold, Approved and Paid, the
    advertiser's deposits, pending and spend, and pending and spend per offer, per currency."""

    affiliates: list[AffiliateBalance]
    advertiser: list[AdvertiserBalance]
    offers: dict[tuple[str, str], tuple[int, int]]  # (offer, currency) → (pending, spend)


def read_books(balances: dict[Account, int]) -> Books:
    parties: dict[tuple[str, str], dict[str, int]] = {}
    offers: dict[tuple[str, str], tuple[int, int]] = {}
    for account, raw in balances.items():
        shown = account.shown(raw)
        base, _, offer = account.kind.partition(":")
        parties.setdefault((account.party, account.currency), {})
        figures = parties[(account.party, account.currency)]
        figures[base] = figures.get(base, 0) + shown
        if offer:
            pending, spend = offers.get((offer, account.currency), (0, 0))
            offers[(offer, account.currency)] = (
                pending + (shown if base == "pending" else 0),
                spend + (shown if base == "spend" else 0),
            )
    affiliates = [
        AffiliateBalance(
            party.removeprefix("aff:"), currency, f.get("hold", 0), f.get("approved", 0), f.get("paid", 0)
        )
        for (party, currency), f in sorted(parties.items())
        if party != "adv"
    ]
    advertiser = [
        AdvertiserBalance(currency, f.get("deposits", 0), f.get("pending", 0), f.get("spend", 0))
        for (party, currency), f in sorted(parties.items())
        if party == "adv"
    ]
    return Books(affiliates, advertiser, offers)


def payouts_due(books: Books, affiliate_id: str | None, currency: str | None) -> list[AffiliateBalance]:
    """The approved balances a bulk payout pays in full: one affiliate's or every affiliate's, in one
    currency or every currency, above zero."""
    return [
        row
        for row in books.affiliates
        if row.approved > 0
        and (affiliate_id is None or row.affiliate_id == affiliate_id)
        and (currency is None or row.currency == currency)
    ]
