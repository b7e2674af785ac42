"""ApiStatsFunction: statistics and the logs behind them (reports, the click and conversion logs, one
click inspected), and their exports and summaries as files."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.files import report_files
from composition.stats import click_inspector, downloads, stats_dashboard
from dashboard import DashboardResolver, dashboard_handler
from routes import clicks, exports, stats

app = DashboardResolver([stats.router, clicks.router, exports.router])
handler = dashboard_handler(
    app, [callers, edge, portals, audit, stats_dashboard, click_inspector, report_files, downloads]
)
