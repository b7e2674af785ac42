"""The orchestrator's verdicts against the emulated Stats table, as the postback's fraud rules and a
click's inspection read them back: a bot's click keeps a verdict of its own, a flooding address's
clicks of a range share one item per address (each with the address's count up to it), and a
datacenter address keeps none: the hosting networks' ranges name it again when it is read."""

from __future__ import annotations

import ipaddress
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerka.common import dynamo
from partnerka.stats.quality import ClickQuality, recorded_quality
from partnerka.stats.quality_store import QualityRepository
from partnerka.tracking.datacenter import DatacenterRanges
from partnerka.tracking.models import Click
from partnerka_local.template import Template

AT = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)
AWS = (int(ipaddress.ip_address("3.5.140.0")), int(ipaddress.ip_address("3.5.143.255")), 16509)
RANGES = DatacenterRanges({4: [AWS], 6: []})


def click(n: int, ip: str, minutes: int = 0) -> Click:
    return Click(
        click_id=f"verdict-click-{n}",
        offer_id="O1",
        affiliate_id="A1",
        advertiser_id="ADV-VERDICTS",
        ip=ip,
        country="DE",
        user_agent="Mozilla/5.0",
        created_at=AT + timedelta(minutes=minutes),
        expires_at=1_900_000_000,
    )


class Counting:
    def __init__(self) -> None:
        self.inner = dynamo.client()
        self.written = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def batch_write_item(self, **request: Any) -> Any:
        self.written += sum(len(items) for items in request["RequestItems"].values())
        return self.inner.batch_write_item(**request)


def test_floods_share_an_item_per_address_bots_keep_theirs_and_datacenters_none(stack: Template) -> None:
    client = Counting()
    store = QualityRepository(os.environ["STATS_TABLE"], client)
    flooding = [click(n, "198.51.100.7", minutes=n) for n in range(40)]
    bot = click(100, "95.24.1.1")
    aws = click(101, "3.5.140.9")
    flood = {
        c.click_id: ClickQuality(unique=None, flood=True, bot=False, datacenter=None, address_clicks=31 + n)
        for n, c in enumerate(flooding)
    }
    verdicts = [(c, flood[c.click_id]) for c in flooding]
    verdicts.append((bot, ClickQuality(unique=True, flood=False, bot=True, datacenter=None)))
    store.save_verdicts(verdicts, "range-1")
    # One item for the forty flooding clicks of the address, one for the bot
    assert client.written == 2
    # Each reads back as it was judged, unique or not from its visitor's window as before
    reader = QualityRepository(os.environ["STATS_TABLE"])
    assert reader.verdict(flooding[9]) == ClickQuality(
        unique=None, flood=True, bot=False, datacenter=None, address_clicks=40
    )
    assert recorded_quality(reader, bot) == ClickQuality(unique=True, flood=False, bot=True, datacenter=None)
    # A datacenter address kept nothing, and is named from the ranges when read
    assert reader.verdict(aws) is None
    named = recorded_quality(reader, aws, RANGES)
    assert named is not None
    assert (named.datacenter, named.asn, named.flood, named.bot) == ("Amazon AWS", 16509, False, False)
    # A clean click from a flooding address, in another hour, is not a flood
    assert reader.verdict(click(200, "198.51.100.7", minutes=120)) is None
