"""The closed set of error codes, the one code → HTTP status table, and the base domain error.

Contexts raise small subclasses of `DomainError` next to the code that raises them; the API and the
hot-path handlers turn any of them into the `{"error": {"code", "message"}}` envelope.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    VALIDATION_ERROR = "validation_error"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    IP_NOT_ALLOWED = "ip_not_allowed"
    INVALID_SECRET = "invalid_secret"  # noqa: S105 - an error code, not a secret
    INVALID_CREDENTIALS = "invalid_credentials"
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - an error code
    EMAIL_NOT_VERIFIED = "email_not_verified"
    ACCOUNT_BLOCKED = "account_blocked"
    RATE_LIMITED = "rate_limited"
    CLICK_NOT_FOUND = "click_not_found"
    CLICK_EXPIRED = "click_expired"
    CLICK_OFFER_MISMATCH = "click_offer_mismatch"
    UNSAFE_DESTINATION = "unsafe_destination"
    PLAN_LIMIT = "plan_limit"
    SUBSCRIPTION_INACTIVE = "subscription_inactive"  # suspended or canceled: billing pages only
    ACCOUNT_SUSPENDED = "account_suspended"  # suspended by the platform's staff: read-only
    PAYMENT_FAILED = "payment_failed"
    QUERY_FAILED = "query_failed"  # the analytics engine refused or stopped a report's query
    QUERY_CANCELLED = "query_cancelled"  # the user cancelled the report's query
    INTERNAL = "internal_error"


# A request that cannot be carried out as sent is a 400, whichever check refused it (never 422).
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.VALIDATION_ERROR: 400,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.EMAIL_NOT_VERIFIED: 403,
    ErrorCode.ACCOUNT_BLOCKED: 403,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.INVALID_SECRET: 403,
    ErrorCode.IP_NOT_ALLOWED: 403,
    ErrorCode.PLAN_LIMIT: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CLICK_NOT_FOUND: 404,
    ErrorCode.CLICK_EXPIRED: 404,
    ErrorCode.CLICK_OFFER_MISMATCH: 400,
    ErrorCode.UNSAFE_DESTINATION: 400,
    ErrorCode.CONFLICT: 409,
    ErrorCode.SUBSCRIPTION_INACTIVE: 402,
    ErrorCode.ACCOUNT_SUSPENDED: 403,
    ErrorCode.PAYMENT_FAILED: 402,
    ErrorCode.QUERY_FAILED: 400,
    ErrorCode.QUERY_CANCELLED: 409,
    ErrorCode.INTERNAL: 500,
}


class DomainError(Exception):
    """An expected failure with a code from the closed set; its message is safe to show the caller."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

    def details(self) -> dict[str, Any]:
        """What the envelope carries besides the code and the message, for a caller to act on (the
        limit a plan reached, what is in use); nothing for most errors."""
        return {}


class ValidationFailed(DomainError):
    code = ErrorCode.VALIDATION_ERROR


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def error_envelope(
    code: ErrorCode, message: str, detail: str | None = None, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`message` in the caller's language; `detail`, when given, the specifics as the service put them;
    `extra`, the error's own fields (`DomainError.details`), beside them."""
    body: dict[str, Any] = {"code": code.value, "message": message}
    if detail is not None:
        body["detail"] = detail
    body.update(extra or {})
    return {"error": body}
