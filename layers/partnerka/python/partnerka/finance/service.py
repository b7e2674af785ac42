"""What a conversion's life posts to the ledger, one event at a time, exactly once.

The finance worker receives one message per conversion event (`FinanceEvent`, the finance queue's
message shape: the orchestrator routes each ConversionChanged of the Conversions stream here, and
`finance_event` says which ones move money): its arrival, its approval, its rejection. Each event
posts under a permanent key derived from the conversion and the event, so a message delivered any
number of times, or a crash between the ledger write and the acknowledgement, posts once. An
approval or a rejection that arrives before its conversion's arrival is refused by the ledger's Hold
floor and retried later.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.observability import count, tracer
from partnerka.conversions.events import ConversionChanged
from partnerka.conversions.models import ConversionStatus
from partnerka.finance.ledger import Account, ConversionMoney, Journal, approval, arrival, posts_arrival
from partnerka.finance.repository import LedgerStore


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

    @property
    def moves_balance(self) -> bool:
        """Whether it charges or refunds the advertiser's spend: an approval, a rejection, an arrival
        approved at once (a conversion on hold moves only its pending)."""
        return self.kind is not FinanceEventKind.ARRIVAL or self.approved

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


def finance_event(change: ConversionChanged) -> FinanceEvent | None:
    """The finance event of a conversion's arrival or change, or None.

    A conversion stored already rejected (over a cap) never owed anything; a status change between
    hold and pending moves no money; a conversion with neither payout nor revenue posts nothing."""
    conversion = change.conversion
    money = ConversionMoney(
        conversion_id=conversion.conversion_id,
        advertiser_id=conversion.advertiser_id,
        affiliate_id=conversion.affiliate_id,
        offer_id=conversion.offer_id,
        currency=conversion.currency,
        payout_minor=conversion.payout_minor,
        revenue_minor=conversion.revenue_minor,
    )
    if money.payout_minor <= 0 and money.revenue_minor <= 0:
        return None
    status = conversion.status
    if change.arrival:
        if status is ConversionStatus.REJECTED:
            return None
        return FinanceEvent(FinanceEventKind.ARRIVAL, money, status is ConversionStatus.APPROVED, change.at)
    if not change.status_changed:
        return None
    if status is ConversionStatus.APPROVED:
        return FinanceEvent(FinanceEventKind.APPROVAL, money, False, change.at)
    if status is ConversionStatus.REJECTED:
        return FinanceEvent(FinanceEventKind.REJECTION, money, False, change.at)
    return None


class NotYetArrived(Exception):
    """A rejection came before the arrival it undoes: the message is retried later."""


def post_journal(ledger: LedgerStore, journal: Journal) -> bool:
    """Post one journal; counted (LedgerPostings by kind) only when this call posted it, so a
    journal delivered or submitted twice counts once."""
    posted = ledger.post(journal)
    if posted:
        count("LedgerPostings", kind=journal.kind.value)
    return posted


@tracer.capture_method(capture_response=False)
def post_event(ledger: LedgerStore, event: FinanceEvent) -> list[str]:
    """Post what the event moves; the keys of the journals this call posted (none on a repeat, so
    a message delivered twice counts its postings once)."""
    money, at = event.money, event.at
    journals: list[Journal] = []
    if event.kind is FinanceEventKind.ARRIVAL:
        if posts_arrival(money, event.approved):
            journals = [arrival(money, event.approved, at)]
    elif event.kind is FinanceEventKind.APPROVAL:
        journals = [approval(money, at)]
    else:
        # Undo what the conversion posted, newest first: its approval (if any), then its arrival.
        if money.payout_minor > 0 and ledger.get(f"{money.conversion_id}.arrival") is None:
            raise NotYetArrived(f"conversion {money.conversion_id} is rejected before its arrival is posted")
        for key in (f"{money.conversion_id}.approval", f"{money.conversion_id}.arrival"):
            posted = ledger.get(key)
            if posted is not None:
                journals.append(
                    posted.reversal(f"{key}.reversal", at, {**posted.detail, "reason": "rejected"})
                )
    return [journal.key for journal in journals if post_journal(ledger, journal)]


@dataclass(frozen=True, slots=True)
class AffiliateBalance:
    affiliate_id: str
    currency: str
    hold: int
    approved: int
    paid: int


@dataclass(frozen=True, slots=True)
class AdvertiserBalance:
    """The advertiser's figures in one currency (one offer's, or all offers' together)."""

    currency: str
    deposits: int
    pending: int
    spend: int
    revenue: int
    offer_id: str | None = None

    @property
    def balance(self) -> int:
        """What is left of the top-ups once approved payouts are charged."""
        return self.deposits - self.spend

    @property
    def profit(self) -> int:
        """What approved conversions earned less what they cost in payouts."""
        return self.revenue - self.spend

    @property
    def roi(self) -> float | None:
        """profit / spend * 100, in percent to two decimals; None without spend."""
        return round(self.profit * 100 / self.spend, 2) if self.spend else None


@dataclass(frozen=True, slots=True)
class Books:
    """An advertiser's books as people read them: each affiliate's Hold, Approved and Paid; the
    advertiser's deposits, pending, spend and revenue, in total and per offer, per currency."""

    affiliates: list[AffiliateBalance]
    advertiser: list[AdvertiserBalance]
    offers: list[AdvertiserBalance]


def read_books(balances: dict[Account, int]) -> Books:
    # (party, offer or "", currency) → base kind → shown balance
    figures: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for account, raw in balances.items():
        base, _, offer = account.kind.partition(":")
        shown = account.shown(raw)
        figures[(account.party, "", account.currency)][base] += shown
        if offer:
            figures[(account.party, offer, account.currency)][base] += shown

    def advertiser_row(offer: str, currency: str, f: dict[str, int]) -> AdvertiserBalance:
        return AdvertiserBalance(
            currency, f["deposits"], f["pending"], f["spend"], f["revenue"], offer_id=offer or None
        )

    rows = sorted(figures.items())
    return Books(
        affiliates=[
            AffiliateBalance(party.removeprefix("aff:"), currency, f["hold"], f["approved"], f["paid"])
            for (party, _, currency), f in rows
            if party != "adv"
        ],
        advertiser=[
            advertiser_row("", c, f) for (party, offer, c), f in rows if party == "adv" and not offer
        ],
        offers=[advertiser_row(offer, c, f) for (party, offer, c), f in rows if party == "adv" and offer],
    )


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
