"""Unsubscribing from one kind of e-mail by its link, without signing in.

Every event e-mail that is not a security notice carries a token naming its recipient and its event
type: the footer's link opens the dashboard's page that asks and then POSTs it, and the
`List-Unsubscribe` header lets the mail client POST it itself (RFC 8058 one-click). Taking the token
turns that type's e-mail off in the recipient's preferences and nothing else.

The token is signed (HMAC-SHA256), not stored: it names a user and a type, so a forged one could
unsubscribe anyone from anything. Its key is derived from the secret that signs access tokens, under
its own label, so one secret serves both and neither can be passed off as the other. It does not
expire: a link in an old e-mail should still work (and does no more than its e-mail's user may).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from partnerka.audit.service import Actor
from partnerka.common.errors import ValidationFailed
from partnerka.common.observability import logger
from partnerka.notifications.events import CATALOGUE, Channel, EventType

_KEY_LABEL = b"unsubscribe"


class InvalidUnsubscribeLink(ValidationFailed):
    """The token was not made by us (altered, cut short, signed under another key), or names what
    cannot be unsubscribed from."""


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class UnsubscribeTokens:
    """Makes and reads unsubscribe tokens: `<base64url "user_id:type">.<base64url signature>`, safe
    in a URL as it is."""

    def __init__(self, secret: Callable[[], str]) -> None:
        self._secret = secret  # read at first use (secrets.secret_reader)

    def _key(self) -> bytes:
        return hmac.new(self._secret().encode(), _KEY_LABEL, hashlib.sha256).digest()

    def _signature(self, payload: str) -> str:
        return _encode(hmac.new(self._key(), payload.encode(), hashlib.sha256).digest())

    def unsubscribe_token(self, user_id: str, type: EventType) -> str:
        payload = _encode(f"{user_id}:{type.value}".encode())
        return f"{payload}.{self._signature(payload)}"

    def read_token(self, token: str) -> tuple[str, EventType]:
        """The user and event type the token names; InvalidUnsubscribeLink when it was not made with
        our key or names no event type."""
        payload, _, signature = token.strip().partition(".")
        if not payload or not hmac.compare_digest(signature.encode(), self._signature(payload).encode()):
            raise InvalidUnsubscribeLink("the unsubscribe link is not valid")
        try:
            user_id, _, type_name = _decode(payload).decode().partition(":")
            type = EventType(type_name)
        except (binascii.Error, UnicodeError, ValueError):
            # Signed by us yet unreadable: a token of a format we no longer read.
            raise InvalidUnsubscribeLink("the unsubscribe link is not valid") from None
        if not user_id:
            raise InvalidUnsubscribeLink("the unsubscribe link is not valid")
        return user_id, type


class PreferenceSwitch(Protocol):
    """The recipients' notification preferences, as much as unsubscribing needs
    (notifications.preferences)."""

    def turn_off(self, user_id: str, type: EventType, channel: Channel, actor: Actor) -> None: ...


class Addresses(Protocol):
    """Users' e-mail addresses (the accounts), to tell the person which address was unsubscribed."""

    def email_of(self, user_id: str) -> str | None:
        """The user's address; None when there is no such user."""
        ...


@dataclass(frozen=True, slots=True)
class Unsubscribed:
    type: EventType
    email: str


class Unsubscriptions:
    def __init__(
        self, tokens: UnsubscribeTokens, preferences: PreferenceSwitch, addresses: Addresses
    ) -> None:
        self._tokens = tokens
        self._preferences = preferences
        self._addresses = addresses

    def unsubscribe(self, token: str, actor: Actor) -> Unsubscribed:
        """Turn off the e-mails of the token's event type for its user; taking a token twice is
        the same as once. A security notice cannot be turned off, and a user that is gone has
        nothing to unsubscribe from (both: InvalidUnsubscribeLink)."""
        user_id, type = self._tokens.read_token(token)
        if CATALOGUE[type].security:
            raise InvalidUnsubscribeLink("security notices are always sent and cannot be unsubscribed from")
        email = self._addresses.email_of(user_id)
        if email is None:
            raise InvalidUnsubscribeLink("the unsubscribe link's account no longer exists")
        self._preferences.turn_off(user_id, type, Channel.EMAIL, actor)
        logger.info("unsubscribed by link", user_id=user_id, type=type.value)
        return Unsubscribed(type, email)
