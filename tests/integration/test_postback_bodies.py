"""Postbacks as advertisers' systems really send them: Windows-1251 transaction ids, multipart
forms, JSON labelled text/plain (issue 14, item 3), through the postback function under moto."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote_from_bytes, urlencode

from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_hot_paths import a_click, conversions_in_table


def binary_post(body: bytes, content_type: str, query: str = "") -> dict[str, Any]:
    """A POST whose body API Gateway passes base64-encoded (it does so for bodies it won't read as text)."""
    event = http_event("POST", "/postback", query, {"content-type": content_type})
    event["body"] = base64.b64encode(body).decode()
    event["isBase64Encoded"] = True
    return event


def test_two_cp1251_transaction_ids_are_two_sales_not_a_duplicate(load_function: FunctionLoader) -> None:
    world, click_id, postback = a_click(load_function)
    outcomes = []
    for order in ("ЗАКАЗ-1", "ЗАКАЗ-2"):
        query = (
            urlencode({"click_id": click_id, "status": "sale", "secret": world.offer.postback_secret})
            + "&txn_id="
            + quote_from_bytes(order.encode("cp1251"))
        )
        response = postback.handler(http_event("GET", "/postback", query), CONTEXT)
        outcomes.append(json.loads(response["body"])["result"])
    assert outcomes == ["recorded", "recorded"]
    assert sorted(c["txn_id"] for c in conversions_in_table()) == ["ЗАКАЗ-1", "ЗАКАЗ-2"]


def test_multipart_and_text_plain_json_bodies_record_like_forms(load_function: FunctionLoader) -> None:
    world, click_id, postback = a_click(load_function)
    secret = world.offer.postback_secret
    fields = {"click_id": click_id, "status": "sale", "secret": secret, "txn_id": "MP-1"}
    parts = b"".join(
        f'--frontier\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    multipart = binary_post(parts + b"--frontier--\r\n", "multipart/form-data; boundary=frontier")
    as_text = binary_post(
        json.dumps({**fields, "txn_id": "TXT-1", "goal": "sale"}).encode(), "text/plain;charset=UTF-8"
    )
    for event in (multipart, as_text):
        response = postback.handler(event, CONTEXT)
        assert (response["statusCode"], json.loads(response["body"])["result"]) == (200, "recorded")
    assert sorted(c["txn_id"] for c in conversions_in_table()) == ["MP-1", "TXT-1"]


def test_a_malformed_multipart_body_is_a_clean_400_envelope(load_function: FunctionLoader) -> None:
    _, click_id, postback = a_click(load_function)
    body = f'--x\r\nContent-Disposition: form-data; name="click_id"\r\n\r\n{click_id}\r\n--x--\r\n'.encode()
    for content_type, raw in (
        ("multipart/form-data", body),  # no boundary
        ("multipart/form-data; boundary=other", body),  # the wrong one
        ("multipart/form-data; boundary=x", body[:-9]),  # cut before its end
    ):
        response = postback.handler(binary_post(raw, content_type), CONTEXT)
        assert response["statusCode"] == 400
        assert response["headers"]["content-type"] == "application/json"
        error = json.loads(response["body"])["error"]
        assert error["code"] == "validation_error"
        assert "multipart" in error["message"]
    assert conversions_in_table() == []
