"""Turning stream records of clicks and conversions into aggregated rollup increments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from partnerka.common.clock import hour_bucket, parse_iso
from partnerka.conversions.models import ConversionStatus
from partnerka.orchestrator.quality import ClickQuality
from partnerka.stats.models import Increments, RollupKey, money_attribute
from partnerka.tracking.user_agent import describe_user_agent


def _goal_counter(goal: str) -> str:
    """Leads count as leads; sales and the offers' own goals count as sales."""
    return "leads" if goal == "lead" else "sales"


@dataclass(frozen=True, slots=True)
class Contribution:
    key: RollupKey
    increments: Increments


def _rollup_key(image: dict[str, Any], at: str) -> RollupKey:
    return RollupKey(
        advertiser_id=image["advertiser_id"],
        hour=hour_bucket(parse_iso(at)),
        offer_id=image["offer_id"],
        affiliate_id=image.get("affiliate_id", "-"),
        country=image.get("country", "ZZ"),
        device=describe_user_agent(image.get("ua", "")).device,
    )


def click_contribution(image: dict[str, Any], quality: ClickQuality | None = None) -> Contribution:
    """A new click counts once, in the hour it happened: as blocked when a check refused it, else as
    a click, with the orchestrator's quality verdict on it (unique, flood, bot, datacenter)."""
    if image.get("reason"):
        return Contribution(_rollup_key(image, image["created_at"]), {"blocked": 1})
    increments: Increments = {"clicks": 1}
    if quality is not None:
        increments.update(quality.counters())
    return Contribution(_rollup_key(image, image["created_at"]), increments)


def _conversion_increments(image: dict[str, Any], sign: int) -> Increments:
    increments: Increments = {_goal_counter(image.get("goal", "sale")): sign}
    currency = image["currency"]
    if int(image.get("revenue_minor", 0)):
        increments[money_attribute("revenue", currency)] = sign * int(image["revenue_minor"])
    if int(image.get("payout_minor", 0)):
        increments[money_attribute("payout", currency)] = sign * int(image["payout_minor"])
    return increments


def conversion_contribution(image: dict[str, Any]) -> Contribution:
    """A new conversion counts in the hour it arrived, by its goal, with its revenue and payout in
    its currency (a conversion stored already rejected counts as rejected only)."""
    if image.get("status") == ConversionStatus.REJECTED.value:
        return Contribution(_rollup_key(image, image["created_at"]), {"rejected": 1})
    return Contribution(_rollup_key(image, image["created_at"]), _conversion_increments(image, 1))


def rejection_contribution(old: dict[str, Any], new: dict[str, Any]) -> Contribution | None:
    """A conversion rejected later leaves its goal's count and money, in the hour it arrived, and
    counts as rejected there instead; other status changes do not move the statistics."""
    rejected = ConversionStatus.REJECTED.value
    if old.get("status") == rejected or new.get("status") != rejected:
        return None
    increments = _conversion_increments(old, -1)
    increments["rejected"] = 1
    return Contribution(_rollup_key(old, old["created_at"]), increments)


def aggregate(contributions: Iterable[Contribution]) -> dict[RollupKey, Increments]:
    """Many records to one ADD per rollup row: a batch of 100 clicks on one offer is one update."""
    merged: dict[RollupKey, Increments] = {}
    for contribution in contributions:
        row = merged.setdefault(contribution.key, {})
        for name, amount in contribution.increments.items():
            row[name] = row.get(name, 0) + amount
    return merged


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One DynamoDB stream record, with its new image already decoded."""

    sequence_number: str
    event_id: str
    event_name: str  # INSERT | MODIFY | REMOVE
    source: str  # "clicks" | "conversions" | other
    new_image: dict[str, Any] | None
    old_image: dict[str, Any] | None = None


def contribution_of(
    record: StreamRecord, verdicts: dict[str, ClickQuality] | None = None
) -> Contribution | None:
    """What a record adds to statistics: new clicks (with their quality verdicts) and conversions,
    and conversions rejected later; expiries (REMOVE) and other updates add nothing."""
    if (
        record.event_name == "MODIFY"
        and record.source == "conversions"
        and record.old_image
        and record.new_image
    ):
        return rejection_contribution(record.old_image, record.new_image)
    if record.event_name != "INSERT" or record.new_image is None:
        return None
    if record.source == "clicks":
        return click_contribution(record.new_image, (verdicts or {}).get(record.new_image["click_id"]))
    if record.source == "conversions":
        return conversion_contribution(record.new_image)
    return None


def chunks_for_transactions(records: list[StreamRecord], max_keys: int) -> list[list[StreamRecord]]:
    """Consecutive runs of records whose rollup rows fit in one transaction, order kept.

    Consecutive, because on failure the stream retries from a record onwards: everything before the
    failed chunk must be fully applied and everything from it on must be untouched.
    """
    chunks: list[list[StreamRecord]] = []
    current: list[StreamRecord] = []
    keys: set[RollupKey] = set()
    for record in records:
        contribution = contribution_of(record)
        if contribution is not None and contribution.key not in keys and len(keys) >= max_keys:
            chunks.append(current)
            current, keys = [], set()
        current.append(record)
        if contribution is not None:
            keys.add(contribution.key)
    if current:
        chunks.append(current)
    return chunks
