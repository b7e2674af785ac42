"""Errors through the real API function, in the caller's language: the envelope's `message` is in the
signed-in user's stored language, else the browser's Accept-Language (comma-joined, as API Gateway
passes it); `detail` keeps the service's own words; the shape stays `{"error": {"code", "message"}}`."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.world import PASSWORD, build_world

RUSSIAN_BROWSER = "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"
SIGN_IN_FIRST = "sign in first: an Authorization: Bearer token is required"


def call(
    api: Api, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[int, Any]:
    response = api.module.handler(http_event(method, path, "", headers, body), CONTEXT)
    return response["statusCode"], json.loads(response["body"])


def test_an_anonymous_russian_browser_reads_errors_in_russian(load_function: FunctionLoader) -> None:
    api = Api(load_function("api"))
    status, body = call(api, "GET", "/api/me", {"accept-language": RUSSIAN_BROWSER})
    assert (status, body["error"]) == (
        401,
        {"code": "unauthenticated", "message": "Войдите снова.", "detail": SIGN_IN_FIRST},
    )
    # a request the API cannot read, and a registration link it does not have
    headers = {"accept-language": RUSSIAN_BROWSER, "content-type": "application/json"}
    status, body = call(api, "POST", "/api/auth/login", headers, "{")
    assert (status, body["error"]["code"], body["error"]["message"]) == (
        400,
        "validation_error",
        "Часть данных заполнена неверно.",
    )
    status, body = call(api, "GET", "/api/join/no-such-code", {"accept-language": "ru"})
    assert (status, body["error"]["code"], body["error"]["message"]) == (404, "not_found", "Не найдено.")


def test_english_callers_keep_the_services_own_words(load_function: FunctionLoader) -> None:
    api = Api(load_function("api"))
    for headers in ({}, {"accept-language": "en-GB,en;q=0.9"}, {"accept-language": "de-DE,fr;q=0.5"}):
        status, body = call(api, "GET", "/api/me", headers)
        assert (status, body["error"]["code"], body["error"]["message"]) == (
            401,
            "unauthenticated",
            SIGN_IN_FIRST,
        )


def test_a_signed_in_user_reads_errors_in_its_stored_language_whatever_the_browser_says(
    load_function: FunctionLoader,
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    token = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    assert api.call("PATCH", "/api/me", {"locale": "ru"}, token=token).status == 200
    headers = {"authorization": f"Bearer {token}", "accept-language": "en-US,en;q=0.9"}
    status, body = call(api, "GET", "/api/users", headers)  # an advertiser may not list users
    assert (status, body["error"]) == (
        403,
        {"code": "forbidden", "message": "У вас нет прав на это действие.", "detail": "you may not do this"},
    )
    # and the next caller, anonymous and English, is answered in English again
    status, body = call(api, "GET", "/api/users", {"accept-language": "en"})
    assert (status, body["error"]["message"]) == (401, SIGN_IN_FIRST)
