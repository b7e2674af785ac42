"""Reports from the raw events against a naive computation: clicks written to the click log in
stream batches (each batch's chunks named by its token, one batch written twice as a redelivery
would), conversions by their current status; any number of filters, grouping by time, dimension or
sub-id, in several time zones. The cubes and the raw path must agree where both can answer."""

from __future__ import annotations

import os
import uuid
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerka.common.clock import iso_millis
from partnerka.stats.click_log import ClickLogRepository, LoggedClick
from partnerka.stats.cube import Facts, cube_increments, merge_into
from partnerka.stats.cube_store import CubeRepository
from partnerka.stats.engine import NO_GROUP, TIME_GROUPS, ReportQuery, answerable, cube_report
from partnerka.stats.models import StatsRow
from partnerka.stats.raw import RAW_DIMENSIONS, ConvertedEvent, RawQuery, conversion_increments, raw_report
from partnerka_local.template import Template
from tests.conftest import examples
from tests.integration.test_stats_cubes import write_range

START = datetime(2026, 11, 26, 18, tzinfo=UTC)
ZONES = ["UTC", "Europe/Moscow", "America/New_York"]
OFFERS, AFFILIATES, COUNTRIES = ["o1", "o2"], ["a1", "a2", "a3"], ["DE", "US"]

click = st.builds(
    lambda minutes, offer, affiliate, country, device, flags, reason, sub1, sub2: LoggedClick(
        str(uuid.uuid4()),
        Facts(
            "ADV",
            START + timedelta(minutes=minutes, seconds=7),
            offer,
            affiliate,
            country,
            device,
            "iOS" if device == "mobile" else "Windows",
            "Safari" if device == "mobile" else "Chrome",
            {k: v for k, v in (("sub1", sub1), ("sub2", sub2)) if v},
        ),
        reason,
        frozenset(flags),
    ),
    st.integers(0, 2 * 24 * 60),
    st.sampled_from(OFFERS),
    st.sampled_from(AFFILIATES),
    st.sampled_from(COUNTRIES),
    st.sampled_from(["desktop", "mobile"]),
    st.sets(st.sampled_from(["unique", "bots", "flood", "datacenter"])),
    st.sampled_from(["", "", "", "geo_blocked"]),
    st.sampled_from(["", "fb", "tt"]),
    st.sampled_from(["", "x", "y"]),
)
conversion = st.builds(
    lambda base, status, goal, currency: (base, status, goal, currency),
    click,
    st.sampled_from(["pending", "hold", "approved", "rejected"]),
    st.sampled_from(["sale", "lead", "upsell"]),
    st.sampled_from(["USD", "EUR"]),
)


def as_event(base: LoggedClick, status: str, goal: str, currency: str) -> ConvertedEvent:
    return ConvertedEvent(base.facts, conversion_increments(status, goal, currency, 2000, 1250))


def expected(clicks: list[LoggedClick], events: list[ConvertedEvent], query: RawQuery) -> tuple[dict, dict]:
    rows: dict[str, StatsRow] = {}
    totals = StatsRow(key="total")
    everything = [(c.facts, c.increments()) for c in clicks] + [(e.facts, e.increments) for e in events]
    for facts, increments in everything:
        local = facts.at.astimezone(query.tz)
        if not query.date_from <= local.date() <= query.date_to:
            continue
        if any(facts.value(name) != wanted for name, wanted in query.filters):
            continue
        key = {
            "day": f"{local:%Y-%m-%d}",
            "hour": f"{local:%Y-%m-%dT%H}",
            NO_GROUP: "total",
        }.get(query.group_by) or facts.value(query.group_by)
        rows.setdefault(key, StatsRow(key=key)).add(increments)
        totals.add(increments)
    return {k: asdict(v) for k, v in rows.items()}, asdict(totals)


filters = st.lists(
    st.sampled_from(
        [
            ("offer", "o1"),
            ("affiliate", "a2"),
            ("country", "DE"),
            ("device", "mobile"),
            ("sub1", "fb"),
            ("sub2", ""),
        ]
    ),
    max_size=3,
    unique_by=lambda f: f[0],
)


@given(
    st.lists(click, min_size=5, max_size=120),
    st.lists(conversion, max_size=30),
    st.integers(1, 50),
    st.lists(
        st.tuples(
            st.sampled_from(ZONES),
            st.integers(-1, 2),
            st.integers(0, 2),
            st.sampled_from([*TIME_GROUPS, NO_GROUP, *RAW_DIMENSIONS[:6], "sub1", "sub2"]),
            filters,
        ),
        min_size=1,
        max_size=5,
    ),
)
@settings(
    max_examples=examples(20, 600),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_every_raw_report_equals_the_naive_computation(
    stack: Template, clicks: list[LoggedClick], conversions: list, batch: int, shapes: list
) -> None:
    advertiser = uuid.uuid4().hex
    placed = [
        LoggedClick(c.click_id, replace(c.facts, advertiser_id=advertiser), c.reason, c.flags) for c in clicks
    ]
    log = ClickLogRepository(os.environ["STATS_TABLE"])
    cubes = CubeRepository(os.environ["STATS_TABLE"])
    events = [as_event(*c) for c in conversions]
    for first in range(0, len(placed), batch):
        token = uuid.uuid4().hex
        log.write(placed[first : first + batch], token, 0)
        if first == 0:
            log.write(placed[first : first + batch], token, 0)  # a redelivered batch puts the same items
        merged: dict = {}
        for c in placed[first : first + batch]:
            merge_into(
                merged,
                cube_increments(c.facts, c.increments()),
            )
        write_range(cubes, merged)

    def conversions_between(adv: str, first: str, last: str, affiliate: str | None) -> list[ConvertedEvent]:
        """As the index would answer: the advertiser's (or one affiliate's) conversions in the range."""
        assert adv == advertiser
        return [
            e
            for e in events
            if first <= iso_millis(e.facts.at) <= last and affiliate in (None, e.facts.affiliate)
        ]

    for zone, first_day, length, group_by, chosen in shapes:
        start = date(2026, 11, 26) + timedelta(days=first_day)
        query = RawQuery(
            advertiser, start, start + timedelta(days=length), ZoneInfo(zone), group_by, tuple(chosen)
        )
        report = raw_report(log, conversions_between, query)
        rows, totals = expected(placed, events, query)
        assert {k: asdict(v) for k, v in report.rows.items()} == rows, query
        assert asdict(report.totals) == totals, query
        # Where the cubes can answer too (clicks only: the cubes here hold no conversions), they agree
        cube_query = ReportQuery(
            advertiser, query.date_from, query.date_to, query.tz, group_by, chosen[0] if chosen else None
        )
        if (
            not events
            and len(chosen) <= 1
            and group_by in (*TIME_GROUPS, NO_GROUP, *RAW_DIMENSIONS[:6])
            and answerable(cube_query)
        ):
            cubed = cube_report(cubes, cube_query)
            assert {
                k: asdict(v)
                for k, v in cubed.rows.items()
                if any(asdict(v)[n] for n in ("clicks", "blocked"))
            } == {k: v for k, v in rows.items() if v["clicks"] or v["blocked"]}, query


def test_stored_conversions_count_by_their_current_status(load_function, stack: Template) -> None:  # type: ignore[no-untyped-def]
    """Conversions recorded by the postback function, one of them rejected later: the raw path reads
    them from the Conversions table and counts each by what it is now."""
    from urllib.parse import parse_qs, urlencode, urlsplit

    from partnerka.conversions.models import ConversionStatus
    from partnerka.conversions.repository import ConversionRepository
    from partnerka.stats.raw import stored_conversions
    from tests.integration.conftest import CONTEXT, http_event
    from tests.integration.world import build_world

    world = build_world()
    click, postback = load_function("click"), load_function("postback")
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id, "sub1": "fb"})
    location = click.handler(http_event("GET", "/click", query), CONTEXT)["headers"]["location"]
    click_id = parse_qs(urlsplit(location).query)["cid"][0]
    for txn in ("S1", "S2"):
        params = urlencode(
            {"click_id": click_id, "status": "sale", "txn_id": txn, "secret": world.offer.postback_secret}
        )
        assert postback.handler(http_event("GET", "/postback", params), CONTEXT)["statusCode"] == 200
    repository = ConversionRepository(os.environ["CONVERSIONS_TABLE"])
    first = repository.by_txn(world.advertiser_id, "S1")[0]
    assert repository.transition(first, ConversionStatus.REJECTED, "fraud", datetime.now(UTC))
    today = datetime.now(UTC).date()
    report = raw_report(
        ClickLogRepository(os.environ["STATS_TABLE"]),
        stored_conversions(repository),
        RawQuery(
            world.advertiser_id, today, today, ZoneInfo("UTC"), "sub1", (("affiliate", world.affiliate_id),)
        ),
    )
    fb = report.rows["fb"]
    assert (fb.sales, fb.rejected, fb.payout, fb.revenue) == (1, 1, {"USD": 1250}, {"USD": 2000})
