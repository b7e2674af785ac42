"""ApiConversionsFunction: the conversions, an advertiser's decisions on them (approve, reject), its
review queue and its fraud rules."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.conversions import conversion_review, fraud_rules
from dashboard import DashboardResolver, dashboard_handler
from routes import conversions as conversion_routes
from routes import fraud_rules as fraud_rule_routes

app = DashboardResolver([conversion_routes.router, fraud_rule_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, audit, conversion_review, fraud_rules])
