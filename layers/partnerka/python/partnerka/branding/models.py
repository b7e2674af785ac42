"""An advertiser's brand: what its portal, its e-mails to affiliates and its documents look like
(domain types; the repository stores them, see branding.repository)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AssetKind(StrEnum):
    """The brand's images, each uploaded on its own."""

    LOGO_LIGHT = "logo_light"  # shown on light backgrounds
    LOGO_DARK = "logo_dark"  # shown on dark backgrounds (the dark theme)
    FAVICON = "favicon"


# The brand's field that holds each image's public path.
ASSET_FIELDS = {
    AssetKind.LOGO_LIGHT: "logo_light_url",
    AssetKind.LOGO_DARK: "logo_dark_url",
    AssetKind.FAVICON: "favicon_url",
}


# The fields of a brand that are white-label besides its name: the advertiser's own look in place of
# the platform's. Its support address and its links to terms and privacy are the program's information.
WHITE_LABEL_FIELDS = (
    "primary_color",
    "primary_text_color",
    "accent_color",
    "accent_text_color",
    "sender_name",
    *ASSET_FIELDS.values(),
)


@dataclass(frozen=True, slots=True)
class Brand:
    """An advertiser's brand. PK `ADV#<advertiser>`, SK `BRAND`.

    Colours are `#rrggbb` (lower case), each with the colour of text on it; None keeps the platform's
    theme. Images are same-origin paths `/brand/<advertiser>/<hash>.<ext>` that the edge serves from
    the brand bucket. `updated_at` is None for the brand an advertiser has never saved (the one the
    dashboard starts its form from: see BrandService.brand)."""

    advertiser_id: str
    portal_name: str
    primary_color: str | None = None
    primary_text_color: str | None = None
    accent_color: str | None = None
    accent_text_color: str | None = None
    support_email: str | None = None
    sender_name: str | None = None
    terms_url: str | None = None
    privacy_url: str | None = None
    logo_light_url: str | None = None
    logo_dark_url: str | None = None
    favicon_url: str | None = None
    updated_at: str | None = None

    @staticmethod
    def key(advertiser_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", "BRAND"

    def asset(self, kind: AssetKind) -> str | None:
        """The public path of one of its images."""
        path: str | None = getattr(self, ASSET_FIELDS[kind])
        return path

    def own_look(self, account_name: str) -> dict[str, str]:
        """What of it is white-label, field → value: a portal name other than `account_name` (the
        name a brand never saved shows), and every colour, image and e-mail sender name it has."""
        look = {name: value for name in WHITE_LABEL_FIELDS if (value := getattr(self, name)) is not None}
        if self.portal_name != account_name:
            look["portal_name"] = self.portal_name
        return look


@dataclass(frozen=True, slots=True)
class BrandDraft:
    """Every field of a brand the advertiser writes (its images are uploaded apart), as typed."""

    portal_name: str
    primary_color: str | None = None
    primary_text_color: str | None = None
    accent_color: str | None = None
    accent_text_color: str | None = None
    support_email: str | None = None
    sender_name: str | None = None
    terms_url: str | None = None
    privacy_url: str | None = None


@dataclass(frozen=True, slots=True)
class PublicBrand:
    """What anyone sees of a brand, on the portal's pages before signing in: no more than the brand
    itself shows. The platform's own has only its name."""

    name: str
    primary_color: str | None = None
    primary_text_color: str | None = None
    accent_color: str | None = None
    accent_text_color: str | None = None
    logo_light_url: str | None = None
    logo_dark_url: str | None = None
    favicon_url: str | None = None
    support_email: str | None = None
    terms_url: str | None = None
    privacy_url: str | None = None

    @classmethod
    def of(cls, brand: Brand) -> PublicBrand:
        return cls(
            name=brand.portal_name,
            primary_color=brand.primary_color,
            primary_text_color=brand.primary_text_color,
            accent_color=brand.accent_color,
            accent_text_color=brand.accent_text_color,
            logo_light_url=brand.logo_light_url,
            logo_dark_url=brand.logo_dark_url,
            favicon_url=brand.favicon_url,
            support_email=brand.support_email,
            terms_url=brand.terms_url,
            privacy_url=brand.privacy_url,
        )


@dataclass(frozen=True, slots=True)
class Portal:
    """Whose portal a page is on: the advertiser whose portal domain the viewer came by (or, on the
    platform's own domain, the one it named), or the platform itself."""

    advertiser_id: str | None
    platform: bool
    brand: PublicBrand


@dataclass(frozen=True, slots=True)
class UploadForm:
    """A presigned S3 POST: the browser posts the file to `url` with `fields` (the file last)."""

    url: str
    fields: dict[str, str]
    key: str
    max_bytes: int
