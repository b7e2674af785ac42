"""ApiOffersFunction: an advertiser's offers, each affiliate's access to them, and the offers an
affiliate may promote."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.offers import offers
from dashboard import DashboardResolver, dashboard_handler
from routes import offers as offer_routes

app = DashboardResolver([offer_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, audit, offers])
