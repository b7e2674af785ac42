"""What the cube items of an advertiser's days do not hold yet: the journal of each day the fold has
not moved in (stats.journal), and the chunks a fold in progress has still to apply.

A day is in one of three states, told by its registry entries (stats.journal) and its fold's marker,
read together (one BatchGetItem, consistent):
- no registry entry, or a finished fold: the cube items hold the whole day;
- a registry entry and no fold: the cube items hold what was written directly (before journaling
  began, or by the fold's late writers) and the journal holds the rest: both are read;
- a fold begun and not finished: the cube items hold its applied chunks and every direct write; its
  plans hold the chunks left (read with the fold's progress checked again afterwards, so a chunk
  applied meanwhile is not counted twice).
A day older than yesterday that has no registry entry, or whose fold has finished, stays so: this
instance remembers it and reads nothing for it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from partnerka.common import dynamo
from partnerka.stats.cube import CubeKey
from partnerka.stats.journal import JOURNAL_SHARDS, JournalReader, fold_token, registry_pk
from partnerka.stats.models import Increments
from partnerka.stats.repository import marker_key, read_marker, read_plan

MAX_CLOSED = 200_000  # (advertiser, day) pairs remembered as closed


class OpenDays:
    def __init__(
        self,
        table: str,
        client: Any,
        journal: JournalReader,
        now: Callable[[], datetime],
        unplan: Callable[[bytes], dict[CubeKey, Increments]],
    ) -> None:
        self._table = table
        self._client = client
        self._journal = journal
        self._now = now
        self._unplan = unplan
        self._closed: set[tuple[str, str]] = set()  # (advertiser, day): the cube items hold it all

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def missing(
        self, advertiser_id: str, days: Sequence[str], consistent: bool = False
    ) -> tuple[dict[CubeKey, Increments], dict[str, int]]:
        """Every figure of these days that the cube items do not hold yet, and the days being folded
        with how far their folds had got (for `unchanged`, after the cube items are read)."""
        now = self._now()
        asked = sorted({day for day in days if (advertiser_id, day) not in self._closed})
        if not asked:
            return {}, {}
        registered, folds = self._states(advertiser_id, asked)
        settled = (now - timedelta(days=1)).date().isoformat()
        found: dict[CubeKey, Increments] = {}
        folding: dict[str, int] = {}
        for day in asked:
            fold = folds.get(day)
            if day not in registered or (fold is not None and fold[1] >= fold[0]):
                if day < settled:
                    if len(self._closed) >= MAX_CLOSED:  # a warm instance's memory stays bounded
                        self._closed.clear()
                    self._closed.add((advertiser_id, day))
                continue
            if fold is None:
                rows = self._journal.day(advertiser_id, day, now, consistent)
                for (dimension, value), values in rows.items():
                    _add(found, CubeKey(advertiser_id, dimension, day, value), values)
            else:
                left, folding[day] = self._left_to_fold(advertiser_id, day)
                for key, values in left.items():
                    _add(found, key, values)
        return found, folding

    def unchanged(self, advertiser_id: str, folding: dict[str, int]) -> bool:
        """Whether the folds read by `missing` are where they were (else the cube items read between
        may hold a chunk that was also counted from its plan: read again)."""
        for day, done in folding.items():
            marker = read_marker(self._c(), self._table, fold_token(advertiser_id, day))
            if marker is None or marker.done != done:
                return False
        return True

    def _states(self, advertiser_id: str, days: list[str]) -> tuple[set[str], dict[str, tuple[int, int]]]:
        """The days with a registry entry, and the folds begun: day -> (chunks, done)."""
        keys = [
            {"pk": {"S": registry_pk(day, shard)}, "sk": {"S": advertiser_id}}
            for day in days
            for shard in range(JOURNAL_SHARDS)
        ]
        by_fold = {fold_token(advertiser_id, day): day for day in days}
        keys += [marker_key(token) for token in by_fold]
        registered: set[str] = set()
        folds: dict[str, tuple[int, int]] = {}
        for item in dynamo.batch_get(self._c(), self._table, keys, ConsistentRead=True):
            pk = item["pk"]["S"]
            if pk.startswith("FOLDQ#"):
                registered.add(pk.split("#")[1])
            else:
                day = by_fold[pk.removeprefix("BATCH#")]
                folds[day] = (int(item["chunks"]["N"]), int(item["done"]["N"]))
        return registered, folds

    def _left_to_fold(self, advertiser_id: str, day: str) -> tuple[dict[CubeKey, Increments], int]:
        """The chunks a fold has still to apply, and how many it had applied."""
        marker = read_marker(self._c(), self._table, fold_token(advertiser_id, day))
        if marker is None or marker.finished:
            return {}, marker.done if marker else 0
        left: dict[CubeKey, Increments] = {}
        for index in range(marker.done, marker.chunks):
            for key, values in self._unplan(read_plan(self._c(), self._table, marker.token, index)).items():
                _add(left, key, values)
        return left, marker.done


def _add(target: dict[CubeKey, Increments], key: CubeKey, values: Increments) -> None:
    row = target.setdefault(key, {})
    for name, amount in values.items():
        row[name] = row.get(name, 0) + amount
