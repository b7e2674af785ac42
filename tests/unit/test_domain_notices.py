"""A domain's move is told to its advertiser's team as a `domain.status_changed` event named by the
check that moved it, and a notify queue that refuses it does not fail the check."""

from __future__ import annotations

from datetime import UTC, datetime

from partnerka.domains.models import Domain, DomainKind, DomainStatus
from partnerka.domains.names import DomainName
from partnerka.domains.notices import DomainStatusNotices
from partnerka.notifications.events import Audience, EventType, QueuedNotices
from partnerka.notifications.outbox import Outbox
from tests.unit.fakes import FakeNotices, FakeOperations, FakeQueue

CHECKED = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)


def broken_domain() -> Domain:
    return Domain(
        domain_id="d1",
        advertiser_id="adv-1",
        name=DomainName("xn--80a0aefbk9d3b.acme.example"),
        kind=DomainKind.PORTAL,
        status=DomainStatus.BROKEN,
        token="t",
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        updated_at=CHECKED,
        status_reason="the CNAME of партнёры.acme.example points to elsewhere.example.net",
        checked_at=CHECKED,
    )


def test_a_moved_domain_tells_its_team_under_the_check_that_moved_it() -> None:
    notices = FakeNotices()
    DomainStatusNotices(notices).domain_moved(broken_domain())

    [event] = notices.sent
    assert event.type is EventType.DOMAIN_STATUS
    assert event.event_id == "d1.broken.2026-12-07T10:30:00.000Z"
    assert (event.advertiser_id, event.audience, event.occurred_at) == (
        "adv-1",
        Audience(advertiser_team=True),
        CHECKED,
    )
    assert event.data == {
        "domain": "партнёры.acme.example",
        "status": "broken",
        "reason": "the CNAME of партнёры.acme.example points to elsewhere.example.net",
    }


def test_a_refused_notice_is_kept_and_the_move_stands() -> None:
    operations = FakeOperations()
    notices = DomainStatusNotices(QueuedNotices(Outbox(FakeQueue(refuses=True), operations)))

    notices.domain_moved(broken_domain())  # does not raise

    [kept] = operations.items.values()
    assert kept.op_id == "event.d1.broken.2026-12-07T10:30:00.000Z"
