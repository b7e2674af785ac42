"""ApiConversionsFunction: the conversions, and an advertiser's decisions on them (approve, reject)."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.conversions import conversion_review
from dashboard import DashboardResolver, dashboard_handler
from routes import conversions as conversion_routes

app = DashboardResolver([conversion_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, audit, conversion_review])
