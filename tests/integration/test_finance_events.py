"""A conversion's life in the ledger, from the Conversions stream's images: arrival, approval,
rejection, each posted once however often its message comes, in any order the queue allows."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from partnerka.conversions.events import ConversionChanged
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.finance.repository import InsufficientBalance, LedgerRepository
from partnerka.finance.service import FinanceEvent, FinanceEventKind, NotYetArrived, finance_event, post_event
from partnerka_local.template import Template

AT = datetime(2026, 11, 27, 12, tzinfo=UTC)


def conversion(status: str, payout: int = 1250, n: int = 1) -> Conversion:
    return Conversion(
        conversion_id=f"cv{n}",
        dedupe_key=f"ADV#ADV#O#OFF#G#sale#TXN#t{n}",
        click_id=f"c{n}",
        offer_id="OFF",
        affiliate_id="AFF",
        advertiser_id="ADV",
        goal="sale",
        status=ConversionStatus(status),
        payout_minor=payout,
        revenue_minor=0,
        currency="USD",
        created_at=AT,
        updated_at=AT,
    )


def change_event(before: Conversion | None, after: Conversion) -> FinanceEvent | None:
    """The finance event of a Conversions stream record with these images."""
    return finance_event(ConversionChanged(after, before))


def balances(ledger: LedgerRepository) -> dict[str, int]:
    found = ledger.balances("aff:ADV:AFF") | ledger.balances("adv:ADV")
    return {account.kind: account.shown(amount) for account, amount in found.items() if amount}


def deliver(ledger: LedgerRepository, event: FinanceEvent | None, times: int = 1) -> list[list[str]]:
    assert event is not None
    message = event.as_message()
    return [post_event(ledger, FinanceEvent.from_message(message)) for _ in range(times)]


def test_which_stream_changes_move_money() -> None:
    assert change_event(None, conversion("hold")).kind is FinanceEventKind.ARRIVAL  # type: ignore[union-attr]
    assert change_event(None, conversion("approved")).approved  # type: ignore[union-attr]
    assert change_event(None, conversion("rejected")) is None  # over a cap: never owed
    assert change_event(None, conversion("pending", payout=0)) is None
    assert change_event(conversion("pending"), conversion("hold")) is None
    assert change_event(conversion("hold"), conversion("hold")) is None
    assert change_event(conversion("hold"), conversion("approved")).kind is FinanceEventKind.APPROVAL  # type: ignore[union-attr]
    assert change_event(conversion("approved"), conversion("rejected")).kind is FinanceEventKind.REJECTION  # type: ignore[union-attr]


def test_hold_approval_and_rejection_each_post_once_under_redelivery(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    # A crash after the ledger write and before the acknowledgement is a redelivery: one journal
    assert deliver(ledger, change_event(None, conversion("hold")), times=3) == [["cv1.arrival"], [], []]
    assert balances(ledger) == {"hold": 1250, "pending:OFF": 1250}
    assert deliver(ledger, change_event(conversion("hold"), conversion("approved")), times=2) == [
        ["cv1.approval"],
        [],
    ]
    assert balances(ledger) == {"approved": 1250, "spend:OFF": 1250}
    rejected = deliver(ledger, change_event(conversion("approved"), conversion("rejected")), times=2)
    assert rejected == [["cv1.approval.reversal", "cv1.arrival.reversal"], []]
    assert balances(ledger) == {}


def test_events_out_of_order_wait_for_the_arrival(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    with pytest.raises(InsufficientBalance):
        deliver(ledger, change_event(conversion("hold", n=2), conversion("approved", n=2)))
    with pytest.raises(NotYetArrived):
        deliver(ledger, change_event(conversion("hold", n=2), conversion("rejected", n=2)))
    assert deliver(ledger, change_event(None, conversion("hold", n=2))) == [["cv2.arrival"]]
    assert deliver(ledger, change_event(conversion("hold", n=2), conversion("rejected", n=2))) == [
        ["cv2.arrival.reversal"]
    ]
    assert balances(ledger) == {}
