"""Money as integer minor units plus an ISO-4217 code; never float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from partnerka.common.errors import ValidationFailed

# Currencies whose minor unit is not 1/100 (ISO 4217); every other accepted code has two decimals.
_EXPONENTS: dict[str, int] = {
    "BHD": 3,
    "CLP": 0,
    "IQD": 3,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KRW": 0,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "PYG": 0,
    "TND": 3,
    "UGX": 0,
    "VND": 0,
    "XAF": 0,
    "XOF": 0,
}
_CODE_RE = re.compile(r"^[A-Z]{3}$")


def currency_code(value: str) -> str:
    code = value.strip().upper()
    if not _CODE_RE.match(code):
        raise ValidationFailed(f"'{value}' is not an ISO-4217 currency code")
    return code


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.minor + other.minor, self.currency)

    def as_decimal_string(self) -> str:
        """`1250 USD` → `12.50`; what postback macros and CSV exports show."""
        exp = exponent(self.currency)
        return plain_decimal((Decimal(self.minor) / (Decimal(10) ** exp)).quantize(Decimal(1).scaleb(-exp)))


def plain_decimal(value: Decimal) -> str:
    """Digits and at most one point, never an exponent: `str(Decimal("1E+1"))` is `1E+1`, which
    people (and the dashboard's forms) do not read as ten."""
    return format(value, "f")


def parse_amount(text: str, currency: str) -> Money:
    """A decimal amount as advertisers send it (`12.5`, `12.50`, `0`) → minor units.

    More decimals than the currency has, negatives, and non-numbers are refused rather than rounded:
    silently rounding somebody's money is worse than a clear error.
    """
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValidationFailed(f"'{text}' is not an amount") from None
    if not value.is_finite() or value < 0:
        raise ValidationFailed(f"'{text}' is not a non-negative amount")
    minor = value.scaleb(exponent(currency))
    if minor != minor.to_integral_value():
        raise ValidationFailed(f"'{text}' has more decimals than {currency} allows")
    return Money(int(minor), currency)
