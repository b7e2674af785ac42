"""ApiNotificationsFunction: a person's notices under the dashboard's bell (read, marked read) and
its choices of which events reach it on which channels."""

from __future__ import annotations

from composition import callers, edge, portals
from composition.notifications import inbox, preferences
from dashboard import DashboardResolver, dashboard_handler
from routes import notifications as notification_routes

app = DashboardResolver([notification_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, inbox, preferences])
