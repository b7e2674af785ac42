"""What the dashboard's statistics endpoints answer, each narrowed to its caller: reports, the click
and conversion logs, exports and summaries (stats.dashboard, stats.downloads, on fakes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor
from partnerka.common.errors import Forbidden, NotFound, ValidationFailed
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.orchestrator.records import StreamRecord
from partnerka.stats.dashboard import StatsDashboard
from partnerka.stats.downloads import Downloads
from partnerka.stats.exports import ExportKind, ExportStatus
from partnerka.stats.projection import StatsStores, apply_stream_batch
from partnerka.stats.service import Sources, StatsQuery, scoped_request
from partnerka.stats.summaries import Period
from tests.stream_records import stream_record
from tests.unit.fakes import (
    ADVERTISER,
    AFFILIATE,
    OFFER,
    FakeAudit,
    FakeClickLog,
    FakeCubes,
    FakeExports,
    FakeNames,
    FakeQueue,
    FakeReportFiles,
    stored_conversion,
)

RIVAL = "01JAD0000000000000000000BB"
COLLEAGUE = "01JAFF0000000000000000000B"
SECOND_OFFER = "01J0FFER00000000000000000B"
DAY = date(2026, 11, 27)
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
ACTOR = Actor("u-aff", "aff@blog.example", "req-3", "203.0.113.7")

OWNER = Principal("u-owner", Role.OWNER)
ADVERTISER_USER = Principal("u-adv", Role.ADVERTISER, advertiser_id=ADVERTISER)
AFFILIATE_USER = Principal("u-aff", Role.AFFILIATE, advertiser_id=ADVERTISER, affiliate_id=AFFILIATE)


def click(
    n: int, offer: str = OFFER, affiliate: str = AFFILIATE, advertiser: str = ADVERTISER
) -> StreamRecord:
    image = {
        "click_id": f"c{n}",
        "advertiser_id": advertiser,
        "offer_id": offer,
        "affiliate_id": affiliate,
        "country": "DE",
        "ua": CHROME,
        "created_at": f"2026-11-27T10:{n:02d}:00.000Z",
    }
    return stream_record(f"{n:021d}", f"e{n}", "INSERT", "clicks", image)


def sale(n: int, affiliate: str = AFFILIATE) -> Conversion:
    return stored_conversion(
        conversion_id=f"v{n}",
        dedupe_key=f"k{n}",
        click_id=f"c{n}",
        affiliate_id=affiliate,
        status=ConversionStatus.APPROVED,
        created_at=datetime(2026, 11, 27, 11, n, tzinfo=UTC),
    )


NAMES = FakeNames(
    offers={ADVERTISER: {OFFER: "Shoes", SECOND_OFFER: "Boots"}},
    affiliates={AFFILIATE: "Blogger", COLLEAGUE: "Coupons"},
    advertisers={ADVERTISER: "Shop", RIVAL: "Rival"},
)


def dashboard(conversions: tuple[Conversion, ...] = ()) -> StatsDashboard:
    """Three clicks of the affiliate (two on the first offer), one of a colleague, one at a rival."""
    cubes, log = FakeCubes(), FakeClickLog()
    apply_stream_batch(
        [
            click(1),
            click(2),
            click(3, offer=SECOND_OFFER),
            click(4, affiliate=COLLEAGUE),
            click(5, advertiser=RIVAL),
        ],
        StatsStores(cubes, log),
    )

    def newest_first(advertiser: str, first: str, last: str, affiliate: str | None) -> Iterator[Conversion]:
        found = [
            c for c in conversions if c.advertiser_id == advertiser and affiliate in (None, c.affiliate_id)
        ]
        return iter(sorted(found, key=lambda c: c.created_at, reverse=True))

    return StatsDashboard(
        Sources(cubes, log, lambda *_: []), newest_first, NAMES, lambda: [RIVAL, ADVERTISER]
    )


def test_platform_staff_who_name_no_advertiser_read_every_advertiser_and_one_when_they_name_it() -> None:
    query = StatsQuery(DAY, DAY)
    assert scoped_request(OWNER, query, "day", lambda: [RIVAL, ADVERTISER]).advertisers == sorted(
        [RIVAL, ADVERTISER]
    )
    named = StatsQuery(DAY, DAY, advertiser_id=RIVAL)
    assert scoped_request(OWNER, named, "day", lambda: pytest.fail("not read")).advertisers == [RIVAL]


def test_an_affiliates_query_is_narrowed_to_its_own_traffic_and_may_not_name_a_colleague() -> None:
    scoped = scoped_request(AFFILIATE_USER, StatsQuery(DAY, DAY, filters={"country": "de"}), "day", list)
    assert (scoped.advertisers, scoped.request.filters) == (
        [ADVERTISER],
        (("affiliate", AFFILIATE), ("country", "DE")),
    )
    with pytest.raises(Forbidden, match="another affiliate"):
        scoped_request(AFFILIATE_USER, StatsQuery(DAY, DAY, filters={"affiliate": COLLEAGUE}), "day", list)


def test_a_report_page_is_sorted_by_clicks_by_default_named_and_totalled_over_every_row() -> None:
    page = dashboard().report(ADVERTISER_USER, StatsQuery(DAY, DAY), "offer", None, None, offset=0, limit=1)
    assert (page.sort, page.desc, page.total_rows, page.totals.clicks) == ("clicks", True, 2, 4)
    assert [(row.key, row.clicks) for row in page.rows] == [(OFFER, 3)]
    assert page.names[OFFER] == "Shoes"
    assert (page.advertiser_id, page.sees_revenue) == (ADVERTISER, True)
    by_day = dashboard().report(ADVERTISER_USER, StatsQuery(DAY, DAY), "day", None, None, offset=0, limit=10)
    assert (by_day.sort, by_day.desc) == ("key", False)


def test_an_affiliates_report_counts_its_own_clicks_and_hides_revenue() -> None:
    page = dashboard().report(
        AFFILIATE_USER, StatsQuery(DAY, DAY), "affiliate", None, None, offset=0, limit=10
    )
    assert [(row.key, row.clicks) for row in page.rows] == [(AFFILIATE, 3)]
    assert page.names == {AFFILIATE: "Blogger"}
    assert not page.sees_revenue


def test_a_platform_report_covers_every_advertiser() -> None:
    page = dashboard().report(OWNER, StatsQuery(DAY, DAY), "advertiser", None, None, offset=0, limit=10)
    assert {row.key: row.clicks for row in page.rows} == {ADVERTISER: 4, RIVAL: 1}
    assert page.names == {ADVERTISER: "Shop", RIVAL: "Rival"}


def test_the_click_log_shows_an_affiliate_only_its_own_clicks_newest_first() -> None:
    page = dashboard().click_log(AFFILIATE_USER, StatsQuery(DAY, DAY), None, 10)
    assert ([c.click_id for c in page.items], page.next_cursor) == (["c3", "c2", "c1"], None)


def test_the_conversion_log_is_named_and_an_affiliate_sees_no_revenue() -> None:
    stats = dashboard((sale(1), sale(2, affiliate=COLLEAGUE)))
    mine = stats.conversion_log(AFFILIATE_USER, StatsQuery(DAY, DAY), None, None, 10)
    assert [c.conversion_id for c in mine.conversions.items] == ["v1"]
    assert (mine.conversions.sees_revenue, mine.conversions.affiliate_names) == (
        False,
        {AFFILIATE: "Blogger"},
    )
    theirs = stats.conversion_log(ADVERTISER_USER, StatsQuery(DAY, DAY), "approved", None, 10)
    assert [c.conversion_id for c in theirs.conversions.items] == ["v2", "v1"]
    assert theirs.conversions.sees_revenue


# ---------------------------------------------------------------------- exports and summaries
def downloads(
    files: FakeReportFiles | None = None,
) -> tuple[Downloads, FakeExports, FakeQueue, FakeAudit, FakeReportFiles]:
    exports, queue, audit = FakeExports(), FakeQueue(), FakeAudit()
    files = files or FakeReportFiles()
    return (
        Downloads(exports, queue.send, files, audit, lambda: [RIVAL, ADVERTISER]),
        exports,
        queue,
        audit,
        files,
    )


def test_an_export_carries_the_callers_scope_is_queued_once_and_audited_in_its_advertiser() -> None:
    service, exports, queue, audit, _ = downloads()
    at = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    job = service.request_export(
        AFFILIATE_USER, StatsQuery(DAY, DAY), ExportKind.CONVERSIONS, ACTOR, at, status="approved"
    )
    assert (job.advertisers, job.request.filters, job.sees_revenue) == (
        [ADVERTISER],
        (("affiliate", AFFILIATE),),
        False,
    )
    assert (job.options, job.created_at, job.user_id) == ({"status": "approved"}, at, "u-aff")
    assert exports.get("u-aff", job.export_id) is job
    assert queue.bodies == [job.message()]
    (entry,) = audit.records
    assert (entry.actor, entry.tenant_id, entry.action, entry.target) == (
        ACTOR,
        ADVERTISER,
        "export.requested",
        f"export:{job.export_id}",
    )
    assert entry.after == {
        "kind": "conversions",
        "from": "2026-11-27",
        "to": "2026-11-27",
        "group_by": "none",
        "filters": {"affiliate": AFFILIATE},
    }


def test_a_platform_export_covers_every_advertiser_and_is_audited_platform_wide() -> None:
    service, _, _, audit, _ = downloads()
    job = service.request_export(
        OWNER, StatsQuery(DAY, DAY), ExportKind.REPORT, ACTOR, datetime.now(UTC), group_by="offer", sort="cr"
    )
    assert (job.advertisers, job.request.group_by, job.options) == (
        sorted([RIVAL, ADVERTISER]),
        "offer",
        {"sort": "cr", "desc": None},
    )
    assert audit.records[0].tenant_id is None


def test_an_export_is_ones_own_and_has_a_link_only_once_ready() -> None:
    service = downloads()[0]
    job = service.request_export(
        ADVERTISER_USER, StatsQuery(DAY, DAY), ExportKind.CLICKS, ACTOR, datetime.now(UTC)
    )
    assert service.export(ADVERTISER_USER, job.export_id).download_url is None
    job.status = ExportStatus.READY
    assert service.export(ADVERTISER_USER, job.export_id).download_url == (
        f"https://reports.example/exports/u-adv/{job.export_id}.csv?as=partnerka-clicks-2026-11-27-2026-11-27.csv"
    )
    colleague = Principal("u-adv-2", Role.ADVERTISER, advertiser_id=ADVERTISER)
    with pytest.raises(NotFound):
        service.export(colleague, job.export_id)
    assert [j.export_id for j in service.exports_of(ADVERTISER_USER)] == [job.export_id]
    assert service.exports_of(colleague) == []


SUMMARIES = {
    f"summaries/{ADVERTISER}/daily/2026-11-26.csv": 120,
    f"summaries/{ADVERTISER}/daily/2026-11-27.csv": 130,
    f"summaries/{ADVERTISER}/daily/not-a-summary.txt": 1,
    f"summaries/{ADVERTISER}/monthly/2026-10-01.csv": 900,
    f"summaries/{ADVERTISER}/affiliates/{AFFILIATE}/daily/2026-11-27.csv": 40,
    f"summaries/{RIVAL}/daily/2026-11-27.csv": 70,
}


def test_summaries_are_listed_newest_first_each_caller_its_own() -> None:
    service = downloads(FakeReportFiles(SUMMARIES))[0]
    own = service.summaries(ADVERTISER_USER, Period.DAILY, None)
    assert [(s.key.first.isoformat(), s.size_bytes) for s in own] == [
        ("2026-11-27", 130),
        ("2026-11-26", 120),
    ]
    mine = service.summaries(AFFILIATE_USER, Period.DAILY, None)
    assert [(s.key.affiliate_id, s.size_bytes) for s in mine] == [(AFFILIATE, 40)]
    assert [s.size_bytes for s in service.summaries(OWNER, Period.DAILY, RIVAL)] == [70]
    with pytest.raises(ValidationFailed, match="name the advertiser"):
        service.summaries(OWNER, Period.DAILY, None)
    with pytest.raises(Forbidden):
        service.summaries(ADVERTISER_USER, Period.DAILY, RIVAL)


def test_a_summary_link_is_given_for_ones_own_existing_summary_only() -> None:
    service = downloads(FakeReportFiles(SUMMARIES))[0]
    own = f"summaries/{ADVERTISER}/daily/2026-11-27.csv"
    assert (
        service.summary_link(ADVERTISER_USER, own)
        == f"https://reports.example/{own}?as=partnerka-daily-2026-11-27.csv"
    )
    mine = f"summaries/{ADVERTISER}/affiliates/{AFFILIATE}/daily/2026-11-27.csv"
    assert service.summary_link(AFFILIATE_USER, mine).startswith(f"https://reports.example/{mine}")
    # An advertiser's own summary is never an affiliate's, nor a rival's anyone's but the rival's
    with pytest.raises(Forbidden):
        service.summary_link(AFFILIATE_USER, own)
    with pytest.raises(Forbidden):
        service.summary_link(ADVERTISER_USER, f"summaries/{RIVAL}/daily/2026-11-27.csv")
    with pytest.raises(NotFound):
        service.summary_link(ADVERTISER_USER, f"summaries/{ADVERTISER}/daily/2026-11-25.csv")
    with pytest.raises(ValidationFailed, match="not a summary key"):
        service.summary_link(
            ADVERTISER_USER, f"summaries/{ADVERTISER}/daily/../../{RIVAL}/daily/2026-11-27.csv"
        )
