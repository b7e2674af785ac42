"""ApiBrandingFunction: an advertiser's brand (its name, colours, links and images, uploaded straight
to the brand bucket and checked here), the brand a portal's pages show anyone, and the advertiser's
own domains (a portal, a tracking domain: their DNS records, checks and removal)."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.branding import brands
from composition.domains import domains
from dashboard import DashboardResolver, dashboard_handler
from routes import branding as branding_routes
from routes import domains as domain_routes

app = DashboardResolver([branding_routes.router, domain_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, audit, brands, domains])
