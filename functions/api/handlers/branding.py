"""ApiBrandingFunction: an advertiser's brand (its name, colours, links and images, uploaded straight
to the brand bucket and checked here), and the brand a portal's pages show anyone."""

from __future__ import annotations

from composition import audit, callers, edge
from composition.branding import brands
from dashboard import DashboardResolver, dashboard_handler
from routes import branding as branding_routes

app = DashboardResolver([branding_routes.router])
handler = dashboard_handler(app, [callers, edge, audit, brands])
