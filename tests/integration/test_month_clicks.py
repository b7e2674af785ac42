"""The month's clicks a plan meters, read from the Stats table (moto's DynamoDB) as the orchestrator
wrote them: the advertiser's total cube over the days of one UTC month, in one Query."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3

from partnerka.stats.cube import Facts, cube_increments, merge_into
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.models import Increments
from partnerka.stats.month_clicks import MonthClicks
from partnerka_local.template import Template


class CountedQueries:
    """The DynamoDB client, with the Query requests it was asked for kept."""

    def __init__(self) -> None:
        self.client = boto3.client("dynamodb")
        self.queries: list[dict[str, Any]] = []

    def query(self, **request: Any) -> Any:
        self.queries.append(request)
        return self.client.query(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def test_the_months_clicks_are_the_total_cubes_days_of_that_utc_month_in_one_query(stack: Template) -> None:
    client = CountedQueries()
    cubes = CubeRepository(os.environ["STATS_TABLE"], client)
    acme, other = uuid.uuid4().hex, uuid.uuid4().hex
    traffic: list[tuple[str, str, Increments]] = [
        (acme, "2026-10-31T23:59", {"clicks": 1000}),  # the month before, by a minute
        (acme, "2026-11-01T00:00", {"clicks": 1, "unique": 1}),
        (acme, "2026-11-15T12:30", {"clicks": 1, "bots": 1}),
        (acme, "2026-11-15T18:00", {"blocked": 1}),  # refused at click time: sent nobody anywhere
        (acme, "2026-11-30T23:59", {"clicks": 1}),
        (acme, "2026-12-01T00:00", {"clicks": 2000}),  # the month after
        (other, "2026-11-15T12:00", {"clicks": 400}),
    ]
    merged: dict[Any, Increments] = {}
    for advertiser_id, at, increments in traffic:
        moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
        facts = Facts(advertiser_id, moment, "offer-1", "aff-1", "DE", "mobile", "iOS", "Safari")
        merge_into(merged, cube_increments(facts, increments))
    token = uuid.uuid4().hex
    assert cubes.begin(token, [token], [merged])

    assert MonthClicks(cubes).clicks(acme, "2026-11") == 3
    (query,) = client.queries
    assert query["ExpressionAttributeValues"][":pk"] == {"S": f"ADV#{acme}#total"}
    assert MonthClicks(cubes).clicks(other, "2026-11") == 400
    assert MonthClicks(cubes).clicks(acme, "2027-02") == 0
