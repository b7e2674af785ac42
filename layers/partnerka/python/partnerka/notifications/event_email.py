"""The e-mail of one event to one recipient: the notifier's `event_email` channel.

The fan-out queues one `event_email` notification per (event, recipient) with everything the mail
needs, so this channel reads nothing: the event, the address, the recipient's language and side,
the brand to wear (the advertiser's, for its affiliates), the base URL of the dashboard the links
open, and the recipient's unsubscribe token for the event's type ("" for a security notice, which
cannot be turned off). The text is the event's message (notifications.messages).

Every e-mail but a security notice can be stopped in one click: its footer links the dashboard's
unsubscribe page, and its `List-Unsubscribe` and `List-Unsubscribe-Post` header fields (RFC 8058)
let the mail client POST the token to the API itself. The API answers beside the dashboard under
/api on every host it serves (the platform's and each advertiser's portal), so the header's URL is
the same base URL's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from partnerka.notifications.email import Email, MailBrand, Mailer, Note, branded_email, send_attempt
from partnerka.notifications.events import Event, Side
from partnerka.notifications.messages import language_of, render
from partnerka.notifications.models import Notification
from partnerka.operations.runner import AttemptResult

EVENT_EMAIL = "event_email"
PREFERENCES_PATH = "/settings/notifications"
UNSUBSCRIBE_PAGE = "/unsubscribe"
UNSUBSCRIBE_API = "/api/notifications/unsubscribe"

_WORDS = {
    # language: (button, why the recipient gets it, where to change it, how to stop this kind)
    "en": (
        "Open",
        "You get this e-mail because notifications of this kind are on for your {brand} account.",
        "Choose which notifications you get:",
        "Unsubscribe from e-mails of this kind:",
    ),
    "ru": (
        "Открыть",
        "Вы получили это письмо, потому что в вашем аккаунте {brand} включены такие уведомления.",
        "Выбрать, какие уведомления получать:",
        "Отписаться от писем этого вида:",
    ),
}
_SECURITY_NOTE = {
    "en": "This is a security notice about your {brand} account: it is always sent.",
    "ru": "Это уведомление о безопасности вашего аккаунта {brand}: оно приходит всегда.",
}


def event_email_payload(
    event: Event,
    user_id: str,
    to: str,
    locale: str,
    base_url: str,
    unsubscribe: str,
    brand: MailBrand | None = None,
    side: Side | None = None,
) -> dict[str, Any]:
    """What an `event_email` notification carries (the fan-out makes it); `side`: the recipient's
    side of the program, for links to its own pages."""
    payload: dict[str, Any] = {
        "event": event.as_payload(),
        "user_id": user_id,
        "to": to,
        "locale": locale,
        "brand": brand.as_payload() if brand is not None else {},
        "base_url": base_url,
        "unsubscribe": unsubscribe,
    }
    if side is not None:
        payload["side"] = side.value
    return payload


@dataclass(frozen=True, slots=True)
class _Letter:
    """A payload, read."""

    event: Event
    to: str
    language: str
    base_url: str
    unsubscribe: str
    side: Side | None


def _read(payload: dict[str, Any]) -> _Letter | None:
    """The payload's parts, or None when it is not an event e-mail's (it never will be)."""
    found = payload.get("event")
    to, base_url = payload.get("to"), payload.get("base_url")
    if not isinstance(found, dict) or not isinstance(to, str) or "@" not in to:
        return None
    if not isinstance(base_url, str) or urlsplit(base_url).scheme not in ("https", "http"):
        return None
    if not urlsplit(base_url).netloc:
        return None
    try:
        event = Event.from_payload(found)
    except (ValueError, KeyError, TypeError):
        return None
    token, locale, side = payload.get("unsubscribe"), payload.get("locale"), payload.get("side")
    return _Letter(
        event=event,
        to=to,
        language=language_of(locale if isinstance(locale, str) else ""),
        base_url=base_url.rstrip("/"),
        unsubscribe=token if isinstance(token, str) else "",
        side=Side(side) if side in {s.value for s in Side} else None,
    )


class EventEmails:
    """The notifier's channel for `event_email` notifications."""

    def __init__(self, mailer: Mailer, platform_name: str) -> None:
        self._mailer = mailer
        self._platform_name = platform_name

    def deliver(self, notification: Notification) -> AttemptResult:
        letter = _read(notification.payload)
        if letter is None:
            return AttemptResult(
                ok=False, error_class="bad_payload", error="not an event e-mail's payload", permanent=True
            )
        brand = MailBrand.from_payload(notification.payload.get("brand"), self._platform_name)
        return send_attempt(self._mailer, _email(letter, brand))


def _email(letter: _Letter, brand: MailBrand) -> Email:
    message = render(letter.event, letter.language, letter.side)
    button, why, change, stop = (part.format(brand=brand.name) for part in _WORDS[letter.language])
    base = letter.base_url
    notes = [Note(why), Note(change, base + PREFERENCES_PATH)]
    headers: tuple[tuple[str, str], ...] = ()
    if letter.event.spec.security:
        notes = [Note(_SECURITY_NOTE[letter.language].format(brand=brand.name)), notes[1]]
    elif letter.unsubscribe:
        token = quote(letter.unsubscribe, safe="")
        notes.append(Note(stop, f"{base}{UNSUBSCRIBE_PAGE}?token={token}"))
        headers = (
            ("List-Unsubscribe", f"<{base}{UNSUBSCRIBE_API}?token={token}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        )
    return branded_email(
        letter.to,
        message.title,
        [message.body],
        button,
        base + message.link,
        brand,
        letter.language,
        notes,
        headers,
    )
