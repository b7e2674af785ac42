"""/api/audit: the audit log (staff: the platform or one advertiser; an advertiser: its own)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from auth import current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from composition import audit

from partnerka.accounts.permissions import audit_tenant
from routes.audit_schemas import AuditList, AuditOut

router = Router()  # type: ignore[no-untyped-call]


@router.get("/audit", summary="Audit entries for a date range (UTC days), newest first")
def read_audit(
    date_from: Annotated[date, Query(alias="from")],
    date_to: Annotated[date, Query(alias="to")],
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> AuditList:
    principal, _ = current(router.current_event.headers)
    tenant = audit_tenant(principal, advertiser_id)
    entries = audit().read(tenant, date_from, date_to, platform_wide=tenant is None)
    return AuditList(items=[AuditOut.of(e) for e in entries])
