"""Block lists at click time: what each kind of entry blocks, and what it leaves alone."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from partnerka.tracking.asn import AsnDatabase
from partnerka.tracking.blocking import Address, BlockList, Visit, parse_address, referrer_host
from scripts.build_asn_ranges import encode

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def no_asn(address: Address) -> int | None:
    return None


def visit(ip: str = "198.51.100.7", **changes: object) -> Visit:
    values: dict[str, object] = {
        "ip": ip,
        "country": "DE",
        "subs": {},
        "referrer": "",
        "user_agent": BROWSER,
        "asns": no_asn,
    }
    values.update(changes)
    return Visit(**values)  # type: ignore[arg-type]


def address(text: str) -> Address:
    parsed = parse_address(text)
    assert parsed is not None
    return parsed


def blocks(**listed: object) -> BlockList:
    """A list compiled from its item, written as the blocklists context writes it (entries a line)."""
    return BlockList.from_item({kind: stored(values) for kind, values in listed.items()})


def stored(values: object) -> object:
    if isinstance(values, dict):
        return {key: stored(v) for key, v in values.items()}
    assert isinstance(values, list)
    return "\n".join(map(str, values))


@pytest.mark.parametrize(
    ("ip", "entry"),
    [
        ("203.0.113.0", "cidr:203.0.113.0/24"),  # the first address of the range
        ("203.0.113.255", "cidr:203.0.113.0/24"),  # the last
        ("192.0.2.10", "ip:192.0.2.10"),
        ("::ffff:192.0.2.10", "ip:192.0.2.10"),  # an IPv4-mapped visitor is the IPv4 one
        ("2001:db8::", "cidr:2001:db8::/32"),
        ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "cidr:2001:db8::/32"),
        ("2001:DB8:0:0::1", "cidr:2001:db8::/32"),  # any spelling of the address
        ("2a00:1450::5", "ip:2a00:1450::5"),
    ],
)
def test_addresses_inside_a_listed_range_are_blocked_up_to_its_edges(ip: str, entry: str) -> None:
    listed = blocks(ips=["203.0.113.0/24", "192.0.2.10", "2001:db8::/32", "2a00:1450::5"])
    assert listed.blocked_by(visit(ip)) == entry


@pytest.mark.parametrize(
    "ip",
    [
        "203.0.112.255",
        "203.0.114.0",
        "192.0.2.11",
        "2001:db7:ffff::1",
        "2001:db9::",
        "2a00:1450::6",
        "junk",
        "",
    ],
)
def test_addresses_just_outside_a_listed_range_pass(ip: str) -> None:
    listed = blocks(ips=["203.0.113.0/24", "192.0.2.10", "2001:db8::/32", "2a00:1450::5"])
    assert listed.blocked_by(visit(ip)) is None


def test_nested_ranges_report_the_outermost_and_neighbours_stay_apart() -> None:
    # Given a /16, a /24 inside it, a single address inside that, and a /24 just after the /16
    listed = blocks(ips=["10.1.2.3", "10.1.2.0/24", "10.1.0.0/16", "10.2.0.0/24", "::ffff:10.9.0.0/112"])
    # Then every address inside the /16 is blocked by it, whichever inner entry also covers it
    assert listed.blocked_by(visit("10.1.2.3")) == "cidr:10.1.0.0/16"
    assert listed.blocked_by(visit("10.1.255.255")) == "cidr:10.1.0.0/16"
    # And the neighbouring /24 keeps its own name, with the gap between them open
    assert listed.blocked_by(visit("10.2.0.9")) == "cidr:10.2.0.0/24"
    assert listed.blocked_by(visit("10.2.1.0")) is None
    # And a range written as IPv4-mapped IPv6 blocks the IPv4 addresses it maps
    assert listed.blocked_by(visit("10.9.0.200")) == "cidr:::ffff:10.9.0.0/112"


def test_ten_thousand_ranges_are_searched_not_scanned() -> None:
    entries = [f"{10 + i // 65536}.{i // 256 % 256}.{i % 256}.0/24" for i in range(10_000)]
    listed = blocks(ips=entries)
    assert listed.blocked_by(visit("10.39.15.77")) == "cidr:10.39.15.0/24"
    assert listed.blocked_by(visit("11.0.0.1")) is None


def test_malformed_stored_entries_are_skipped_not_fatal() -> None:
    listed = blocks(ips=["300.1.1.1", "10.0.0.0/33", "2001:db8::/129", "nonsense/8", "192.0.2.1"])
    assert listed.blocked_by(visit("192.0.2.1")) == "ip:192.0.2.1"
    assert listed.blocked_by(visit("10.0.0.1")) is None


def test_a_domain_blocks_itself_and_its_subdomains_only() -> None:
    listed = blocks(referrers=["spam.example", "ads.other.test"])
    assert listed.blocked_by(visit(referrer="https://spam.example/page")) == "referrer:spam.example"
    assert listed.blocked_by(visit(referrer="http://a.b.SPAM.example:8080/x?y")) == "referrer:spam.example"
    assert listed.blocked_by(visit(referrer="https://user@ads.other.test")) == "referrer:ads.other.test"
    # Not a lookalike, a parent, or the text anywhere else in the URL
    assert listed.blocked_by(visit(referrer="https://notspam.example/")) is None
    assert listed.blocked_by(visit(referrer="https://other.test/")) is None
    assert listed.blocked_by(visit(referrer="https://good.test/?from=spam.example")) is None
    assert listed.blocked_by(visit(referrer="")) is None


@pytest.mark.parametrize(
    ("referrer", "host"),
    [
        ("https://Shop.Example./a", "shop.example"),
        ("https://shop.example#frag", "shop.example"),
        ("https://[2001:db8::1]/", ""),
        ("android-app://com.app", "com.app"),
        ("no scheme", ""),
    ],
)
def test_the_referrers_host_is_read_without_a_url_parser(referrer: str, host: str) -> None:
    assert referrer_host(referrer) == host


def test_user_agent_patterns_match_anywhere_in_any_case() -> None:
    listed = blocks(user_agents=["headlesschrome", "evil crawler"])
    assert (
        listed.blocked_by(visit(user_agent="Mozilla/5.0 HeadlessChrome/120")) == "user_agent:headlesschrome"
    )
    assert listed.blocked_by(visit(user_agent="EVIL Crawler 2")) == "user_agent:evil crawler"
    assert listed.blocked_by(visit()) is None


def test_sub_ids_are_matched_per_key_exactly() -> None:
    listed = blocks(subs={"sub1": ["spam-source"], "sub3": ["x"]})
    assert listed.blocked_by(visit(subs={"sub1": "spam-source"})) == "sub1:spam-source"
    assert listed.blocked_by(visit(subs={"sub2": "spam-source"})) is None  # another key
    assert listed.blocked_by(visit(subs={"sub1": "spam-source-2"})) is None


def test_countries_and_asns() -> None:
    asked: list[Address] = []

    def asns(address: Address) -> int | None:
        asked.append(address)
        return 16509

    assert blocks(countries=["CN"]).blocked_by(visit(country="CN", asns=asns)) == "country:CN"
    assert not asked  # a list without ASNs never looks one up
    assert blocks(asns=[16509]).blocked_by(visit("3.5.140.1", asns=asns)) == "asn:16509"
    assert blocks(asns=[15169]).blocked_by(visit("3.5.140.1", asns=asns)) is None
    assert asked == [address("3.5.140.1")] * 2


def test_an_empty_list_is_empty() -> None:
    assert blocks().is_empty
    assert blocks(subs={"sub1": []}).is_empty
    assert BlockList.from_item({"ips": "", "asns": ""}).is_empty
    assert not blocks(asns=[1]).is_empty


def test_the_asn_file_answers_every_range_and_its_gaps(tmp_path: Path) -> None:
    # Given an ASN file with two IPv4 ranges and an IPv6 range by its upper 64 bits
    v4 = [
        (int.from_bytes(bytes([3, 5, 0, 0])), int.from_bytes(bytes([3, 5, 255, 255])), 16509),
        (2**32 - 2, 2**32 - 1, 7),
    ]
    v6 = [(0x2001_0DB8_0000_0000, 0x2001_0DB8_FFFF_FFFF, 64500)]
    path = tmp_path / "asn.ranges"
    path.write_bytes(encode(v4, v6))
    database = AsnDatabase(path)
    assert not database.loaded
    # Then addresses find their network, edges included, and gaps find none
    assert database.asn(address("3.5.0.0")) == 16509
    assert database.asn(address("3.5.255.255")) == 16509
    assert database.asn(address("3.6.0.0")) is None
    assert database.asn(address("255.255.255.255")) == 7
    assert database.asn(address("2001:db8:ffff:ffff:1::1")) == 64500
    assert database.asn(address("2001:db9::1")) is None
    assert database.loaded


def test_a_missing_or_foreign_asn_file_answers_none(tmp_path: Path) -> None:
    assert AsnDatabase(tmp_path / "absent").asn((4, 1)) is None
    foreign = tmp_path / "foreign"
    foreign.write_bytes(b"not ours" + array("I", [0, 0]).tobytes())
    assert AsnDatabase(foreign).asn((4, 1)) is None
