"""A postback delivery is a `Delivery` in the API: the committed OpenAPI document (kept equal to the
code by tests/integration/test_openapi_document.py) names deliveries by `delivery_id`, and keeps
`op_id` for the orchestrator's operations log."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import ROOT

DOCUMENT = ROOT / "frontend" / "src" / "api" / "openapi.json"


def _document() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _refs(node: object) -> set[str]:
    """Every schema a part of the document refers to, however deep."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def test_the_delivery_routes_speak_of_deliveries_not_operations() -> None:
    document = _document()
    delivery_paths = {
        path: item for path, item in document["paths"].items() if path.startswith("/api/deliveries")
    }
    assert set(delivery_paths) == {
        "/api/deliveries",
        "/api/deliveries/{delivery_id}",
        "/api/deliveries/{delivery_id}/replay",
    }
    referred = _refs(delivery_paths) - {"ErrorOut", "ErrorBody", "HTTPValidationError", "ValidationError"}
    assert not any("operation" in name.lower() for name in referred), referred
    schemas = document["components"]["schemas"]
    assert "delivery_id" in schemas["DeliveryOut"]["properties"]
    assert not {"op_id", "type", "payload", "detail"} & set(schemas["DeliveryOut"]["properties"])


def test_a_clicks_story_lists_its_deliveries() -> None:
    click = _document()["components"]["schemas"]["ClickOut"]["properties"]
    assert "postbacks" not in click
    assert click["deliveries"]["items"]["$ref"].endswith("/DeliveryOut")


def test_the_operations_log_keeps_its_own_word() -> None:
    document = _document()
    assert "/api/monitor/operations/{op_id}" in document["paths"]
    assert "op_id" in document["components"]["schemas"]["OperationOut"]["properties"]
