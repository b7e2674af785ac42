"""ApiOffersFunction: an advertiser's offers, each affiliate's access to them, the offers an
affiliate may promote, and the advertiser's and offers' block lists."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.blocks import block_lists
from composition.offers import offers
from dashboard import DashboardResolver, dashboard_handler
from routes import blocks as block_routes
from routes import offers as offer_routes

app = DashboardResolver([offer_routes.router, block_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, audit, offers, block_lists])
