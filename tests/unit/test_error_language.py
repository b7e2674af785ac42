"""The API answers in the caller's language: the user's stored one, else the browser's best."""

from __future__ import annotations

import pytest

from partnerka.common.error_messages import ERROR_MESSAGES, message_in
from partnerka.common.errors import ErrorCode, error_envelope
from partnerka.common.language import LANGUAGES, pick_language


def test_every_error_code_has_a_message_in_every_language() -> None:
    assert set(ERROR_MESSAGES) == set(ErrorCode)
    for code, texts in ERROR_MESSAGES.items():
        assert set(texts) == set(LANGUAGES), code
        assert all(text.strip() for text in texts.values()), code
    # Russian texts are Russian, not copies of the English ones
    assert all(ERROR_MESSAGES[code]["ru"] != ERROR_MESSAGES[code]["en"] for code in ErrorCode)


@pytest.mark.parametrize(
    ("stored", "accept_language", "expected"),
    [
        ("ru", "en-US,en;q=0.9", "ru"),  # the stored language wins
        ("en", "ru-RU,ru;q=0.9", "en"),
        (None, "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
        (None, "de-DE,de;q=0.9,ru;q=0.8,en;q=0.7", "ru"),  # the best one we speak
        (None, "en;q=0.3, ru;q=0.8", "ru"),  # by weight, not by order
        (None, "RU", "ru"),
        (None, "ru;q=0", "en"),  # "not Russian"
        (None, "fr, de", "en"),
        (None, "*", "en"),
        (None, "", "en"),
        (None, None, "en"),
        (None, ";;q=abc,,ru;q=x", "en"),  # garbage never fails
        ("de", "ru", "ru"),  # a stored language we do not speak counts as none
    ],
)
def test_the_answer_language(stored: str | None, accept_language: str | None, expected: str) -> None:
    assert pick_language(stored, accept_language) == expected


def test_english_keeps_the_services_own_words_and_russian_gets_the_codes_text() -> None:
    detail = "the minimum payout is 50.00 USD"
    assert message_in(ErrorCode.VALIDATION_ERROR, "en", detail) == detail
    assert (
        message_in(ErrorCode.VALIDATION_ERROR, "ru", detail)
        == ERROR_MESSAGES[ErrorCode.VALIDATION_ERROR]["ru"]
    )
    assert message_in(ErrorCode.NOT_FOUND, "en", "") == ERROR_MESSAGES[ErrorCode.NOT_FOUND]["en"]


def test_the_envelope_keeps_its_shape_and_adds_the_detail() -> None:
    assert error_envelope(
        ErrorCode.CONFLICT, "Такое уже есть.", "an account with this e-mail already exists"
    ) == {
        "error": {
            "code": "conflict",
            "message": "Такое уже есть.",
            "detail": "an account with this e-mail already exists",
        }
    }
    assert error_envelope(ErrorCode.INVALID_SECRET, "the postback secret does not match the offer") == {
        "error": {"code": "invalid_secret", "message": "the postback secret does not match the offer"}
    }
