"""ApiNotificationsFunction: a person's notices under the bell (read, marked read), its choices of
which events reach it on which channels, its Telegram chat (linked by the bot's webhook), the
unsubscribe links of e-mails, and webhook endpoints with their deliveries."""

from __future__ import annotations

from composition import audit, callers, edge, portals
from composition.notifications import inbox, preferences
from composition.telegram import telegram
from composition.unsubscribe import unsubscriptions
from composition.webhooks import webhooks
from dashboard import DashboardResolver, dashboard_handler
from routes import notifications as notification_routes
from routes import telegram as telegram_routes
from routes import unsubscribe as unsubscribe_routes
from routes import webhooks as webhook_routes

app = DashboardResolver(
    [notification_routes.router, telegram_routes.router, unsubscribe_routes.router, webhook_routes.router]
)
app.include_router(telegram_routes.webhook_router)  # /telegram/webhook: Telegram's, not the dashboard's
handler = dashboard_handler(
    app, [callers, edge, portals, audit, inbox, preferences, telegram, unsubscriptions, webhooks]
)
