"""Building notifications' services from their settings (composition roots call these)."""

from __future__ import annotations

from collections.abc import Callable

from partnerka.audit.service import AuditTrail
from partnerka.common.secrets import secret_reader
from partnerka.notifications.repository import TelegramLinkRepository
from partnerka.notifications.telegram import (
    Renderer,
    TelegramChannel,
    TelegramLinking,
    TelegramWebhook,
)
from partnerka.notifications.telegram_bot import (
    BotCredentials,
    TelegramBot,
    TelegramSettings,
    credentials_reader,
)


def telegram_parts(
    settings: TelegramSettings,
) -> tuple[TelegramLinkRepository, TelegramBot, Callable[[], BotCredentials]]:
    """What every Telegram service is made of: the links, the bot, its credentials (read lazily)."""
    credentials = credentials_reader(secret_reader(settings.telegram_secret_arn))
    bot = TelegramBot(settings.telegram_api_base_url, credentials)
    return TelegramLinkRepository(settings.core_table), bot, credentials


def telegram_channel(settings: TelegramSettings, render: Renderer) -> TelegramChannel:
    links, bot, _ = telegram_parts(settings)
    return TelegramChannel(bot, links, render)


def telegram_linking(
    settings: TelegramSettings, audit: AuditTrail
) -> tuple[TelegramLinking, TelegramWebhook]:
    links, bot, credentials = telegram_parts(settings)
    return TelegramLinking(links, credentials, audit), TelegramWebhook(links, bot, credentials, audit)
