"""The platform's Telegram bot: its credentials (one Secrets Manager secret) and the Bot API client.

The secret is JSON, `{"token", "webhook_secret", "username"}`: the token BotFather gave, the value
Telegram sends back in `X-Telegram-Bot-Api-Secret-Token` on every webhook call (set with setWebhook's
`secret_token`), and the bot's username (deep links are `https://t.me/<username>?start=<code>`).
The template creates it with empty values; until the operator fills them in, linking a chat is
refused and the webhook accepts nothing.

The Bot API's address is a setting (the template's TelegramApiBaseUrl): https://api.telegram.org in
AWS, the local platform's fake Bot API on loopback (partnerka_local.telegram) elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx

from partnerka.common.config import ConfigurationError, setting

DEFAULT_API_BASE_URL = "https://api.telegram.org"
USER_AGENT = "Partnerka-Notifier/1.0"
# Telegram answers in well under a second; the webhook's confirmation waits on it, so a stuck Bot
# API must not hold the request for long.
CONNECT_TIMEOUT = 3.0
TOTAL_TIMEOUT = 8.0
RESPONSE_KEPT_CHARACTERS = 1024


def api_base_url(name: str, value: str) -> str:
    """The Bot API's address: http(s), a host, no query; kept without a trailing slash."""
    parsed = httpx.URL(value) if "://" in value else None
    if parsed is None or parsed.scheme not in ("https", "http") or not parsed.host or parsed.query:
        raise ConfigurationError(f"{name} is '{value}': the Bot API's URL, such as {DEFAULT_API_BASE_URL}")
    return value.rstrip("/")


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """What the Telegram services are built from: where links and codes are kept, the bot's secret
    and the Bot API's address."""

    core_table: str
    telegram_secret_arn: str
    telegram_api_base_url: str = setting(api_base_url)


@dataclass(frozen=True, slots=True)
class BotCredentials:
    token: str
    webhook_secret: str
    username: str

    @property
    def configured(self) -> bool:
        return bool(self.token and self.webhook_secret and self.username)

    @classmethod
    def parse(cls, text: str) -> BotCredentials:
        """The secret's JSON; a value missing or of the wrong type reads as empty (not configured)."""
        try:
            raw = json.loads(text)
        except ValueError:
            raw = {}
        found = raw if isinstance(raw, dict) else {}

        def text_of(name: str) -> str:
            value = found.get(name)
            return value.strip() if isinstance(value, str) else ""

        return cls(text_of("token"), text_of("webhook_secret"), text_of("username").removeprefix("@"))


def credentials_reader(read_secret: Callable[[], str]) -> Callable[[], BotCredentials]:
    """The bot's credentials, read at their first use (secrets.secret_reader) and kept."""
    return cache(lambda: BotCredentials.parse(read_secret()))


@dataclass(frozen=True, slots=True)
class BotAnswer:
    """What the Bot API answered one call: its HTTP status and, for an error, Telegram's own code,
    description and `parameters.retry_after`. `status` 0: no answer (no connection, a timeout),
    `error` says which."""

    status: int
    ok: bool = False
    description: str = ""
    retry_after: int | None = None
    error: str = ""
    body: str = ""
    result: dict[str, Any] | None = None


class TelegramBot:
    """Calls of the Bot API as the platform's bot. Never raises for what the network or Telegram
    does: every outcome is a BotAnswer. The token is in the path of every call, so no URL is ever
    logged or kept as it is (`masked_url`)."""

    def __init__(
        self,
        base_url: str,
        credentials: Callable[[], BotCredentials],
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._credentials = credentials
        self._transport = transport
        self._made: httpx.Client | None = None

    @property
    def _client(self) -> httpx.Client:
        """Made on the first call, not with the bot: a client loads the CA certificates and its
        transport (some 20 ms of CPU), which the API functions that build a bot for their rare
        Telegram routes paid at every cold start."""
        if self._made is None:
            self._made = httpx.Client(
                follow_redirects=False,
                trust_env=False,  # never through a proxy from the environment
                timeout=httpx.Timeout(TOTAL_TIMEOUT, connect=CONNECT_TIMEOUT),
                headers={"user-agent": USER_AGENT},
                transport=self._transport,
            )
        return self._made

    def masked_url(self, method: str) -> str:
        return f"{self._base_url}/bot***/{method}"

    def send_message(self, chat_id: int, html_text: str) -> BotAnswer:
        """sendMessage with `html_text` (Telegram's HTML: the caller escaped what it did not write)."""
        return self.call(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": html_text,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            },
        )

    def call(self, method: str, arguments: dict[str, Any]) -> BotAnswer:
        url = f"{self._base_url}/bot{self._credentials().token}/{method}"
        try:
            response = self._client.post(url, json=arguments)
        except httpx.TimeoutException:
            return BotAnswer(status=0, error="timeout")
        except httpx.HTTPError as error:
            return BotAnswer(status=0, error=type(error).__name__)
        return _answer_of(response)


def _answer_of(response: httpx.Response) -> BotAnswer:
    text = response.text[:RESPONSE_KEPT_CHARACTERS]
    try:
        raw = response.json()
    except ValueError:
        raw = None
    found = raw if isinstance(raw, dict) else {}
    parameters = found.get("parameters")
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    result = found.get("result")
    return BotAnswer(
        status=response.status_code,
        ok=response.is_success and found.get("ok") is True,
        description=str(found.get("description") or "")[:RESPONSE_KEPT_CHARACTERS],
        retry_after=retry_after if isinstance(retry_after, int) and retry_after > 0 else None,
        body=text,
        result=result if isinstance(result, dict) else None,
    )
