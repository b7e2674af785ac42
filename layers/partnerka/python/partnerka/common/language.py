"""The languages the platform speaks, and which of them a caller reads."""

from __future__ import annotations

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"


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
