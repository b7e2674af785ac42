"""Property-based: whatever a visitor or a stranger puts in /click and /postback, the answer is
never a 5xx, and nothing is stored that should not exist."""

from __future__ import annotations

import base64
import json
import os
from typing import Any
from urllib.parse import quote_from_bytes, urlencode

import boto3
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.world import build_world

NAMES = [
    "o",
    "a",
    "click_id",
    "status",
    "secret",
    "txn_id",
    "payout",
    "amount",
    "goal",
    "currency",
    "reason",
    *(f"sub{i}" for i in range(1, 11)),
    "x",
]
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(min_size=600, max_size=3000),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e309",
            "NaN",
            "lead",
            "sale",
            "rejected",
            "' OR 1=1 --",
            "{click_id}",
            "../../etc/passwd",
            "\x00\x01",
            "<script>",
            "01JZZZZZZZZZZZZZZZZZZZZZZZ",
            "6f1c9b8e-3f57-4c2a-9d43-2b1f0e6a7c55",
            "USD",
            "99999999999999999999.99",
        ]
    ),
)
QUERIES = st.dictionaries(st.sampled_from(NAMES), HOSTILE, max_size=8)
RUN = settings(max_examples=examples(30, 1000), deadline=None, derandomize=True)


def count(table: str) -> int:
    return int(boto3.client("dynamodb").scan(TableName=table, Select="COUNT")["Count"])


def test_click_never_fails_and_stores_only_clicks_on_real_offers(load_function: FunctionLoader) -> None:
    world = build_world()
    handler = load_function("click").handler
    table = os.environ["CLICKS_TABLE"]

    @RUN
    @given(params=QUERIES, aimed=st.booleans())
    def check(params: dict[str, Any], aimed: bool) -> None:
        if aimed:  # the real offer, with junk everywhere else
            params = {**params, "o": world.offer.offer_id}
        before = count(table)
        response = handler(http_event("GET", "/click", urlencode(params)), CONTEXT)
        assert response["statusCode"] in (302, 404)
        assert count(table) - before == (1 if params.get("o") == world.offer.offer_id else 0)

    check()


def test_postback_never_fails_and_stores_nothing_without_a_real_click(load_function: FunctionLoader) -> None:
    build_world()
    handler = load_function("postback").handler
    table = os.environ["CONVERSIONS_TABLE"]

    @RUN
    @given(params=QUERIES, method=st.sampled_from(["GET", "POST"]), pixel=st.booleans())
    def check(params: dict[str, Any], method: str, pixel: bool) -> None:
        path = "/pixel.gif" if pixel else "/postback"
        query, body = (urlencode(params), None) if method == "GET" or pixel else ("", urlencode(params))
        headers = {"content-type": "application/x-www-form-urlencoded"} if body else {}
        response = handler(http_event("GET" if pixel else method, path, query, headers, body), CONTEXT)
        assert response["statusCode"] < 500
        assert count(table) == 0  # no click id can be guessed, so nothing can be recorded

    check()


RAW_VALUES = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"\xc7\xc0\xca\xc0\xc7-1", b"\r\nSet-Cookie: a=b", b"\xff\xfe", b"%", b"\x00"]),
)
CONTENT_TYPES = st.sampled_from(
    [
        "",
        "text/plain",
        "application/json",
        "application/json; charset=windows-1251",
        "application/x-www-form-urlencoded; charset=koi8-r",
        "multipart/form-data",
        "multipart/form-data; boundary=b",
        'multipart/form-data; boundary="b"; charset=utf-16',
        "application/xml",
    ]
)


def raw_query(params: dict[str, bytes]) -> str:
    return "&".join(f"{quote_from_bytes(k.encode())}={quote_from_bytes(v)}" for k, v in params.items())


def test_bytes_that_are_not_utf8_and_odd_bodies_never_fail_a_visitor_or_a_postback(
    load_function: FunctionLoader,
) -> None:
    world = build_world()
    click = load_function("click").handler
    postback = load_function("postback").handler

    @RUN
    @given(
        params=st.dictionaries(st.sampled_from([*NAMES, "charset"]), RAW_VALUES, max_size=6),
        body=st.one_of(st.binary(max_size=300), st.sampled_from([b"--b\r\n", b'{"click_id":', b"--b--"])),
        content_type=CONTENT_TYPES,
    )
    def check(params: dict[str, bytes], body: bytes, content_type: str) -> None:
        query = raw_query({**params, "o": world.offer.offer_id.encode(), "a": world.affiliate_id.encode()})
        visited = click(http_event("GET", "/click", query), CONTEXT)
        assert visited["statusCode"] in (302, 404)
        assert all(value.isprintable() and value.isascii() for value in visited["headers"].values())
        event = http_event("POST", "/postback", raw_query(params), {"content-type": content_type})
        event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
        answered = postback(event, CONTEXT)
        assert answered["statusCode"] < 500
        assert "error" in json.loads(answered["body"]) or answered["statusCode"] == 200
        pixel = postback(http_event("GET", "/pixel.gif", raw_query(params)), CONTEXT)
        assert (pixel["statusCode"], pixel["headers"]["content-type"]) == (200, "image/gif")

    check()
