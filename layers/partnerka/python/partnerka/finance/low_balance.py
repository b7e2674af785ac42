"""Telling an advertiser's team that its balance fell below its low-balance threshold: once per
crossing, and again only after the balance was back above it.

Whoever moves the advertiser's balance (the finance worker posting an approval or a rejection, a
top-up, a changed threshold) checks it after the journal. A flag per (advertiser, currency) marks a
balance known to be low: the writer whose conditional write raises it is the one that sends the event,
so two writers crossing at once send one; and a balance seen back above the threshold takes the flag
down, so the next crossing is told again. The flag remembers the crossing that raised it: the same
writer retried (a redelivered message after a crash before the event was sent) holds the flag still
and sends the same event id, which the notifier sends once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.money import Money
from partnerka.common.observability import logger
from partnerka.finance.ledger import Journal
from partnerka.finance.repository import LedgerStore
from partnerka.finance.service import read_books
from partnerka.finance.settings import FinanceSettingsStore
from partnerka.notifications.events import Audience, Event, EventType, Notices

BALANCE_KINDS = ("deposits", "spend")  # the advertiser's accounts its balance is made of


class LowBalanceFlags(Protocol):
    def raise_flag(self, advertiser_id: str, currency: str, crossing: str, at: datetime) -> bool:
        """Mark the balance low for `crossing`; True when this crossing holds the flag (raised it
        now, or before), False when another crossing raised it."""
        ...

    def lower_flag(self, advertiser_id: str, currency: str) -> None: ...


@dataclass(frozen=True, slots=True)
class LowBalanceFlag:
    """A balance known to be below its threshold. Key shape: core table, PK `ADV#<advertiser>`, SK
    `LOWBALANCE#<currency>`; `crossing` names the journal (or threshold change) that took it below."""

    advertiser_id: str
    currency: str

    def key(self) -> dict[str, Any]:
        return {"pk": {"S": f"ADV#{self.advertiser_id}"}, "sk": {"S": f"LOWBALANCE#{self.currency}"}}


class LowBalanceFlagRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def raise_flag(self, advertiser_id: str, currency: str, crossing: str, at: datetime) -> bool:
        client = self._c()
        try:
            client.put_item(
                TableName=self._table,
                Item={
                    **LowBalanceFlag(advertiser_id, currency).key(),
                    "crossing": {"S": crossing},
                    "raised_at": {"S": iso_millis(at)},
                },
                ConditionExpression="attribute_not_exists(pk) OR crossing = :crossing",
                ExpressionAttributeValues={":crossing": {"S": crossing}},
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def lower_flag(self, advertiser_id: str, currency: str) -> None:
        self._c().delete_item(TableName=self._table, Key=LowBalanceFlag(advertiser_id, currency).key())


def balance_currencies(journal: Journal) -> set[str]:
    """The currencies whose advertiser balance the journal moves (none for an affiliate's payout or a
    conversion still on hold)."""
    return {
        entry.account.currency
        for entry in journal.entries
        if entry.account.party == "adv" and entry.account.kind.split(":", 1)[0] in BALANCE_KINDS
    }


class LowBalanceWatch:
    def __init__(
        self,
        ledger: LedgerStore,
        settings: FinanceSettingsStore,
        flags: LowBalanceFlags,
        notices: Notices,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._ledger = ledger
        self._settings = settings
        self._flags = flags
        self._notices = notices
        self._now = now

    def check(self, advertiser_id: str, currencies: set[str], crossing: str) -> None:
        """After `crossing` (a journal key, a threshold change) moved the advertiser's balance in
        `currencies`: tell the team of a crossing below the threshold, or take the flag down above
        it. Never raises: the journal is posted whatever becomes of its notice."""
        if not currencies:
            return
        try:
            thresholds = self._settings.get(advertiser_id).low_balance_threshold
            watched = {c: thresholds[c] for c in sorted(currencies) if c in thresholds}
            if not watched:
                return  # no threshold, no flag: the change that removed one took its flag down
            rows = read_books(self._ledger.balances(f"adv:{advertiser_id}")).advertiser
            balances = {row.currency: row.balance for row in rows}
            for currency, threshold in watched.items():
                self._judge(advertiser_id, currency, balances.get(currency, 0), threshold, crossing)
        except Exception:
            logger.exception(
                "the low balance was not checked", advertiser_id=advertiser_id, crossing=crossing
            )

    def forget(self, advertiser_id: str, currencies: set[str]) -> None:
        """The thresholds of `currencies` were removed: their flags go, so a threshold set again is
        told from scratch. Never raises."""
        for currency in sorted(currencies):
            try:
                self._flags.lower_flag(advertiser_id, currency)
            except Exception:
                logger.exception("a low-balance flag was not lowered", advertiser_id=advertiser_id)

    def _judge(self, advertiser_id: str, currency: str, balance: int, threshold: int, crossing: str) -> None:
        if balance >= threshold:
            self._flags.lower_flag(advertiser_id, currency)
            return
        now = self._now()
        if not self._flags.raise_flag(advertiser_id, currency, crossing, now):
            return  # told already, for the crossing that raised the flag
        self._notices.send(
            Event(
                event_id=f"balance-low.{advertiser_id}.{currency}.{crossing}",
                type=EventType.BALANCE_LOW,
                occurred_at=now,
                advertiser_id=advertiser_id,
                audience=Audience(advertiser_team=True),
                data={
                    "currency": currency,
                    "balance": Money(balance, currency).as_decimal_string(),
                    "threshold": Money(threshold, currency).as_decimal_string(),
                },
            )
        )
