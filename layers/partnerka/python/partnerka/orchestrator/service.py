"""What stream records of clicks and conversions add to statistics: where each belongs (its Facts) and
what it counts there, aggregated into the cubes once per stream batch (see stats.cube)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from partnerka.common.clock import parse_iso
from partnerka.conversions.models import Conversion
from partnerka.orchestrator.quality import ClickQuality
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.cube import CubeKey, Facts, cube_increments, merge_into
from partnerka.stats.models import Increments
from partnerka.stats.raw import converted_event
from partnerka.tracking.models import SUB_KEYS
from partnerka.tracking.user_agent import describe_user_agent


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One DynamoDB stream record, with its images already decoded."""

    sequence_number: str
    event_id: str
    event_name: str  # INSERT | MODIFY | REMOVE
    source: str  # "clicks" | "conversions" | other
    new_image: dict[str, Any] | None
    old_image: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StatsEffect:
    """What one record adds: increments where its facts belong, and a new click for the click log."""

    facts: Facts
    increments: Increments
    click: LoggedClick | None = None

    def cubes(self) -> dict[CubeKey, Increments]:
        return cube_increments(self.facts, self.increments)


def click_facts(image: dict[str, Any]) -> Facts:
    agent = describe_user_agent(image.get("ua", ""))
    return Facts(
        advertiser_id=image["advertiser_id"],
        at=parse_iso(image["created_at"]),
        offer=image["offer_id"],
        affiliate=image.get("affiliate_id", "-"),
        country=image.get("country", "ZZ"),
        device=agent.device,
        os=agent.os,
        browser=agent.browser,
        subs={key: str(image[key]) for key in SUB_KEYS if image.get(key)},
    )


def click_effect(image: dict[str, Any], quality: ClickQuality | None) -> StatsEffect:
    """A new click counts once, in the hour it happened: as blocked when a check refused it, else as
    a click with the orchestrator's quality verdict (unique, flood, bots, datacenter)."""
    flags = frozenset(quality.counters()) if quality is not None and not image.get("reason") else frozenset()
    logged = LoggedClick(image["click_id"], click_facts(image), image.get("reason") or "", flags)
    return StatsEffect(logged.facts, logged.increments(), logged)


def status_change_effect(old: dict[str, Any], new: dict[str, Any]) -> StatsEffect | None:
    """A conversion whose status (or money) changed moves its counts in the hour it arrived, by the
    difference between what it counts now and what it counted: hold → approved leaves `hold`; a
    rejection leaves its goal and money and counts as rejected. None when nothing counted changes."""
    before, after = converted_event(Conversion.from_item(old)), converted_event(Conversion.from_item(new))
    difference: Increments = dict(after.increments)
    for name, amount in before.increments.items():
        difference[name] = difference.get(name, 0) - amount
    difference = {name: amount for name, amount in difference.items() if amount}
    return StatsEffect(before.facts, difference) if difference else None


def effect_of(record: StreamRecord, verdicts: dict[str, ClickQuality] | None = None) -> StatsEffect | None:
    """What a record adds to statistics: new clicks (with their quality verdicts) and conversions,
    and conversions whose status changed later; expiries (REMOVE) add nothing."""
    if record.source == "conversions" and record.event_name == "MODIFY":
        if record.old_image and record.new_image:
            return status_change_effect(record.old_image, record.new_image)
        return None
    if record.event_name != "INSERT" or record.new_image is None:
        return None
    if record.source == "clicks":
        return click_effect(record.new_image, (verdicts or {}).get(record.new_image["click_id"]))
    if record.source == "conversions":
        event = converted_event(Conversion.from_item(record.new_image))
        return StatsEffect(event.facts, event.increments)
    return None


def aggregate(effects: Iterable[StatsEffect]) -> dict[CubeKey, Increments]:
    """Many records to one ADD per cube item: a batch of 100 clicks on one offer is one update there."""
    merged: dict[CubeKey, Increments] = {}
    for effect in effects:
        merge_into(merged, effect.cubes())
    return merged
