"""ApiAuditFunction: the audit log, read (every other function writes it)."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from dashboard import DashboardResolver, dashboard_handler
from routes import audit as audit_routes

app = DashboardResolver([audit_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, audit])
