"""The languages the platform speaks, and which of them a caller reads."""

from __future__ import annotations

import re

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ru": (
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ),
}
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def month_name(month: str, language: str) -> str:
    """A `YYYY-MM` month as people read it ("March 2026", "март 2026"); anything else as it is."""
    found = _YEAR_MONTH.fullmatch(month)
    if found is None or not 1 <= int(found[2]) <= 12:
        return month
    names = MONTHS.get(language, MONTHS[DEFAULT_LANGUAGE])
    return f"{names[int(found[2]) - 1]} {found[1]}"


def _weight(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def pick_language(stored: str | None, accept_language: str | None) -> str:
    """The signed-in user's stored language when it is one we speak; else the most wanted language of
    an `Accept-Language` header that we speak (`q=0` means "not this one"); else English. A header
    that cannot be read counts as none."""
    if stored in LANGUAGES:
        return stored
    best, best_weight = DEFAULT_LANGUAGE, 0.0
    for entry in (accept_language or "").split(","):
        tag, *parameters = entry.split(";")
        base = tag.strip().lower().split("-")[0]
        weight = _weight(parameters)
        if base in LANGUAGES and weight > best_weight:
            best, best_weight = base, weight
    return best
