"""Affiliates' postback settings and advertisers' postback domain whitelists, in the Core table."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from partnerka.common import dynamo
from partnerka.postbacks.models import PostbackSettings


class PostbackSettingsRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def get(self, affiliate_id: str) -> PostbackSettings | None:
        item = (
            self._c()
            .get_item(
                TableName=self._table,
                Key={"pk": {"S": f"AFF#{affiliate_id}"}, "sk": {"S": "POSTBACK"}},
                ConsistentRead=True,
            )
            .get("Item")
        )
        return PostbackSettings.from_item(dynamo.decode(item)) if item else None

    def get_many(self, affiliate_ids: Iterable[str]) -> dict[str, PostbackSettings]:
        """Every named affiliate's settings in BatchGetItem calls of 100 (absent: no postback)."""
        wanted = sorted(set(affiliate_ids))
        keys = [{"pk": {"S": f"AFF#{a}"}, "sk": {"S": "POSTBACK"}} for a in wanted]
        found = [
            PostbackSettings.from_item(dynamo.decode(raw))
            for raw in dynamo.batch_get(self._c(), self._table, keys)
        ]
        return {settings.affiliate_id: settings for settings in found}

    def save(self, settings: PostbackSettings) -> None:
        item = settings.as_item()
        item["overrides"] = [{k: v for k, v in o.items() if v is not None} for o in item["overrides"]]
        self._c().put_item(TableName=self._table, Item=dynamo.encode(item))

    def advertiser_domains(self, advertiser_id: str) -> list[str]:
        """The advertiser's postback domain whitelist (AdvertiserSettings `postback_domains`)."""
        item = (
            self._c()
            .get_item(
                TableName=self._table,
                Key={"pk": {"S": f"ADV#{advertiser_id}"}, "sk": {"S": "SETTINGS"}},
                ProjectionExpression="postback_domains",
            )
            .get("Item")
        )
        return sorted(dynamo.decode(item).get("postback_domains") or ()) if item else []


class TtlCache[V]:
    """Values kept for `seconds` per key, loaded many at a time on a miss (the orchestrator and the
    sender read settings this way: a change reaches them within `seconds`)."""

    def __init__(self, load: Callable[[list[str]], dict[str, V]], seconds: float) -> None:
        self._load = load
        self._seconds = seconds
        self._kept: dict[str, tuple[float, V | None]] = {}

    def get_many(self, keys: Iterable[str]) -> dict[str, V]:
        now = time.monotonic()
        wanted = set(keys)
        missing = [k for k in wanted if k not in self._kept or self._kept[k][0] <= now]
        if missing:
            loaded = self._load(missing)
            for key in missing:
                self._kept[key] = (now + self._seconds, loaded.get(key))
        return {k: v for k in wanted if (v := self._kept[k][1]) is not None}
