"""What the account service needs of brands (accounts.service.Brands): how an advertiser's e-mails to
its affiliates look, and the name authenticator apps show for an account. Brands sit above accounts
(a brand names an advertiser, checks its support address as accounts do), so accounts asks through
this port and the composition hands it over."""

from __future__ import annotations

from partnerka.branding.repository import BrandStore
from partnerka.notifications.email import MailBrand


class BrandBook:
    def __init__(self, store: BrandStore, platform_name: str) -> None:
        self._store = store
        self._platform_name = platform_name

    def mail_brand(self, advertiser_id: str, base_url: str) -> MailBrand | None:
        """The advertiser's saved brand as e-mails wear it (its light logo, a whole URL on
        `base_url`); None for one that has never saved a brand (the platform's name is used)."""
        brand = self._store.get(advertiser_id)
        if brand is None or brand.updated_at is None:
            return None
        return MailBrand(
            name=brand.portal_name,
            sender_name=brand.sender_name or "",
            logo_url=f"{base_url}{brand.logo_light_url}" if brand.logo_light_url else "",
            primary_color=brand.primary_color or "",
            primary_text_color=brand.primary_text_color or "",
            support_email=brand.support_email or "",
            terms_url=brand.terms_url or "",
            privacy_url=brand.privacy_url or "",
        )

    def issuer(self, advertiser_id: str | None) -> str:
        """The name an authenticator app files the account under: the advertiser's brand where one
        applies, else the platform's."""
        brand = self._store.get(advertiser_id) if advertiser_id else None
        if brand is None or brand.updated_at is None:
            return self._platform_name
        return brand.portal_name
