"""/api/notifications/telegram (a user links its Telegram chat, or unlinks it) and /telegram/webhook
(the platform bot's updates, posted by Telegram).

`router` is served under /api like every context's; `webhook_router` at the root, where Telegram is
told to post (setWebhook), and its one route is public: Telegram proves itself with the secret
token it was given, in X-Telegram-Bot-Api-Secret-Token, which the service checks.
"""

from __future__ import annotations

import base64
import binascii

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from composition.telegram import telegram_linking, telegram_webhook

from routes.responses import NoContent, no_content
from routes.telegram_schemas import TelegramLinkOut, WebhookOut

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105 - a header's name

router = Router()  # type: ignore[no-untyped-call]
webhook_router = Router()  # type: ignore[no-untyped-call]


@router.post("/notifications/telegram/link", summary="A one-time link that connects a Telegram chat")
def start_link() -> TelegramLinkOut:
    _, user = current(router.current_event.headers)
    return TelegramLinkOut.of(telegram_linking().start_link(user))


@router.delete(
    "/notifications/telegram", summary="Stop notifications in the linked Telegram chat", responses={204: {}}
)
def unlink() -> NoContent:
    _, user = current(router.current_event.headers)
    telegram_linking().unlink(user, actor_of(router.current_event, user))
    return no_content()


@webhook_router.post("/telegram/webhook", summary="Telegram's updates for the platform's bot (Telegram only)")
def webhook() -> WebhookOut:
    event = webhook_router.current_event
    body = _body_bytes(event.body, bool(event.is_base64_encoded))
    request_id = str((event.raw_event.get("requestContext") or {}).get("requestId") or "")
    telegram_webhook().receive(event.headers.get(SECRET_HEADER), body, request_id)
    return WebhookOut(ok=True)


def _body_bytes(body: str | None, base64_encoded: bool) -> bytes:
    """The request's bytes as sent; an update is read by the service, which ignores what it cannot."""
    if not body:
        return b""
    if not base64_encoded:
        return body.encode("utf-8", "surrogatepass")
    try:
        return base64.b64decode(body, validate=True)
    except binascii.Error:
        return b""
