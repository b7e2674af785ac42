"""Notifications' core-table storage on moto: preferences read for a fan-out's audience in one go,
and fold counters that keep a window's first event and count each other one once, retries and all."""

from __future__ import annotations

import os
from typing import Any

from partnerka.notifications.events import Channel, EventType
from partnerka.notifications.folding import FoldRepository
from partnerka.notifications.preferences import PreferenceRepository, Preferences


def test_preferences_are_read_for_many_people_at_once_with_defaults_for_those_who_never_chose(
    stack: Any,
) -> None:
    store = PreferenceRepository(os.environ["CORE_TABLE"])
    chosen = Preferences("U7", {EventType.PAYOUT_PAID: {Channel.TELEGRAM: True}}, "2026-12-01T10:00:00.000Z")
    store.save(chosen)
    found = store.get_many([f"U{n}" for n in range(150)])  # more than one BatchGetItem takes
    assert len(found) == 150
    assert found["U7"] == chosen
    assert found["U8"] == Preferences("U8")


def test_a_fold_window_keeps_its_first_and_counts_each_other_event_once(stack: Any) -> None:
    folds = FoldRepository(os.environ["CORE_TABLE"])
    window, expires = "2026-12-01T10:00:00.000Z", 1_800_000_000
    assert folds.first_of("postback.A.h", window, "E1", expires) == "E1"
    assert folds.first_of("postback.A.h", window, "E2", expires) == "E1"
    assert folds.first_of("postback.A.h", window, "E1", expires) == "E1"
    for event_id in ("E2", "E3", "E2"):  # E2 counted again by a retry
        folds.count("postback.A.h", window, event_id, expires)
    assert folds.folded("postback.A.h", window) == 2
    assert folds.folded("postback.A.h", "2026-12-01T11:00:00.000Z") == 0
