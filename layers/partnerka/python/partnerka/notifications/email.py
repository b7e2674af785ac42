"""Account e-mails (verification, password reset, invitation) in the recipient's language, sent by SES.

The API does not send them: it queues an `account_email` notification (notifications.outbox) and the
notifier sends it through `AccountEmails`, retrying what SES refuses. In the local runtime SES is
moto's: what was sent is readable at `<moto>/moto-api/data.json`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from functools import cache
from typing import Any, Protocol
from urllib.parse import urlsplit

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
    sender_name: str = ""  # the From header's display name (the address is the platform's identity)
    reply_to: str = ""  # where answers go: the brand's support address
    # more header fields (List-Unsubscribe): the message then goes as raw MIME, which carries them
    headers: tuple[tuple[str, str], ...] = ()


_COLOR = re.compile(r"#[0-9a-f]{6}")
_DEFAULT_BUTTON = ("#111827", "#ffffff")


@dataclass(frozen=True, slots=True)
class MailBrand:
    """Who an e-mail is from and how it looks: an advertiser's brand (its affiliates' mail), or the
    platform's own (a name only). Carried in the notification's payload, so the notifier needs no
    access to brands; everything in it was checked when the brand was saved, and is checked again
    here (a payload is data from a queue)."""

    name: str
    sender_name: str = ""
    logo_url: str = ""  # absolute: a mail client has no page to resolve a path against
    primary_color: str = ""
    primary_text_color: str = ""
    support_email: str = ""
    terms_url: str = ""
    privacy_url: str = ""

    def as_payload(self) -> dict[str, str]:
        return {name: value for name, value in asdict(self).items() if value}

    @classmethod
    def from_payload(cls, value: Any, platform_name: str) -> MailBrand:
        """The payload's brand, what of it is sound; the platform's name where it has none."""
        found = value if isinstance(value, dict) else {}

        def text(name: str, limit: int = 200) -> str:
            item = found.get(name)
            if not isinstance(item, str) or len(item) > limit or any(ord(c) < 32 for c in item):
                return ""
            return item

        def url(name: str) -> str:
            item = text(name, 2000)
            return item if urlsplit(item).scheme in ("https", "http") and urlsplit(item).netloc else ""

        colors = [text(n).lower() for n in ("primary_color", "primary_text_color")]
        both = all(_COLOR.fullmatch(c) for c in colors)
        return cls(
            name=text("name", 60) or platform_name,
            sender_name=text("sender_name", 60),
            logo_url=url("logo_url"),
            primary_color=colors[0] if both else "",
            primary_text_color=colors[1] if both else "",
            support_email=text("support_email", 254) if "@" in text("support_email", 254) else "",
            terms_url=url("terms_url"),
            privacy_url=url("privacy_url"),
        )


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
        source = self._sender
        if email.sender_name:  # quoted, and in RFC 2047 when it is not ASCII (formataddr does both)
            source = formataddr((email.sender_name, self._sender), "utf-8")
        try:
            if email.headers:
                # SendEmail's simple content takes no header fields of ours; raw MIME does (and moto
                # keeps it as sent, so what a mail client reads can be checked).
                self._client().send_raw_email(
                    Source=self._sender,
                    Destinations=[email.to],
                    RawMessage={"Data": mime_message(email, source)},
                )
                return
            extra: dict[str, Any] = {"ReplyToAddresses": [email.reply_to]} if email.reply_to else {}
            self._client().send_email(
                Source=source,
                **extra,
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


# Header lines up to SMTP's limit: a long URL in List-Unsubscribe has nowhere to fold, and the
# default 78 would have the library encode it as an RFC 2047 word no mail client reads as a URL.
_MIME_POLICY = SMTP.clone(max_line_length=998)


def mime_message(email: Email, sender: str) -> bytes:
    """The e-mail as a multipart/alternative MIME message (text and HTML, quoted-printable UTF-8),
    From `sender`, with its own header fields."""
    message = EmailMessage(policy=_MIME_POLICY)
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    for name, value in email.headers:
        message[name] = value
    message.set_content(email.text, cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", cte="quoted-printable")
    return message.as_bytes()


def send_attempt(mailer: Mailer, email: Email) -> AttemptResult:
    """One attempt at sending `email`, as the notifier counts it: what the mail service refuses is
    retried, unless it says the message itself is at fault."""
    try:
        mailer.send(email)
    except MailRefused as refused:
        return AttemptResult(
            ok=False, error_class=refused.code, error=refused.message, permanent=refused.permanent
        )
    return AttemptResult(ok=True)


def account_email_payload(
    purpose: str, locale: str, to: str, link: str, brand: MailBrand | None = None
) -> dict[str, Any]:
    """What an `account_email` notification carries; the notifier renders it (in `brand`: an
    advertiser's, for its affiliates; none: the platform's name)."""
    payload: dict[str, Any] = {"purpose": purpose, "locale": locale, "to": to, "link": link}
    if brand is not None:
        payload["brand"] = brand.as_payload()
    return payload


class AccountEmails:
    """The notifier's channel for `account_email` notifications."""

    def __init__(self, mailer: Mailer, platform_name: str) -> None:
        self._mailer = mailer
        self._platform_name = platform_name

    def render(self, payload: dict[str, Any]) -> Email:
        """The e-mail of a payload that has its purpose, address and link (deliver checks them)."""
        brand = MailBrand.from_payload(payload.get("brand"), self._platform_name)
        language = str(payload.get("locale") or "en")
        to, link = str(payload["to"]), str(payload["link"])
        return account_email(str(payload["purpose"]), language, to, link, brand)

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
        return send_attempt(self._mailer, self.render(payload))


_MESSAGES: dict[str, dict[str, tuple[str, str, str]]] = {
    # purpose: language: (subject, opening line, button text); {brand} is the brand's name
    "verify": {
        "en": (
            "Confirm your e-mail",
            "Confirm your e-mail address to finish signing up to {brand}.",
            "Confirm e-mail",
        ),
        "ru": (
            "Подтвердите e-mail",
            "Подтвердите адрес электронной почты, чтобы завершить регистрацию в {brand}.",
            "Подтвердить e-mail",
        ),
    },
    "reset": {
        "en": (
            "Reset your password",
            "Somebody asked to reset your {brand} password. If it was not you, ignore this e-mail.",
            "Choose a new password",
        ),
        "ru": (
            "Сброс пароля",
            "Кто-то запросил сброс пароля {brand}. Если это были не вы, просто проигнорируйте письмо.",
            "Задать новый пароль",
        ),
    },
    "invite": {
        "en": (
            "You are invited to {brand}",
            "You have been invited to {brand}. Set your name and password to join.",
            "Accept the invitation",
        ),
        "ru": (
            "Приглашение в {brand}",
            "Вас пригласили в {brand}. Укажите имя и пароль, чтобы присоединиться.",
            "Принять приглашение",
        ),
    },
}
_FOOTER = {
    "en": ("Terms", "Privacy", "Questions? Write to"),
    "ru": ("Условия", "Конфиденциальность", "Вопросы? Пишите на"),
}


def account_email(purpose: str, locale: str, to: str, link: str, brand: MailBrand) -> Email:
    """The e-mail in `locale` (English where there is none), wearing `brand`."""
    language = locale if locale in _FOOTER else "en"
    subject, opening, button = (part.format(brand=brand.name) for part in _MESSAGES[purpose][language])
    return branded_email(to, subject, [opening], button, link, brand, language)


@dataclass(frozen=True, slots=True)
class Note:
    """A line under the footer (why the recipient gets the e-mail, how to stop it), with a link."""

    text: str
    link: str = ""


def branded_email(
    to: str,
    subject: str,
    paragraphs: Sequence[str],
    button: str,
    link: str,
    brand: MailBrand,
    language: str,
    notes: Sequence[Note] = (),
    headers: tuple[tuple[str, str], ...] = (),
) -> Email:
    """An e-mail of plain-text `paragraphs` and a button to `link`, wearing `brand`: its name in the
    text, its logo and colours in the HTML, its legal links and support address in the footer, its
    sender name in From and its support address in Reply-To; `notes` go under the footer."""
    language = language if language in _FOOTER else "en"
    background, foreground = (
        (brand.primary_color, brand.primary_text_color) if brand.primary_color else _DEFAULT_BUTTON
    )
    e = html.escape
    logo = (
        f'<p><img src="{e(brand.logo_url, quote=True)}" alt="{e(brand.name, quote=True)}" height="40"></p>'
        if brand.logo_url
        else f"<p><strong>{e(brand.name)}</strong></p>"
    )
    terms, privacy, ask = _FOOTER[language]
    footer = [e(brand.name)]
    footer += [
        f'<a href="{e(u, quote=True)}">{e(label)}</a>'
        for u, label in ((brand.terms_url, terms), (brand.privacy_url, privacy))
        if u
    ]
    if brand.support_email:
        footer.append(
            f'{e(ask)} <a href="mailto:{e(brand.support_email, quote=True)}">{e(brand.support_email)}</a>'
        )
    small = '<p style="font-size:12px;color:#6b7280">'
    notes_html = "".join(
        f"{small}{e(note.text)}"
        + (f' <a href="{e(note.link, quote=True)}">{e(note.link)}</a>' if note.link else "")
        + "</p>"
        for note in notes
    )
    body = (
        f"{logo}{''.join(f'<p>{e(p)}</p>' for p in paragraphs)}"
        f'<p><a href="{e(link, quote=True)}" style="display:inline-block;padding:10px 16px;border-radius:6px;'
        f'background:{background};color:{foreground};text-decoration:none">{e(button)}</a></p>'
        f"<p>{e(link)}</p><hr>{small}{' · '.join(footer)}</p>{notes_html}"
    )
    text_footer = " · ".join(
        [
            brand.name,
            *(u for u in (brand.terms_url, brand.privacy_url) if u),
            *([brand.support_email] if brand.support_email else []),
        ]
    )
    text_paragraphs = "".join(f"{paragraph}\n\n" for paragraph in paragraphs)
    text_notes = "".join(f"\n{note.text}" + (f" {note.link}" if note.link else "") for note in notes)
    return Email(
        to=to,
        subject=subject,
        text=f"{text_paragraphs}{button}: {link}\n\n-- \n{text_footer}\n{text_notes}",
        html=body,
        sender_name=brand.sender_name or brand.name,
        reply_to=brand.support_email,
        headers=headers,
    )
