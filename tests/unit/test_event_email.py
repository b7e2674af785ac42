"""An event's e-mail wears its brand, links the dashboard, says why it came and, unless it is a
security notice, can be stopped in one click; what SES refuses is retried or given up on as SES
says. An unsubscribe token names one user and one event type and cannot be forged or altered."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from partnerka.audit.service import Actor
from partnerka.notifications.email import Email, MailBrand, SesMailer, mime_message
from partnerka.notifications.event_email import EVENT_EMAIL, EventEmails, event_email_payload
from partnerka.notifications.events import Audience, Channel, Event, EventType, Side
from partnerka.notifications.models import Notification
from partnerka.notifications.unsubscribe import (
    InvalidUnsubscribeLink,
    UnsubscribeTokens,
    Unsubscriptions,
)
from tests.unit.fakes import FakeAddresses, FakePreferenceSwitch
from tests.unit.test_notifications import FakeMailer

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PLATFORM = "Platform Co"
BASE = "https://partners.acme.example"
BRAND = MailBrand(
    name="Acme Partners",
    sender_name="Acme Team",
    logo_url="https://cdn.acme.example/logo.png",
    primary_color="#0b5fff",
    primary_text_color="#ffffff",
    support_email="help@acme.example",
    terms_url="https://acme.example/terms",
    privacy_url="https://acme.example/privacy",
)
TOKENS = UnsubscribeTokens(lambda: "the-jwt-secret")
SALE = Event(
    "conv1.sale",
    EventType.CONVERSION_SALE,
    AT,
    "adv1",
    Audience(affiliate_id="aff1"),
    {"offer_id": "off1", "offer_name": "Card <b>Gold</b>", "payout": "12.50", "currency": "EUR"},
)
SIGN_IN = Event(
    "u1.sign-in.d1.2026-12-07",
    EventType.SIGN_IN_NEW_DEVICE,
    AT,
    audience=Audience(user_ids=("u1",)),
    data={"ip": "203.0.113.9", "device": "Firefox on Linux", "at": "2026-12-07T09:00:00Z"},
)


def notification(of: Event, locale: str = "en", changes: dict[str, object] | None = None) -> Notification:
    token = "" if of.spec.security else TOKENS.unsubscribe_token("u1", of.type)
    payload = event_email_payload(of, "u1", "vera@aff.example", locale, BASE, token, BRAND, Side.AFFILIATE)
    return Notification(f"{of.event_id}.u1.email", EVENT_EMAIL, AT, payload | (changes or {}))


def sent(of: Event, locale: str = "en", **changes: object) -> Email:
    mailer = FakeMailer()
    assert EventEmails(mailer, PLATFORM).deliver(notification(of, locale, changes)).ok
    [mail] = mailer.sent
    return mail


def test_an_event_email_wears_the_brand_and_opens_the_events_page() -> None:
    mail = sent(SALE)
    assert mail.to == "vera@aff.example"
    assert mail.subject == "New sale: Card <b>Gold</b>"
    assert (mail.sender_name, mail.reply_to) == ("Acme Team", "help@acme.example")
    assert '<img src="https://cdn.acme.example/logo.png" alt="Acme Partners"' in mail.html
    assert "background:#0b5fff;color:#ffffff" in mail.html
    assert 'href="https://acme.example/terms"' in mail.html
    assert "mailto:help@acme.example" in mail.html
    assert f'href="{BASE}/my/conversions"' in mail.html
    assert f"{BASE}/my/conversions" in mail.text
    assert "Card &lt;b&gt;Gold&lt;/b&gt;" in mail.html
    assert "<b>Gold" not in mail.html
    assert 'on offer "Card <b>Gold</b>"' in mail.text


def test_an_event_email_says_why_it_came_and_where_to_change_that() -> None:
    mail = sent(SALE, "ru")
    assert "потому что в вашем аккаунте Acme Partners включены такие уведомления" in mail.text
    assert f"{BASE}/settings/notifications" in mail.text
    assert f"{BASE}/settings/notifications" in mail.html
    assert mail.subject == "Новая продажа: Card <b>Gold</b>"


def test_an_event_email_can_be_stopped_in_one_click() -> None:
    mail = sent(SALE)
    token = TOKENS.unsubscribe_token("u1", EventType.CONVERSION_SALE)
    headers = dict(mail.headers)
    assert headers["List-Unsubscribe"] == f"<{BASE}/api/notifications/unsubscribe?token={token}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{BASE}/unsubscribe?token={token}" in mail.text
    assert f"{BASE}/unsubscribe?token={token}" in mail.html
    assert TOKENS.read_token(token) == ("u1", EventType.CONVERSION_SALE)


def test_a_security_notice_has_no_way_to_unsubscribe() -> None:
    mail = sent(SIGN_IN, unsubscribe=TOKENS.unsubscribe_token("u1", EventType.SIGN_IN_NEW_DEVICE))
    assert mail.headers == ()
    assert "unsubscribe" not in mail.text.lower()
    assert "unsubscribe" not in mail.html.lower()
    assert "security notice about your Acme Partners account: it is always sent" in mail.text
    assert f"{BASE}/account" in mail.text


def test_without_a_brand_the_mail_carries_the_platforms_name() -> None:
    mail = sent(SALE, brand={})
    assert (mail.sender_name, mail.reply_to) == (PLATFORM, "")
    assert f"notifications of this kind are on for your {PLATFORM} account" in mail.text


@pytest.mark.parametrize(
    "changes",
    [
        {"event": {"v": 1, "type": "conversion.sale"}},
        {"event": "conv1.sale"},
        {"to": ""},
        {"to": ["vera@aff.example"]},
        {"base_url": "javascript:alert(1)"},
        {"base_url": "/relative"},
    ],
)
def test_a_payload_that_is_not_an_event_email_is_given_up_at_once(changes: dict[str, object]) -> None:
    mailer = FakeMailer()
    result = EventEmails(mailer, PLATFORM).deliver(notification(SALE, changes=changes))
    assert (result.ok, result.permanent, result.error_class) == (False, True, "bad_payload")
    assert mailer.sent == []


def test_what_ses_refuses_is_retried_unless_the_message_is_at_fault() -> None:
    busy = FakeMailer(refusing="Throttling")
    result = EventEmails(busy, PLATFORM).deliver(notification(SALE))
    assert (result.ok, result.permanent, result.error_class) == (False, False, "Throttling")
    bad = FakeMailer(refusing="InvalidParameterValue", permanent=True)
    assert EventEmails(bad, PLATFORM).deliver(notification(SALE)).permanent


def test_mail_with_header_fields_goes_to_ses_as_raw_mime_that_carries_them() -> None:
    calls: list[tuple[str, dict[str, object]]] = []

    class Client:
        def send_email(self, **request: object) -> None:
            calls.append(("simple", request))

        def send_raw_email(self, **request: object) -> None:
            calls.append(("raw", request))

    mailer = SesMailer("no-reply@mail.example")
    mailer._client = lambda: Client()  # type: ignore[assignment]
    mail = sent(SALE, "ru")
    mailer.send(mail)
    [(kind, request)] = calls
    assert kind == "raw"
    assert request["Destinations"] == ["vera@aff.example"]
    data = request["RawMessage"]["Data"]  # type: ignore[index]
    assert isinstance(data, bytes)
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == dict(mail.headers)["List-Unsubscribe"]
    assert parsed["Subject"] == mail.subject
    assert parsed["Reply-To"] == "help@acme.example"
    assert parsed["From"] == "Acme Team <no-reply@mail.example>"
    assert {p.get_content_type() for p in parsed.iter_parts()} == {"text/plain", "text/html"}
    assert all(len(line) <= 998 for line in data.split(b"\r\n"))


def test_a_long_unsubscribe_url_stays_one_readable_header() -> None:
    long_base = "https://" + "p" * 150 + ".example"
    mail = Email(
        "a@b.example", "s", "t", "<p>h</p>", headers=(("List-Unsubscribe", f"<{long_base}/x?token=abc>"),)
    )
    raw = mime_message(mail, "no-reply@mail.example")
    assert f"List-Unsubscribe: <{long_base}/x?token=abc>".encode() in raw


# ---------------------------------------------------------------------- tokens
def test_a_token_reads_back_as_the_user_and_type_it_names() -> None:
    token = TOKENS.unsubscribe_token("01JEXAMPLEUSER", EventType.POSTBACK_FAILING)
    assert TOKENS.read_token(token) == ("01JEXAMPLEUSER", EventType.POSTBACK_FAILING)
    assert TOKENS.read_token(f" {token}\n") == ("01JEXAMPLEUSER", EventType.POSTBACK_FAILING)


def test_an_altered_token_is_refused() -> None:
    token = TOKENS.unsubscribe_token("u1", EventType.CONVERSION_SALE)
    other = TOKENS.unsubscribe_token("u2", EventType.CONVERSION_SALE)
    payload, _, signature = token.partition(".")
    forged = [
        other.partition(".")[0] + "." + signature,  # another user under this token's signature
        payload + "." + signature[:-1] + ("A" if signature[-1] != "A" else "B"),
        payload,
        "",
        ".",
        "not a token",
        token + "x",
    ]
    for bad in forged:
        with pytest.raises(InvalidUnsubscribeLink):
            TOKENS.read_token(bad)


def test_a_token_made_under_another_secret_is_refused() -> None:
    elsewhere = UnsubscribeTokens(lambda: "another-secret").unsubscribe_token("u1", EventType.CONVERSION_SALE)
    with pytest.raises(InvalidUnsubscribeLink):
        TOKENS.read_token(elsewhere)


def test_the_token_key_is_not_the_secret_itself() -> None:
    """A signature made with the JWT secret as it is (as an access token's is) is no unsubscribe
    token: the key is derived under its own label."""
    import base64
    import hashlib
    import hmac

    payload = base64.urlsafe_b64encode(b"u1:conversion.sale").rstrip(b"=").decode()
    raw = hmac.new(b"the-jwt-secret", payload.encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidUnsubscribeLink):
        TOKENS.read_token(f"{payload}.{base64.urlsafe_b64encode(raw).rstrip(b'=').decode()}")


VISITOR = Actor(None, None, request_id="r-1", ip="198.51.100.4")


def test_taking_a_token_turns_off_that_types_email_for_its_user() -> None:
    switch = FakePreferenceSwitch()
    service = Unsubscriptions(TOKENS, switch, FakeAddresses({"u1": "vera@aff.example"}))
    done = service.unsubscribe(TOKENS.unsubscribe_token("u1", EventType.CONVERSION_REJECTED), VISITOR)
    assert (done.type, done.email) == (EventType.CONVERSION_REJECTED, "vera@aff.example")
    assert switch.turned_off == [("u1", EventType.CONVERSION_REJECTED, Channel.EMAIL)]


def test_a_security_notice_or_a_gone_user_cannot_be_unsubscribed() -> None:
    switch = FakePreferenceSwitch()
    service = Unsubscriptions(TOKENS, switch, FakeAddresses({"u1": "vera@aff.example"}))
    with pytest.raises(InvalidUnsubscribeLink, match="security"):
        service.unsubscribe(TOKENS.unsubscribe_token("u1", EventType.MFA_DISABLED), VISITOR)
    with pytest.raises(InvalidUnsubscribeLink, match="no longer exists"):
        service.unsubscribe(TOKENS.unsubscribe_token("gone", EventType.CONVERSION_SALE), VISITOR)
    with pytest.raises(InvalidUnsubscribeLink):
        service.unsubscribe("forged.token", VISITOR)
    assert switch.turned_off == []
