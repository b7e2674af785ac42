"""Property-based: whatever a visitor or a stranger puts in /click and /postback, the answer is
never a 5xx, and nothing is stored that should not exist."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import boto3
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerka.common.config import get_settings
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
RUN = settings(max_examples=60, deadline=None, derandomize=True)


def count(table: str) -> int:
    return int(boto3.client("dynamodb").scan(TableName=table, Select="COUNT")["Count"])


def test_click_never_fails_and_stores_only_clicks_on_real_offers(load_function: FunctionLoader) -> None:
    world = build_world()
    handler = load_function("click").handler
    table = get_settings().clicks_table

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
    table = get_settings().conversions_table

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
