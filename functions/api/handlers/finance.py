"""ApiFinanceFunction: balances from the ledger, payouts, top-ups (and the decisions on them),
invoices and the platform's overview of every advertiser's books."""

from __future__ import annotations

from composition import callers, edge, portals
from composition.files import report_files
from composition.finance import finance
from dashboard import DashboardResolver, dashboard_handler
from routes import finance as finance_routes

app = DashboardResolver([finance_routes.router])
handler = dashboard_handler(app, [callers, edge, portals, finance, report_files])
