"""Telegram's services: linking a chat from the profile, and the bot's webhook."""

from __future__ import annotations

from composition import audit, service
from partnerka.common.config import read_settings
from partnerka.notifications.composition import telegram_linking as build_linking
from partnerka.notifications.telegram import TelegramLinking, TelegramWebhook
from partnerka.notifications.telegram_bot import TelegramSettings


@service
def telegram() -> tuple[TelegramLinking, TelegramWebhook]:
    return build_linking(read_settings(TelegramSettings), audit())


def telegram_linking() -> TelegramLinking:
    return telegram()[0]


def telegram_webhook() -> TelegramWebhook:
    return telegram()[1]
