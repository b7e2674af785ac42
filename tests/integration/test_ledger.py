"""The ledger against the real table (moto): journals post once whatever the redelivery, balances are
the sums of their entries, and concurrent payouts never pay more than was approved."""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerka.common.errors import ValidationFailed
from partnerka.finance.ledger import (
    Account,
    ConversionMoney,
    Entry,
    Journal,
    JournalKind,
    affiliate,
    approval,
    arrival,
    payout,
    topup,
)
from partnerka.finance.repository import InsufficientBalance, LedgerRepository
from partnerka_local.template import Template
from tests.conftest import examples

AT = datetime(2026, 11, 27, 12, tzinfo=UTC)
ADV, AFF = "ADV1", "AFF1"


def money(n: int, payout_minor: int = 1250, currency: str = "USD") -> ConversionMoney:
    return ConversionMoney(f"cv{n}", ADV, AFF, "OFFER1", currency, payout_minor)


def shown(ledger: LedgerRepository, owner: str) -> dict[tuple[str, str], int]:
    return {(a.kind, a.currency): a.shown(b) for a, b in ledger.balances(owner).items() if b}


def test_a_journal_must_balance_in_every_currency_and_move_money() -> None:
    usd, eur = affiliate(ADV, AFF, "hold", "USD"), affiliate(ADV, AFF, "approved", "EUR")
    with pytest.raises(ValidationFailed, match="does not balance"):
        Journal("k", JournalKind.PAYOUT, ADV, (Entry(usd, 100), Entry(eur, -100)), AT)
    with pytest.raises(ValidationFailed, match="moves money"):
        Journal("k", JournalKind.PAYOUT, ADV, (Entry(usd, 0),), AT)
    with pytest.raises(ValidationFailed, match="currency"):
        Journal(
            "k", JournalKind.PAYOUT, ADV, (Entry(Account("aff:a:b", "hold", "usd1"), 1), Entry(usd, -1)), AT
        )


def test_a_conversion_moves_from_hold_to_approved_to_paid_exactly_once(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    owner = f"aff:{ADV}:{AFF}"
    # Redelivered up to three times each: every journal posts once
    for journal in (arrival(money(1), False, AT), approval(money(1), AT), arrival(money(2, 500), False, AT)):
        assert [ledger.post(journal) for _ in range(3)] == [True, False, False]
    assert shown(ledger, owner) == {("hold", "USD"): 500, ("approved", "USD"): 1250}
    assert shown(ledger, f"adv:{ADV}") == {("pending:OFFER1", "USD"): 500, ("spend:OFFER1", "USD"): 1250}
    # Nothing leaves Hold that never entered it: an approval before its conversion waits
    with pytest.raises(InsufficientBalance):
        ledger.post(approval(money(9), AT))
    assert ledger.get("cv9.approval") is None
    # A payout can never exceed the approved balance
    with pytest.raises(InsufficientBalance):
        ledger.post(payout(ADV, AFF, "USD", 1251, "p1", AT, {}))
    assert ledger.post(payout(ADV, AFF, "USD", 1000, "p2", AT, {"method": "wire", "reference": "W-1"}))
    assert shown(ledger, owner) == {("hold", "USD"): 500, ("approved", "USD"): 250, ("paid", "USD"): 1000}
    # Payouts are listed for the advertiser and for the affiliate, with their method and reference
    for index in (f"payouts#{ADV}", f"payouts#{ADV}#{AFF}"):
        (listed,) = ledger.history(index, 10)
        assert (listed.key, listed.detail["reference"], listed.detail["affiliate_id"]) == (
            "payout.p2",
            "W-1",
            AFF,
        )
    # The advertiser's books hold its own accounts and each affiliate's
    assert {account.party for account in ledger.books(ADV)} == {"adv", f"aff:{AFF}"}
    # A rejection reverses what the conversion posted
    arrived = ledger.get("cv2.arrival")
    assert arrived is not None
    assert ledger.post(arrived.reversal("cv2.arrival.reversal", AT + timedelta(hours=1)))
    assert ("hold", "USD") not in shown(ledger, owner)
    # Every balance is the sum of its entries
    for account, balance in ledger.balances(owner).items():
        assert sum(amount for _, amount in ledger.entries(account)) == balance


def test_fifty_concurrent_payouts_pay_at_most_the_approved_balance(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    for n in range(4):  # 4 x 12.50 approved
        ledger.post(arrival(money(n), True, AT))

    def pay(n: int) -> int:
        try:
            return 300 if ledger.post(payout(ADV, AFF, "USD", 300, f"c{n}", AT, {})) else 0
        except InsufficientBalance:
            return 0

    with ThreadPoolExecutor(max_workers=16) as pool:
        paid = sum(pool.map(pay, range(50)))
    assert paid == 4800  # 16 payouts of 3.00 fit in 50.00; the 17th would not
    approved = affiliate(ADV, AFF, "approved", "USD")
    assert approved.shown(ledger.balances(f"aff:{ADV}:{AFF}")[approved]) == 200


def test_zero_and_three_decimal_currencies_stay_in_their_own_minor_units(stack: Template) -> None:
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    ledger.post(topup(ADV, "JPY", 5000, "t1", AT, {}))
    ledger.post(topup(ADV, "KWD", 12345, "t2", AT, {}))
    assert shown(ledger, f"adv:{ADV}") == {
        ("cash", "JPY"): 5000,
        ("deposits", "JPY"): 5000,
        ("cash", "KWD"): 12345,
        ("deposits", "KWD"): 12345,
    }


EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["arrive_hold", "arrive_approved", "approve", "reject", "pay", "topup"]),
        st.integers(0, 4),  # which conversion (or payout id)
        st.integers(1, 3),  # how many times the message is delivered
        st.sampled_from(["USD", "JPY"]),
    ),
    max_size=25,
)


@settings(
    max_examples=examples(15, 400), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=EVENTS)
def test_random_events_and_redeliveries_keep_every_invariant(stack: Template, events: list) -> None:  # type: ignore[type-arg]
    ledger = LedgerRepository(os.environ["LEDGER_TABLE"])
    run = uuid.uuid4().hex  # hypothesis reuses the table between examples
    adv = f"ADV-{run}"
    posted: dict[str, Journal] = {}
    for step, (event, n, deliveries, currency) in enumerate(events):
        c = ConversionMoney(f"{run}-cv{n}-{currency}", adv, AFF, "OFFER1", currency, 1000 + n)
        journals: list[Journal] = []
        if event == "arrive_hold":
            journals = [arrival(c, False, AT)]
        elif event == "arrive_approved":
            journals = [arrival(c, True, AT)]
        elif event == "approve":  # refused by the Hold floor unless the conversion is on hold
            journals = [approval(c, AT)]
        elif event == "reject":
            journals = [
                posted[key].reversal(f"{key}.reversal", AT)
                for key in (f"{c.conversion_id}.approval", f"{c.conversion_id}.arrival")
                if key in posted
            ]
        elif event == "pay":
            journals = [payout(adv, AFF, currency, 700, f"{run}-{step}", AT, {})]
        elif event == "topup":
            journals = [topup(adv, currency, 900, f"{run}-{n}", AT, {})]
        for journal in journals:
            outcomes = []
            for _ in range(deliveries):
                try:
                    outcomes.append(ledger.post(journal))
                except InsufficientBalance:
                    outcomes.append(False)
            # No journal posts twice, however often its message comes
            assert outcomes.count(True) <= 1
            stored = ledger.get(journal.key)
            if stored is not None:
                posted[journal.key] = stored
    for owner in (f"aff:{adv}:{AFF}", f"adv:{adv}"):
        for account, balance in ledger.balances(owner).items():
            # Every balance is the sum of its entries
            assert sum(amount for _, amount in ledger.entries(account)) == balance
            # Hold, paid and top-ups never go below zero; approved only by a reversal after a payout
            if account.kind in ("hold", "paid", "deposits", "cash"):
                assert account.shown(balance) >= 0, account
    # Every stored journal sums to zero per currency (checked again on the way back)
    for key in posted:
        stored = ledger.get(key)
        assert stored is not None
        assert sum(e.amount for e in stored.entries) == 0
