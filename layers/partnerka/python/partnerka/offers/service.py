"""Creating and changing offers."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.money import currency_code, parse_amount
from partnerka.offers.models import Offer
from partnerka.offers.repository import OfferRepository
from partnerka.offers.routing import Landing, OfferStatus, PayoutModel, encode_landings

MAX_LANDINGS = 20


def _landing_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationFailed(f"'{value}' is not an http(s) URL")
    return value.strip()


def _landings(value: str | Sequence[tuple[str, int]]) -> tuple[Landing, ...]:
    entries = [(value, 1)] if isinstance(value, str) else list(value)
    if not entries or len(entries) > MAX_LANDINGS:
        raise ValidationFailed(f"an offer needs 1 to {MAX_LANDINGS} landing URLs")
    landings = []
    for url, weight in entries:
        if not 1 <= int(weight) <= 1000:
            raise ValidationFailed("a landing's weight is 1 to 1000")
        landings.append(Landing(_landing_url(url), int(weight)))
    return tuple(landings)


def _countries(values: Iterable[str]) -> set[str] | None:
    codes = {value.strip().upper() for value in values if value.strip()}
    bad = sorted(code for code in codes if len(code) != 2 or not code.isalpha())
    if bad:
        raise ValidationFailed(f"not ISO country codes: {', '.join(bad)}")
    return codes or None


def create_offer(
    repo: OfferRepository,
    advertiser_id: str,
    name: str,
    model: str,
    landing: str | Sequence[tuple[str, int]],
    payout: str,
    revenue: str,
    currency: str,
    geo_allow: Iterable[str] = (),
    geo_deny: Iterable[str] = (),
    fallback_url: str = "",
) -> Offer:
    """A new active offer with a fresh postback secret; amounts are decimal strings in `currency`.

    `landing` is one URL or several (URL, weight) pairs rotated by weight; the GEO lists allow or
    deny ISO country codes; visitors a check refuses go to `fallback_url` when it is set.
    """
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
        landings=encode_landings(_landings(landing)),
        geo_allow=_countries(geo_allow),
        geo_deny=_countries(geo_deny),
        fallback_url=_landing_url(fallback_url) if fallback_url else None,
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
