"""Builds the account services from the settings: shared by the API function and the scripts.

Each context wires its own services (offers.composition, postbacks.composition, …): this one, at the
bottom of the contexts, imports none above it."""

from __future__ import annotations

from partnerka.accounts.repository import AccountRepository, SessionRepository
from partnerka.accounts.service import AccountService
from partnerka.accounts.workspace import Workspace
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.config import Settings, dashboard_base_url
from partnerka.common.secrets import secret_string
from partnerka.notifications.outbox import Outbox
from partnerka.operations.queue import SqsQueue
from partnerka.operations.repository import OperationsRepository


def account_services(settings: Settings) -> tuple[AccountService, Workspace]:
    audit = AuditLog(AuditRepository(settings.audit_table))

    def signing_key() -> str:
        return secret_string(settings.jwt_secret_arn)

    service = AccountService(
        AccountRepository(),
        SessionRepository(),
        audit,
        Outbox(SqsQueue(settings.notify_queue_url), OperationsRepository(settings.operations_table)),
        signing_key,
        dashboard_base_url(settings),
    )
    return service, Workspace(service)
