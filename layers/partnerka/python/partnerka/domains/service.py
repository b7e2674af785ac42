"""Custom domains: adding one, the checks that carry it to `active`, and removing it.

A check looks at what the domain waits for and moves it on as far as it can in one go:
- `pending_dns`: the TXT record `_verify.<host>` = `verify=<token>` proves the advertiser owns the
  host → `verifying`;
- `verifying`: the host's CNAME points at the edge (and the TXT is still there) → the edge tenant is
  created with a CloudFront-managed certificate → `issuing_certificate`;
- `issuing_certificate`: the certificate is issued and the tenant deployed → `active`; a certificate
  CloudFront gave up on → `failed` with its reason;
- `active` (daily) and `broken` (hourly): the CNAME still points at the edge → `active`, else `broken`;
- `removing`: the tenant is disabled, then deleted; then the domain and its claim go.
Records that never appear give the domain up after GIVE_UP_AFTER (`failed`); a check by hand starts a
failed domain over. A lookup that could not be made (DnsUnavailable, an edge error) changes nothing:
it is an attempt that failed, shown in the operations log, and the next check tries again.

Every change of status is audited (actor: the advertiser's user, or the scheduled check) and every
check is an operation in the operations log (type `domain`).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from partnerka.audit.service import Actor, AuditTrail
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.billing.models import Limit
from partnerka.common.clock import utc_now
from partnerka.common.errors import Conflict, NotFound, ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.observability import logger
from partnerka.domains.dns import DnsLookup, DnsUnavailable
from partnerka.domains.models import (
    GIVE_UP_AFTER,
    TXT_PREFIX,
    TXT_VALUE_PREFIX,
    Domain,
    DomainKind,
    DomainStatus,
)
from partnerka.domains.names import parse_domain
from partnerka.domains.repository import DomainChanged, DomainStore
from partnerka.domains.tenants import (
    CertificateStatus,
    DomainNotPointed,
    DomainTaken,
    EdgeError,
    TenantEdge,
    TenantGone,
    tenant_name,
)
from partnerka.operations.models import Attempt, Operation, OperationStatus, OperationType

# Who moves domains on when nobody asked: the audit's actor for the scheduled check.
SCHEDULED_CHECK = Actor(user_id=None, email="domain-check@schedule")
# A lookup that could not be made is tried again this soon, whatever the status waits for.
RETRY_AFTER = timedelta(minutes=15)
MAX_NAME_LENGTH = 253  # DNS's limit on a whole name, which the TXT record's name must keep too
# The most domains one advertiser may hold, whatever their state and whatever its plan allows.
MAX_DOMAINS = 20


def held(domains: list[Domain]) -> int:
    """What the plan's limit of custom domains counts: every domain but those being removed."""
    return sum(1 for domain in domains if domain.status is not DomainStatus.REMOVING)


def held_domains(store: DomainStore, advertiser_id: str) -> int:
    return held(store.of_advertiser(advertiser_id))


class DomainWake(Protocol):
    """Asks the domain checks, where the edge is, to look at a domain now (a queue message): the
    API's checks go as far as DNS takes them and leave the edge's part to the DomainCheckFunction."""

    def wake(self, advertiser_id: str, domain_id: str) -> None: ...


class DomainNotices(Protocol):
    """Tells the advertiser's team where a domain now stands (domains.notices)."""

    def domain_moved(self, domain: Domain) -> None: ...


# The moves an advertiser is told of: the scheduled checks make them while nobody watches.
TOLD = frozenset({DomainStatus.ACTIVE, DomainStatus.BROKEN, DomainStatus.FAILED})


class DomainLog(Protocol):
    """What the checks need of the operations log (operations.repository.OperationsRepository)."""

    def create(self, operation: Operation) -> bool: ...

    def count(self, type: OperationType, at: datetime, **counters: int) -> None: ...


@dataclass(frozen=True, slots=True)
class DomainSettings:
    platform_domains: tuple[str, ...]  # never an advertiser's: the platform's own hosts
    cname_target: str  # the edge's routing endpoint that advertisers' CNAMEs point at


@dataclass(frozen=True, slots=True)
class CheckRun:
    """What a scheduled run did: domains looked at, those that moved, and lookups that failed."""

    checked: int
    moved: int
    failed: int


class _Unreachable(Exception):
    """A lookup or an edge call that could not be made this time."""


class DomainService:
    def __init__(
        self,
        store: DomainStore,
        dns: DnsLookup,
        tenants: TenantEdge | None,
        audit: AuditTrail,
        log: DomainLog,
        settings: DomainSettings,
        now: Callable[[], datetime] = utc_now,
        new_token: Callable[[], str] = lambda: secrets.token_hex(16),
        wake: DomainWake | None = None,
        notices: DomainNotices | None = None,
        limits: PlanGate = UNLIMITED,
    ) -> None:
        """`tenants` None: this service does not reach the edge (the API's); what needs it is left
        to the DomainCheckFunction, woken through `wake`. `limits`: the plans' gate, asked before a
        domain is added."""
        self._store = store
        self._dns = dns
        self._tenants = tenants
        self._wake = wake
        self._notices = notices
        self._audit = audit
        self._log = log
        self._settings = settings
        self._now = now
        self._new_token = new_token
        self._limits = limits

    def _edge(self) -> TenantEdge:
        if self._tenants is None:  # _step hands the edge's part over before it gets here
            raise RuntimeError("this domain service does not reach the edge")
        return self._tenants

    @property
    def cname_target(self) -> str:
        return self._settings.cname_target

    def of_advertiser(self, advertiser_id: str) -> list[Domain]:
        """The advertiser's domains, oldest first."""
        return self._store.of_advertiser(advertiser_id)

    def add(self, advertiser_id: str, raw_name: str, kind: DomainKind, actor: Actor) -> Domain:
        """A new domain waiting for its DNS records; refused when the name is not one an advertiser
        may hold or another account holds it, and (PlanLimitExceeded) when the plan allows no more
        domains, or a portal domain without white-label."""
        name = parse_domain(raw_name, self._settings.platform_domains)
        if len(TXT_PREFIX) + len(name.ascii) > MAX_NAME_LENGTH:
            raise ValidationFailed(
                f"the name is too long for its ownership record ({TXT_PREFIX}<name>): at most"
                f" {MAX_NAME_LENGTH - len(TXT_PREFIX)} characters"
            )
        if kind is DomainKind.PORTAL:
            self._limits.ensure_white_label(advertiser_id)
        domains = self._store.of_advertiser(advertiser_id)
        self._limits.ensure(advertiser_id, Limit.CUSTOM_DOMAINS, lambda: held(domains))
        if len(domains) >= MAX_DOMAINS:
            raise Conflict(f"an advertiser holds at most {MAX_DOMAINS} domains; remove one first")
        now = self._now()
        domain = Domain(
            domain_id=new_id(),
            advertiser_id=advertiser_id,
            name=name,
            kind=kind,
            status=DomainStatus.PENDING_DNS,
            token=self._new_token(),
            created_at=now,
            updated_at=now,
        ).moved_to(DomainStatus.PENDING_DNS, now)
        self._store.add(domain)
        self._audit.record(
            actor, advertiser_id, "domain.add", f"domain:{domain.domain_id}", None, _view(domain)
        )
        return domain

    def remove(self, advertiser_id: str, domain_id: str, actor: Actor) -> None:
        """The domain goes: at once while nothing of it can be at the edge, else it is `removing`
        until the scheduled check has taken its tenant down (the host stays the advertiser's
        meanwhile, so nobody else can claim it half-served)."""
        domain = self._store.get(advertiser_id, domain_id)
        if domain.status is DomainStatus.REMOVING:
            return
        if not domain.at_edge:
            self._store.delete(domain)
            self._audit.record(actor, advertiser_id, "domain.remove", f"domain:{domain_id}", _view(domain))
            return
        removing = self._save(domain.moved_to(DomainStatus.REMOVING, self._now()), domain, actor)
        self._check(removing, actor)

    def check_now(self, advertiser_id: str, domain_id: str, actor: Actor) -> Domain:
        """Look at the domain at once (the advertiser has just created its records); a failed domain
        starts over from its DNS records."""
        domain = self._store.get(advertiser_id, domain_id)
        if domain.status is DomainStatus.FAILED:
            if domain.tenant_id:
                raise Conflict(
                    "the previous attempt is still being taken down at the edge; try again shortly"
                )
            restarted = replace(domain, created_at=self._now())
            domain = self._save(restarted.moved_to(DomainStatus.PENDING_DNS, self._now()), domain, actor)
        checked = self._check(domain, actor) or self._store.get(advertiser_id, domain_id)
        # A check asked for is audited even when nothing moved: who looked, and what it found.
        self._audit.record(
            actor, advertiser_id, "domain.checked", f"domain:{domain_id}", _view(domain), _view(checked)
        )
        return checked

    def check_woken(self, advertiser_id: str, domain_id: str) -> Domain | None:
        """A check asked for by a wake (the API handed over the edge's part); None for a domain gone
        meanwhile or one that could not be looked at now."""
        try:
            domain = self._store.get(advertiser_id, domain_id)
        except NotFound:
            return None
        return self._check(domain, SCHEDULED_CHECK)

    def check_due(self, limit: int = 100) -> CheckRun:
        """The scheduled run: every domain whose check is due, each on its own (one that fails, or
        changed meanwhile, does not stop the others)."""
        checked = moved = failed = 0
        for domain in self._store.due(self._now(), limit):
            checked += 1
            try:
                after = self._check(domain, SCHEDULED_CHECK)
            except DomainChanged:
                continue  # the advertiser acted meanwhile; the next run looks at what it left
            except Exception:  # a fault of ours or of storage: logged, the others still checked
                logger.exception("domain check broke", domain_id=domain.domain_id)
                failed += 1
                continue
            if after is None:
                failed += 1
            elif after.status is not domain.status:
                moved += 1
        return CheckRun(checked, moved, failed)

    # ------------------------------------------------------------------ the state machine
    def _check(self, domain: Domain, actor: Actor) -> Domain | None:
        """One check, step after step until the domain waits for something, each step saved as it
        is made; None when a lookup could not be made (the domain stays where that left it, to be
        looked at again after RETRY_AFTER)."""
        started = self._now()
        current = domain
        try:
            while True:
                following = self._step(current)
                moved = following.status is not current.status or following.tenant_id != current.tenant_id
                if not moved:
                    following = replace(following, next_check_at=following.next_check(self._now()))
                current = self._save(following, current, actor)
                # Gone once the edge has been asked (a tenant made by a check stopped before it
                # stored the id is found by name first): without the edge, the worker finishes it.
                if current.status is DomainStatus.REMOVING and not current.tenant_id and self._tenants:
                    self._store.delete(current)
                    break
                if not moved:
                    break
        except _Unreachable as error:
            later = self._now() + RETRY_AFTER
            self._store.save(replace(current, checked_at=started, next_check_at=later))
            self._record(domain, started, ok=False, error_class="unreachable", error=str(error))
            return None
        self._record(domain, started, ok=True, after=current)
        if self._tenants is None and self._wake is not None and _needs_edge(current):
            try:
                self._wake.wake(current.advertiser_id, current.domain_id)
            except Exception:  # the scheduled check comes by all the same, a few minutes later
                logger.exception("domain check not woken", domain_id=current.domain_id)
        return current

    def _step(self, domain: Domain) -> Domain:
        """The domain after one transition, or as it was with what this look found."""
        now = self._now()
        seen = replace(domain, checked_at=now)
        status = domain.status
        if self._tenants is None and _needs_edge(domain):
            return seen  # the edge's part: the DomainCheckFunction's
        if status in (DomainStatus.REMOVING, DomainStatus.FAILED):
            return self._take_down(seen)  # neither keeps anything at the edge
        if status is DomainStatus.PENDING_DNS:
            seen = replace(seen, txt_found=self._owned(domain))
            if seen.txt_found:
                return seen.moved_to(DomainStatus.VERIFYING, now)
            return self._give_up_or_wait(seen, now, "no TXT record with the token was found")
        if status is DomainStatus.VERIFYING:
            seen = replace(seen, txt_found=self._owned(domain), cname_found=self._points_here(domain))
            if not seen.txt_found:
                return seen.moved_to(DomainStatus.PENDING_DNS, now, "the TXT record with the token is gone")
            if seen.cname_found:
                # Saved before the tenant is made: a removal from here on takes the edge down too.
                return seen.moved_to(DomainStatus.ISSUING_CERTIFICATE, now)
            target = self._settings.cname_target
            return self._give_up_or_wait(seen, now, f"the CNAME does not point to {target}")
        if status is DomainStatus.ISSUING_CERTIFICATE:
            return self._certificate(seen, now)
        # active or broken: the CNAME decides
        seen = replace(seen, cname_found=self._points_here(domain))
        if seen.cname_found and status is DomainStatus.BROKEN:
            return seen.moved_to(DomainStatus.ACTIVE, now)
        if not seen.cname_found and status is DomainStatus.ACTIVE:
            return seen.moved_to(DomainStatus.BROKEN, now, self._cname_problem(domain))
        return seen

    def _give_up_or_wait(self, seen: Domain, now: datetime, reason: str) -> Domain:
        if now - seen.created_at >= GIVE_UP_AFTER:
            days = GIVE_UP_AFTER.days
            return seen.moved_to(
                DomainStatus.FAILED, now, f"{reason} within {days} days; check the records and try again"
            )
        return replace(seen, status_reason=f"{reason} yet")

    def _certificate(self, seen: Domain, now: datetime) -> Domain:
        """Make the tenant (once), then follow its certificate: attach it once issued, and the
        domain is active when the edge serves it over HTTPS."""
        if not seen.tenant_id:
            return self._create_tenant(seen, now)
        try:
            state = self._edge().state(seen.tenant_id)
            if state.certificate is CertificateStatus.ISSUED and not state.certificate_attached:
                self._edge().attach_certificate(seen.tenant_id)
                return seen  # attaching is a change the edge deploys: the next check sees it
        except TenantGone:
            # deleted outside the platform: made again on the next step
            return replace(seen, tenant_id="", status_reason="the edge tenant was deleted; making it again")
        except EdgeError as error:
            raise _Unreachable(f"the edge did not answer: {error.code}") from error
        if state.certificate is CertificateStatus.FAILED:
            return seen.moved_to(
                DomainStatus.FAILED, now, f"the certificate was not issued: {state.certificate_reason}"
            )
        if state.serving:
            return seen.moved_to(DomainStatus.ACTIVE, now)
        return seen

    def _create_tenant(self, seen: Domain, now: datetime) -> Domain:
        try:
            tenant = self._edge().create(
                seen.host,
                tenant_name(seen.domain_id),
                {"advertiser": seen.advertiser_id, "domain": seen.domain_id},
            )
        except DomainNotPointed:
            target = self._settings.cname_target
            return replace(seen, status_reason=f"the edge does not see the CNAME to {target} yet")
        except DomainTaken as error:
            reason = (
                f"another CloudFront distribution serves {seen.host}; remove it there first ({error.code})"
            )
            return seen.moved_to(DomainStatus.FAILED, now, reason)
        except EdgeError as error:
            raise _Unreachable(f"the edge refused the tenant for now: {error.code}") from error
        return replace(seen, tenant_id=tenant.tenant_id, status_reason="")

    def _take_down(self, seen: Domain) -> Domain:
        """One step of taking the edge tenant down; a removed domain that has no tenant id may still
        have a tenant (made by a check that was stopped before it saved the id): it is looked up."""
        tenant_id = seen.tenant_id
        if not tenant_id and seen.status is DomainStatus.REMOVING:
            found = self._find_tenant(seen)
            tenant_id = found or ""
        if not tenant_id:
            return seen
        if self._remove_tenant(tenant_id):
            return replace(seen, tenant_id="")
        return replace(seen, tenant_id=tenant_id)

    # ------------------------------------------------------------------ lookups
    def _owned(self, domain: Domain) -> bool:
        try:
            values = self._dns.txt(f"{TXT_PREFIX}{domain.host}")
        except DnsUnavailable as error:
            raise _Unreachable(str(error)) from error
        return f"{TXT_VALUE_PREFIX}{domain.token}" in (value.strip() for value in values)

    def _points_here(self, domain: Domain) -> bool:
        try:
            target = self._dns.cname(domain.host)
        except DnsUnavailable as error:
            raise _Unreachable(str(error)) from error
        return target == self._settings.cname_target

    def _cname_problem(self, domain: Domain) -> str:
        try:
            target = self._dns.cname(domain.host)
        except DnsUnavailable:
            target = None
        if target is None:
            return f"{domain.host} has no CNAME record; it must point to {self._settings.cname_target}"
        return f"the CNAME of {domain.host} points to {target}, not to {self._settings.cname_target}"

    def _find_tenant(self, domain: Domain) -> str | None:
        try:
            found = self._edge().find(tenant_name(domain.domain_id))
        except EdgeError as error:
            raise _Unreachable(f"the edge did not answer: {error.code}") from error
        return found.tenant_id if found is not None else None

    def _remove_tenant(self, tenant_id: str) -> bool:
        try:
            return self._edge().remove(tenant_id)
        except TenantGone:
            return True
        except EdgeError as error:
            raise _Unreachable(f"the edge did not take the tenant down yet: {error.code}") from error

    # ------------------------------------------------------------------ records
    def _save(self, after: Domain, before: Domain, actor: Actor) -> Domain:
        saved = self._store.save(after)
        if saved.status is not before.status:
            self._audit.record(
                actor,
                saved.advertiser_id,
                f"domain.{saved.status.value}",
                f"domain:{saved.domain_id}",
                _view(before),
                _view(saved),
            )
            if self._notices is not None and saved.status in TOLD:
                try:
                    self._notices.domain_moved(saved)
                except Exception:  # telling is not the work: the domain moved all the same
                    logger.exception("domain move not told", domain_id=saved.domain_id)
            logger.info(
                "domain moved",
                domain_id=saved.domain_id,
                advertiser_id=saved.advertiser_id,
                before=before.status.value,
                after=saved.status.value,
                reason=saved.status_reason,
            )
        return saved

    def _record(
        self,
        domain: Domain,
        started: datetime,
        ok: bool,
        after: Domain | None = None,
        error_class: str = "",
        error: str = "",
    ) -> None:
        finished = self._now()
        moved = after is not None and after.status is not domain.status
        note = f"{domain.status.value} → {after.status.value}" if after is not None and moved else ""
        operation = Operation(
            op_id=new_id(),
            type=OperationType.DOMAIN,
            subject_type="domain",
            subject_id=domain.domain_id,
            status=OperationStatus.SUCCESS if ok else OperationStatus.FAILED,
            created_at=started,
            updated_at=finished,
            advertiser_id=domain.advertiser_id,
            attempts=1,
            max_attempts=1,
            finished_at=finished,
            last_error=error,
            history=(
                Attempt(
                    number=1,
                    at=started,
                    ok=ok,
                    latency_ms=int((finished - started).total_seconds() * 1000),
                    url=domain.host,
                    error_class=error_class,
                    error=error,
                    response=note or (after.status_reason if after is not None else ""),
                ),
            ),
        )
        try:
            self._log.create(operation)
            self._log.count(OperationType.DOMAIN, started, attempts=1, failures=0 if ok else 1)
        except Exception:  # the log is a view of the work, never a reason to undo it
            logger.exception("domain check not logged", domain_id=domain.domain_id)


def _needs_edge(domain: Domain) -> bool:
    """Whether the next step of `domain` is the edge's: making or following its tenant, or taking
    it down."""
    if domain.status in (DomainStatus.ISSUING_CERTIFICATE, DomainStatus.REMOVING):
        return True
    return domain.status is DomainStatus.FAILED and bool(domain.tenant_id)


def _view(domain: Domain) -> dict[str, Any]:
    """What the audit keeps of a domain (never its token: it proves ownership)."""
    return {
        "name": domain.host,
        "kind": domain.kind.value,
        "status": domain.status.value,
        "reason": domain.status_reason,
        "tenant_id": domain.tenant_id,
    }


class QueueWake:
    """DomainWake on the domain checks' queue: one message per domain to look at, `{advertiser_id,
    domain_id}`; a message that comes twice is a second look, which changes nothing by itself."""

    def __init__(self, queue: WakeQueue) -> None:
        self._queue = queue

    def wake(self, advertiser_id: str, domain_id: str) -> None:
        self._queue.send([json.dumps({"advertiser_id": advertiser_id, "domain_id": domain_id})])


class WakeQueue(Protocol):
    def send(self, bodies: list[str]) -> None: ...


def woken(body: str) -> tuple[str, str]:
    """(advertiser id, domain id) of a wake message; ValueError for anything else."""
    found = json.loads(body)
    if not isinstance(found, dict):
        raise ValueError("a wake message is an object")
    advertiser_id, domain_id = found.get("advertiser_id"), found.get("domain_id")
    if (
        not isinstance(advertiser_id, str)
        or not isinstance(domain_id, str)
        or not advertiser_id
        or not domain_id
    ):
        raise ValueError("a wake message names an advertiser_id and a domain_id")
    return advertiser_id, domain_id
