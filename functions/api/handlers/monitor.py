"""ApiMonitorFunction: the platform's staff at work: the orchestrator's monitor (queues, dead letters,
operations, replays and redrives), the administration of users and advertisers, and staff's help of
a person (links again, a second factor reset, "view as")."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.accounts import support_desk, workspace
from composition.monitor import monitor
from composition.postbacks import postbacks
from dashboard import DashboardResolver, dashboard_handler
from routes import admin
from routes import monitor as monitor_routes

app = DashboardResolver([monitor_routes.router, admin.router])
handler = dashboard_handler(app, [callers, edge, portals, audit, monitor, postbacks, workspace, support_desk])
