"""DynamoDB access for the hot paths: the route cache over the core table, and the Clicks table.

A warm click costs one PutItem and nothing else: routes come from an in-process cache with a short
TTL, filled by one BatchGetItem (offer route + affiliate profile) on a miss.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from partnerka.accounts.routing import AffiliateRoute, affiliate_key
from partnerka.common import dynamo
from partnerka.offers.routing import OfferRoute, offer_route_key
from partnerka.tracking.models import Click


class RouteSource(Protocol):
    def routes(self, offer_id: str, affiliate_id: str) -> tuple[OfferRoute | None, AffiliateRoute | None]: ...

    def offer(self, offer_id: str) -> OfferRoute | None: ...


class ClickStore(Protocol):
    def put(self, click: Click) -> None: ...

    def get(self, click_id: str) -> Click | None: ...


_MISSING = object()


class CachedRouteRepository:
    """Offer and affiliate routes, cached per process for `ttl_seconds` (misses are cached too).

    A paused offer therefore stops redirecting within one TTL; the price of zero reads per warm click.
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

    def routes(self, offer_id: str, affiliate_id: str) -> tuple[OfferRoute | None, AffiliateRoute | None]:
        wanted = [("offer", offer_id), ("affiliate", affiliate_id)]
        found = {key: self._cached(key) for key in wanted}
        missing = [key for key, value in found.items() if value is _MISSING]
        if missing:
            found.update(self._load(missing))
        return found[("offer", offer_id)], found[("affiliate", affiliate_id)]

    def offer(self, offer_id: str) -> OfferRoute | None:
        key = ("offer", offer_id)
        value = self._cached(key)
        if value is _MISSING:
            value = self._load([key])[key]
        return value  # type: ignore[no-any-return]

    def _cached(self, key: tuple[str, str]) -> Any:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self._monotonic():
            return _MISSING
        return entry[1]

    def _load(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        by_pk: dict[str, tuple[str, str]] = {}
        request_keys = []
        for kind, entity_id in keys:
            item_key = offer_route_key(entity_id) if kind == "offer" else affiliate_key(entity_id)
            by_pk[item_key["pk"]] = (kind, entity_id)
            request_keys.append(dynamo.encode(item_key))
        client = self._client or dynamo.client()
        request: dict[str, Any] = {self._table: {"Keys": request_keys}}
        loaded: dict[tuple[str, str], Any] = {key: None for key in keys}
        while request:
            response = client.batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(self._table, []):
                item = dynamo.decode(raw)
                kind, entity_id = by_pk[item["pk"]]
                loaded[(kind, entity_id)] = (
                    OfferRoute.from_item(item) if kind == "offer" else AffiliateRoute.from_item(item)
                )
            request = response.get("UnprocessedKeys") or {}
        expires = self._monotonic() + self._ttl
        for cache_key, value in loaded.items():
            self._entries[cache_key] = (expires, value)
        return loaded


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

    def get(self, click_id: str) -> Click | None:
        client = self._client or dynamo.client()
        response = client.get_item(TableName=self._table, Key={"click_id": {"S": click_id}})
        item = response.get("Item")
        return Click.from_item(dynamo.decode(item)) if item else None
