"""Custom domains through every state, on the real repository (moto's DynamoDB), with DNS and
CloudFront's tenants played by fakes that answer as the real ones do (tests.unit.fakes): the
advertiser's records appear and go, certificates are issued or refused, the edge moves on, and the
state machine of domains.service follows — each change audited and each check in the operations log."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from partnerka.audit.service import Actor
from partnerka.common.errors import Conflict, ValidationFailed
from partnerka.common.pynamo import use_core_table
from partnerka.domains.models import GIVE_UP_AFTER, Domain, DomainKind, DomainStatus
from partnerka.domains.repository import DomainRepository, DomainTaken
from partnerka.domains.service import SCHEDULED_CHECK, DomainService, DomainSettings
from partnerka.operations.models import OperationStatus, OperationType
from partnerka.operations.repository import OperationsRepository
from partnerka.tracking.repository import CachedRouteRepository
from partnerka_local.template import Template
from tests.unit.fakes import FakeAudit, FakeDns, FakeTenantEdge

EDGE = "d111111abcdef8.cloudfront.net"
ACME, OTHER = "adv-acme", "adv-other"
BOSS = Actor(user_id="u-boss", email="boss@acme.example")
START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@dataclass
class Told:
    """domains.service.DomainNotices as a list of (host, status, reason)."""

    moves: list[tuple[str, str, str]]

    def domain_moved(self, domain: Domain) -> None:
        self.moves.append((domain.host, domain.status.value, domain.status_reason))


@dataclass
class World:
    service: DomainService
    dns: FakeDns
    edge: FakeTenantEdge
    audit: FakeAudit
    clock: list[datetime]
    repo: DomainRepository
    told: Told

    def later(self, **delta: float) -> None:
        self.clock[0] += timedelta(**delta)

    def publish(self, domain: Domain, txt: bool = True, cname: str | None = EDGE) -> None:
        """The advertiser creates the records the platform showed it."""
        txt_record, _ = domain.records(EDGE)
        if txt:
            self.dns.set_txt(txt_record.name, ["some-other=value", txt_record.value])
        if cname is not None:
            self.dns.set_cname(domain.host, cname)

    def run(self) -> None:
        self.service.check_due()

    def current(self, domain: Domain) -> Domain:
        return self.repo.get(domain.advertiser_id, domain.domain_id)


@pytest.fixture
def world(stack: Template) -> World:
    use_core_table(os.environ["CORE_TABLE"])
    clock = [START]
    dns, edge, audit, repo, told = FakeDns(), FakeTenantEdge(), FakeAudit(), DomainRepository(), Told([])
    service = DomainService(
        repo,
        dns,
        edge,
        audit,
        OperationsRepository(os.environ["OPERATIONS_TABLE"]),
        DomainSettings(platform_domains=("app.platform.example",), cname_target=EDGE),
        now=lambda: clock[0],
        notices=told,
    )
    return World(service, dns, edge, audit, clock, repo, told)


def statuses(world: World, domain: Domain) -> list[str]:
    return [r.action for r in world.audit.records if r.target == f"domain:{domain.domain_id}"]


def test_a_domain_goes_from_its_dns_records_to_active_and_breaks_when_its_cname_moves_away(
    world: World,
) -> None:
    # Given an advertiser that adds its portal domain, typed as people type it
    domain = world.service.add(ACME, " https://Partners.ACME.example/ ", DomainKind.PORTAL, BOSS)
    assert (domain.host, domain.status) == ("partners.acme.example", DomainStatus.PENDING_DNS)
    assert [(r.type, r.name) for r in domain.records(EDGE)] == [
        ("TXT", "_verify.partners.acme.example"),
        ("CNAME", "partners.acme.example"),
    ]
    # When the scheduled check runs before any record exists: it waits, and says what it waits for
    world.later(minutes=5)
    world.run()
    waiting = world.current(domain)
    assert (waiting.status, waiting.txt_found) == (DomainStatus.PENDING_DNS, False)
    assert "no TXT record" in waiting.status_reason
    # When only the TXT record appears: owned, but the CNAME is not there yet
    world.publish(domain, cname=None)
    world.later(minutes=5)
    world.run()
    owned = world.current(domain)
    assert (owned.status, owned.txt_found, owned.cname_found) == (DomainStatus.VERIFYING, True, False)
    assert world.edge.tenants == {}
    # When the CNAME appears: the edge tenant is made at once, its certificate pending
    world.publish(domain)
    world.later(minutes=5)
    world.run()
    issuing = world.current(domain)
    assert issuing.status is DomainStatus.ISSUING_CERTIFICATE
    assert issuing.tenant_id
    (tenant,) = world.edge.tenants.values()
    assert (tenant.domain, tenant.tags) == (
        "partners.acme.example",
        {"advertiser": ACME, "domain": domain.domain_id},
    )
    # When the certificate is issued: it is attached, and once that change is deployed, active
    world.edge.issue(issuing.tenant_id)
    world.later(minutes=5)
    world.run()
    assert world.current(domain).status is DomainStatus.ISSUING_CERTIFICATE  # attaching: in progress
    world.edge.deploy(issuing.tenant_id)
    world.later(minutes=5)
    world.run()
    active = world.current(domain)
    assert active.status is DomainStatus.ACTIVE
    assert active.active_since == world.clock[0]
    assert active.next_check_at == world.clock[0] + timedelta(days=1)
    # When the advertiser points the CNAME elsewhere: the daily check marks it broken, saying where
    world.dns.set_cname(domain.host, "old-host.example.net")
    world.later(days=1)
    world.run()
    broken = world.current(domain)
    assert broken.status is DomainStatus.BROKEN
    assert "points to old-host.example.net, not to " + EDGE in broken.status_reason
    assert broken.next_check_at == world.clock[0] + timedelta(hours=1)
    # When it points back: active again, since the first time
    world.publish(domain)
    world.later(hours=1)
    world.run()
    again = world.current(domain)
    assert (again.status, again.active_since) == (DomainStatus.ACTIVE, active.active_since)
    # Then every move was audited, by the advertiser or the scheduled check, with no token in it
    assert statuses(world, domain) == [
        "domain.add",
        "domain.verifying",
        "domain.issuing_certificate",
        "domain.active",
        "domain.broken",
        "domain.active",
    ]
    assert {r.actor for r in world.audit.records[1:]} == {SCHEDULED_CHECK}
    # and the advertiser was told when it went live, broke (and why), and came back
    assert [(status, reason[:20]) for _, status, reason in world.told.moves] == [
        ("active", ""),
        ("broken", "the CNAME of partner"),
        ("active", ""),
    ]
    assert all(domain.token not in str(r.after) for r in world.audit.records)
    # and every check is an operation of type `domain`
    log = OperationsRepository(os.environ["OPERATIONS_TABLE"])
    rates = log.rates(OperationType.DOMAIN, world.clock[0], 48)
    assert (sum(h.attempts for h in rates), sum(h.failures for h in rates)) == (7, 0)  # the seven runs


def test_a_resolver_that_cannot_answer_changes_nothing_and_is_logged_as_a_failed_check(world: World) -> None:
    domain = world.service.add(ACME, "track.acme.example", DomainKind.TRACKING, BOSS)
    world.publish(domain)
    world.service.check_now(ACME, domain.domain_id, BOSS)
    world.edge.issue(world.current(domain).tenant_id)
    world.service.check_now(ACME, domain.domain_id, BOSS)
    world.edge.deploy(world.current(domain).tenant_id)
    assert world.service.check_now(ACME, domain.domain_id, BOSS).status is DomainStatus.ACTIVE
    # When the resolver fails on the daily check
    world.dns.fail(domain.host)
    world.later(days=1)
    world.run()
    # Then the domain stays active (a hiccup is no evidence), is looked at again soon, and the
    # failed look is in the operations log
    kept = world.current(domain)
    assert kept.status is DomainStatus.ACTIVE
    assert kept.next_check_at == world.clock[0] + timedelta(minutes=15)
    log = OperationsRepository(os.environ["OPERATIONS_TABLE"])
    assert sum(h.failures for h in log.rates(OperationType.DOMAIN, world.clock[0], 48)) == 1
    failed = [
        op
        for op in (log.get(i) for i in _operation_ids())
        if op is not None and op.status is OperationStatus.FAILED
    ]
    assert [(op.subject_id, op.advertiser_id, op.history[0].error_class) for op in failed] == [
        (domain.domain_id, ACME, "unreachable")
    ]


def _operation_ids() -> list[str]:
    import boto3

    items = boto3.client("dynamodb").scan(TableName=os.environ["OPERATIONS_TABLE"])["Items"]
    return [i["op_id"]["S"] for i in items if i.get("type", {}).get("S") == "domain"]


def test_records_that_never_appear_fail_the_domain_and_a_check_by_hand_starts_it_over(world: World) -> None:
    domain = world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    world.later(seconds=GIVE_UP_AFTER.total_seconds())
    world.run()
    failed = world.current(domain)
    assert failed.status is DomainStatus.FAILED
    assert "within 7 days" in failed.status_reason
    assert failed.next_check_at is None  # nothing of it at the edge: not looked at again
    world.later(days=30)
    assert world.service.check_due().checked == 0
    # When the advertiser fixes its records and checks by hand: it goes on from the start
    world.publish(domain)
    started = world.service.check_now(ACME, domain.domain_id, BOSS)
    assert started.status is DomainStatus.ISSUING_CERTIFICATE


def test_a_certificate_the_authority_refuses_fails_the_domain_and_its_tenant_is_taken_down(
    world: World,
) -> None:
    domain = world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    world.publish(domain)
    tenant_id = world.service.check_now(ACME, domain.domain_id, BOSS).tenant_id
    world.edge.fail_certificate(tenant_id, "failed")
    failed = world.service.check_now(ACME, domain.domain_id, BOSS)
    assert failed.status is DomainStatus.FAILED
    assert "CAA record" in failed.status_reason
    # Then the tenant is disabled at once, and deleted once that is deployed
    assert world.edge.tenants[tenant_id].enabled is False
    with pytest.raises(Conflict, match="still being taken down"):
        world.service.check_now(ACME, domain.domain_id, BOSS)
    world.edge.deploy(tenant_id)
    world.later(minutes=5)
    world.run()
    assert world.edge.tenants == {}
    assert world.current(domain).tenant_id == ""


def test_the_cname_seen_by_us_but_not_yet_by_the_edge_waits_and_a_domain_served_elsewhere_fails(
    world: World,
) -> None:
    domain = world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    world.publish(domain)
    world.edge.unpoint(domain.host)  # CloudFront's resolvers have not seen the CNAME yet
    waiting = world.service.check_now(ACME, domain.domain_id, BOSS)
    assert (waiting.status, waiting.tenant_id) == (DomainStatus.ISSUING_CERTIFICATE, "")
    assert "does not see the CNAME" in waiting.status_reason
    world.edge.point(domain.host)
    assert world.service.check_now(ACME, domain.domain_id, BOSS).tenant_id
    other = world.service.add(ACME, "track.acme.example", DomainKind.TRACKING, BOSS)
    world.publish(other)
    world.edge.serve_elsewhere(other.host)
    refused = world.service.check_now(ACME, other.domain_id, BOSS)
    assert refused.status is DomainStatus.FAILED
    assert "another CloudFront distribution" in refused.status_reason


def test_removal_takes_the_tenant_down_before_the_host_is_free_again(world: World) -> None:
    domain = world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    world.publish(domain)
    tenant_id = world.service.check_now(ACME, domain.domain_id, BOSS).tenant_id
    # When the advertiser removes it: removing, the tenant disabled, the host still Acme's
    world.service.remove(ACME, domain.domain_id, BOSS)
    assert world.current(domain).status is DomainStatus.REMOVING
    assert world.edge.tenants[tenant_id].enabled is False
    with pytest.raises(DomainTaken, match="in use by another account"):
        world.service.add(OTHER, "partners.acme.example", DomainKind.PORTAL, Actor(None, None))
    # When the edge has deployed the change: the next check deletes the tenant, the domain, the claim
    world.edge.deploy(tenant_id)
    world.later(minutes=5)
    world.run()
    assert world.edge.tenants == {}
    assert world.service.of_advertiser(ACME) == []
    assert world.repo.claim("partners.acme.example") is None
    # and the host may be claimed again, by anyone
    assert world.service.add(OTHER, "partners.acme.example", DomainKind.PORTAL, Actor(None, None)).host


def test_a_removal_finds_the_tenant_a_stopped_check_made_without_storing_its_id(world: World) -> None:
    domain = world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    world.publish(domain)
    world.edge.unpoint(domain.host)
    world.service.check_now(ACME, domain.domain_id, BOSS)  # issuing_certificate, no tenant yet
    # A check made the tenant and was stopped before it stored the id
    from partnerka.domains.tenants import tenant_name

    world.edge.point(domain.host)
    orphan = world.edge.create(domain.host, tenant_name(domain.domain_id), {})
    world.service.remove(ACME, domain.domain_id, BOSS)
    assert world.edge.tenants[orphan.tenant_id].enabled is False
    world.edge.deploy(orphan.tenant_id)
    world.later(minutes=5)
    world.run()
    assert world.edge.tenants == {}
    assert world.service.of_advertiser(ACME) == []


def test_a_host_belongs_to_one_advertiser_and_bad_names_are_refused(world: World) -> None:
    world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    with pytest.raises(DomainTaken, match="one of your domains already"):
        world.service.add(ACME, "PARTNERS.acme.example.", DomainKind.TRACKING, BOSS)
    with pytest.raises(DomainTaken, match="in use by another account"):
        world.service.add(OTHER, "partners.acme.example", DomainKind.PORTAL, BOSS)
    for name in ("app.platform.example", "x.app.platform.example", "*.acme.example", "10.0.0.1", "co.uk"):
        with pytest.raises(ValidationFailed):
            world.service.add(OTHER, name, DomainKind.PORTAL, BOSS)
    idn = world.service.add(OTHER, "партнёры.пример.рф", DomainKind.PORTAL, BOSS)
    assert idn.host.startswith("xn--")
    assert idn.name.unicode == "партнёры.пример.рф"


def test_the_tracker_reads_a_hosts_owner_in_its_one_batch_read_and_not_again_when_warm(world: World) -> None:
    world.service.add(ACME, "track.acme.example", DomainKind.TRACKING, BOSS)
    reads: list[int] = []

    class Counting:
        def __init__(self) -> None:
            import boto3

            self._client = boto3.client("dynamodb")

        def batch_get_item(self, **request: object) -> object:
            reads.append(len(request["RequestItems"][os.environ["CORE_TABLE"]]["Keys"]))  # type: ignore[index]
            return self._client.batch_get_item(**request)

    routes = CachedRouteRepository(os.environ["CORE_TABLE"], 60, client=Counting())
    cold = routes.routes("off-x", "aff-x", "track.acme.example")
    warm = routes.routes("off-x", "aff-x", "track.acme.example")
    ours = routes.routes("off-x", "aff-x", "app.platform.example")
    assert (cold.host_owner, warm.host_owner, ours.host_owner) == (ACME, ACME, None)
    assert reads == [4, 1]  # offer, affiliate, access and the host at once; then only the new host


def test_a_name_too_long_for_its_ownership_record_is_refused(world: World) -> None:
    longest = ".".join(["a" * 60] * 4)[:241] + ".example"  # 249 characters: a DNS name, but not with _verify.
    with pytest.raises(ValidationFailed, match="too long for its ownership record"):
        world.service.add(ACME, longest, DomainKind.PORTAL, BOSS)


def test_without_the_edge_a_removal_waits_for_the_worker_which_finds_a_tenant_it_lost_track_of(
    world: World,
) -> None:
    # Given a domain whose tenant a stopped check made without storing its id
    domain = world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    world.publish(domain)
    world.edge.unpoint(domain.host)
    world.service.check_now(ACME, domain.domain_id, BOSS)
    from partnerka.domains.tenants import tenant_name

    world.edge.point(domain.host)
    orphan = world.edge.create(domain.host, tenant_name(domain.domain_id), {})
    # When the advertiser removes it through the API's service, which cannot reach the edge
    woken: list[str] = []

    class Wake:
        def wake(self, advertiser_id: str, domain_id: str) -> None:
            woken.append(domain_id)

    api = DomainService(
        world.repo,
        world.dns,
        None,
        world.audit,
        OperationsRepository(os.environ["OPERATIONS_TABLE"]),
        DomainSettings(platform_domains=(), cname_target=EDGE),
        now=lambda: world.clock[0],
        wake=Wake(),
    )
    api.remove(ACME, domain.domain_id, BOSS)
    # Then it is removing, not gone, and the worker is woken: it finds the tenant and takes it down
    assert world.current(domain).status is DomainStatus.REMOVING
    assert woken == [domain.domain_id]
    world.service.check_woken(ACME, domain.domain_id)
    world.edge.deploy(orphan.tenant_id)
    world.service.check_woken(ACME, domain.domain_id)
    assert world.edge.tenants == {}
    assert world.service.of_advertiser(ACME) == []


def test_a_check_that_breaks_on_one_domain_does_not_stop_the_others(world: World) -> None:
    first = world.service.add(ACME, "partners.acme.example", DomainKind.PORTAL, BOSS)
    second = world.service.add(ACME, "track.acme.example", DomainKind.TRACKING, BOSS)
    world.publish(second, cname=None)
    world.dns.txt = lambda name, real=world.dns.txt: (  # type: ignore[method-assign]
        (_ for _ in ()).throw(RuntimeError("a fault of ours")) if first.host in name else real(name)
    )
    world.later(minutes=5)
    run = world.service.check_due()
    assert (run.checked, run.failed) == (2, 1)
    assert world.current(second).status is DomainStatus.VERIFYING
