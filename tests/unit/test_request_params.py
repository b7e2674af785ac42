"""Postback parameters out of real HTTP API 2.0 events: bytes that are not UTF-8, declared charsets,
multipart bodies and JSON sent as text/plain (issue 14, item 3)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerka.common import http
from partnerka.common.charsets import codec_for, decode_text
from partnerka.common.multipart import MalformedBody

ORDER_1 = "ЗАКАЗ-1"
ORDER_2 = "ЗАКАЗ-2"


def event(
    method: str = "GET", query: str = "", body: bytes | None = None, content_type: str | None = None
) -> dict[str, Any]:
    """As API Gateway sends it: binary bodies base64-encoded, headers lowercased."""
    headers = {"user-agent": "advertiser-crm/2.1"}
    if content_type is not None:
        headers["content-type"] = content_type
    shaped: dict[str, Any] = {
        "version": "2.0",
        "rawPath": "/postback",
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {"http": {"method": method, "path": "/postback", "sourceIp": "198.51.100.7"}},
        "isBase64Encoded": False,
    }
    if body is not None:
        shaped["body"] = base64.b64encode(body).decode()
        shaped["isBase64Encoded"] = True
    return shaped


def percent(text: str, charset: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode(charset))


def test_cp1251_transaction_ids_in_the_query_stay_distinct_and_readable() -> None:
    first = http.request_params(event(query=f"click_id=c&txn_id={percent(ORDER_1, 'cp1251')}"))
    second = http.request_params(event(query=f"click_id=c&txn_id={percent(ORDER_2, 'cp1251')}"))
    assert (first["txn_id"], second["txn_id"]) == (ORDER_1, ORDER_2)


def test_utf8_stays_utf8_and_a_declared_charset_is_honoured() -> None:
    assert http.query_params(event(query=f"sub1={percent('Привет', 'utf-8')}"))["sub1"] == "Привет"
    koi8 = http.request_params(event(query=f"txn_id={percent('Заказ', 'koi8-r')}&charset=koi8-r"))
    assert koi8["txn_id"] == "Заказ"
    cp1251 = http.request_params(event(query=f"charset=windows-1251&txn_id={percent('Ёлка', 'cp1251')}"))
    assert cp1251["txn_id"] == "Ёлка"


def test_bytes_that_are_no_cyrillic_are_kept_escaped_not_merged() -> None:
    latin = http.request_params(event(query="txn_id=M%FCller"))["txn_id"]
    other = http.request_params(event(query="txn_id=M%FDller"))["txn_id"]
    assert (latin, other) == ("M\\xfcller", "M\\xfdller")
    assert "\ufffd" not in latin


def test_a_form_body_in_windows_1251_by_its_content_type() -> None:
    body = f"click_id=c&txn_id={percent(ORDER_1, 'cp1251')}&comment=".encode() + "оплачено".encode("cp1251")
    params = http.request_params(
        event("POST", body=body, content_type="application/x-www-form-urlencoded; charset=windows-1251")
    )
    assert (params["txn_id"], params["comment"]) == (ORDER_1, "оплачено")


def test_json_sent_as_text_plain_is_read_as_json_with_numbers_as_written() -> None:
    body = '{"click_id": "c", "status": "sale", "amount": 12.50, "txn_id": "ЗАКАЗ-1"}'.encode("cp1251")
    params = http.request_params(event("POST", body=body, content_type="text/plain; charset=windows-1251"))
    assert params == {"click_id": "c", "status": "sale", "amount": "12.50", "txn_id": ORDER_1}
    assert http.request_params(event("POST", body=b'{"status": "lead"}'))["status"] == "lead"


def multipart(boundary: str, *parts: tuple[str, bytes, str]) -> bytes:
    chunks = []
    for name, value, extra in parts:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{extra}\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    return b"".join(chunks) + f"--{boundary}--\r\n".encode()


def test_multipart_form_data_is_read_like_a_form() -> None:
    body = multipart(
        "XyZ42",
        ("click_id", b"c-1", ""),
        ("status", b"sale", ""),
        ("txn_id", ORDER_2.encode("cp1251"), "\r\nContent-Type: text/plain; charset=windows-1251"),
        ("receipt", b"%PDF-1.7 binary", '; filename="r.pdf"'),
    )
    params = http.request_params(
        event("POST", body=body, content_type='multipart/form-data; boundary="XyZ42"')
    )
    assert params == {"click_id": "c-1", "status": "sale", "txn_id": ORDER_2}


@pytest.mark.parametrize(
    ("content_type", "body", "says"),
    [
        (
            "multipart/form-data",
            b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--',
            "boundary",
        ),
        ("multipart/form-data; boundary=b", b"click_id=c&status=sale", "no part"),
        (
            "multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1',
            "closing",
        ),
        ("multipart/form-data; boundary=b", b"--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--", "name"),
        ("multipart/form-data; boundary=b", b"--b\r\nno blank line\r\n--b--", "blank line"),
        ("application/json", b'{"click_id": ', "JSON"),
        ("application/json", b'["click_id"]', "object"),
    ],
)
def test_unreadable_bodies_are_refused_whole_with_a_reason(content_type: str, body: bytes, says: str) -> None:
    with pytest.raises(MalformedBody, match=says) as caught:
        http.request_params(event("POST", body=body, content_type=content_type))
    assert caught.value.status == 400


def test_the_query_wins_over_the_body_and_the_first_repeat_wins() -> None:
    params = http.request_params(
        event(
            "POST",
            "status=lead&status=sale",
            b"status=rejected&txn_id=A&txn_id=B",
            "application/x-www-form-urlencoded",
        )
    )
    assert (params["status"], params["txn_id"]) == ("lead", "A")


def test_an_empty_body_adds_nothing_whatever_its_content_type() -> None:
    for content_type in ("application/json", "multipart/form-data", "text/plain"):
        params = http.request_params(event("POST", "click_id=c&status=sale", b"", content_type))
        assert params == {"click_id": "c", "status": "sale"}


def test_charset_names_resolve_only_to_ascii_compatible_text_codecs() -> None:
    assert codec_for("Windows-1251") == "cp1251"
    assert codec_for('"utf-8"') == "utf-8"
    assert [codec_for(name) for name in ("utf-16", "base64", "rot13", "nonsense", "")] == [None] * 5


def invalid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


# Backslashes are left out: a value that literally spells `\xNN` is the one text the escape of a raw
# byte can meet (see partnerka.common.charsets).
NO_BACKSLASH = st.binary(max_size=24).filter(lambda raw: b"\\" not in raw)


@given(NO_BACKSLASH, NO_BACKSLASH)
def test_two_different_byte_strings_never_become_one_id(a: bytes, b: bytes) -> None:
    if a == b:
        return
    if invalid_utf8(a) == invalid_utf8(b):
        assert decode_text(a) != decode_text(b)
    elif decode_text(a) == decode_text(b):
        # Only the same characters in two charsets may meet: cp1251 Cyrillic and its UTF-8.
        legacy, modern = (a, b) if invalid_utf8(a) else (b, a)
        assert legacy.decode("cp1251") == modern.decode("utf-8")


@given(
    st.binary(max_size=200),
    st.sampled_from(["", "text/plain", "multipart/form-data; boundary=b", "application/json"]),
)
def test_any_body_either_reads_or_is_refused_as_malformed(body: bytes, content_type: str) -> None:
    try:
        params = http.request_params(event("POST", body=body, content_type=content_type))
    except MalformedBody:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
