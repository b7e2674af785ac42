"""What each error code says in every language the platform speaks.

Services state the specifics of an error in English (`DomainError.message`); a caller reading another
language gets its code's text in that language, and the specifics as the envelope's `detail`.
"""

from __future__ import annotations

from partnerka.common.errors import ErrorCode

ERROR_MESSAGES: dict[ErrorCode, dict[str, str]] = {
    ErrorCode.VALIDATION_ERROR: {
        "en": "Some of the data is not valid.",
        "ru": "Часть данных заполнена неверно.",
    },
    ErrorCode.UNAUTHENTICATED: {"en": "Please sign in again.", "ru": "Войдите снова."},
    ErrorCode.FORBIDDEN: {"en": "You are not allowed to do this.", "ru": "У вас нет прав на это действие."},
    ErrorCode.NOT_FOUND: {"en": "Not found.", "ru": "Не найдено."},
    ErrorCode.CONFLICT: {
        "en": "This clashes with what is there now: it exists already or was changed meanwhile.",
        "ru": "Это противоречит текущему состоянию: такое уже есть или было изменено.",
    },
    ErrorCode.IP_NOT_ALLOWED: {
        "en": "Requests from this address are not allowed.",
        "ru": "Запросы с этого адреса не разрешены.",
    },
    ErrorCode.INVALID_SECRET: {"en": "The secret does not match.", "ru": "Секрет не совпадает."},
    ErrorCode.INVALID_CREDENTIALS: {
        "en": "Wrong e-mail, password or code.",
        "ru": "Неверный адрес эл. почты, пароль или код.",
    },
    ErrorCode.TOKEN_EXPIRED: {
        "en": "This link or session has expired.",
        "ru": "Срок действия ссылки или сессии истёк.",
    },
    ErrorCode.EMAIL_NOT_VERIFIED: {
        "en": "Please confirm your e-mail address first.",
        "ru": "Сначала подтвердите адрес эл. почты.",
    },
    ErrorCode.ACCOUNT_BLOCKED: {"en": "This account is blocked.", "ru": "Аккаунт заблокирован."},
    ErrorCode.RATE_LIMITED: {
        "en": "Too many attempts. Please wait a moment and try again.",
        "ru": "Слишком много попыток. Подождите немного и попробуйте снова.",
    },
    ErrorCode.CLICK_NOT_FOUND: {"en": "There is no click with this ID.", "ru": "Клика с таким ID нет."},
    ErrorCode.CLICK_EXPIRED: {
        "en": "This click is older than the offer's attribution window.",
        "ru": "Клик старше окна атрибуции оффера.",
    },
    ErrorCode.CLICK_OFFER_MISMATCH: {
        "en": "This click belongs to another offer.",
        "ru": "Этот клик относится к другому офферу.",
    },
    ErrorCode.UNSAFE_DESTINATION: {
        "en": "This address cannot be used as a destination.",
        "ru": "Этот адрес нельзя использовать как адрес назначения.",
    },
    ErrorCode.PLAN_LIMIT: {
        "en": "Your plan does not allow this: move to a higher plan or free something up first.",
        "ru": "Ваш тариф этого не позволяет: перейдите на тариф выше или сначала освободите место.",
    },
    ErrorCode.SUBSCRIPTION_INACTIVE: {
        "en": "The subscription is not active: pay the open invoice on the billing page to continue.",
        "ru": "Подписка не активна: оплатите открытый счёт на странице оплаты, чтобы продолжить.",
    },
    ErrorCode.ACCOUNT_SUSPENDED: {
        "en": "This account is suspended by the platform: it can be viewed but not changed.",
        "ru": "Аккаунт приостановлен платформой: его можно просматривать, но нельзя изменять.",
    },
    ErrorCode.PAYMENT_FAILED: {
        "en": "The payment did not go through. Try another card or pay by bank transfer.",
        "ru": "Платёж не прошёл. Попробуйте другую карту или оплатите банковским переводом.",
    },
    ErrorCode.QUERY_FAILED: {
        "en": "The report could not be counted.",
        "ru": "Не удалось посчитать отчёт.",
    },
    ErrorCode.QUERY_CANCELLED: {"en": "The report's query was cancelled.", "ru": "Запрос отчёта отменён."},
    ErrorCode.INTERNAL: {
        "en": "Something went wrong on our side. Please try again.",
        "ru": "На нашей стороне что-то пошло не так. Попробуйте ещё раз.",
    },
}


def message_in(code: ErrorCode, language: str, detail: str) -> str:
    """The most specific text there is in `language`: the service's own words in English (they are
    English), else the code's text in that language."""
    if language == "en" and detail:
        return detail
    texts = ERROR_MESSAGES[code]
    return texts.get(language, texts["en"])
