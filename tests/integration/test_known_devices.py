"""The devices a user signed in from, in the core table as DynamoDB keeps them: the first device
noted, a known one refreshed, a new one added, and the one seen longest ago dropped past the cap."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from partnerka.accounts.devices import MAX_DEVICES, KnownDeviceRepository
from partnerka.common import dynamo

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_users_devices_are_noted_refreshed_and_capped(stack: object) -> None:
    table = os.environ["CORE_TABLE"]
    devices = KnownDeviceRepository(table)

    assert devices.remember("u1", "first", START) is None
    assert devices.remember("u1", "first", START + timedelta(minutes=1)) is False
    for n in range(MAX_DEVICES - 1):
        assert devices.remember("u1", f"d{n}", START + timedelta(minutes=2 + n)) is True
    assert devices.remember("u2", "first", START) is None  # every user's first device is its own

    # Past the cap, the device seen longest ago goes: "first", refreshed before every other was seen
    assert devices.remember("u1", "newest", START + timedelta(hours=1)) is True

    item = dynamo.client().get_item(TableName=table, Key=KnownDeviceRepository.key("u1"))["Item"]
    remembered = item["devices"]["M"]
    assert len(remembered) == MAX_DEVICES
    assert "first" not in remembered  # seen at START + 1 min, the longest ago
    assert remembered["newest"] == {"S": "2026-12-07T10:00:00.000Z"}
    assert devices.remember("u1", "first", START + timedelta(hours=2)) is True
