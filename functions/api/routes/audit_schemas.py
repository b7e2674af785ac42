"""/api/audit's answers: entries of the audit log."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from partnerka.audit.models import AuditEntry


class AuditOut(BaseModel):
    id: str
    at: str
    actor_id: str | None
    actor_email: str | None
    tenant_id: str | None
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str
    ip: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditOut:
        return cls(
            id=entry.id,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_email=entry.actor_email,
            tenant_id=entry.tenant_id,
            action=entry.action,
            target=entry.target,
            before=entry.before,
            after=entry.after,
            request_id=entry.request_id,
            ip=entry.ip,
        )


class AuditList(BaseModel):
    items: list[AuditOut]
