"""partnerka.common.edge: CloudFront's viewer headers count only beside a known edge secret."""

from __future__ import annotations

import json
from typing import Any

import pytest

from partnerka.common.edge import REFRESH_SECONDS, RETRY_SECONDS, EdgeTrust, host_name


def event(headers: dict[str, str], source_ip: str = "130.176.1.10") -> dict[str, Any]:
    return {"headers": headers, "requestContext": {"http": {"sourceIp": source_ip, "method": "GET"}}}


class Secret:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.reads = 0

    def __call__(self) -> str:
        self.reads += 1
        if isinstance(self.document, Exception):
            raise self.document
        return self.document if isinstance(self.document, str) else json.dumps(self.document)


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def through(
    value: str = "s3cret", address: str = "198.51.100.7:46532", country: str = "DE"
) -> dict[str, Any]:
    headers = {
        "x-partnerka-edge": value,
        "cloudfront-viewer-address": address,
        "cloudfront-viewer-country": country,
    }
    return event(headers)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("198.51.100.7:46532", "198.51.100.7"),
        ("2001:db8::1:46532", "2001:db8::1"),
        ("[2001:db8::1]:46532", "2001:db8::1"),
        ("2001:DB8:0:0::1:443", "2001:db8::1"),
        ("198.51.100.7", "130.176.1.10"),  # no port: not CloudFront's form, the connection's address
        ("not-an-address:1", "130.176.1.10"),
        ("198.51.100.7:port", "130.176.1.10"),
        ("", "130.176.1.10"),
        ("198.51.100.7:1\r\nx: y", "130.176.1.10"),
    ],
)
def test_the_viewer_address_is_read_from_cloudfronts_form_only(address: str, expected: str) -> None:
    viewer = EdgeTrust(Secret({"current": "s3cret"})).viewer(through(address=address))
    assert viewer.via_edge
    assert viewer.ip == expected


@pytest.mark.parametrize(
    ("country", "expected"),
    [("DE", "DE"), ("de", "DE"), ("DEU", None), ("D1", None), ("", None), ("ÄÖ", None)],
)
def test_the_viewer_country_is_two_letters_or_nothing(country: str, expected: str | None) -> None:
    assert EdgeTrust(Secret({"current": "s3cret"})).viewer(through(country=country)).country == expected


@pytest.mark.parametrize(
    "presented", ["", "S3CRET", "s3cret ", "s3cre", "s3cret\x00", "\udcff", "previous-one", "None"]
)
def test_without_the_secret_the_viewer_headers_are_forged_and_ignored(presented: str) -> None:
    viewer = EdgeTrust(Secret({"current": "s3cret"})).viewer(through(value=presented))
    assert (viewer.ip, viewer.country, viewer.via_edge) == ("130.176.1.10", None, False)


def test_the_current_and_the_previous_value_are_accepted_after_a_rotation() -> None:
    trust = EdgeTrust(Secret({"current": "new", "previous": "old"}))
    assert trust.viewer(through(value="new")).via_edge
    assert trust.viewer(through(value="old")).via_edge
    assert not trust.viewer(through(value="older")).via_edge


def test_a_direct_call_never_reads_the_secret_and_an_edge_call_reads_it_once_per_period() -> None:
    secret, clock = Secret({"current": "s3cret"}), Clock()
    trust = EdgeTrust(secret, clock)
    for _ in range(3):
        assert not trust.viewer(event({"cloudfront-viewer-country": "US"})).via_edge
    assert secret.reads == 0
    for _ in range(3):
        assert trust.viewer(through()).via_edge
    assert secret.reads == 1
    secret.document = {"current": "rotated", "previous": "s3cret"}
    clock.now += REFRESH_SECONDS
    assert trust.viewer(through(value="rotated")).via_edge
    assert secret.reads == 2


@pytest.mark.parametrize(
    "document", [RuntimeError("Secrets Manager is down"), "not json", {"current": 7}, {}]
)
def test_an_unreadable_secret_trusts_nobody_and_is_retried_later_not_per_request(document: Any) -> None:
    secret, clock = Secret(document), Clock()
    trust = EdgeTrust(secret, clock)
    for _ in range(5):
        assert not trust.viewer(through()).via_edge
    assert secret.reads == 1
    clock.now += RETRY_SECONDS
    secret.document = {"current": "s3cret"}
    assert trust.viewer(through()).via_edge
    assert secret.reads == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("partners.acme.com", "partners.acme.com"),
        ("Partners.ACME.com", "partners.acme.com"),
        ("partners.acme.localhost:5173", "partners.acme.localhost"),
        ("partners.acme.com.", "partners.acme.com"),
        ("xn--80ak6aa92e.com", "xn--80ak6aa92e.com"),
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[2001:DB8::1]:8443", "[2001:db8::1]"),
        ("localhost", "localhost"),
        ("", ""),
        ("a.example,b.example", ""),  # a repeated Host, joined by API Gateway
        ("a.example:0", ""),
        ("a.example:99999", ""),
        ("a.example:http", ""),
        ("a..example", ""),
        ("-a.example", ""),
        ("a_b.example", ""),
        ("a.example/x", ""),
        ("user@a.example", ""),
        ("пример.рф", ""),  # browsers send an IDN in punycode
        ("[not-an-address]", ""),
        ("[2001:db8::1]x", ""),
        ("a.example\r\nx: y", ""),
        ("a" * 64 + ".example", ""),
    ],
)
def test_a_host_is_one_lower_case_name_without_its_port_or_nothing(value: str, expected: str) -> None:
    assert host_name(value) == expected


def test_the_viewers_host_is_the_forwarded_one_only_beside_the_secret() -> None:
    trust = EdgeTrust(Secret({"current": "s3cret"}))
    api_host = "abc123.execute-api.us-east-1.amazonaws.com"
    forwarded = {"host": api_host, "x-forwarded-host": "Partners.Acme.com"}
    # Through the edge: the Host is the API's own; the viewer's is the one ViewerHost forwarded
    assert trust.viewer(event({**forwarded, "x-partnerka-edge": "s3cret"})).host == "partners.acme.com"
    # Without the secret, a forwarded host is anyone's claim: the request's own Host counts
    assert trust.viewer(event(forwarded)).host == api_host
    assert trust.viewer(event({**forwarded, "x-partnerka-edge": "guessed"})).host == api_host
    # The local gateway passes the browser's Host through
    assert trust.viewer(event({"host": "partners.acme.localhost:8000"})).host == "partners.acme.localhost"
    # Through the edge without a forwarded host there is no viewer's host to trust
    assert trust.viewer(event({"host": api_host, "x-partnerka-edge": "s3cret"})).host == ""
