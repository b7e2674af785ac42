"""Audit entries: who did what, in which tenant, with the state before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PLATFORM = "platform"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Key shape: Audit table, PK `TENANT#<advertiser id or "platform">`, SK `<at>#<id>`;
    GSI by_day: `day` (`DAY#<yyyy-mm-dd>`), SK."""

    id: str
    at: str
    actor_id: str | None
    actor_email: str | None
    tenant_id: str | None
    action: str
    target: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    request_id: str = ""
    ip: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
