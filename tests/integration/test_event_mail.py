"""An event's e-mail as SES (moto's) takes it: raw MIME from the platform's identity, with the
one-click unsubscribe header fields a mail client reads, and none on a security notice."""

from __future__ import annotations

import email
import email.policy
import os
from datetime import UTC, datetime

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import RawMessage, ses_backends

from partnerka.notifications.email import MailBrand, SesMailer
from partnerka.notifications.event_email import EVENT_EMAIL, EventEmails, event_email_payload
from partnerka.notifications.events import Audience, Event, EventType
from partnerka.notifications.models import Notification
from partnerka.notifications.unsubscribe import UnsubscribeTokens
from partnerka_local.template import Template

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
BASE = "https://partners.acme.example"
TOKENS = UnsubscribeTokens(lambda: "a-jwt-secret")


def deliver(event: Event, to: str, token: str) -> None:
    brand = MailBrand("Acme Partners", sender_name="Акме", support_email="help@acme.example")
    payload = event_email_payload(event, "u1", to, "ru", BASE, token, brand)
    notification = Notification(f"{event.event_id}.u1.email", EVENT_EMAIL, AT, payload)
    result = EventEmails(SesMailer(os.environ["MAIL_FROM"]), "Platform").deliver(notification)
    assert result.ok, result.error


def raw_mail_to(to: str) -> email.message.EmailMessage:
    [sent] = [
        m
        for m in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
        if isinstance(m, RawMessage) and to in m.destinations
    ]
    parsed = email.message_from_string(sent.raw_data, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_ses_takes_an_event_email_with_its_one_click_unsubscribe_headers(stack: Template) -> None:
    sale = Event(
        "conv1.sale",
        EventType.CONVERSION_SALE,
        AT,
        "adv1",
        Audience(affiliate_id="aff1"),
        {"offer_name": "Карта", "payout": "12.50", "currency": "EUR"},
    )
    token = TOKENS.unsubscribe_token("u1", EventType.CONVERSION_SALE)
    deliver(sale, "vera@aff.example", token)
    message = raw_mail_to("vera@aff.example")
    assert message["List-Unsubscribe"] == f"<{BASE}/api/notifications/unsubscribe?token={token}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Subject"] == "Новая продажа: Карта"
    assert message["From"] == f"Акме <{os.environ['MAIL_FROM']}>"
    assert message["Reply-To"] == "help@acme.example"
    text = message.get_body(("plain",))
    assert text is not None
    assert f"{BASE}/unsubscribe?token={token}" in text.get_content()


def test_a_security_notice_reaches_ses_without_unsubscribe_headers(stack: Template) -> None:
    notice = Event("u1.mfa-off.1", EventType.MFA_DISABLED, AT, audience=Audience(user_ids=("u1",)))
    deliver(notice, "owner@acme.example", "")
    [sent] = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    assert not isinstance(sent, RawMessage)  # no header fields of ours: SendEmail's simple content
    assert sent.destinations["ToAddresses"] == ["owner@acme.example"]
    assert "unsubscribe" not in sent.body.lower()
