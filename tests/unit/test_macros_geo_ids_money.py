from __future__ import annotations

from pathlib import Path

import pytest

from partnerka.common.errors import ValidationFailed
from partnerka.common.ids import is_click_id, is_id, new_click_id, new_id
from partnerka.common.money import Money, parse_amount
from partnerka.tracking.geo import GeoLocator
from partnerka.tracking.macros import fill_macros
from tests.conftest import GEO_DB


def test_macros_are_url_encoded_and_unknown_ones_emptied() -> None:
    url = fill_macros(
        "https://x.example/?a={sub1}&b={SUB2}&c={nope}&d={sub3}", {"sub1": "a/b c", "sub2": "ü", "sub3": ""}
    )
    assert url == "https://x.example/?a=a%2Fb%20c&b=%C3%BC&c=&d="


def test_ids_are_uuid4_for_clicks_and_sortable_ulids_otherwise() -> None:
    assert is_click_id(new_click_id())
    first, second = new_id(now_ms=1_000), new_id(now_ms=2_000)
    assert is_id(first)
    assert is_id(second)
    assert first < second
    assert not is_id("not-an-id")
    assert not is_click_id("00000000-0000-1000-8000-000000000000")


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("12.5", "USD", 1250), ("0", "EUR", 0), ("1000", "JPY", 1000), ("1.005", "KWD", 1005)],
)
def test_amounts_become_minor_units(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == Money(minor, currency)


@pytest.mark.parametrize("text", ["12.505", "-1", "abc", "NaN", "Infinity", ""])
def test_bad_amounts_are_refused_not_rounded(text: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_amount(text, "USD")


def test_money_prints_with_the_currency_decimals() -> None:
    assert Money(1250, "USD").as_decimal_string() == "12.50"
    assert Money(7, "JPY").as_decimal_string() == "7"


def test_viewer_country_header_wins_and_a_missing_database_gives_unknown() -> None:
    geo = GeoLocator("/nonexistent.mmdb")
    assert geo.country("8.8.8.8", "us") == "US"
    assert geo.country("8.8.8.8") == "ZZ"


@pytest.mark.skipif(not Path(GEO_DB).exists(), reason="the geo database is fetched by scripts/setup")
def test_ip_lookup_uses_the_mmdb_database() -> None:
    geo = GeoLocator(str(GEO_DB))
    assert geo.country("77.88.8.8") == "RU"
    assert geo.country("127.0.0.1") == "ZZ"
    assert geo.country("not an ip") == "ZZ"
