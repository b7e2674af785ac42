"""The postback SSRF guard refuses every way of reaching a private address, before any connection."""

from __future__ import annotations

import socket
from collections.abc import Sequence

import pytest

from partnerka.postbacks.ssrf import UnsafeDestination, check_destination, is_public, loopback_allowed

PUBLIC = "93.184.215.14"
LITERALS = (
    "127.0.0.1",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "64:ff9b::a9fe:a9fe",
    "2002:a00:1::",
    "169.254.169.254",
    "fd00:ec2::254",
    "10.0.0.5",
    "10.0.0.1",
    "192.168.1.1",
    "172.16.0.1",
    "100.64.0.1",
    "0.0.0.0",  # noqa: S104 - an address the guard must refuse, not one we bind
    "224.0.0.1",
)


def resolver(table: dict[str, Sequence[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> Sequence[str]:
        if host not in table:
            raise socket.gaierror("unknown host")
        return table[host]

    return resolve


@pytest.fixture(autouse=True)
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard decides from the URL and the resolver alone: opening a socket fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the SSRF guard opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # decimal 127.0.0.1
        "http://0x7f000001/",  # hex
        "http://0177.0.0.1/",  # octal
        "http://017700000001/",
        "http://127.1/",
        "http://0x7f.1/",
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
        "http://[::ffff:7f00:1]/",
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of the metadata address
        "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
        "http://localhost:9001/",
        "http://localhost/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "ftp://example.com/",
        "http://user@example.com/",
        "http://example.com@127.0.0.1/",
        "http://example.com:80@10.0.0.1/",
        "http://:pass@example.com/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://private.example/",  # a name resolving to a private address
        "http://mixed.example/",  # one public and one private answer
        "http://example.com:8080/",  # a non-default port
        "https://example.com:80/",
        "http://example.com:0/",
        "http://example.com:99999/",
        "http:///nohost",
        "http://nowhere.example/",  # does not resolve
        "http://" + "a" * 2100 + ".com/",
        "javascript:alert(1)",
        "",
    ],
)
def test_unsafe_destinations_are_refused(url: str) -> None:
    table = {
        "example.com": [PUBLIC],
        "localhost": ["127.0.0.1", "::1"],
        "private.example": ["10.1.2.3"],
        "mixed.example": [PUBLIC, "192.168.0.10"],
    }
    # Literal addresses resolve to themselves, as getaddrinfo does
    table.update({literal: [literal] for literal in LITERALS})
    with pytest.raises(UnsafeDestination) as caught:
        check_destination(url, resolver(table))
    assert caught.value.status == 400


def test_a_public_destination_is_pinned_to_the_addresses_checked() -> None:
    target = check_destination(
        "https://Tracker.Example.com/pb?cid={click_id}",
        resolver({"tracker.example.com": [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]}),
    )
    assert (target.scheme, target.host, target.port) == ("https", "tracker.example.com", 443)
    assert target.addresses == (PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c")


def test_the_domain_whitelist_admits_only_its_domains_and_their_subdomains() -> None:
    table = resolver(
        {"t.partner.com": [PUBLIC], "partner.com.evil.net": [PUBLIC], "notpartner.com": [PUBLIC]}
    )
    assert (
        check_destination("http://t.partner.com/", table, allowed_domains=["partner.com"]).host
        == "t.partner.com"
    )
    for url in ("http://partner.com.evil.net/", "http://notpartner.com/"):
        with pytest.raises(UnsafeDestination):
            check_destination(url, table, allowed_domains=["partner.com"])


def test_loopback_is_allowed_only_by_the_explicit_setting_and_never_in_prod() -> None:
    table = resolver({"127.0.0.1": ["127.0.0.1"]})
    with pytest.raises(UnsafeDestination):
        check_destination("http://127.0.0.1:9001/pb", table)
    target = check_destination(
        "http://127.0.0.1:9001/pb", table, allow_loopback=loopback_allowed("local", "true")
    )
    assert (target.port, target.addresses) == (9001, ("127.0.0.1",))
    # Even then, private networks and the metadata address stay closed
    with pytest.raises(UnsafeDestination):
        check_destination("http://10.0.0.1/", resolver({"10.0.0.1": ["10.0.0.1"]}), allow_loopback=True)
    with pytest.raises(UnsafeDestination):
        check_destination(
            "http://169.254.169.254/", resolver({"169.254.169.254": ["169.254.169.254"]}), allow_loopback=True
        )
    assert loopback_allowed("local", None) is False
    assert loopback_allowed("dev", "1") is False
    with pytest.raises(RuntimeError):
        loopback_allowed("prod", "true")


def test_public_means_globally_routable() -> None:
    import ipaddress

    assert is_public(ipaddress.ip_address(PUBLIC))
    assert not is_public(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert not is_public(ipaddress.ip_address("fe80::1"))
    assert not is_public(ipaddress.ip_address("fc00::1"))
