"""/api/audit: the audit log (staff: the platform or one advertiser; an advertiser: its own)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from auth import accounts, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from partnerka.accounts.permissions import Permission, allows
from partnerka.common.errors import Forbidden
from routes.schemas import AuditList, AuditOut

router = Router()  # type: ignore[no-untyped-call]


@router.get("/audit", summary="Audit entries for a date range (UTC days), newest first")
def read_audit(
    date_from: Annotated[date, Query(alias="from")],
    date_to: Annotated[date, Query(alias="to")],
    advertiser_id: Annotated[str | None, Query(max_length=40)] = None,
) -> AuditList:
    principal, _ = current(router.current_event.headers)
    audit = accounts().audit
    if allows(principal, Permission.AUDIT_READ_PLATFORM):
        entries = audit.read(advertiser_id, date_from, date_to, platform_wide=advertiser_id is None)
    elif allows(principal, Permission.AUDIT_READ_OWN) and principal.advertiser_id:
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("this belongs to another advertiser")
        entries = audit.read(principal.advertiser_id, date_from, date_to, platform_wide=False)
    else:
        raise Forbidden("you may not do this")
    return AuditList(items=[AuditOut.of(e) for e in entries])
