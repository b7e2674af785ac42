"""The daily fold: a closed day's journal (stats.journal) added to the cube items once, one update per
item, so that reports of older days read the cube items alone.

A fold is a range of its own (stats.repository), named by the advertiser and the day: its chunks are
the journal's sums, chunk 0 goes in with its marker and the plans of the others, and an interrupted
fold is finished from its plans by the next run, never begun again. Its marker lives longer than the
journal, so a reader always knows the day is folded (stats.open_days). A day is folded only
FOLD_AFTER past its end (stats.journal.foldable): by then no range can journal it any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from partnerka.common.observability import logger
from partnerka.stats.cube import CubeKey
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.journal import JOURNAL_TTL, fold_token, foldable
from partnerka.stats.repository import key_chunks

# Days back a run looks for days left to fold: a broken fold is caught up within a week.
DAYS_BACK = 9
# A fold's marker outlives the journal it folded (and the registry entry that named it).
FOLD_MARKER_TTL = JOURNAL_TTL + timedelta(days=30)


@dataclass(frozen=True, slots=True)
class FoldRun:
    folded: int  # advertiser-days folded (or finished) by this run
    failed: int


def fold_day(cubes: CubeRepository, advertiser_id: str, day: str, now: datetime) -> bool:
    """Fold an advertiser's closed day into its cube items; False when there was nothing left to do
    (folded before, or not closed yet)."""
    if not foldable(day, now):
        return False
    token = fold_token(advertiser_id, day)
    marker = cubes.marker(token)
    if marker is None:
        rows = cubes.journal.day(advertiser_id, day, now, consistent=True)
        increments = {
            CubeKey(advertiser_id, dimension, day, value): kept
            for (dimension, value), values in rows.items()
            if (kept := {name: amount for name, amount in values.items() if amount})
        }
        chunks = key_chunks(increments)
        if cubes.fold(token, chunks, int(FOLD_MARKER_TTL.total_seconds())):
            for index in range(1, len(chunks)):
                cubes.advance(token, index, chunks[index])
            return True
        marker = cubes.marker(token)  # begun meanwhile (another run, or this one's lost answer)
    if marker is None or marker.finished:
        return False
    for index in range(marker.done, marker.chunks):
        cubes.advance(token, index)
    return True


def fold_due(cubes: CubeRepository, now: datetime, days_back: int = DAYS_BACK) -> FoldRun:
    """Fold every advertiser's closed days of the last `days_back` days; one advertiser-day's failure
    is logged and left for the next run, the others go on."""
    folded = failed = 0
    for back in range(days_back, 0, -1):
        day = (now - timedelta(days=back)).date().isoformat()
        if not foldable(day, now):
            continue
        for advertiser_id in cubes.registry.advertisers(day):
            try:
                folded += fold_day(cubes, advertiser_id, day, now)
            except Exception:
                failed += 1
                logger.exception("folding a day failed", advertiser_id=advertiser_id, day=day)
    return FoldRun(folded, failed)
