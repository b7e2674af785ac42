"""Contract tests of two repositories that page and batch through the table helper, against moto."""

from __future__ import annotations

import os

from partnerka.audit.models import AuditEntry
from partnerka.audit.repository import AuditRepository
from partnerka.postbacks.models import PostbackSettings
from partnerka.postbacks.repository import PostbackSettingsRepository
from partnerka_local.template import Template


def an_entry(n: int, day: str, tenant: str | None = "adv-1") -> AuditEntry:
    return AuditEntry(
        id=f"e{n:03d}",
        at=f"{day}T10:{n // 60:02d}:{n % 60:02d}.000Z",
        actor_id="user-1",
        actor_email="boss@example.com",
        tenant_id=tenant,
        action="offer.changed",
        target=f"offer:{n}",
        # Nulls and empty strings survive: why before/after stay JSON text rather than a map (the
        # codec leaves out None and "", and holds no floats).
        before={"name": "Old", "fallback_url": None, "caps": [{"limit": 5}]},
        after={"name": "New", "fallback_url": "", "caps": []},
        request_id=f"req-{n}",
        ip="203.0.113.9",
    )


def test_a_tenants_audit_reads_newest_first_within_the_days_asked(stack: Template) -> None:
    # Given a tenant's entries over three days, another tenant's and the platform's
    repo = AuditRepository(os.environ["AUDIT_TABLE"])
    mine = [an_entry(n, day) for n, day in enumerate(["2026-11-01", "2026-11-02", "2026-11-03"] * 3)]
    for entry in mine:
        repo.append(entry)
    repo.append(an_entry(100, "2026-11-02", tenant="adv-2"))
    repo.append(an_entry(101, "2026-11-02", tenant=None))
    # When the tenant's two last days are read
    found = list(repo.of_tenant("adv-1", "2026-11-02", "2026-11-03"))
    # Then only its entries of those days come, newest first, before and after as they were written
    expected = sorted((e for e in mine if e.at[:10] >= "2026-11-02"), key=lambda e: e.at, reverse=True)
    assert found == expected
    assert [e.id for e in repo.of_tenant(None, "2026-11-02", "2026-11-02")] == ["e101"]


def test_a_days_audit_holds_every_tenants_entries_of_that_day(stack: Template) -> None:
    repo = AuditRepository(os.environ["AUDIT_TABLE"])
    for entry in [an_entry(1, "2026-11-02"), an_entry(2, "2026-11-02", "adv-2"), an_entry(3, "2026-11-03")]:
        repo.append(entry)
    assert [e.id for e in repo.of_day("2026-11-02")] == ["e002", "e001"]


def test_postback_settings_of_more_affiliates_than_one_batch_read_takes(stack: Template) -> None:
    # Given 130 affiliates with a postback URL (BatchGetItem takes 100 keys a request)
    repo = PostbackSettingsRepository(os.environ["CORE_TABLE"])
    saved = [
        PostbackSettings(f"aff-{n:03d}", url=f"https://t{n}.example/pb?c={{click_id}}") for n in range(130)
    ]
    for settings in saved:
        repo.save(settings)
    # When the orchestrator asks for all of them and two who have none
    found = repo.get_many([s.affiliate_id for s in saved] + ["aff-none-1", "aff-none-2"])
    # Then each affiliate's own settings come back, and those without settings are absent
    assert sorted(found) == [s.affiliate_id for s in saved]
    assert [found[s.affiliate_id].url for s in saved] == [s.url for s in saved]
