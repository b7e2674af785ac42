"""The API's OpenAPI document: what Powertools generates from the routes and their models, plus what
every operation answers besides success, which Powertools cannot know: the error envelope under every
status of the one code → status table (its 422 `HTTPValidationError` is replaced by the 400 the API
really answers), and the bearer token every operation but the public ones requires."""

from __future__ import annotations

import copy
from collections.abc import Set
from http import HTTPStatus
from typing import Any

from partnerka.billing.models import Limit
from partnerka.common.errors import HTTP_STATUS, ErrorCode

SCHEMAS = "#/components/schemas/"
SECURITY_SCHEME = "bearer"
# What each status means here; every operation may answer each, always with the error envelope.
ERROR_STATUSES = {
    400: "The request is not valid: a parameter, the body (JSON in UTF-8), a cursor or a value",
    401: "No valid bearer token (or the credentials of a sign-in are wrong)",
    402: "The advertiser's subscription is not paid up (suspended or canceled), or a payment failed",
    403: "The caller may not do this, or its account may not (yet)",
    404: "Nothing of that id is visible to the caller",
    409: "The change conflicts with the current state",
    429: "Too many attempts; retry after the number of seconds in Retry-After",
    500: "A fault of ours, logged; the request may be retried",
}


_LIMIT = {"type": "string", "enum": [limit.value for limit in Limit]}
_EXCESS = {
    "type": "object",
    "required": ["limit", "usage", "allowed"],
    "additionalProperties": False,
    "properties": {"limit": _LIMIT, "usage": {"type": "integer"}, "allowed": {"type": "integer"}},
}
# What a `plan_limit` error carries besides (billing.limits.PlanLimitExceeded.details).
PLAN_LIMIT_FIELDS: dict[str, Any] = {
    "limit": {**_LIMIT, "description": "plan_limit: the limit the plan reached"},
    "usage": {"type": "integer", "description": "plan_limit: how much of it is in use"},
    "allowed": {
        "type": "integer",
        "description": "plan_limit: how much the plan allows (white-label: 0 or 1)",
    },
    "plan": {"type": "string", "description": "plan_limit: the code of the plan that refused"},
    "upgrade_to": {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": "plan_limit: the code of the lowest plan that allows it; null when none does",
    },
    "excess": {
        "type": "array",
        "items": _EXCESS,
        "description": "plan_limit, a change of plan refused: every limit what is in use goes over",
    },
}


# What a `validation_error` about a list's entries carries besides (blocklists.models.InvalidEntries).
ENTRY_FIELDS: dict[str, Any] = {
    "entries": {
        "type": "array",
        "description": "validation_error of a list's entries: each refused one (at most 100)",
        "items": {
            "type": "object",
            "required": ["kind", "position", "entry", "message"],
            "additionalProperties": False,
            "properties": {
                "kind": {"type": "string", "description": "the kind of entry (ips, asns, …; sub1…sub10)"},
                "position": {
                    "type": "integer",
                    "description": "its line in pasted text (from 1), else its index",
                },
                "entry": {"type": "string", "description": "the entry as sent (its first 100 characters)"},
                "message": {"type": "string", "description": "why it was refused (English)"},
            },
        },
    }
}


def error_schema(codes: list[str] | None = None) -> dict[str, Any]:
    """The envelope `{"error": {"code", "message", "detail"}}`: `message` in the caller's language,
    `detail` the specifics as the service stated them (English), and, where `plan_limit` may answer,
    the fields of a plan's limit, and where `validation_error` may, the refused entries of a list;
    `codes` narrows `code` to one status's codes."""
    code: dict[str, Any] = (
        {"$ref": f"{SCHEMAS}ErrorCode"} if codes is None else {"type": "string", "enum": codes}
    )
    return {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "additionalProperties": False,
                "properties": {
                    "code": code,
                    "message": {"type": "string", "description": "In the caller's language"},
                    "detail": {"type": "string", "description": "The specifics, as the service stated them"},
                    **(PLAN_LIMIT_FIELDS if codes is None or ErrorCode.PLAN_LIMIT in codes else {}),
                    **(ENTRY_FIELDS if codes is None or ErrorCode.VALIDATION_ERROR in codes else {}),
                },
            }
        },
    }


def codes_of(status: int) -> list[str]:
    return [code.value for code in ErrorCode if HTTP_STATUS[code] == status]


def complete(generated: dict[str, Any], public: Set[tuple[str, str]]) -> dict[str, Any]:
    """`generated` (Powertools' document) with the error answers and security of every operation;
    `public`: the (method, path) pairs anyone may call."""
    assert set(HTTP_STATUS.values()) <= set(ERROR_STATUSES), "a status of the code table is undocumented"
    document = copy.deepcopy(generated)
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for powertools_only in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(powertools_only, None)
    schemas["ErrorCode"] = {
        "title": "ErrorCode",
        "description": "The closed set of error codes",
        "type": "string",
        "enum": [code.value for code in ErrorCode],
    }
    schemas["Error"] = {"title": "Error", **error_schema()}
    responses = components.setdefault("responses", {})
    for status, meaning in ERROR_STATUSES.items():
        name = f"Error{status}"
        schemas[name] = {"title": name, **error_schema(codes_of(status))}
        response: dict[str, Any] = {
            "description": f"{meaning} ({', '.join(codes_of(status))})",
            "content": {"application/json": {"schema": {"$ref": f"{SCHEMAS}{name}"}}},
        }
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            response["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before trying again",
                    "schema": {"type": "integer", "minimum": 1},
                    "required": True,
                }
            }
        responses[name] = response
    components["securitySchemes"] = {
        SECURITY_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "description": "An access token (from signing in, refreshing or switching context), or an "
            "advertiser's API key",
        }
    }
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            answers = operation.setdefault("responses", {})
            answers.pop("422", None)
            for status, answer in answers.items():
                answer.setdefault("description", HTTPStatus(int(status)).phrase)
                if int(status) == HTTPStatus.NO_CONTENT:
                    answer.pop("content", None)
            for status in ERROR_STATUSES:
                answers[str(status)] = {"$ref": f"#/components/responses/Error{status}"}
            is_public = (method.upper(), path) in public
            operation["security"] = [] if is_public else [{SECURITY_SCHEME: []}]
    return document
