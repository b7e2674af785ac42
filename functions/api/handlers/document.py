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
from dashboard import DashboardResolver, dashboard_handler
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

app = DashboardResolver(
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
app.include_router(telegram.webhook_router)


@app.get("/api/health", summary="Liveness")
def health() -> dict[str, str]:
    return {"status": "ok"}


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document: every route, its models, its error answers and who may call it (built
    once per instance: it takes most of a second)."""
    generated = json.loads(app.get_openapi_json_schema(title="Partnerka API", version="0.1.0"))
    return complete(generated, PUBLIC_OPERATIONS)


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=json.dumps(openapi_document()))


handler = dashboard_handler(app)
