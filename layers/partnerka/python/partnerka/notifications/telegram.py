"""Notifications in Telegram: a user links a chat to its account, and the notifier sends there.

Linking: the profile asks for a link (`TelegramLinking.start_link`), a deep link to the platform's bot
with a one-time code (`https://t.me/<bot>?start=<code>`, 15 minutes). Pressing Start in Telegram
sends the bot `/start <code>`; Telegram posts that update to the webhook (`TelegramWebhook`), which
binds the chat to the code's user and confirms in the user's language. `/stop` in the chat, or the
profile's unlink, ends it; so does a chat that blocked the bot (the channel finds out on sending).

One chat belongs to one user: linking a chat another user had moves it (that user's link goes).
Whoever presses Start with a fresh code holds the chat now, and a chat left linked to two accounts
would show one person the other's notifications. A user has one chat; linking another replaces it.
Only private chats link: a deep link's Start opens one, and a group would show a person's
notifications to everyone in it.

Sending: the fan-out queues a `telegram` notification per (event, user) with the user's chat; the
channel (`TelegramChannel`) renders the event in the user's language and sends it, waits as long as
Telegram asks on a 429, and unlinks a chat that blocked the bot or is gone (no retries for those).
"""

from __future__ import annotations

import hmac
import html
import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from partnerka.audit.service import Actor, AuditTrail
from partnerka.common import dynamo
from partnerka.common.clock import utc_now
from partnerka.common.errors import Conflict, Unauthenticated
from partnerka.common.observability import logger
from partnerka.notifications.events import Event, Side
from partnerka.notifications.models import Notification
from partnerka.notifications.telegram_bot import (
    BotAnswer,
    BotCredentials,
)
from partnerka.operations.runner import AttemptResult

TELEGRAM = "telegram"  # the notify-queue kind of a message to a linked chat
LINK_CODE_SECONDS = 15 * 60
LINK_CODE_BYTES = 24  # 32 URL-safe characters: Telegram's start parameter takes up to 64 of [A-Za-z0-9_-]
_LINK_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_MAX_TEXT = 3500  # of a title or body; Telegram's limit is 4096 characters a message, markup included


# ---------------------------------------------------------------------- storage
@dataclass(frozen=True, slots=True)
class TelegramLink:
    """A user's linked chat. PK `USER#<user_id>`, SK `NOTIFY#TELEGRAM`; its chat points back through
    PK `TGCHAT#<chat_id>`, SK `OWNER` (`user_id`), so a chat is linked to one user at a time."""

    user_id: str
    chat_id: int
    username: str
    linked_at: str

    @staticmethod
    def key(user_id: str) -> dynamo.AttributeMap:
        return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": "NOTIFY#TELEGRAM"}}

    @staticmethod
    def owner_key(chat_id: int) -> dynamo.AttributeMap:
        return {"pk": {"S": f"TGCHAT#{chat_id}"}, "sk": {"S": "OWNER"}}


@dataclass(frozen=True, slots=True)
class LinkCode:
    """A one-time code of a deep link. PK `TGCODE#<code>`, SK `CODE`; `expires_at` (epoch seconds) is
    the table's TTL too, but DynamoDB removes expired items late, so it is checked on use."""

    code: str
    user_id: str
    locale: str
    expires_at: int

    @staticmethod
    def key(code: str) -> dynamo.AttributeMap:
        return {"pk": {"S": f"TGCODE#{code}"}, "sk": {"S": "CODE"}}


@dataclass(frozen=True, slots=True)
class LinkedChat:
    """A chat a code linked: to whom (and its language), and whom it was taken from, if anyone."""

    user_id: str
    locale: str
    moved_from: str | None = None


class TelegramChats(Protocol):
    """The fan-out's question: which of these users have a linked chat, and which."""

    def chats_of(self, user_ids: Sequence[str]) -> dict[str, int]: ...


class TelegramLinkStore(TelegramChats, Protocol):
    def link_of(self, user_id: str) -> TelegramLink | None: ...

    def save_code(self, code: LinkCode) -> None: ...

    def link_with_code(self, code: str, chat_id: int, username: str, now: datetime) -> LinkedChat | None: ...

    def unlink(self, user_id: str, chat_id: int | None = None) -> TelegramLink | None: ...

    def unlink_chat(self, chat_id: int) -> TelegramLink | None: ...


# ---------------------------------------------------------------------- linking from the profile
class Reader(Protocol):
    """Whom a link is for (an account's user: notifications sit below accounts)."""

    @property
    def user_id(self) -> str: ...

    @property
    def locale(self) -> str: ...


class TelegramUnavailable(Conflict):
    """The platform's bot is not set up (its secret still holds the template's empty values)."""


@dataclass(frozen=True, slots=True)
class LinkOffer:
    url: str
    code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TelegramStatus:
    linked: bool
    username: str | None
    bot_username: str | None


def new_link_code() -> str:
    return secrets.token_urlsafe(LINK_CODE_BYTES)


class TelegramLinking:
    """The profile's side: a deep link to start linking, where the link stands, unlinking."""

    def __init__(
        self,
        links: TelegramLinkStore,
        credentials: Callable[[], BotCredentials],
        audit: AuditTrail,
        now: Callable[[], datetime] = utc_now,
        new_code: Callable[[], str] = new_link_code,
    ) -> None:
        self._links = links
        self._credentials = credentials
        self._audit = audit
        self._now = now
        self._new_code = new_code

    def start_link(self, user: Reader) -> LinkOffer:
        """A deep link to the bot with a fresh one-time code for `user`, valid 15 minutes. Codes are
        not audited: nothing is linked until the code comes back from Telegram."""
        bot = self._credentials()
        if not bot.configured:
            raise TelegramUnavailable("Telegram notifications are not set up on this platform yet")
        expires_at = self._now() + timedelta(seconds=LINK_CODE_SECONDS)
        code = LinkCode(self._new_code(), user.user_id, user.locale, int(expires_at.timestamp()))
        self._links.save_code(code)
        return LinkOffer(f"https://t.me/{bot.username}?start={code.code}", code.code, expires_at)

    def status(self, user: Reader) -> TelegramStatus:
        bot = self._credentials()
        link = self._links.link_of(user.user_id)
        return TelegramStatus(
            linked=link is not None,
            username=(link.username or None) if link else None,
            bot_username=bot.username if bot.configured else None,
        )

    def unlink(self, user: Reader, actor: Actor) -> None:
        """Stop sending to the user's chat (nothing to do when none is linked)."""
        removed = self._links.unlink(user.user_id)
        if removed is not None:
            self._audit.record(
                actor, None, "telegram.unlinked", f"user/{user.user_id}/telegram", _audited(removed)
            )


def _audited(link: TelegramLink) -> dict[str, Any]:
    return {"chat_id": link.chat_id, "username": link.username}


# ---------------------------------------------------------------------- the webhook
@dataclass(frozen=True, slots=True)
class ChatCommand:
    """A command a person sent the bot in a private chat: `/start <code>` → ("start", "<code>")."""

    chat_id: int
    username: str
    language: str
    command: str
    argument: str


def parse_update(body: bytes) -> ChatCommand | None:
    """The command of an Update (https://core.telegram.org/bots/api#update), or None for anything
    else: not UTF-8, not JSON, not a message, not a private chat, not a command. Telegram sends many
    kinds of updates; whatever this cannot read is not for it."""
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    message = raw.get("message") if isinstance(raw, dict) else None
    if not isinstance(message, dict):
        return None
    chat, sender, text = message.get("chat"), message.get("from"), message.get("text")
    if not isinstance(chat, dict) or chat.get("type") != "private" or not isinstance(text, str):
        return None
    chat_id = chat.get("id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return None
    sender = sender if isinstance(sender, dict) else {}
    username, language = sender.get("username"), sender.get("language_code")
    first, _, rest = text.strip().partition(" ")
    if not first.startswith("/"):
        return None
    return ChatCommand(
        chat_id=chat_id,
        username=username if isinstance(username, str) else "",
        language=language if isinstance(language, str) else "",
        command=first[1:].split("@", 1)[0].lower(),  # `/start@partnerka_bot` in some clients
        argument=rest.strip(),
    )


_REPLIES: dict[str, dict[str, str]] = {
    "linked": {
        "en": "Done: notifications of your account will come to this chat. Send /stop to turn them off.",
        "ru": "Готово: уведомления вашего аккаунта будут приходить в этот чат. Отключить: /stop.",
    },
    "bad_code": {
        "en": "This link has expired or was already used. Open your profile and link Telegram again.",
        "ru": "Ссылка устарела или уже использована. Откройте профиль и подключите Telegram заново.",
    },
    "how_to": {
        "en": "To get notifications here, open your profile on the platform and press «Link Telegram».",
        "ru": "Чтобы получать уведомления здесь, откройте профиль на платформе и нажмите «Подключить Telegram».",
    },
    "stopped": {
        "en": "Notifications to this chat are turned off. Link it again from your profile at any time.",
        "ru": "Уведомления в этот чат отключены. Подключить снова можно в профиле.",
    },
}


def _language(locale: str) -> str:
    return "ru" if locale.lower().startswith("ru") else "en"


class BotApi(Protocol):
    def send_message(self, chat_id: int, html_text: str) -> BotAnswer: ...

    def masked_url(self, method: str) -> str: ...


class TelegramWebhook:
    """Telegram's calls to the platform: checked by the secret token it was given, then `/start
    <code>` links the chat and `/stop` unlinks it, each answered in the chat."""

    def __init__(
        self,
        links: TelegramLinkStore,
        bot: BotApi,
        credentials: Callable[[], BotCredentials],
        audit: AuditTrail,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._links = links
        self._bot = bot
        self._credentials = credentials
        self._audit = audit
        self._now = now

    def receive(self, secret_token: str | None, body: bytes, request_id: str = "") -> None:
        """One update. Raises Unauthenticated unless `secret_token` (the request's
        X-Telegram-Bot-Api-Secret-Token) is the bot's webhook secret; an update it cannot use is
        ignored, so that Telegram, which retries what is not answered 200, does not send it again."""
        expected = self._credentials().webhook_secret
        if not expected or not hmac.compare_digest((secret_token or "").encode(), expected.encode()):
            raise Unauthenticated("not a call from the platform's Telegram bot")
        command = parse_update(body)
        if command is None:
            return
        if command.command == "start":
            self._start(command, request_id)
        elif command.command == "stop":
            self._stop(command, request_id)

    def _start(self, command: ChatCommand, request_id: str) -> None:
        if not command.argument:
            self._reply(command.chat_id, "how_to", command.language)
            return
        linked = None
        if _LINK_CODE.fullmatch(command.argument):
            linked = self._links.link_with_code(
                command.argument, command.chat_id, command.username, self._now()
            )
        if linked is None:
            self._reply(command.chat_id, "bad_code", command.language)
            return
        logger.info("telegram chat linked", user_id=linked.user_id, moved=linked.moved_from is not None)
        self._audit.record(
            Actor(user_id=linked.user_id, email=None, request_id=request_id),
            None,
            "telegram.linked",
            f"user/{linked.user_id}/telegram",
            {"moved_from": linked.moved_from} if linked.moved_from else None,
            {"chat_id": command.chat_id, "username": command.username},
        )
        self._reply(command.chat_id, "linked", linked.locale)

    def _stop(self, command: ChatCommand, request_id: str) -> None:
        removed = self._links.unlink_chat(command.chat_id)
        if removed is not None:
            self._audit.record(
                Actor(user_id=removed.user_id, email=None, request_id=request_id),
                None,
                "telegram.unlinked",
                f"user/{removed.user_id}/telegram",
                _audited(removed),
            )
        self._reply(command.chat_id, "stopped", command.language)

    def _reply(self, chat_id: int, reply: str, locale: str) -> None:
        """Best effort: the link stands whether or not its confirmation reaches the chat."""
        answer = self._bot.send_message(chat_id, html.escape(_REPLIES[reply][_language(locale)]))
        if not answer.ok:
            logger.warning(
                "telegram reply not sent", reply=reply, http_status=answer.status, error=answer.error
            )


# ---------------------------------------------------------------------- the notifier's channel
class RenderedMessage(Protocol):
    """notifications.messages.Message: an event's title and body in one language, and the
    dashboard path it links to."""

    @property
    def title(self) -> str: ...

    @property
    def body(self) -> str: ...

    @property
    def link(self) -> str: ...


Renderer = Callable[[Event, str, Side | None], RenderedMessage]
_OPEN = {"en": "Open", "ru": "Открыть"}


def telegram_payload(
    event: Event,
    user_id: str,
    chat_id: int,
    locale: str,
    base_url: str,
    brand_name: str,
    side: Side | None = None,
) -> dict[str, Any]:
    """What a `telegram` notification carries (the fan-out posts it); `side`: the recipient's side of
    the program, for links to its own pages."""
    payload: dict[str, Any] = {
        "event": event.as_payload(),
        "user_id": user_id,
        "chat_id": chat_id,
        "locale": locale,
        "base_url": base_url,
        "brand_name": brand_name,
    }
    if side is not None:
        payload["side"] = side.value
    return payload


@dataclass(frozen=True, slots=True)
class _Send:
    event: Event
    user_id: str
    chat_id: int
    locale: str
    base_url: str
    brand_name: str
    side: Side | None = None

    @classmethod
    def of(cls, payload: dict[str, Any]) -> _Send | None:
        try:
            event = Event.from_payload(payload["event"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        user_id, chat_id = payload.get("user_id"), payload.get("chat_id")
        texts = [payload.get(name, "") for name in ("locale", "base_url", "brand_name")]
        if (
            not isinstance(user_id, str)
            or not user_id
            or not isinstance(chat_id, int)
            or isinstance(chat_id, bool)
            or not all(isinstance(t, str) for t in texts)
        ):
            return None
        locale, base_url, brand_name = (str(t) for t in texts)
        side = payload.get("side")
        return cls(
            event, user_id, chat_id, locale, base_url, brand_name, Side(side) if side in set(Side) else None
        )


def message_html(message: RenderedMessage, locale: str, base_url: str, brand_name: str) -> str:
    """A rendered message as Telegram HTML: everything it shows escaped, the link absolute."""
    e = html.escape
    lines = [f"<i>{e(brand_name[:100])}</i>"] if brand_name else []
    lines += [f"<b>{e(message.title[:_MAX_TEXT])}</b>", e(message.body[:_MAX_TEXT])]
    if message.link.startswith("/") and base_url.startswith(("https://", "http://")):
        url = base_url.rstrip("/") + message.link
        lines += ["", f'<a href="{e(url, quote=True)}">{e(_OPEN[_language(locale)])}</a>']
    return "\n".join(lines)


class TelegramChannel:
    """The notifier's channel for `telegram` notifications (payload: `telegram_payload`)."""

    def __init__(self, bot: BotApi, links: TelegramLinkStore, render: Renderer) -> None:
        self._bot = bot
        self._links = links
        self._render = render

    def deliver(self, notification: Notification) -> AttemptResult:
        send = _Send.of(notification.payload)
        if send is None:
            return AttemptResult(
                ok=False,
                error_class="bad_payload",
                error="not a telegram notification's payload",
                permanent=True,
            )
        if self._links.chats_of([send.user_id]).get(send.user_id) != send.chat_id:
            # Unlinked (or linked to another chat) since the fan-out: this chat is no longer theirs.
            return AttemptResult(ok=True, response="not sent: the chat is no longer linked")
        text = message_html(
            self._render(send.event, send.locale, send.side), send.locale, send.base_url, send.brand_name
        )
        answer = self._bot.send_message(send.chat_id, text)
        return self._result(send, answer)

    def _result(self, send: _Send, answer: BotAnswer) -> AttemptResult:
        url = self._bot.masked_url("sendMessage")
        status = answer.status or None
        if answer.ok:
            return AttemptResult(ok=True, url=url, http_status=status)
        said = answer.description or answer.error or f"HTTP {answer.status}"
        if answer.status == 429:
            return AttemptResult(
                ok=False,
                error_class="rate_limited",
                error=said,
                url=url,
                http_status=status,
                response=answer.body,
                retry_after=answer.retry_after,
            )
        gone = answer.status == 403 or (answer.status == 400 and "chat not found" in said.lower())
        if gone:
            # Blocked, deactivated or deleted: no later attempt can reach it, and none should try.
            self._links.unlink(send.user_id, send.chat_id)
            logger.info(
                "telegram chat unlinked: unreachable", user_id=send.user_id, http_status=answer.status
            )
            return AttemptResult(
                ok=False,
                error_class="chat_unreachable",
                error=said,
                permanent=True,
                url=url,
                http_status=status,
            )
        if answer.status in (401, 404) or answer.status == 0 or answer.status >= 500:
            # A refused token is the platform's to fix; no answer or a fault of Telegram's may pass.
            return AttemptResult(
                ok=False,
                error_class=answer.error or "telegram_error",
                error=said,
                url=url,
                http_status=status,
                response=answer.body,
            )
        return AttemptResult(
            ok=False,
            error_class="rejected",
            error=said,
            permanent=True,  # the message itself was refused: sending it again cannot succeed
            url=url,
            http_status=status,
            response=answer.body,
        )
