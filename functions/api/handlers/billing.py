"""ApiBillingFunction: the platform's plans (anyone reads them; the Owner changes them), an
advertiser's subscription (choosing, changing, cancelling, paying by card or bank transfer), its
usage against its plan, the platform's invoices to it with their PDFs, Stripe's signed webhook, and
the Owner's revenue figures, invoices and Enterprise terms."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.billing import billing, invoice_documents, payments, usage_report
from composition.files import report_files
from dashboard import DashboardResolver, dashboard_handler
from routes import billing as billing_routes
from routes import billing_admin, plans

app = DashboardResolver([plans.router, billing_routes.router, billing_admin.router])
handler = dashboard_handler(
    app, [callers, edge, portals, audit, payments, billing, usage_report, report_files, invoice_documents]
)
