"""DynamoDB access for the hot paths: the route cache over the core table, and the Clicks table.

A warm click costs one PutItem and nothing else: routes come from an in-process cache with a short
TTL, filled by one BatchGetItem on a miss: the offer route, the affiliate's profile and access and,
once the process knows the offer's advertiser, that advertiser's profile and block lists.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from partnerka.accounts.routing import AdvertiserRoute, AffiliateRoute, advertiser_key, affiliate_key
from partnerka.common import dynamo
from partnerka.domains.claims import DomainClaim
from partnerka.offers.routing import AccessRoute, OfferRoute, access_route_key, offer_route_key
from partnerka.tracking.blocking import BlockList, block_list_key
from partnerka.tracking.models import Click


class RouteSource(Protocol):
    def routes(self, offer_id: str, affiliate_id: str | None, host: str = "") -> ClickRoutes:
        """What a click needs; `affiliate_id` None when the link names no well-formed affiliate,
        `host` "" when the request's host is not known."""
        ...

    def conversion_routes(
        self, offer_id: str, affiliate_id: str, advertiser_id: str, host: str = ""
    ) -> ConversionRoutes: ...


@dataclass(frozen=True, slots=True)
class PostbackRules:
    """An advertiser's rules for incoming postbacks. Key shape: core table, PK `ADV#<id>`, SK `SETTINGS`."""

    allowed_networks: tuple[str, ...] = ()

    def admits(self, source_ip: str) -> bool:
        """No whitelist admits everyone; otherwise the address must fall in one of its networks."""
        if not self.allowed_networks:
            return True
        try:
            address = ipaddress.ip_address(source_ip)
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(network) for network in self.allowed_networks)


@dataclass(frozen=True, slots=True)
class ClickRoutes:
    """What a click needs, from one batch read: the offer, the affiliate and its access to the offer,
    the advertiser whose custom domain the click came in by (None: the platform's own host), the
    offer's advertiser (None: no profile found) and the block lists that apply (the advertiser's,
    then the offer's; empty ones left out)."""

    offer: OfferRoute | None
    affiliate: AffiliateRoute | None
    access: AccessRoute | None
    host_owner: str | None = None
    advertiser: AdvertiserRoute | None = None
    blocks: tuple[BlockList, ...] = ()


@dataclass(frozen=True, slots=True)
class ConversionRoutes:
    """What a postback needs, from one batch read: the offer, the affiliate's access (its payout
    overrides) and the advertiser's postback rules."""

    offer: OfferRoute | None
    access: AccessRoute
    rules: PostbackRules
    host_owner: str | None = None
    # Fraud rules as stored (conversions.screening reads them): the advertiser's, and the offer's own.
    fraud_rules: dict[str, Any] | None = None
    offer_fraud_rules: dict[str, Any] | None = None


def settings_key(advertiser_id: str) -> dict[str, str]:
    return {"pk": f"ADV#{advertiser_id}", "sk": "SETTINGS"}


def fraud_rules_key(advertiser_id: str, offer_id: str | None = None) -> dict[str, str]:
    """The advertiser's fraud rules (`FRAUD_RULES`), or one offer's overrides (`FRAUD_RULES#<offer>`);
    the shape is conversions.screening.FraudRules'."""
    return {"pk": f"ADV#{advertiser_id}", "sk": f"FRAUD_RULES#{offer_id}" if offer_id else "FRAUD_RULES"}


class ClickStore(Protocol):
    def put(self, click: Click) -> None: ...

    def get(self, click_id: str) -> Click | None: ...


_MISSING = object()


class CachedRouteRepository:
    """Offer and affiliate routes, cached per process for `ttl_seconds` (misses are cached too).

    A paused offer (or a suspended account, or a changed block list) therefore takes effect within one
    TTL; the price of zero reads per warm click. An offer never changes advertiser, so the process
    remembers each offer's advertiser for good: a miss fetches the advertiser's profile and block
    lists in the same BatchGetItem as the offer, and only an offer never seen before costs a second.
    """

    def __init__(
        self,
        table: str,
        ttl_seconds: float,
        client: Any = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._table = table
        self._ttl = ttl_seconds
        self._client = client
        self._monotonic = monotonic
        self._entries: dict[tuple[str, str], tuple[float, Any]] = {}
        self._advertiser_of: dict[str, str] = {}  # offer id → its advertiser's, never stale
        # Block lists compiled before, by item key, with the `updated_at` they were compiled from: a
        # reload of an unchanged list (the usual case, every TTL) costs no compiling.
        self._compiled: dict[tuple[str, str], tuple[str, BlockList | None]] = {}

    def routes(self, offer_id: str, affiliate_id: str | None, host: str = "") -> ClickRoutes:
        wanted = [("offer", offer_id)]
        if affiliate_id is not None:
            wanted += [("affiliate", affiliate_id), ("access", f"{offer_id}|{affiliate_id}")]
        wanted += _host(host)
        advertiser_id = self._advertiser_of.get(offer_id)
        if advertiser_id is not None:
            wanted += _advertiser_part(advertiser_id, offer_id)
        found = dict(zip(wanted, self._get(wanted), strict=True))
        offer, owner = found[("offer", offer_id)], found.get(("domain", host))
        if offer is None:
            return ClickRoutes(None, None, None, owner)
        if advertiser_id is None:
            advertiser_id = self._advertiser_of[offer_id] = offer.advertiser_id
            first_sight = _advertiser_part(advertiser_id, offer_id)
            found.update(zip(first_sight, self._get(first_sight), strict=True))
        advertiser = found[("advertiser", advertiser_id)]
        blocks = tuple(
            found[key] for key in _advertiser_part(advertiser_id, offer_id)[1:] if found[key] is not None
        )
        if affiliate_id is None:
            return ClickRoutes(offer, None, None, owner, advertiser, blocks)
        access = found[("access", f"{offer_id}|{affiliate_id}")] or AccessRoute(offer_id, affiliate_id)
        return ClickRoutes(offer, found[("affiliate", affiliate_id)], access, owner, advertiser, blocks)

    def conversion_routes(
        self, offer_id: str, affiliate_id: str, advertiser_id: str, host: str = ""
    ) -> ConversionRoutes:
        offer, access, rules, fraud_rules, offer_fraud_rules, *owner = self._get(
            [
                ("offer", offer_id),
                ("access", f"{offer_id}|{affiliate_id}"),
                ("settings", advertiser_id),
                ("fraud_rules", advertiser_id),
                ("offer_fraud_rules", f"{advertiser_id}|{offer_id}"),
                *_host(host),
            ]
        )
        return ConversionRoutes(
            offer,
            access or AccessRoute(offer_id, affiliate_id),
            rules or PostbackRules(),
            owner[0] if owner else None,
            fraud_rules,
            offer_fraud_rules,
        )

    def click_routes(
        self, pairs: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[OfferRoute | None, AccessRoute]]:
        """Each (offer, affiliate)'s offer route and access, the misses read in one BatchGetItem:
        what the orchestrator prices a batch's paid clicks by (stats.cpc.ClickPrices)."""
        pairs = sorted(set(pairs))
        wanted = sorted({("offer", o) for o, _ in pairs} | {("access", f"{o}|{a}") for o, a in pairs})
        found = dict(zip(wanted, self._get(wanted), strict=True))
        return {
            (o, a): (found[("offer", o)], found[("access", f"{o}|{a}")] or AccessRoute(o, a))
            for o, a in pairs
        }

    def _get(self, wanted: list[tuple[str, str]]) -> list[Any]:
        found = {key: self._cached(key) for key in wanted}
        missing = [key for key, value in found.items() if value is _MISSING]
        if missing:
            found.update(self._load(missing))
        return [found[key] for key in wanted]

    def _cached(self, key: tuple[str, str]) -> Any:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self._monotonic():
            return _MISSING
        return entry[1]

    def _load(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        by_key: dict[tuple[str, str], tuple[str, str]] = {}
        request_keys = []
        for kind, entity_id in keys:
            item_key = _KEYS[kind](entity_id)
            by_key[(item_key["pk"], item_key["sk"])] = (kind, entity_id)
            request_keys.append(dynamo.encode(item_key))
        client = self._client or dynamo.client()
        loaded: dict[tuple[str, str], Any] = {key: None for key in keys}
        for item in map(dynamo.decode, dynamo.batch_get(client, self._table, request_keys)):
            kind, entity_id = by_key[(item["pk"], item["sk"])]
            loaded[(kind, entity_id)] = self._block_list(item) if kind == "blocks" else _DECODERS[kind](item)
        expires = self._monotonic() + self._ttl
        for cache_key, value in loaded.items():
            self._entries[cache_key] = (expires, value)
        return loaded

    def _block_list(self, item: dict[str, Any]) -> BlockList | None:
        """The list compiled for matching (None when it has no entries), reusing the last compiled
        copy while the item's `updated_at` is the same."""
        key, stamp = (item["pk"], item["sk"]), item.get("updated_at")
        known = self._compiled.get(key)
        if known is not None and stamp is not None and known[0] == stamp:
            return known[1]
        blocks = BlockList.from_item(item)
        compiled = None if blocks.is_empty else blocks
        if stamp is not None:
            self._compiled[key] = (stamp, compiled)
        return compiled


def _host(host: str) -> list[tuple[str, str]]:
    """The cache key of a host's owner, when there is a host to look up."""
    return [("domain", host)] if host else []


def _advertiser_part(advertiser_id: str, offer_id: str) -> list[tuple[str, str]]:
    """The cache keys of what a click needs of the offer's advertiser: its profile, then its own and
    the offer's block lists."""
    return [
        ("advertiser", advertiser_id),
        ("blocks", advertiser_id),
        ("blocks", f"{advertiser_id}|{offer_id}"),
    ]


def _access_key(pair: str) -> dict[str, str]:
    offer_id, _, affiliate_id = pair.partition("|")
    return access_route_key(offer_id, affiliate_id)


def _offer_fraud_rules_key(pair: str) -> dict[str, str]:
    advertiser_id, _, offer_id = pair.partition("|")
    return fraud_rules_key(advertiser_id, offer_id)


def _blocks_key(owner: str) -> dict[str, str]:
    advertiser_id, _, offer_id = owner.partition("|")
    return block_list_key(advertiser_id, offer_id or None)


_KEYS: dict[str, Callable[[str], dict[str, str]]] = {
    "offer": offer_route_key,
    "affiliate": affiliate_key,
    "access": _access_key,
    "settings": settings_key,
    "domain": DomainClaim.key,
    # fraud rules (postbacks): the advertiser's and an offer's, kept as stored
    "fraud_rules": fraud_rules_key,
    "offer_fraud_rules": _offer_fraud_rules_key,
    "advertiser": advertiser_key,
    "blocks": _blocks_key,
}
_DECODERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "offer": OfferRoute.from_item,
    "affiliate": AffiliateRoute.from_item,
    "access": AccessRoute.from_item,
    "settings": lambda item: PostbackRules(tuple(item.get("postback_ips") or ())),
    "domain": lambda item: DomainClaim.from_item(item).advertiser_id,
    # fraud rules (postbacks): conversions.screening.FraudRules reads the item
    "fraud_rules": dict,
    "offer_fraud_rules": dict,
    "advertiser": AdvertiserRoute.from_item,
}  # block lists: CachedRouteRepository._block_list


class ClickRepository:
    """The Clicks table. Key shape: PK `click_id` (UUIDv4)."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def put(self, click: Click) -> None:
        client = self._client or dynamo.client()
        client.put_item(
            TableName=self._table,
            Item=dynamo.encode(click.as_item()),
            ConditionExpression="attribute_not_exists(click_id)",
        )

    def put_many(self, clicks: Sequence[Click]) -> None:
        """Load clicks made elsewhere (the demo's history) in batches of twenty-five. A batch write has
        no condition: only for clicks with fresh ids (a click id is 128 random bits), never the
        tracker's own writes, which `put` makes once each."""
        dynamo.batch_put(
            self._client or dynamo.client(), self._table, [dynamo.encode(c.as_item()) for c in clicks]
        )

    def get(self, click_id: str) -> Click | None:
        client = self._client or dynamo.client()
        response = client.get_item(TableName=self._table, Key={"click_id": {"S": click_id}})
        item = response.get("Item")
        return Click.from_item(dynamo.decode(item)) if item else None
