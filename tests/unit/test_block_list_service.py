"""Block lists as the advertiser keeps them: how entries are checked and spelt, the limits, pastes, and
what the audit keeps."""

from __future__ import annotations

import pytest

from partnerka.audit.service import Actor
from partnerka.blocklists.models import (
    MAX_ENTRIES,
    BlockList,
    EntryKind,
    InvalidEntries,
    asn_entry,
    check_size,
    ip_entry,
    referrer_entry,
    sub_entry,
    user_agent_entry,
)
from partnerka.blocklists.repository import ListChanged
from partnerka.blocklists.service import BlockListService, Entries
from partnerka.common.errors import NotFound, ValidationFailed
from partnerka.offers.service import create_offer
from tests.unit.fakes import ADVERTISER, FakeAudit, FakeBlockLists, FakeOffers

BOSS = Actor(user_id="u-boss", email="boss@acme.example", request_id="req-1", ip="203.0.113.7")


def a_service() -> tuple[BlockListService, FakeBlockLists, FakeAudit, str]:
    lists, offers, audit = FakeBlockLists(), FakeOffers(), FakeAudit()
    offer = create_offer(offers, ADVERTISER, "Shoes", "CPA", "https://shop.example/", "1", "2", "USD")
    return BlockListService(lists, offers, audit), lists, audit, offer.offer_id


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("203.0.113.0/24", "203.0.113.0/24"),
        ("2001:DB8:0:0::/32", "2001:db8::/32"),
        ("::ffff:c000:201", "::ffff:192.0.2.1"),
    ],
)
def test_addresses_and_ranges_are_kept_in_their_short_spelling(text: str, canonical: str) -> None:
    assert ip_entry(text) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("203.0.113.7/24", "has host bits set; the range is 203.0.113.0/24"),
        ("2001:db8::1/32", "has host bits set; the range is 2001:db8::/32"),
        ("203.0.113.0/33", "is not an IP address or CIDR range"),
        ("example.com", "is not an IP address or CIDR range"),
    ],
)
def test_a_bad_address_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        ip_entry(text)


def test_other_kinds_are_spelt_one_way() -> None:
    assert asn_entry("AS16509") == asn_entry("as16509") == asn_entry("16509") == 16509
    assert referrer_entry("https://User@WWW.Spam.Example:8080/path?q=1") == "www.spam.example"
    assert referrer_entry("*.spam.example.") == "spam.example"
    assert referrer_entry("пример.рф") == "xn--e1afmkfd.xn--p1ai"
    assert user_agent_entry("HeadlessChrome") == "headlesschrome"
    for bad, check, message in (
        ("AS0", asn_entry, "not an AS number"),
        ("AS4294967296", asn_entry, "not an AS number"),
        ("com", referrer_entry, "not a domain name"),
        ("spam example", referrer_entry, "not a domain name"),
        ("ab", user_agent_entry, "3 to 200 characters"),
        ("bad\tsource", sub_entry, "control characters"),
    ):
        with pytest.raises(ValueError, match=message):
            check(bad)


def test_a_replaced_list_names_every_refused_entry_and_keeps_the_old_one() -> None:
    service, _, audit, _ = a_service()
    service.replace(ADVERTISER, None, Entries(countries=["CN"]), BOSS)
    with pytest.raises(InvalidEntries) as refused:
        service.replace(ADVERTISER, None, Entries(ips=["10.0.0.1/8", ""], countries=["USA"]), BOSS)
    assert [(e.kind, e.position, e.entry) for e in refused.value.errors] == [
        ("ips", 0, "10.0.0.1/8"),
        ("ips", 1, ""),
        ("countries", 0, "USA"),
    ]
    assert refused.value.details()["entries"][0]["message"].startswith("has host bits set")
    assert service.block_list(ADVERTISER).countries == ("CN",)
    assert len(audit.records) == 1


def test_a_paste_skips_blank_lines_counts_repeats_and_names_bad_lines_by_number() -> None:
    service, _, _, _ = a_service()
    service.add(ADVERTISER, None, EntryKind.ASNS, "AS16509", BOSS)
    with pytest.raises(InvalidEntries) as refused:
        service.add(ADVERTISER, None, EntryKind.ASNS, "14618\n\nAS-bad\n16509\nnope", BOSS)
    assert [(e.position, e.entry) for e in refused.value.errors] == [(3, "AS-bad"), (5, "nope")]
    added = service.add(ADVERTISER, None, EntryKind.ASNS, "14618\n\nAS16509\n14618\n", BOSS)
    assert (added.added, added.already_listed) == (1, 2)
    assert added.block_list.asns == (16509, 14618)


def test_sub_ids_are_listed_per_key() -> None:
    service, _, _, _ = a_service()
    with pytest.raises(ValidationFailed, match="sub-id key"):
        service.add(ADVERTISER, None, EntryKind.SUBS, "x", BOSS, key="sub11")
    service.add(ADVERTISER, None, EntryKind.SUBS, "a\nb", BOSS, key="sub2")
    listed = service.add(ADVERTISER, None, EntryKind.SUBS, "b\nc", BOSS, key="sub2").block_list
    assert listed.subs == {"sub2": ("a", "b", "c")}


def test_limits_hold_a_list_to_one_item() -> None:
    ranges = tuple(f"10.{i // 256}.{i % 256}.0/24" for i in range(MAX_ENTRIES[EntryKind.IPS]))
    check_size(BlockList(ADVERTISER, ips=ranges))  # 10,000 IPv4 ranges fit
    with pytest.raises(ValidationFailed, match="too many entries: 10001 ips"):
        check_size(BlockList(ADVERTISER, ips=(*ranges, "192.0.2.1")))
    long_v6 = tuple(f"2001:db8:{i:x}:1234:5678:9abc:def0:1/128" for i in range(9_000))
    with pytest.raises(ValidationFailed, match="too large to keep"):
        check_size(BlockList(ADVERTISER, ips=long_v6))


def test_an_offers_list_is_its_advertisers_only() -> None:
    service, _, _, offer_id = a_service()
    service.replace(ADVERTISER, offer_id, Entries(referrers=["spam.example"]), BOSS)
    assert service.block_list(ADVERTISER, offer_id).referrers == ("spam.example",)
    assert service.block_list(ADVERTISER).referrers == ()
    with pytest.raises(NotFound):
        service.block_list("01JOTHERADV000000000000000", offer_id)


def test_changes_are_audited_by_counts() -> None:
    service, _, audit, offer_id = a_service()
    service.replace(ADVERTISER, offer_id, Entries(ips=["192.0.2.1"], countries=["CN"]), BOSS)
    service.add(ADVERTISER, offer_id, EntryKind.IPS, "192.0.2.2", BOSS)
    first, second = audit.records
    assert (first.action, second.action) == ("block_list.replaced", "block_list.entries_added")
    assert second.target == f"offer:{offer_id}:block_list"
    assert second.before is not None
    assert second.after is not None
    assert (second.before["counts"]["ips"], second.after["counts"]["ips"]) == (1, 2)
    assert "192.0.2.2" not in repr(audit.records)


def test_a_write_over_a_list_changed_since_it_was_read_is_refused() -> None:
    service, lists, _, _ = a_service()
    service.replace(ADVERTISER, None, Entries(countries=["CN"]), BOSS)
    read = lists.get(ADVERTISER, None)
    assert read is not None
    service.add(ADVERTISER, None, EntryKind.COUNTRIES, "RU", BOSS)
    with pytest.raises(ListChanged):
        lists.save(read, "an older updated_at")
