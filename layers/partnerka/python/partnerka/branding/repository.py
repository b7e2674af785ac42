"""Core-table storage of brands, and the reading of portal domains' claims.

A brand's text and colours and each of its images are written by separate updates of the one item,
each naming only its own attributes: the advertiser saving the form while an image is being attached
loses neither.
"""

from __future__ import annotations

from typing import Any, Protocol

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from partnerka.branding.models import ASSET_FIELDS, AssetKind, Brand
from partnerka.common.pynamo import CoreItem

# The attributes a saved form writes (its images are written apart, see `set_asset`).
FORM_FIELDS = (
    "portal_name",
    "primary_color",
    "primary_text_color",
    "accent_color",
    "accent_text_color",
    "support_email",
    "sender_name",
    "terms_url",
    "privacy_url",
)


class _BrandRow(CoreItem):
    """Brand: PK `ADV#<advertiser>`, SK `BRAND`."""

    advertiser_id = UnicodeAttribute()
    portal_name = UnicodeAttribute()
    primary_color = UnicodeAttribute(null=True)
    primary_text_color = UnicodeAttribute(null=True)
    accent_color = UnicodeAttribute(null=True)
    accent_text_color = UnicodeAttribute(null=True)
    support_email = UnicodeAttribute(null=True)
    sender_name = UnicodeAttribute(null=True)
    terms_url = UnicodeAttribute(null=True)
    privacy_url = UnicodeAttribute(null=True)
    logo_light_url = UnicodeAttribute(null=True)
    logo_dark_url = UnicodeAttribute(null=True)
    favicon_url = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()

    def brand(self) -> Brand:
        return Brand(
            advertiser_id=self.advertiser_id,
            portal_name=self.portal_name,
            primary_color=self.primary_color,
            primary_text_color=self.primary_text_color,
            accent_color=self.accent_color,
            accent_text_color=self.accent_text_color,
            support_email=self.support_email,
            sender_name=self.sender_name,
            terms_url=self.terms_url,
            privacy_url=self.privacy_url,
            logo_light_url=self.logo_light_url,
            logo_dark_url=self.logo_dark_url,
            favicon_url=self.favicon_url,
            updated_at=self.updated_at,
        )


class BrandStore(Protocol):
    def get(self, advertiser_id: str) -> Brand | None:
        """The advertiser's saved brand; None when it has never saved one."""
        ...

    def save_form(self, brand: Brand) -> Brand:
        """Write the brand's FORM_FIELDS and `updated_at` (its images stay as stored); the brand as
        stored now."""
        ...

    def set_asset(
        self, advertiser_id: str, kind: AssetKind, path: str | None, updated_at: str, portal_name: str
    ) -> Brand:
        """Write one image's path (None removes it) and `updated_at`; a brand saved for the first time
        this way is named `portal_name`. The brand as stored now."""
        ...


class PortalHosts(Protocol):
    """domains.claims.PortalHosts: whose portal a host is, read through a short cache."""

    def owner(self, host: str) -> str | None:
        """The advertiser whose portal domain `host` is, whatever the domain's status (a request that
        reached us by that host can only be the advertiser's); None for any other host."""
        ...


class BrandRepository:
    def get(self, advertiser_id: str) -> Brand | None:
        try:
            return _BrandRow.get(*Brand.key(advertiser_id), consistent_read=True).brand()
        except DoesNotExist:
            return None

    def save_form(self, brand: Brand) -> Brand:
        values = {name: getattr(brand, name) for name in FORM_FIELDS}
        return self._update(brand.advertiser_id, values, str(brand.updated_at))

    def set_asset(
        self, advertiser_id: str, kind: AssetKind, path: str | None, updated_at: str, portal_name: str
    ) -> Brand:
        # A first save by an image still needs the brand's name: the advertiser's, unless one is stored.
        name = _BrandRow.portal_name
        return self._update(
            advertiser_id, {ASSET_FIELDS[kind]: path}, updated_at, [name.set(name | portal_name)]
        )

    @staticmethod
    def _update(
        advertiser_id: str, values: dict[str, str | None], updated_at: str, more: list[Any] | None = None
    ) -> Brand:
        row = _BrandRow(*Brand.key(advertiser_id))
        actions: list[Any] = [
            _BrandRow.advertiser_id.set(advertiser_id),
            _BrandRow.updated_at.set(updated_at),
            *(more or []),
        ]
        for name, value in values.items():
            attribute = getattr(_BrandRow, name)
            actions.append(attribute.remove() if value is None else attribute.set(value))
        row.update(actions=actions)  # PynamoDB reads the item back as the update left it
        return row.brand()
