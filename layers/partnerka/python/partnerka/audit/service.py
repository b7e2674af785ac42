"""Recording and reading the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from partnerka.audit.models import AuditEntry
from partnerka.audit.repository import AuditStore
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.common.ids import new_id

MAX_DAYS = 93


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting and from where: every mutation's audit entry carries it."""

    user_id: str | None
    email: str | None
    request_id: str = ""
    ip: str = ""
    user_agent: str = ""  # the browser's, for telling a sign-in from a new device; not audited


class AuditTrail(Protocol):
    """What a service needs of the audit log: one entry for each change it makes (AuditLog)."""

    def record(
        self,
        actor: Actor,
        tenant_id: str | None,
        action: str,
        target: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None: ...


class AuditLog:
    def __init__(self, repo: AuditStore) -> None:
        self._repo = repo

    def record(
        self,
        actor: Actor,
        tenant_id: str | None,
        action: str,
        target: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self._repo.append(
            AuditEntry(
                id=new_id(),
                at=iso_millis(utc_now()),
                actor_id=actor.user_id,
                actor_email=actor.email,
                tenant_id=tenant_id,
                action=action,
                target=target,
                before=before,
                after=after,
                request_id=actor.request_id,
                ip=actor.ip,
            )
        )

    def read(self, tenant_id: str | None, first: date, last: date, platform_wide: bool) -> list[AuditEntry]:
        """Newest first. Platform-wide reading walks the days; otherwise one tenant's key range."""
        if last < first or (last - first).days >= MAX_DAYS:
            raise ValidationFailed(f"the range must be 1 to {MAX_DAYS} days, from before to")
        if not platform_wide:
            return list(self._repo.of_tenant(tenant_id, first.isoformat(), last.isoformat()))
        entries: list[AuditEntry] = []
        day = last
        while day >= first:
            entries.extend(self._repo.of_day(day.isoformat()))
            day -= timedelta(days=1)
        return entries
