"""Response bodies of /api/notifications/telegram and the webhook's answer to Telegram."""

from __future__ import annotations

from pydantic import BaseModel

from partnerka.common.clock import iso_millis
from partnerka.notifications.telegram import LinkOffer


class TelegramLinkOut(BaseModel):
    url: str
    """The deep link to open (or show as a QR code): `https://t.me/<bot>?start=<code>`."""
    code: str
    """The one-time code in the link, for a user who starts the bot by hand: `/start <code>`."""
    expires_at: str
    """When the code stops working (15 minutes on); a new link can be asked for at any time."""

    @classmethod
    def of(cls, offer: LinkOffer) -> TelegramLinkOut:
        return cls(url=offer.url, code=offer.code, expires_at=iso_millis(offer.expires_at))


class WebhookOut(BaseModel):
    """What Telegram is answered for every update it may stop sending (it reads 2xx, not the body)."""

    ok: bool
