"""The click path's route cache: what one BatchGetItem fetches, and when a click reads nothing."""

from __future__ import annotations

from partnerka.accounts.routing import AccountStatus
from partnerka.offers.routing import AccessRoute
from partnerka.tracking.repository import CachedRouteRepository
from tests.unit.fakes import ADVERTISER, AFFILIATE, OFFER, FakeRouteItems, offer_route

PROFILE = ("ADV#" + ADVERTISER, "PROFILE")
BLOCKS = ("ADV#" + ADVERTISER, "BLOCKS")
OFFER_BLOCKS = ("ADV#" + ADVERTISER, f"BLOCKS#{OFFER}")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def a_table() -> FakeRouteItems:
    table = FakeRouteItems()
    table.put({"pk": f"OFFER#{OFFER}", "sk": "ROUTE", **offer_route().as_item()})
    table.put(
        {
            "pk": f"AFF#{AFFILIATE}",
            "sk": "PROFILE",
            "affiliate_id": AFFILIATE,
            "status": "active",
            "approved_advertisers": {ADVERTISER},
        }
    )
    table.put({"pk": PROFILE[0], "sk": PROFILE[1], "name": "Shop", "status": "active"})
    table.put({"pk": BLOCKS[0], "sk": BLOCKS[1], "ips": "203.0.113.0/24"})
    return table


def test_an_offer_seen_for_the_first_time_costs_a_second_batch_for_its_advertiser() -> None:
    table, clock = a_table(), Clock()
    cache = CachedRouteRepository("core", 30, table, clock)
    # When the first click on the offer arrives
    routes = cache.routes(OFFER, AFFILIATE)
    # Then the offer's batch is followed by one for its advertiser's profile and block lists
    assert len(table.batches) == 2
    assert set(table.batches[1]) == {PROFILE, BLOCKS, OFFER_BLOCKS}
    assert routes.advertiser is not None
    assert routes.advertiser.status is AccountStatus.ACTIVE
    assert len(routes.blocks) == 1  # the advertiser's; the offer has none
    assert routes.access == AccessRoute(OFFER, AFFILIATE)


def test_warm_clicks_read_nothing_and_a_miss_after_the_lifetime_is_one_batch() -> None:
    table, clock = a_table(), Clock()
    cache = CachedRouteRepository("core", 30, table, clock)
    cache.routes(OFFER, AFFILIATE)
    table.batches.clear()
    # While the cache lives, clicks read nothing
    for _ in range(5):
        cache.routes(OFFER, AFFILIATE)
    assert table.batches == []
    # After its lifetime, one batch fetches the offer, the affiliate and the advertiser's part at once
    clock.now += 31
    cache.routes(OFFER, AFFILIATE)
    (batch,) = table.batches
    assert {
        PROFILE,
        BLOCKS,
        OFFER_BLOCKS,
        (f"OFFER#{OFFER}", "ROUTE"),
        (f"AFF#{AFFILIATE}", "PROFILE"),
    } <= set(batch)


def test_suspensions_and_list_changes_show_within_the_cache_lifetime() -> None:
    table, clock = a_table(), Clock()
    cache = CachedRouteRepository("core", 30, table, clock)
    cache.routes(OFFER, AFFILIATE)
    # Given staff suspend the advertiser and the affiliate in its program, and the list is emptied
    table.put({"pk": PROFILE[0], "sk": PROFILE[1], "status": "suspended", "suspension_reason": "fraud"})
    table.put(
        {
            "pk": f"AFF#{AFFILIATE}",
            "sk": "PROFILE",
            "affiliate_id": AFFILIATE,
            "status": "active",
            "approved_advertisers": {ADVERTISER},
            "suspended_advertisers": {ADVERTISER},
        }
    )
    table.put({"pk": BLOCKS[0], "sk": BLOCKS[1], "ips": ""})
    # Then clicks inside the lifetime still see the old state, and the next one after it the new
    assert cache.routes(OFFER, AFFILIATE).blocks != ()
    clock.now += 30
    routes = cache.routes(OFFER, AFFILIATE)
    assert routes.advertiser is not None
    assert routes.advertiser.is_suspended
    assert routes.affiliate is not None
    assert routes.affiliate.is_suspended_by(ADVERTISER)
    assert routes.blocks == ()


def test_an_unknown_offer_costs_one_batch_and_no_advertiser_part() -> None:
    table = a_table()
    cache = CachedRouteRepository("core", 30, table, Clock())
    assert cache.routes("01JUNKNOWN0000000000000000", AFFILIATE).offer is None
    assert len(table.batches) == 1


def test_an_unchanged_list_is_not_compiled_again_on_reload_and_a_changed_one_is() -> None:
    table, clock = a_table(), Clock()
    table.put(
        {
            "pk": BLOCKS[0],
            "sk": BLOCKS[1],
            "ips": "203.0.113.0/24",
            "updated_at": "2026-12-07T10:00:00.000Z",
        }
    )
    cache = CachedRouteRepository("core", 30, table, clock)
    (first,) = cache.routes(OFFER, AFFILIATE).blocks
    clock.now += 31
    (again,) = cache.routes(OFFER, AFFILIATE).blocks
    assert again is first
    table.put(
        {
            "pk": BLOCKS[0],
            "sk": BLOCKS[1],
            "ips": "198.51.100.0/24",
            "updated_at": "2026-12-07T10:05:00.000Z",
        }
    )
    clock.now += 31
    (changed,) = cache.routes(OFFER, AFFILIATE).blocks
    assert changed is not first
    assert changed.v4.find(int.from_bytes(bytes([198, 51, 100, 1]))) == "cidr:198.51.100.0/24"
