"""The unsubscribe route takes its token from either request that brings one: the dashboard page's
JSON, or a mail client's RFC 8058 one-click form POST to the List-Unsubscribe URL."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerka.common.errors import ValidationFailed
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def api_on_path() -> Iterator[None]:
    sys.path.insert(0, str(ROOT / "functions" / "api"))
    yield
    sys.path.remove(str(ROOT / "functions" / "api"))


def request(body: str | None, content_type: str, encoded: bool = False) -> APIGatewayProxyEventV2:
    raw: dict[str, Any] = {"headers": {"content-type": content_type}, "isBase64Encoded": encoded}
    if body is not None:
        raw["body"] = base64.b64encode(body.encode()).decode() if encoded else body
    return APIGatewayProxyEventV2(raw)


def token_of(event: APIGatewayProxyEventV2, query: str | None) -> str:
    from routes.unsubscribe_schemas import token_of as read

    return read(event, query)


def test_the_dashboard_page_posts_the_token_as_json() -> None:
    assert token_of(request('{"token": "abc.def"}', "application/json"), None) == "abc.def"


def test_a_mail_clients_one_click_post_brings_the_token_in_the_url() -> None:
    form = "application/x-www-form-urlencoded"
    assert token_of(request("List-Unsubscribe=One-Click", form), "abc.def") == "abc.def"
    assert token_of(request("List-Unsubscribe=One-Click", form, encoded=True), "abc.def") == "abc.def"


@pytest.mark.parametrize(
    ("body", "content_type", "query"),
    [
        ("List-Unsubscribe=One-Click", "application/x-www-form-urlencoded", None),
        ("List-Unsubscribe=Maybe", "application/x-www-form-urlencoded", "abc.def"),
        ('{"token": 42}', "application/json", None),
        ('{"other": "abc"}', "application/json", None),
        ("[1]", "application/json", None),
        (None, "application/json", None),
    ],
)
def test_a_request_without_a_token_is_refused(body: str | None, content_type: str, query: str | None) -> None:
    with pytest.raises(ValidationFailed):
        token_of(request(body, content_type), query)
