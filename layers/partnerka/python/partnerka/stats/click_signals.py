"""What a conversion's fraud rules learn about its click when the conversion arrives
(conversions.screening.ClickInspector), for the postback function.

The datacenter check is the orchestrator's own, asked again here: the address ranges are in hand and
the answer needs no waiting (and names the AS number, which the stored verdict does not keep). Bots,
floods and repeat visitors need the orchestrator's state, so they are read from what it recorded
(stats.quality.recorded_quality). A click it has not judged yet (it judges within seconds of the
click) raises none of these three: the rules act on what is known, and a rule on the time to convert
catches the conversions that come that fast.
"""

from __future__ import annotations

from partnerka.conversions.screening import ClickSignals
from partnerka.stats.quality import QualityStore, recorded_quality
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.models import Click


class RecordedClickSignals:
    def __init__(self, store: QualityStore, datacenters: DatacenterRanges) -> None:
        self._store = store
        self._datacenters = datacenters

    def signals(self, click: Click) -> ClickSignals:
        recorded = recorded_quality(self._store, click)
        network = self._datacenters.announcer(click.ip)
        if recorded is None:
            return ClickSignals(datacenter=network)
        return ClickSignals(
            bot=recorded.bot,
            datacenter=network,
            ip_flood=recorded.flood,
            duplicate_visitor=recorded.unique is False,
        )
