"""ApiMonitorFunction: the platform's staff at work: the orchestrator's monitor (queues, dead letters,
operations, replays and redrives), the administration of users and advertisers (their suspensions
included), and staff's help of a person (links again, a second factor reset, "view as")."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.accounts import support_desk, suspensions, workspace
from composition.monitor import monitor
from composition.postbacks import postbacks
from dashboard import DashboardResolver, dashboard_handler
from routes import admin, suspension
from routes import monitor as monitor_routes

app = DashboardResolver([monitor_routes.router, admin.router, suspension.router])
handler = dashboard_handler(
    app, [callers, edge, portals, audit, monitor, postbacks, workspace, suspensions, support_desk]
)
