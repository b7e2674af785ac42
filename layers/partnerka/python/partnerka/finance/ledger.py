"""The double-entry ledger: every financial event is a journal of entries that sums to zero in each
currency. Entries are never changed; a correction is a reversing journal.

Amounts are integer minor units of an ISO-4217 currency (exponents in common.money), signed
debit-positive: a debit adds, a credit subtracts. An account's balance is the sum of its entries;
each account has a normal side, and what a person is shown is the balance on that side (`shown`).

Accounts, per currency (an owner, then a kind):

    aff:<advertiser>:<affiliate>  hold       credit  earned, waiting for the hold to end or approval
                                  approved   credit  payable
                                  paid       credit  paid out, all time
    adv:<advertiser>              pending:<offer>     debit   payouts on hold or awaiting approval
                                  spend:<offer>       debit   approved payouts, all time
                                  revenue:<offer>     credit  what approved conversions earned, all time
                                  receivable:<offer>  debit   its counterpart (a memo pair: no cash moves)
                                  deposits            credit  top-ups, all time
                                  cash                debit   money received for top-ups

The events, each one journal with a permanent idempotency key:

    conversion arrives (hold or pending)   Dr adv pending:<offer>   Cr aff hold
    conversion arrives approved            Dr adv spend:<offer>     Cr aff approved
                                           Dr adv receivable:<offer>  Cr adv revenue:<offer>
    conversion approved                    Dr aff hold              Cr aff approved
                                           Dr adv spend:<offer>     Cr adv pending:<offer>
                                           Dr adv receivable:<offer>  Cr adv revenue:<offer>
    conversion rejected: the reversing journal of what it posted before (its arrival, and its
    approval when there was one)
    paid clicks of an hour                 Dr adv spend:<offer>     Cr aff approved
      (one journal per offer, affiliate and UTC hour, and one more for each later count: see
      finance.clicks)
    payout                                 Dr aff approved          Cr aff paid
    top-up                                 Dr adv cash              Cr adv deposits

An advertiser's balance is its deposits less its spend: top-ups less approved payouts; its profit on
an offer is the revenue less the spend. (A conversion without payout posts only its revenue; one
without revenue, only its payout.)

Booking: a journal that moves spend or revenue is booked in the month of its event, and listed for
that month's invoice (index `invoice#<advertiser>#<YYYY-MM>`), unless the month's invoice has
already closed the books; then it is booked in the first month still open. So an invoice, once
issued, never changes, and no journal is left off every invoice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from partnerka.common.errors import ValidationFailed
from partnerka.common.money import currency_code


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


AFFILIATE_KINDS = {"hold": Side.CREDIT, "approved": Side.CREDIT, "paid": Side.CREDIT}
ADVERTISER_KINDS = {
    "pending": Side.DEBIT,
    "spend": Side.DEBIT,
    "revenue": Side.CREDIT,
    "receivable": Side.DEBIT,
    "deposits": Side.CREDIT,
    "cash": Side.DEBIT,
}
INVOICED_KINDS = ("spend", "revenue")  # journals moving these are booked into a month's invoice


def owner_parts(owner: str) -> tuple[str, str]:
    """`aff:<advertiser>:<affiliate>` → (advertiser, `aff:<affiliate>`); `adv:<advertiser>` → (advertiser,
    `adv`): whose books an owner's accounts are in, and whose they are within them."""
    kind, advertiser_id, *affiliate_id = owner.split(":")
    return advertiser_id, f"aff:{affiliate_id[0]}" if kind == "aff" else "adv"


@dataclass(frozen=True, slots=True, order=True)
class Account:
    owner: str  # `aff:<advertiser>:<affiliate>` or `adv:<advertiser>`
    kind: str  # hold | approved | paid | pending:<offer> | spend:<offer> | deposits | cash
    currency: str

    @property
    def advertiser_id(self) -> str:
        return owner_parts(self.owner)[0]

    @property
    def party(self) -> str:
        """Whose account within the advertiser's books: `aff:<affiliate>` or `adv`."""
        return owner_parts(self.owner)[1]

    @property
    def side(self) -> Side:
        base = self.kind.split(":", 1)[0]
        kinds = AFFILIATE_KINDS if self.owner.startswith("aff:") else ADVERTISER_KINDS
        return kinds[base]

    def shown(self, balance: int) -> int:
        """The balance on the account's normal side: positive in normal use."""
        return balance if self.side is Side.DEBIT else -balance


def _id(value: str) -> str:
    if not value or ":" in value or "#" in value:
        raise ValidationFailed(f"{value!r} cannot name a ledger account")
    return value


def affiliate_owner(advertiser_id: str, affiliate_id: str) -> str:
    """The owner of an affiliate's accounts in one advertiser's books."""
    return f"aff:{_id(advertiser_id)}:{_id(affiliate_id)}"


def affiliate(advertiser_id: str, affiliate_id: str, kind: str, currency: str) -> Account:
    return Account(affiliate_owner(advertiser_id, affiliate_id), kind, currency)


def advertiser(advertiser_id: str, kind: str, currency: str) -> Account:
    return Account(f"adv:{_id(advertiser_id)}", kind, currency)


@dataclass(frozen=True, slots=True)
class Entry:
    account: Account
    amount: int  # minor units, debit-positive


class JournalKind(StrEnum):
    CONVERSION = "conversion"
    APPROVAL = "approval"
    REVERSAL = "reversal"
    PAYOUT = "payout"
    TOPUP = "topup"
    CLICKS = "clicks"


@dataclass(frozen=True, slots=True)
class Journal:
    key: str  # the permanent idempotency key: `<conversion id>.<event>`, `payout.<id>`, `topup.<id>`
    kind: JournalKind
    advertiser_id: str
    entries: tuple[Entry, ...]
    created_at: datetime
    reverses: str | None = None  # the key of the journal this one reverses
    detail: dict[str, str] = field(default_factory=dict)  # offer, affiliate, method, reference, memo
    booked: str | None = None  # YYYY-MM, set when its own month's books were already closed

    def __post_init__(self) -> None:
        if not self.entries:
            raise ValidationFailed("a journal has entries")
        sums: dict[str, int] = defaultdict(int)
        for entry in self.entries:
            currency_code(entry.account.currency)
            if entry.amount == 0:
                raise ValidationFailed("an entry moves money")
            sums[entry.account.currency] += entry.amount
        unbalanced = {currency: total for currency, total in sums.items() if total}
        if unbalanced:
            raise ValidationFailed(f"journal {self.key} does not balance: {unbalanced}")
        if len({entry.account for entry in self.entries}) != len(self.entries):
            raise ValidationFailed(f"journal {self.key} names an account twice")

    @property
    def invoiced(self) -> bool:
        """Whether this journal moves spend or revenue, and so belongs on an invoice."""
        return any(e.account.kind.split(":", 1)[0] in INVOICED_KINDS for e in self.entries)

    @property
    def month(self) -> str | None:
        """The month whose invoice lists this journal (YYYY-MM), or None."""
        if not self.invoiced:
            return None
        return self.booked or self.created_at.strftime("%Y-%m")

    @property
    def indexes(self) -> list[str]:
        """The histories this journal is listed in: payouts by advertiser and by affiliate, top-ups,
        and its month's invoice."""
        affiliate_id = self.detail.get("affiliate_id", "")
        if self.kind is JournalKind.PAYOUT:
            return [payouts_index(self.advertiser_id), payouts_index(self.advertiser_id, affiliate_id)]
        if self.kind is JournalKind.TOPUP:
            return [topups_index(self.advertiser_id)]
        if self.kind is JournalKind.CLICKS:
            day = self.detail.get("hour", "")[:10]
            return [
                clicks_index(self.advertiser_id, day),
                invoice_index(self.advertiser_id, self.month or ""),
            ]
        if self.month:
            return [invoice_index(self.advertiser_id, self.month)]
        return []

    @property
    def own_id(self) -> str:
        """A payout's or a top-up's own id: its key without the kind (`payout.<id>` → `<id>`)."""
        return self.key.removeprefix(f"{self.kind.value}.")

    def credited(self, kind: str) -> tuple[str, int]:
        """(currency, amount shown) this journal credited to its account of `kind`: what a payout
        paid (`paid`) or a top-up deposited (`deposits`)."""
        entry = next(e for e in self.entries if e.account.kind == kind)
        return entry.account.currency, -entry.amount

    def reversal(self, key: str, at: datetime, detail: dict[str, str] | None = None) -> Journal:
        """The journal that undoes this one: the same entries, opposite amounts."""
        return Journal(
            key=key,
            kind=JournalKind.REVERSAL,
            advertiser_id=self.advertiser_id,
            entries=tuple(Entry(e.account, -e.amount) for e in self.entries),
            created_at=at,
            reverses=self.key,
            detail=dict(detail or self.detail),
        )

    def rebooked(self, month: str) -> Journal:
        """This journal booked in `month`, its own month's books being closed."""
        return replace(self, booked=month)


def invoice_index(advertiser_id: str, month: str) -> str:
    return f"invoice#{advertiser_id}#{month}"


def payouts_index(advertiser_id: str, affiliate_id: str | None = None) -> str:
    """The history of an advertiser's payouts, or of one affiliate's with it."""
    return f"payouts#{advertiser_id}" + (f"#{affiliate_id}" if affiliate_id else "")


def topups_index(advertiser_id: str) -> str:
    return f"topups#{advertiser_id}"


def clicks_index(advertiser_id: str, day: str) -> str:
    """The paid clicks' journals of an advertiser's UTC day (by the hour they pay for)."""
    return f"clicks#{advertiser_id}#{day}"


def _pair(debit: Account, credit: Account, amount: int) -> tuple[Entry, Entry]:
    if amount <= 0:
        raise ValidationFailed("an amount is positive")
    return Entry(debit, amount), Entry(credit, -amount)


@dataclass(frozen=True, slots=True)
class ConversionMoney:
    """What the ledger needs of a conversion."""

    conversion_id: str
    advertiser_id: str
    affiliate_id: str
    offer_id: str
    currency: str
    payout_minor: int
    revenue_minor: int = 0

    def revenue(self) -> tuple[Entry, ...]:
        """The memo pair recognising an approved conversion's revenue (none without revenue)."""
        if self.revenue_minor <= 0:
            return ()
        return _pair(
            advertiser(self.advertiser_id, f"receivable:{self.offer_id}", self.currency),
            advertiser(self.advertiser_id, f"revenue:{self.offer_id}", self.currency),
            self.revenue_minor,
        )


def posts_arrival(c: ConversionMoney, approved: bool) -> bool:
    """Whether a conversion's arrival moves anything: its payout, or (arriving approved) its revenue."""
    return c.payout_minor > 0 or (approved and c.revenue_minor > 0)


def arrival(c: ConversionMoney, approved: bool, at: datetime) -> Journal:
    """A conversion's payout enters the affiliate's Hold (or Approved, with its revenue, when it
    arrives approved)."""
    entries: tuple[Entry, ...] = ()
    if approved:
        if c.payout_minor > 0:
            entries = _pair(
                advertiser(c.advertiser_id, f"spend:{c.offer_id}", c.currency),
                affiliate(c.advertiser_id, c.affiliate_id, "approved", c.currency),
                c.payout_minor,
            )
        entries += c.revenue()
    else:
        entries = _pair(
            advertiser(c.advertiser_id, f"pending:{c.offer_id}", c.currency),
            affiliate(c.advertiser_id, c.affiliate_id, "hold", c.currency),
            c.payout_minor,
        )
    return Journal(
        f"{c.conversion_id}.arrival",
        JournalKind.CONVERSION,
        c.advertiser_id,
        entries,
        at,
        detail={"conversion_id": c.conversion_id, "offer_id": c.offer_id, "affiliate_id": c.affiliate_id},
    )


def approval(c: ConversionMoney, at: datetime) -> Journal:
    """Hold → Approved for the affiliate; pending → spend for the advertiser, and its revenue."""
    entries: tuple[Entry, ...] = ()
    if c.payout_minor > 0:
        entries = _pair(
            affiliate(c.advertiser_id, c.affiliate_id, "hold", c.currency),
            affiliate(c.advertiser_id, c.affiliate_id, "approved", c.currency),
            c.payout_minor,
        ) + _pair(
            advertiser(c.advertiser_id, f"spend:{c.offer_id}", c.currency),
            advertiser(c.advertiser_id, f"pending:{c.offer_id}", c.currency),
            c.payout_minor,
        )
    entries += c.revenue()
    return Journal(
        f"{c.conversion_id}.approval",
        JournalKind.APPROVAL,
        c.advertiser_id,
        entries,
        at,
        detail={"conversion_id": c.conversion_id, "offer_id": c.offer_id, "affiliate_id": c.affiliate_id},
    )


@dataclass(frozen=True, slots=True)
class ClickHour:
    """Paid clicks of one offer and affiliate in one UTC hour (`yyyy-mm-ddTHH`), in one currency:
    counted by the orchestrator, or posted to the ledger so far."""

    advertiser_id: str
    offer_id: str
    affiliate_id: str
    hour: str
    currency: str
    clicks: int
    payout: int  # minor units


def paid_clicks(counted: ClickHour, posted: ClickHour, at: datetime) -> Journal:
    """What the hour's paid clicks owe beyond what is posted already: the advertiser's spend, the
    affiliate's approved balance (a paid click is final: nothing is left to review, so it has no
    hold).

    Its key is the hour's and what was posted before it: every poster that saw the same postings
    makes the same journal, so only one of them posts; a later count follows it as a journal of its
    own, keyed by what this one brought the hour to."""
    amount = counted.payout - posted.payout
    entries = _pair(
        advertiser(counted.advertiser_id, f"spend:{counted.offer_id}", counted.currency),
        affiliate(counted.advertiser_id, counted.affiliate_id, "approved", counted.currency),
        amount,
    )
    key = (
        f"clicks.{counted.offer_id}.{counted.affiliate_id}.{counted.hour}.{counted.currency}.{posted.payout}"
    )
    detail = {
        "offer_id": counted.offer_id,
        "affiliate_id": counted.affiliate_id,
        "hour": counted.hour,
        "clicks": str(counted.clicks - posted.clicks),
    }
    return Journal(key, JournalKind.CLICKS, counted.advertiser_id, entries, at, detail=detail)


def payout(
    advertiser_id: str,
    affiliate_id: str,
    currency: str,
    amount: int,
    payout_id: str,
    at: datetime,
    detail: dict[str, str],
) -> Journal:
    entries = _pair(
        affiliate(advertiser_id, affiliate_id, "approved", currency),
        affiliate(advertiser_id, affiliate_id, "paid", currency),
        amount,
    )
    detail = {**detail, "affiliate_id": affiliate_id}
    return Journal(f"payout.{payout_id}", JournalKind.PAYOUT, advertiser_id, entries, at, detail=detail)


def topup(
    advertiser_id: str, currency: str, amount: int, topup_id: str, at: datetime, detail: dict[str, str]
) -> Journal:
    entries = _pair(
        advertiser(advertiser_id, "cash", currency), advertiser(advertiser_id, "deposits", currency), amount
    )
    return Journal(f"topup.{topup_id}", JournalKind.TOPUP, advertiser_id, entries, at, detail=detail)


# Accounts whose shown balance may never go below zero through a journal of these kinds: an affiliate
# is never paid more than it has approved, and nothing leaves Hold that never entered it (an approval
# or a rejection that comes before its conversion waits). A rejection after a payout may still take
# Approved below zero: what was paid becomes a debt the next earnings settle.
FLOORED = {
    JournalKind.PAYOUT: ("approved",),
    JournalKind.APPROVAL: ("hold",),
    JournalKind.REVERSAL: ("hold",),
}


def floors(journal: Journal) -> list[Account]:
    """The accounts this journal may not take below zero (checked by a condition as it posts)."""
    kinds = FLOORED.get(journal.kind, ())
    return [entry.account for entry in journal.entries if entry.account.kind in kinds]
