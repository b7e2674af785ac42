"""The language the API answers the current request in: the signed-in user's stored language once
`auth.current` has read the user, else the request's Accept-Language (see `pick_language`)."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar

from partnerka.common.language import pick_language

_stored: ContextVar[str | None] = ContextVar("stored_language", default=None)


def start_request() -> None:
    """Forget the previous request's user (a warm instance serves many callers)."""
    _stored.set(None)


def remember(stored_language: str | None) -> None:
    _stored.set(stored_language)


def answer_language(headers: Mapping[str, str]) -> str:
    return pick_language(_stored.get(), headers.get("accept-language"))
