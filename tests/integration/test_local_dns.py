"""The DNS lookups that prove a custom domain (issue 17), over real UDP: the ResolverLookup against the
local platform's authoritative server, and FakeDns held to the same answers, so unit tests on the fake
see what the real resolver sees. "No such record" and "could not ask" stay apart: only the first may
ever mark a domain broken."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import dns.flags
import dns.message
import dns.opcode
import dns.query
import dns.rcode
import pytest

from partnerka.domains.dns import DnsLookup, DnsUnavailable, ResolverLookup
from partnerka_local.dns import LocalDns
from tests.conftest import ROOT
from tests.unit.fakes import FakeDns

TOKEN = "partnerka-verification=01JDOMAIN0000000000000000A"
CHALLENGE = "_partnerka.partners.acme.localhost"
PORTAL = "partners.acme.localhost"
EDGE = "edge.partnerka.localhost"
# A lookup the tests expect answered: loopback answers in a millisecond, so a second is only a guard.
LIFETIME = 1.0


class Zone(Protocol):
    """What a test publishes: LocalDns for the real resolver, FakeDns for itself."""

    def set_txt(self, name: str, values: Iterable[str | bytes]) -> None: ...
    def set_cname(self, name: str, target: str) -> None: ...
    def fail(self, name: str) -> None: ...
    def remove(self, name: str) -> None: ...


@pytest.fixture
def local_dns() -> Iterator[LocalDns]:
    with LocalDns() as server:
        yield server


@pytest.fixture
def silent_nameserver() -> Iterator[str]:
    """A nameserver that receives every question and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        yield f"127.0.0.1:{silent.getsockname()[1]}"


@pytest.fixture(params=["resolver", "fake"])
def published(request: pytest.FixtureRequest) -> tuple[Zone, DnsLookup]:
    """A zone to publish records in, and the lookup that reads them."""
    if request.param == "fake":
        fake = FakeDns()
        return fake, fake
    server: LocalDns = request.getfixturevalue("local_dns")
    return server, ResolverLookup(server.address, lifetime=LIFETIME)


# ---------------------------------------------------------------------- what both answer alike
def test_the_ownership_token_is_read_from_its_txt_record(published: tuple[Zone, DnsLookup]) -> None:
    zone, lookup = published
    zone.set_txt(CHALLENGE, [TOKEN, "v=spf1 -all"])
    assert sorted(lookup.txt(CHALLENGE)) == sorted([TOKEN, "v=spf1 -all"])


def test_a_txt_record_of_several_strings_is_read_joined(published: tuple[Zone, DnsLookup]) -> None:
    # Given a value longer than one character-string holds (255 bytes): it goes out as three
    long_value = "k=rsa; p=" + "A" * 600
    zone, lookup = published
    zone.set_txt(CHALLENGE, [long_value])
    # Then it is read back as the one value
    assert lookup.txt(CHALLENGE) == [long_value]


def test_txt_bytes_that_are_not_utf8_are_replaced_not_fatal(published: tuple[Zone, DnsLookup]) -> None:
    zone, lookup = published
    zone.set_txt(CHALLENGE, [b"token-\xff\xfe-end", "токен".encode()])
    assert sorted(lookup.txt(CHALLENGE)) == sorted(["token-\ufffd\ufffd-end", "токен"])


def test_the_cname_target_is_lowercase_without_the_final_dot(published: tuple[Zone, DnsLookup]) -> None:
    zone, lookup = published
    zone.set_cname("Partners.ACME.localhost", "Edge.Partnerka.LOCALHOST.")
    assert lookup.cname(PORTAL) == EDGE
    assert lookup.cname(PORTAL.upper() + ".") == EDGE


def test_a_name_that_does_not_exist_has_no_records(published: tuple[Zone, DnsLookup]) -> None:
    _, lookup = published
    assert lookup.txt("nothing.acme.localhost") == []
    assert lookup.cname("nothing.acme.localhost") is None


def test_a_name_without_records_of_the_type_has_none(published: tuple[Zone, DnsLookup]) -> None:
    zone, lookup = published
    zone.set_txt(PORTAL, ["not an alias"])
    zone.set_cname("track.acme.localhost", EDGE)
    assert lookup.cname(PORTAL) is None
    assert lookup.txt("track.acme.localhost") == []  # the alias's target has no TXT either


def test_a_txt_lookup_follows_a_cname_as_a_resolver_does(published: tuple[Zone, DnsLookup]) -> None:
    # Given a challenge name delegated, by CNAME, to a record the platform keeps
    zone, lookup = published
    zone.set_cname(CHALLENGE, "acme.challenges.partnerka.localhost")
    zone.set_txt("acme.challenges.partnerka.localhost", [TOKEN])
    # Then the token is found through the alias
    assert lookup.txt(CHALLENGE) == [TOKEN]
    assert lookup.cname(CHALLENGE) == "acme.challenges.partnerka.localhost"


def test_removed_records_are_gone(published: tuple[Zone, DnsLookup]) -> None:
    zone, lookup = published
    zone.set_txt(CHALLENGE, [TOKEN])
    zone.set_cname(PORTAL, EDGE)
    zone.remove(CHALLENGE)
    zone.remove(PORTAL)
    assert lookup.txt(CHALLENGE) == []
    assert lookup.cname(PORTAL) is None


def test_a_name_the_servers_fail_on_is_unavailable_not_missing(published: tuple[Zone, DnsLookup]) -> None:
    zone, lookup = published
    zone.fail(CHALLENGE)
    with pytest.raises(DnsUnavailable) as unavailable:
        lookup.txt(CHALLENGE)
    assert unavailable.value.name == CHALLENGE
    with pytest.raises(DnsUnavailable):
        lookup.cname(CHALLENGE)


# ---------------------------------------------------------------------- the resolver's failures
def test_a_refused_question_is_unavailable(local_dns: LocalDns) -> None:
    local_dns.fail(CHALLENGE, "REFUSED")
    with pytest.raises(DnsUnavailable, match="REFUSED"):
        ResolverLookup(local_dns.address, lifetime=LIFETIME).txt(CHALLENGE)


def test_a_nameserver_that_never_answers_is_unavailable_within_the_lifetime(silent_nameserver: str) -> None:
    lookup = ResolverLookup(silent_nameserver, lifetime=0.3)
    started = time.monotonic()
    with pytest.raises(DnsUnavailable) as unavailable:
        lookup.txt(CHALLENGE)
    assert time.monotonic() - started < 1.0
    assert unavailable.value.name == CHALLENGE
    assert CHALLENGE in str(unavailable.value)


def test_a_nameserver_nobody_listens_on_is_unavailable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as gone:
        gone.bind(("127.0.0.1", 0))
        port = gone.getsockname()[1]
    with pytest.raises(DnsUnavailable):
        ResolverLookup(f"127.0.0.1:{port}", lifetime=0.2).cname(PORTAL)


def test_the_next_nameserver_answers_when_the_first_is_silent(
    silent_nameserver: str, local_dns: LocalDns
) -> None:
    # Given two nameservers, the first dead: each gets its share of the lifetime
    local_dns.set_txt(CHALLENGE, [TOKEN])
    lookup = ResolverLookup(f"{silent_nameserver}, {local_dns.address}", lifetime=0.4)
    # Then the second one's answer arrives in time
    assert lookup.txt(CHALLENGE) == [TOKEN]


@pytest.mark.parametrize("setting", ["dns.google", "1.1.1.1:0", "1.1.1.1:dns", "[::1", "[::1]5353", "1.1.1"])
def test_a_nameserver_setting_that_is_not_address_and_port_fails_at_start(setting: str) -> None:
    with pytest.raises(ValueError, match="DNS nameserver"):
        ResolverLookup(setting)


@pytest.mark.parametrize("setting", ["1.1.1.1,8.8.8.8", " 127.0.0.1:5353 ", "[::1]:5353", "2606:4700::1111"])
def test_nameserver_settings_of_addresses_and_ports_are_taken(setting: str) -> None:
    ResolverLookup(setting)


def test_a_name_not_in_ascii_is_a_programming_error(local_dns: LocalDns) -> None:
    with pytest.raises(ValueError, match="ASCII"):
        ResolverLookup(local_dns.address).txt("партнёры.пример.рф")


# ---------------------------------------------------------------------- the local server itself
def test_a_name_with_names_under_it_exists_and_one_without_does_not(local_dns: LocalDns) -> None:
    local_dns.set_txt(CHALLENGE, [TOKEN])

    def rcode(name: str) -> int:
        query = dns.message.make_query(name, "TXT")
        return dns.query.udp(query, "127.0.0.1", port=local_dns.port, timeout=LIFETIME).rcode()

    assert rcode("partners.acme.localhost") == dns.rcode.NOERROR
    assert rcode("other.acme.localhost") == dns.rcode.NXDOMAIN


def test_a_datagram_that_is_not_dns_does_not_stop_the_server(local_dns: LocalDns) -> None:
    local_dns.set_txt(CHALLENGE, [TOKEN])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as noise:
        noise.sendto(b"\x00\x01not dns at all", ("127.0.0.1", local_dns.port))
    assert ResolverLookup(local_dns.address, lifetime=LIFETIME).txt(CHALLENGE) == [TOKEN]


def test_the_zone_file_keeps_the_records_for_the_next_start(tmp_path: Path) -> None:
    zone_file = tmp_path / "dns.json"
    with LocalDns(zone_file=zone_file) as first:
        first.set_txt(CHALLENGE, [TOKEN, b"raw-\xff"])
        first.set_cname(PORTAL, EDGE)
        first.fail("flaky.acme.localhost")
    with LocalDns(zone_file=zone_file) as second:
        lookup = ResolverLookup(second.address, lifetime=LIFETIME)
        assert sorted(lookup.txt(CHALLENGE)) == sorted([TOKEN, "raw-\ufffd"])
        assert lookup.cname(PORTAL) == EDGE
        with pytest.raises(DnsUnavailable):
            lookup.txt("flaky.acme.localhost")


def test_a_developer_edit_of_the_zone_file_is_served_at_the_next_question(tmp_path: Path) -> None:
    zone_file = tmp_path / "dns.json"
    with LocalDns(zone_file=zone_file) as server:
        server.set_txt(CHALLENGE, ["old"])
        lookup = ResolverLookup(server.address, lifetime=LIFETIME)
        assert lookup.txt(CHALLENGE) == ["old"]
        # When the developer edits the file in place
        zone_file.write_text(json.dumps({CHALLENGE: {"txt": [TOKEN]}, PORTAL: {"cname": EDGE}}))
        # Then the next questions are answered from it
        assert lookup.txt(CHALLENGE) == [TOKEN]
        assert lookup.cname(PORTAL) == EDGE


def test_an_invalid_edit_leaves_the_previous_zone_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    zone_file = tmp_path / "dns.json"
    with LocalDns(zone_file=zone_file) as server:
        server.set_txt(CHALLENGE, [TOKEN])
        zone_file.write_text(json.dumps({PORTAL: {"cname": EDGE, "txt": ["both"]}}))
        with caplog.at_level(logging.WARNING, logger="partnerka_local.dns"):
            assert ResolverLookup(server.address, lifetime=LIFETIME).txt(CHALLENGE) == [TOKEN]
    assert "not a valid zone" in caplog.text
    assert "a name with a CNAME has no TXT records" in caplog.text


def test_a_zone_file_that_is_not_a_zone_is_refused_at_start(tmp_path: Path) -> None:
    zone_file = tmp_path / "dns.json"
    zone_file.write_text('{"partners.acme.localhost": {"fail": "NXDOMAIN"}}')
    with pytest.raises(ValueError, match="fail is one of SERVFAIL, REFUSED"):
        LocalDns(zone_file=zone_file)


def test_naming_the_port_does_not_import_dnspython() -> None:
    # The API's domain routes import the port and its error; only the checker makes a ResolverLookup.
    code = "import sys, partnerka.domains.dns, partnerka.domains.names; print('dns.resolver' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT / "layers" / "partnerka" / "python")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_an_answer_too_big_for_the_askers_buffer_is_truncated(local_dns: LocalDns) -> None:
    local_dns.set_txt(CHALLENGE, ["x" * 1000])
    small_buffer = dns.message.make_query(CHALLENGE, "TXT", use_edns=0, payload=512)
    no_edns = dns.message.make_query(CHALLENGE, "TXT")
    truncated = dns.query.udp(
        small_buffer, "127.0.0.1", port=local_dns.port, timeout=LIFETIME, ignore_trailing=True
    )
    whole = dns.query.udp(no_edns, "127.0.0.1", port=local_dns.port, timeout=LIFETIME)
    assert truncated.flags & dns.flags.TC
    assert not truncated.answer
    assert not whole.flags & dns.flags.TC
    assert len(whole.answer) == 1


def test_only_plain_questions_are_answered(local_dns: LocalDns) -> None:
    notify = dns.message.make_query(PORTAL, "SOA")
    notify.set_opcode(dns.opcode.NOTIFY)
    two_questions = dns.message.make_query(PORTAL, "TXT")
    two_questions.question.append(dns.message.make_query(CHALLENGE, "TXT").question[0])
    assert (
        dns.query.udp(notify, "127.0.0.1", port=local_dns.port, timeout=LIFETIME).rcode() == dns.rcode.NOTIMP
    )
    assert (
        dns.query.udp(two_questions, "127.0.0.1", port=local_dns.port, timeout=LIFETIME).rcode()
        == dns.rcode.FORMERR
    )
