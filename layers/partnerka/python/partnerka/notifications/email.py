"""Account e-mails (verification, password reset, invitation) in the recipient's language, sent by SES.

The API does not send them: it queues an `account_email` notification (notifications.outbox) and the
notifier sends it through `AccountEmails`, retrying what SES refuses. In the local runtime SES is
moto's: what was sent is readable at `<moto>/moto-api/data.json`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from partnerka.common import aws
from partnerka.common.timeouts import read_timeout
from partnerka.notifications.models import Notification
from partnerka.operations.runner import AttemptResult

ACCOUNT_EMAIL = "account_email"
PURPOSES = ("verify", "reset", "invite")
# SES answers these when the message itself is at fault: sending it again cannot succeed.
_PERMANENT_SES_ERRORS = frozenset({"InvalidParameterValue", "MailFromDomainNotVerified"})
_CONFIG = Config(
    connect_timeout=2, read_timeout=read_timeout(5), retries={"mode": "standard", "max_attempts": 2}
)


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


class MailRefused(Exception):
    """The mail service did not take the message; `code` is its reason (SES's error code)."""

    def __init__(self, code: str, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.permanent = permanent


class Mailer(Protocol):
    def send(self, email: Email) -> None:
        """Hand the message over, or raise MailRefused."""
        ...


class SesMailer:
    def __init__(self, sender: str) -> None:
        self._sender = sender

    @staticmethod
    @cache
    def _client() -> Any:
        return aws.session().create_client("ses", config=_CONFIG)

    def send(self, email: Email) -> None:
        try:
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
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", "ClientError"))
            message = str(error.response.get("Error", {}).get("Message", code))
            raise MailRefused(code, message, permanent=code in _PERMANENT_SES_ERRORS) from None
        except BotoCoreError as error:  # no connection, a timeout: worth another try
            raise MailRefused(type(error).__name__, str(error)) from None


def account_email_payload(purpose: str, locale: str, to: str, link: str) -> dict[str, str]:
    """What an `account_email` notification carries; the notifier renders it."""
    return {"purpose": purpose, "locale": locale, "to": to, "link": link}


class AccountEmails:
    """The notifier's channel for `account_email` notifications."""

    def __init__(self, mailer: Mailer) -> None:
        self._mailer = mailer

    def deliver(self, notification: Notification) -> AttemptResult:
        payload = notification.payload
        purpose, to, link = payload.get("purpose"), payload.get("to"), payload.get("link")
        if (
            purpose not in PURPOSES
            or not isinstance(to, str)
            or not isinstance(link, str)
            or not to
            or not link
        ):
            return AttemptResult(
                ok=False, error_class="bad_payload", error="not an account e-mail's payload", permanent=True
            )
        email = account_email(purpose, str(payload.get("locale") or "en"), to, link)
        try:
            self._mailer.send(email)
        except MailRefused as refused:
            return AttemptResult(
                ok=False, error_class=refused.code, error=refused.message, permanent=refused.permanent
            )
        return AttemptResult(ok=True)


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
