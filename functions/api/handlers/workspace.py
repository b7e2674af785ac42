"""ApiWorkspaceFunction: an advertiser's workspace: its team, registration links, affiliates
(memberships), API keys and postback whitelists."""

from __future__ import annotations

from composition import callers, edge, portals
from composition.accounts import workspace
from dashboard import DashboardResolver, dashboard_handler
from routes import workspace as workspace_routes

app = DashboardResolver([workspace_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, workspace])
