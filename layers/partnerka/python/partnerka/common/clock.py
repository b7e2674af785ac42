"""Time in one place, always UTC, so tests can reason about hour buckets."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_millis(moment: datetime) -> str:
    """`2026-11-27T16:04:05.123Z`: sortable as a string, which keys and GSIs rely on."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def hour_bucket(moment: datetime) -> str:
    """`2026-11-27T16`: the grain of the stats rollups."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H")
