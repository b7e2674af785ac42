"""Creating and changing offers."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.money import currency_code, parse_amount
from partnerka.offers.models import Offer
from partnerka.offers.repository import OfferRepository
from partnerka.offers.routing import OfferStatus, PayoutModel


def _landing_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationFailed(f"'{value}' is not an http(s) URL")
    return value.strip()


def create_offer(
    repo: OfferRepository,
    advertiser_id: str,
    name: str,
    model: str,
    landing_url: str,
    payout: str,
    revenue: str,
    currency: str,
) -> Offer:
    """A new active offer with a fresh postback secret; amounts are decimal strings in `currency`."""
    code = currency_code(currency)
    try:
        payout_model = PayoutModel(model)
    except ValueError:
        raise ValidationFailed(f"model must be one of {', '.join(m.value for m in PayoutModel)}") from None
    if not name.strip():
        raise ValidationFailed("name is required")
    now = iso_millis(utc_now())
    offer = Offer(
        offer_id=new_id(),
        advertiser_id=advertiser_id,
        name=name.strip(),
        model=payout_model.value,
        payout_minor=parse_amount(payout, code).minor,
        revenue_minor=parse_amount(revenue, code).minor,
        currency=code,
        landing_url=_landing_url(landing_url),
        status=OfferStatus.ACTIVE.value,
        postback_secret=secrets.token_urlsafe(24),
        created_at=now,
        updated_at=now,
    )
    repo.save(offer)
    return offer


def set_offer_status(repo: OfferRepository, advertiser_id: str, offer_id: str, status: OfferStatus) -> Offer:
    offer = repo.get(advertiser_id, offer_id)
    offer.status = status.value
    offer.updated_at = iso_millis(utc_now())
    repo.save(offer)
    return offer
