"""Request and response bodies of /api/brand and /api/portal, and how domain values become them.

Colours are `#rrggbb` (`#RGB` and upper case are taken and answered normalised), null for the
platform's theme; images are same-origin paths (`/brand/<advertiser>/<hash>.<ext>`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, Field

from partnerka.branding.models import Brand, BrandDraft, Portal, PublicBrand, UploadForm

AssetKindName = Literal["logo_light", "logo_dark", "favicon"]
Color = Field(default=None, max_length=16)
Text = Field(default=None, max_length=320)
Link = Field(default=None, max_length=2100)


class BrandIn(BaseModel):
    """The brand's text, colours and links, all of them: a field left out is cleared (its images are
    uploaded apart and stay)."""

    portal_name: str = Field(max_length=200)
    primary_color: str | None = Color
    primary_text_color: str | None = Color
    accent_color: str | None = Color
    accent_text_color: str | None = Color
    support_email: str | None = Text
    sender_name: str | None = Text
    """The display name of e-mails to the advertiser's affiliates (From: "<sender_name>" …)."""
    terms_url: str | None = Link
    privacy_url: str | None = Link

    def draft(self) -> BrandDraft:
        return BrandDraft(**self.model_dump())


class BrandOut(BaseModel):
    advertiser_id: str
    portal_name: str
    primary_color: str | None
    primary_text_color: str | None
    accent_color: str | None
    accent_text_color: str | None
    support_email: str | None
    sender_name: str | None
    terms_url: str | None
    privacy_url: str | None
    logo_light_url: str | None
    logo_dark_url: str | None
    favicon_url: str | None
    updated_at: str | None
    """Null while the advertiser has never saved its brand (the portal then shows the platform's)."""

    @classmethod
    def of(cls, brand: Brand) -> BrandOut:
        return cls(**asdict(brand))


class UploadIn(BaseModel):
    kind: AssetKindName
    content_type: str = Field(max_length=100)
    """The file's type as the browser names it (`File.type`): a logo PNG, JPEG or WebP, a favicon
    PNG or ICO; never SVG."""
    size: int = Field(ge=0, le=1_000_000_000)
    """The file's length in bytes (`File.size`): a logo at most 512 KiB, a favicon 128 KiB."""


class UploadOut(BaseModel):
    """A presigned S3 POST: post the form's `fields`, then the file (last, as `file`), to `url` within
    five minutes; then attach the upload by its `key` (PUT /api/brand/assets/{kind})."""

    url: str
    fields: dict[str, str]
    key: str
    max_bytes: int

    @classmethod
    def of(cls, form: UploadForm) -> UploadOut:
        return cls(url=form.url, fields=form.fields, key=form.key, max_bytes=form.max_bytes)


class AttachIn(BaseModel):
    key: str = Field(max_length=200)
    """The `key` of the upload form the file was posted with."""


class PublicBrandOut(BaseModel):
    name: str
    primary_color: str | None
    primary_text_color: str | None
    accent_color: str | None
    accent_text_color: str | None
    logo_light_url: str | None
    logo_dark_url: str | None
    favicon_url: str | None
    support_email: str | None
    terms_url: str | None
    privacy_url: str | None

    @classmethod
    def of(cls, brand: PublicBrand) -> PublicBrandOut:
        return cls(**asdict(brand))


class PortalOut(BaseModel):
    advertiser_id: str | None
    """The advertiser whose portal domain the page is on, else the one the page named; null on the
    platform's own domain without one."""
    platform: bool
    """True on the platform's own domain when no advertiser was named: the platform's brand."""
    brand: PublicBrandOut

    @classmethod
    def of(cls, portal: Portal) -> PortalOut:
        return cls(
            advertiser_id=portal.advertiser_id,
            platform=portal.platform,
            brand=PublicBrandOut.of(portal.brand),
        )
