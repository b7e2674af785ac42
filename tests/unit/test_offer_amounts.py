"""Amounts the offers API answers are plain decimal strings: what the offer form accepts as typed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from partnerka.common.money import Money
from partnerka.offers.routing import AmountType
from partnerka.offers.service import show_amount

# What the dashboard's offer form takes (frontend/src/features/offers/offer-schema.ts).
PERCENT_AS_TYPED = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")
MONEY_AS_TYPED = re.compile(r"^\d{1,12}(?:\.\d{1,2})?$")


def test_whole_percentages_are_written_without_an_exponent() -> None:
    assert show_amount(AmountType.PERCENT, 1000, "USD") == "10"
    assert show_amount(AmountType.PERCENT, 10000, "USD") == "100"
    assert show_amount(AmountType.PERCENT, 2000, "USD") == "20"
    assert show_amount(AmountType.PERCENT, 1250, "USD") == "12.5"
    assert show_amount(AmountType.PERCENT, 0, "USD") == "0"


@given(st.integers(min_value=0, max_value=10_000))
def test_every_percentage_reads_back_as_typed(basis_points: int) -> None:
    text = show_amount(AmountType.PERCENT, basis_points, "EUR")
    assert PERCENT_AS_TYPED.match(text), text
    assert round(float(text) * 100) == basis_points


@given(st.integers(min_value=0, max_value=10**14 - 1), st.sampled_from(["USD", "RUB", "EUR"]))
def test_every_money_amount_reads_back_as_typed(minor: int, currency: str) -> None:
    text = show_amount(AmountType.FIXED, minor, currency)
    assert MONEY_AS_TYPED.match(text), text
    assert text == Money(minor, currency).as_decimal_string()
