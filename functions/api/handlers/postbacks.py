"""ApiPostbacksFunction: an affiliate's postback settings (and their test button), and the deliveries
of postbacks with every attempt, replayed on demand."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.postbacks import postbacks
from dashboard import DashboardResolver, dashboard_handler
from routes import postbacks as postback_routes

app = DashboardResolver([postback_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, audit, postbacks])
