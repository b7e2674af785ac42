"""ApiDocumentFunction: the API's OpenAPI document, of every context's routes (their models, their
error answers and who may call them), and the API's liveness. It serves nothing else: each context's
routes are its own function's (template.yaml)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from api_document import complete
from auth import PUBLIC_OPERATIONS
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from dashboard import PREFIX, DashboardResolver, dashboard_handler

own = Router()  # type: ignore[no-untyped-call]  # what this function answers, and all it answers


@own.get("/health", summary="Liveness")
def health() -> dict[str, str]:
    return {"status": "ok"}


@own.get("/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=json.dumps(openapi_document()))


app = DashboardResolver([own])


@cache
def documented() -> DashboardResolver:
    """A resolver of every context's routes and this function's own: the one the document is
    generated from, which never answers a request."""
    # Imported here, not at load time: every context's routes and their models are most of a
    # second of CPU, which a cold start for /api/health (most of this function's calls) must not pay.
    from routes import (
        accounts,
        admin,
        audit,
        billing,
        billing_admin,
        blocks,
        branding,
        clicks,
        conversions,
        domains,
        exports,
        finance,
        fraud_rules,
        monitor,
        notifications,
        offers,
        plans,
        postbacks,
        stats,
        suspension,
        telegram,
        unsubscribe,
        webhooks,
        workspace,
    )

    resolver = DashboardResolver(
        [
            stats.router,
            accounts.router,
            admin.router,
            workspace.router,
            offers.router,
            blocks.router,
            conversions.router,
            fraud_rules.router,
            clicks.router,
            audit.router,
            postbacks.router,
            monitor.router,
            exports.router,
            finance.router,
            branding.router,
            domains.router,
            notifications.router,
            telegram.router,
            unsubscribe.router,
            webhooks.router,
            billing.router,
            billing_admin.router,
            plans.router,
            suspension.router,
        ]
    )
    resolver.include_router(telegram.webhook_router)
    resolver.include_router(own, prefix=PREFIX)
    return resolver


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document: every route, its models, its error answers and who may call it (built
    once per instance: it takes most of a second)."""
    generated = json.loads(documented().get_openapi_json_schema(title="Partnerka API", version="0.1.0"))
    return complete(generated, PUBLIC_OPERATIONS)


handler = dashboard_handler(app)
