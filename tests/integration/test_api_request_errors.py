"""Requests the dashboard API cannot use, sent exactly as API Gateway (HTTP API, payload 2.0) passes
them on: each is a 400 with the error envelope, never a 5xx, and nothing stored changes."""

from __future__ import annotations

import base64
import json
import os
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from partnerka.common.clock import utc_now
from partnerka.common.ids import new_click_id
from partnerka.operations.repository import OperationsRepository
from partnerka.postbacks.models import DeliveryFormat, Destination, EventData, PostbackEvent
from partnerka.postbacks.repository import operation_of
from partnerka.postbacks.service import new_delivery
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.test_isolation_matrix import OFFER_BODY
from tests.integration.world import PASSWORD, World, build_world


@pytest.fixture
def setup(load_function: FunctionLoader) -> tuple[Api, World, dict[str, str]]:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    tokens = {who: api.login(world.emails[who], PASSWORD)["access_token"] for who in ("owner", "advertiser")}
    return api, world, tokens


def send_raw(
    api: Api,
    method: str,
    path: str,
    raw: bytes,
    content_type: str | None = "application/json",
    token: str | None = None,
    query: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """A request whose body API Gateway passed on base64-encoded (as it does for bytes that are not
    text), with headers as API Gateway gives them."""
    headers = {"host": "app.example"}
    if content_type is not None:
        headers["content-type"] = content_type
    if token:
        headers["authorization"] = f"Bearer {token}"
    event = http_event(method, path, urlencode(query or {}), headers)
    event["body"] = base64.b64encode(raw).decode()
    event["isBase64Encoded"] = True
    response = api.module.handler(event, CONTEXT)
    return response["statusCode"], json.loads(response["body"])


def assert_refused(status: int, body: Any) -> None:
    assert status == 400, body
    assert body["error"]["code"] == "validation_error", body
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]


NOT_UTF8 = [
    b'{"email": "\xff\xfe@example.com", "password": "x"}',  # not UTF-8 at all
    '{"email": "caf\u00e9@example.com", "password": "x"}'.encode("latin-1"),  # Latin-1
    b'{"email": "\xed\xa0\x80@example.com", "password": "x"}',  # an encoded lone surrogate
    b'{"name": "A\\ud800B"}',  # UTF-8, but its JSON spells a lone surrogate
]


def test_a_json_body_that_is_not_utf8_is_refused(setup: tuple[Api, World, dict[str, str]]) -> None:
    api, _, tokens = setup
    for raw in NOT_UTF8:
        assert_refused(*send_raw(api, "POST", "/api/auth/login", raw))
        assert_refused(*send_raw(api, "PATCH", "/api/me", raw, token=tokens["advertiser"]))
    assert api.call("GET", "/api/me", token=tokens["advertiser"]).body["user"]["name"] == "Advertiser"


NOT_JSON = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=xyz",
    "application/x-www-form-urlencoded",
    "text/plain",
    "",
    "application/json; charset=latin-1",
    "application/json,text/plain",  # the header sent twice, joined by API Gateway
]


def test_a_body_that_is_not_json_is_refused(setup: tuple[Api, World, dict[str, str]]) -> None:
    api, _, tokens = setup
    raw = b'--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.example\r\n--xyz--\r\n'
    for content_type in NOT_JSON:
        status, body = send_raw(api, "POST", "/api/auth/login", raw, content_type)
        assert status == 400, (content_type, body)
        assert_refused(status, body)
        assert_refused(*send_raw(api, "PATCH", "/api/me", raw, content_type, token=tokens["advertiser"]))


def test_a_json_body_without_a_content_type_is_read_as_json(setup: tuple[Api, World, dict[str, str]]) -> None:
    api, _, tokens = setup
    status, body = send_raw(api, "PATCH", "/api/me", b'{"name": "Renamed"}', None, token=tokens["advertiser"])
    assert (status, body["user"]["name"]) == (200, "Renamed")


TOO_DEEP = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b'{"email": "a@b.example", "password": "x", "extra": ' + b"[" * 40 + b"]" * 40 + b"}",
]


def test_deeply_nested_json_is_refused(setup: tuple[Api, World, dict[str, str]]) -> None:
    api, _, tokens = setup
    for raw in TOO_DEEP:
        assert_refused(*send_raw(api, "POST", "/api/auth/login", raw))
        assert_refused(*send_raw(api, "POST", "/api/offers", raw, token=tokens["advertiser"]))


def test_malformed_json_is_refused(setup: tuple[Api, World, dict[str, str]]) -> None:
    api, _, _ = setup
    for raw in (b'{"email": ', b'{"email": NaN, "password": "x"}', b"1" * 5000, b"\x00"):
        assert_refused(*send_raw(api, "POST", "/api/auth/login", raw))


def test_nulling_an_offer_field_that_cannot_be_empty_is_refused_and_changes_nothing(
    setup: tuple[Api, World, dict[str, str]],
) -> None:
    api, _, tokens = setup
    offer = api.call("POST", "/api/offers", OFFER_BODY | {"name": "Kept"}, token=tokens["advertiser"]).body
    for field in (
        "model",
        "name",
        "currency",
        "goals",
        "landings",
        "geo_mode",
        "hold_days",
        "caps",
        "status",
    ):
        reply = api.call("PATCH", f"/api/offers/{offer['id']}", {field: None}, token=tokens["advertiser"])
        assert reply.status == 400, (field, reply.body)
        assert_refused(reply.status, reply.body)
        assert f"{field}:" in reply.body["error"]["message"]
        assert "MISSING" not in reply.body["error"]["message"]
    assert api.call("GET", f"/api/offers/{offer['id']}", token=tokens["advertiser"]).body == offer


def test_an_offer_fallback_url_may_be_cleared_with_null(setup: tuple[Api, World, dict[str, str]]) -> None:
    api, _, tokens = setup
    body = OFFER_BODY | {"name": "Fallback", "fallback_url": "https://fallback.example/"}
    offer = api.call("POST", "/api/offers", body, token=tokens["advertiser"]).body
    reply = api.call(
        "PATCH", f"/api/offers/{offer['id']}", {"fallback_url": None}, token=tokens["advertiser"]
    )
    assert reply.status == 200, reply.body
    assert reply.body["fallback_url"] is None


def _b64(document: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode()


FORGED_CURSORS = [
    "not a cursor",
    "%%%",
    _b64({"k": {"pk": {"S": "OP#x"}}}),  # a key missing the index's attributes
    _b64({"k": {"pk": {"N": "1"}, "adv": {"S": "ADV"}, "created_at": {"S": "x"}}}),  # wrong types
    _b64(
        {"k": {"pk": {"S": "OP#x"}, "day": {"S": "D#2026-01-01"}, "created_at": {"S": "x"}, "z": {"S": "1"}}}
    ),
    _b64({"k": {"pk": {"S": "OP#x"}, "day": {"S": "D#2026-01-01"}, "created_at": {"S": "not a time"}}}),
    _b64({"k": {"pk": {"S": "OP#x"}, "adv": {"S": "01JOTHER"}, "created_at": {"S": "2026-01-01T00:00:00Z"}}}),
    # another listing's key range: the open jobs of another type
    _b64(
        {"k": {"pk": {"S": "OP#x"}, "open_type": {"S": "stats"}, "created_at": {"S": "2026-01-01T00:00:00Z"}}}
    ),
    _b64({"k": {"pk": "OP#x", "created_at": "2026"}, "d": 7}),
    _b64({"k": [], "d": ""}),
    _b64([1, 2]),
    _b64("x"),
]


def test_a_forged_cursor_is_refused(setup: tuple[Api, World, dict[str, str]]) -> None:
    api, _, tokens = setup
    for cursor in FORGED_CURSORS:
        for who, path in (
            ("owner", "/api/deliveries"),
            ("advertiser", "/api/deliveries"),
            ("owner", "/api/monitor/operations"),
            ("owner", "/api/monitor/queues/postback/jobs"),
            ("owner", "/api/monitor/queues/notify/jobs"),
        ):
            reply = api.call("GET", path, token=tokens[who], cursor=cursor)
            assert reply.status == 400, (who, path, cursor, reply.body)
            assert_refused(reply.status, reply.body)


def test_cursors_the_api_gave_page_through_every_operation_once(
    setup: tuple[Api, World, dict[str, str]],
) -> None:
    # Given seven deliveries to the affiliate over three days (and one of another advertiser's)
    api, world, tokens = setup
    tokens["affiliate"] = api.login(world.emails["affiliate"], PASSWORD)["access_token"]
    repository = OperationsRepository(os.environ["OPERATIONS_TABLE"])
    now = utc_now()
    mine = set()
    for n in range(8):
        advertiser_id = world.advertiser_id if n < 7 else "01JOTHERADVERTISER00000000"
        event = EventData(
            event_id=f"{new_click_id()}.click",
            event=PostbackEvent.CLICK,
            click_id=new_click_id(),
            affiliate_id=world.affiliate_id,
            advertiser_id=advertiser_id,
            offer_id=world.offer.offer_id,
            occurred_at=now,
        )
        at = now - timedelta(days=n % 3, minutes=n)
        repository.create(
            operation_of(new_delivery(event, Destination("https://t.example/pb", DeliveryFormat.GET), at))
        )
        if n < 7:
            mine.add(event.event_id)
    every = mine | {event.event_id}

    def pages(who: str, path: str, **query: str) -> list[str]:
        seen: list[str] = []
        cursor = None
        for _ in range(20):
            reply = api.call("GET", path, token=tokens[who], limit=2, cursor=cursor, **query)
            assert reply.status == 200, reply.body
            # the delivery log names deliveries; the monitor, the operations that run them
            seen += [item.get("delivery_id") or item["op_id"] for item in reply.body["items"]]
            cursor = reply.body["cursor"]
            if cursor is None:
                return seen
        raise AssertionError(f"{path} never ended")

    # Then each reader pages through exactly what it may see, once, newest first
    for who, path, expected in (
        ("owner", "/api/deliveries", every),
        ("owner", "/api/monitor/operations", every),
        ("advertiser", "/api/deliveries", mine),
        ("affiliate", "/api/deliveries", mine),
    ):
        seen = pages(who, path)
        assert sorted(seen) == sorted(expected), (who, path)
    # And a cursor of one reader's range is not accepted for another's
    advertiser_cursor = api.call("GET", "/api/deliveries", token=tokens["advertiser"], limit=2).body["cursor"]
    assert advertiser_cursor
    reply = api.call("GET", "/api/deliveries", token=tokens["affiliate"], cursor=advertiser_cursor)
    assert_refused(reply.status, reply.body)
