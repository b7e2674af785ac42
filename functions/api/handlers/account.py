"""ApiAccountFunction: signing up, in and out, e-mail links, registration links, and the signed-in
person (profile, password, second factor, an affiliate's advertiser context)."""

from __future__ import annotations

from composition import callers, edge, portals
from composition.accounts import accounts
from dashboard import DashboardResolver, dashboard_handler
from routes import accounts as account_routes

app = DashboardResolver([account_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, accounts])
