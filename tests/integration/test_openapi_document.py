"""The OpenAPI document describes what the API really answers: besides each operation's success, the
error envelope under every status of the one code → status table (400 for every invalid request,
never 422), and which operations need a bearer token."""

from __future__ import annotations

from typing import Any

import pytest

from partnerka.common.errors import HTTP_STATUS, ErrorCode
from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.integration.test_isolation_matrix import PUBLIC_OPERATIONS, operations

ERROR_STATUSES = {"400", "401", "402", "403", "404", "409", "429", "500"}


@pytest.fixture
def document(load_function: FunctionLoader) -> dict[str, Any]:
    reply = Api(load_function("api")).call("GET", "/api/openapi.json")
    assert reply.status == 200
    return reply.body  # type: ignore[no-any-return]


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = document["components"][section][name]
    return node


def test_every_operation_documents_the_error_envelope_under_each_status(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        answers = operation["responses"]
        assert set(answers) >= ERROR_STATUSES, (method, path)
        assert "422" not in answers, (method, path)
        for status in ERROR_STATUSES:
            answer = resolve(document, answers[status])
            schema = resolve(document, answer["content"]["application/json"]["schema"])
            error = schema["properties"]["error"]
            assert schema["required"] == ["error"]
            assert set(error["required"]) == {"code", "message"}
            codes = set(error["properties"]["code"]["enum"])
            assert codes == {c.value for c in ErrorCode if HTTP_STATUS[c] == int(status)}, status
            assert codes, f"no error code answers {status}"
        assert "Retry-After" in resolve(document, answers["429"])["headers"]
        for status, answer in answers.items():
            assert resolve(document, answer)["description"], (method, path, status)
        if "204" in answers:
            assert "content" not in answers["204"], (method, path)


def test_the_error_codes_are_the_closed_set_and_invalid_requests_are_400(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ErrorCode"]["enum"] == [c.value for c in ErrorCode]
    assert "HTTPValidationError" not in schemas
    assert set(HTTP_STATUS.values()) == {int(s) for s in ERROR_STATUSES}
    assert HTTP_STATUS[ErrorCode.VALIDATION_ERROR] == 400


def test_every_operation_but_the_public_ones_needs_a_bearer_token(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for method, path, operation in operations(document):
        expected = [] if f"{method} {path}" in PUBLIC_OPERATIONS else [{"bearer": []}]
        assert operation["security"] == expected, (method, path)
