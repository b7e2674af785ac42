"""Account e-mails (verification, password reset, invitation) in the recipient's language, sent by SES.

In the local runtime SES is moto's: what was sent is readable at `<moto>/moto-api/data.json`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import botocore.session


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


class Mailer(Protocol):
    def send(self, email: Email) -> None: ...


class SesMailer:
    def __init__(self, sender: str) -> None:
        self._sender = sender

    @staticmethod
    @cache
    def _client() -> Any:
        return botocore.session.get_session().create_client("ses")

    def send(self, email: Email) -> None:
        self._client().send_email(
            Source=self._sender,
            Destination={"ToAddresses": [email.to]},
            Message={
                "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                "Body": {
                    "Text": {"Data": email.text, "Charset": "UTF-8"},
                    "Html": {"Data": email.html, "Charset": "UTF-8"},
                },
            },
        )


_MESSAGES: dict[str, dict[str, tuple[str, str, str]]] = {
    # purpose: language: (subject, opening line, button text)
    "verify": {
        "en": (
            "Confirm your e-mail",
            "Confirm your e-mail address to finish signing up to Partnerka.",
            "Confirm e-mail",
        ),
        "ru": (
            "Подтвердите e-mail",
            "Подтвердите адрес электронной почты, чтобы завершить регистрацию в Partnerka.",
            "Подтвердить e-mail",
        ),
    },
    "reset": {
        "en": (
            "Reset your password",
            "Somebody asked to reset your Partnerka password. If it was not you, ignore this e-mail.",
            "Choose a new password",
        ),
        "ru": (
            "Сброс пароля",
            "Кто-то запросил сброс пароля Partnerka. Если это были не вы, просто проигнорируйте письмо.",
            "Задать новый пароль",
        ),
    },
    "invite": {
        "en": (
            "You are invited to Partnerka",
            "You have been invited to Partnerka. Set your name and password to join.",
            "Accept the invitation",
        ),
        "ru": (
            "Приглашение в Partnerka",
            "Вас пригласили в Partnerka. Укажите имя и пароль, чтобы присоединиться.",
            "Принять приглашение",
        ),
    },
}


def account_email(purpose: str, locale: str, to: str, link: str) -> Email:
    subject, opening, button = _MESSAGES[purpose].get(locale, _MESSAGES[purpose]["en"])
    body = (
        f'<p>{html.escape(opening)}</p><p><a href="{html.escape(link, quote=True)}">{html.escape(button)}</a></p>'
        f"<p>{html.escape(link)}</p>"
    )
    return Email(to=to, subject=subject, text=f"{opening}\n\n{button}: {link}\n", html=body)
