"""An advertiser's brand: its text and colours checked and saved, its images uploaded, checked and
published, and the brand a portal's page shows anyone, resolved from the host it was asked on.

Every change is audited here, with the brand before and after.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import asdict, dataclass, replace
from typing import Any

from partnerka.accounts.repository import AccountStore
from partnerka.accounts.service import normalise_email
from partnerka.audit.service import Actor, AuditTrail
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.branding.assets import BrandFiles
from partnerka.branding.images import ImageFormat, UnreadableImage, inspect
from partnerka.branding.models import (
    ASSET_FIELDS,
    AssetKind,
    Brand,
    BrandDraft,
    Portal,
    PublicBrand,
    UploadForm,
)
from partnerka.branding.repository import BrandStore, PortalHosts
from partnerka.common.bidi import BIDI_CONTROLS
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import NotFound, ValidationFailed
from partnerka.domains.models import DomainKind, DomainStatus
from partnerka.domains.repository import DomainStore
from partnerka.offers.destinations import destination_problem, has_control_character

MAX_NAME = 60
MAX_URL = 2000
MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal text
UPLOAD_SECONDS = 300
KIB = 1024
_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


# ---------------------------------------------------------------------- colours
def normalised_color(value: str | None, field: str) -> str | None:
    """`#rrggbb` in lower case from `#RGB` or `#RRGGBB` in any case; None (or blank) stays None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not _COLOR.match(text):
        raise ValidationFailed(f"{field}: '{value}' is not a colour: write it as #rrggbb (or #rgb)")
    digits = text[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of a `#rrggbb` colour (sRGB channels linearised)."""

    def linear(channel: int) -> float:
        # 0.04045 is sRGB's own threshold (WCAG 2.0 printed 0.03928): no 8-bit channel lies between.
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two `#rrggbb` colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _color_pair(
    background: str | None, text: str | None, names: tuple[str, str]
) -> tuple[str | None, str | None]:
    """A colour and the colour of text on it: both or neither, and readable (WCAG AA)."""
    color, text_color = normalised_color(background, names[0]), normalised_color(text, names[1])
    if (color is None) != (text_color is None):
        raise ValidationFailed(
            f"{names[0]} and {names[1]} go together: a colour needs the colour of the text on it"
        )
    if color is not None and text_color is not None:
        ratio = contrast_ratio(color, text_color)
        if ratio < MIN_CONTRAST:
            raise ValidationFailed(
                f"{names[1]} {text_color} on {names[0]} {color} has a contrast ratio of {ratio:.2f}:1;"
                f" text needs at least {MIN_CONTRAST}:1 (WCAG AA)"
            )
    return color, text_color


# ---------------------------------------------------------------------- text and links
def _has_hidden_characters(text: str) -> bool:
    return has_control_character(text) or BIDI_CONTROLS.search(text) is not None


def portal_name(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise ValidationFailed(f"portal_name is required (1 to {MAX_NAME} characters)")
    if _has_hidden_characters(name):
        raise ValidationFailed(
            "portal_name: a line break, control or text-direction character cannot be part of a name"
        )
    return name


def _sender_name(value: str | None) -> str | None:
    """The display name of the From header of e-mails to the advertiser's affiliates: a CR or LF
    there would start a header of the sender's choosing."""
    if value is None or not value.strip():
        return None
    name = value.strip()
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"sender_name is at most {MAX_NAME} characters")
    if _has_hidden_characters(name):
        raise ValidationFailed(
            "sender_name: a line break, control or text-direction character cannot be part of a name"
        )
    return name


def _support_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if has_control_character(value.strip()):
        raise ValidationFailed("support_email: a line break or control character cannot be in an address")
    try:
        return normalise_email(value)
    except ValidationFailed as refused:
        raise ValidationFailed(f"support_email: {refused.message}") from None


def _legal_url(value: str | None, field: str) -> str | None:
    """A link to the advertiser's terms or privacy policy: https, a plain host (no user or password
    before it), and the platform's rules for any link it shows (offers.destinations)."""
    if value is None or not value.strip():
        return None
    url = value.strip()
    if len(url) > MAX_URL:
        raise ValidationFailed(f"{field} is longer than {MAX_URL} characters")
    if not url.lower().startswith("https://"):
        raise ValidationFailed(f"{field} must be an https:// address")
    problem = destination_problem(url)
    if problem is not None:
        raise ValidationFailed(f"{field} {problem}")
    return url


def checked_form(advertiser_id: str, draft: BrandDraft) -> Brand:
    """The brand the draft describes, every field validated (no images: they are uploaded apart)."""
    primary, primary_text = _color_pair(
        draft.primary_color, draft.primary_text_color, ("primary_color", "primary_text_color")
    )
    accent, accent_text = _color_pair(
        draft.accent_color, draft.accent_text_color, ("accent_color", "accent_text_color")
    )
    return Brand(
        advertiser_id=advertiser_id,
        portal_name=portal_name(draft.portal_name),
        primary_color=primary,
        primary_text_color=primary_text,
        accent_color=accent,
        accent_text_color=accent_text,
        support_email=_support_email(draft.support_email),
        sender_name=_sender_name(draft.sender_name),
        terms_url=_legal_url(draft.terms_url, "terms_url"),
        privacy_url=_legal_url(draft.privacy_url, "privacy_url"),
    )


# ---------------------------------------------------------------------- images
@dataclass(frozen=True, slots=True)
class AssetRule:
    formats: tuple[ImageFormat, ...]
    max_bytes: int

    def named(self) -> str:
        labels = [f.label for f in self.formats]
        return ", ".join(labels[:-1]) + f" or {labels[-1]}"


LOGO = AssetRule((ImageFormat.PNG, ImageFormat.JPEG, ImageFormat.WEBP), 512 * KIB)
ASSET_RULES = {
    AssetKind.LOGO_LIGHT: LOGO,
    AssetKind.LOGO_DARK: LOGO,
    AssetKind.FAVICON: AssetRule((ImageFormat.PNG, ImageFormat.ICO), 128 * KIB),
}
# What browsers call each format (`File.type`); ICO has two names in use.
DECLARED_TYPES = {
    "image/png": ImageFormat.PNG,
    "image/jpeg": ImageFormat.JPEG,
    "image/webp": ImageFormat.WEBP,
    "image/x-icon": ImageFormat.ICO,
    "image/vnd.microsoft.icon": ImageFormat.ICO,
}


def declared_format(kind: AssetKind, content_type: str) -> ImageFormat:
    """The format a file of `content_type` is, if a `kind` image may be of it."""
    rule = ASSET_RULES[kind]
    media = content_type.split(";")[0].strip().lower()
    if media == "image/svg+xml":
        raise ValidationFailed(
            f"an SVG cannot be a {kind.value}: an SVG can carry script, a raster image cannot;"
            f" upload a {rule.named()} image"
        )
    found = DECLARED_TYPES.get(media)
    if found not in rule.formats:
        raise ValidationFailed(f"a {kind.value} is a {rule.named()} image, not {content_type or 'untyped'}")
    assert found is not None
    return found


def upload_key(advertiser_id: str) -> str:
    """Where a browser posts one image: under the advertiser's own prefix, at a name nobody guesses."""
    return f"uploads/{advertiser_id}/{secrets.token_hex(16)}"


def _is_upload_of(advertiser_id: str, key: str) -> bool:
    return re.fullmatch(rf"uploads/{re.escape(advertiser_id)}/[0-9a-f]{{32}}", key) is not None


def published_key(advertiser_id: str, data: bytes, image: ImageFormat) -> str:
    """The image's name is its content: an image is published once and never changes."""
    return f"brand/{advertiser_id}/{hashlib.sha256(data).hexdigest()[:16]}.{image.extension}"


def checked_image(kind: AssetKind, declared: ImageFormat, data: bytes) -> ImageFormat:
    """The format of an uploaded image, refused unless its bytes are the declared raster format,
    within the kind's size in bytes and of a sensible size in pixels."""
    rule = ASSET_RULES[kind]
    if len(data) > rule.max_bytes:
        raise ValidationFailed(f"the {kind.value} is larger than {rule.max_bytes // KIB} KiB")
    try:
        image = inspect(data)
    except UnreadableImage as unreadable:
        raise ValidationFailed(f"the uploaded {kind.value} {unreadable.reason}") from None
    if image.format is not declared:
        raise ValidationFailed(
            f"the uploaded {kind.value} is a {image.format.label} image, not {declared.label} as declared"
        )
    problem = image.size_problem()
    if problem is not None:
        raise ValidationFailed(f"the uploaded {kind.value} {problem}")
    return image.format


def _snapshot(brand: Brand | None) -> dict[str, Any] | None:
    """What audit entries keep of a brand: all of it (nothing in it is secret)."""
    if brand is None:
        return None
    return {k: v for k, v in asdict(brand).items() if k not in ("advertiser_id", "updated_at")}


# ---------------------------------------------------------------------- white-label
def account_brand_name(accounts: AccountStore, advertiser_id: str) -> str:
    """The name a brand never saved shows: the advertiser's own, as a portal name may be written."""
    name = accounts.get_advertiser(advertiser_id).name
    shown = "".join(c for c in name if not _has_hidden_characters(c)).strip()[:MAX_NAME].strip()
    return shown or advertiser_id[:MAX_NAME]


def white_label_use(
    brands: BrandStore, accounts: AccountStore, domains: DomainStore, advertiser_id: str
) -> int:
    """What the plan's white-label counts (1: in use, 0: not): a saved brand with an own look
    (Brand.own_look), or a portal domain held (any state but removing)."""
    portal = any(
        d.kind is DomainKind.PORTAL and d.status is not DomainStatus.REMOVING
        for d in domains.of_advertiser(advertiser_id)
    )
    saved = brands.get(advertiser_id)
    own_look = saved is not None and bool(saved.own_look(account_brand_name(accounts, advertiser_id)))
    return 1 if portal or own_look else 0


# ---------------------------------------------------------------------- the service
class BrandService:
    """Advertisers' brands. Callers pass the advertiser already narrowed by the permission matrix
    (accounts.permissions), except `portal`, which anyone may ask."""

    def __init__(
        self,
        brands: BrandStore,
        hosts: PortalHosts,
        accounts: AccountStore,
        files: BrandFiles,
        audit: AuditTrail,
        platform_name: str,
        limits: PlanGate = UNLIMITED,
    ) -> None:
        """`limits`: the plans' gate, asked before a brand takes on an own look (white-label)."""
        self.brands = brands
        self.hosts = hosts
        self.accounts = accounts
        self.files = files
        self.audit = audit
        self.platform_name = platform_name
        self.limits = limits

    def brand(self, advertiser_id: str) -> Brand:
        """The advertiser's brand; one never saved is its name alone (`updated_at` None), which is
        where the dashboard's form starts."""
        saved = self.brands.get(advertiser_id)
        if saved is not None:
            return saved
        return Brand(advertiser_id, account_brand_name(self.accounts, advertiser_id))

    def save(self, advertiser_id: str, draft: BrandDraft, actor: Actor) -> Brand:
        """Save the brand's text, colours and links (its images stay); refused whole when any field is
        not valid, naming it, and (PlanLimitExceeded) when it sets or changes any of the brand's own
        look (Brand.own_look) on a plan without white-label. Taking the look away is never refused."""
        checked = checked_form(advertiser_id, draft)
        before = self.brand(advertiser_id)
        self._ensure_white_label_for(before, checked)
        saved = self.brands.save_form(replace(checked, updated_at=iso_millis(utc_now())))
        self.audit.record(
            actor,
            advertiser_id,
            "brand.changed",
            "brand",
            _snapshot(before if before.updated_at else None),
            _snapshot(saved),
        )
        return saved

    def start_upload(
        self, advertiser_id: str, kind: AssetKind, content_type: str, size: int, actor: Actor
    ) -> UploadForm:
        """A form the browser posts one image with, straight to the bucket, within five minutes. S3
        itself holds the post to the declared type, to the kind's size limit and to this key; the
        image is checked again when it is attached (`attach`)."""
        image = declared_format(kind, content_type)
        limit = ASSET_RULES[kind].max_bytes
        if not 1 <= size <= limit:
            raise ValidationFailed(f"a {kind.value} is 1 byte to {limit // KIB} KiB, not {size} bytes")
        self.brand(advertiser_id)  # NotFound for an advertiser that does not exist
        self.limits.ensure_white_label(advertiser_id)  # before the upload: it could not be attached
        form = self.files.upload_form(upload_key(advertiser_id), image.content_type, limit, UPLOAD_SECONDS)
        self.audit.record(
            actor,
            advertiser_id,
            "brand.upload_started",
            f"brand/{kind.value}",
            after={"key": form.key, "content_type": image.content_type, "size": size},
        )
        return form

    def attach(self, advertiser_id: str, kind: AssetKind, key: str, actor: Actor) -> Brand:
        """Check the image posted at `key` (one of the advertiser's own uploads), publish it for the
        edge to serve and make it the brand's `kind`. The upload goes; the image it replaces stays
        where it is (e-mails already sent may show it; its name is its content, nobody can change it)."""
        if not _is_upload_of(advertiser_id, key):
            raise ValidationFailed("key: not an upload of this advertiser's (ask for a new upload form)")
        self.limits.ensure_white_label(advertiser_id)
        rule = ASSET_RULES[kind]
        upload = self.files.read_upload(key, rule.max_bytes)
        if upload is None:
            raise NotFound("no file was posted to this upload, or it expired: upload it again")
        image = checked_image(kind, declared_format(kind, upload.content_type), upload.data)
        published = published_key(advertiser_id, upload.data, image)
        self.files.publish(published, upload.data, image.content_type)
        self.files.discard(key)
        return self._set_asset(advertiser_id, kind, f"/{published}", actor, "brand.asset_attached")

    def _ensure_white_label_for(self, before: Brand, form: Brand) -> None:
        """Asks the plan for white-label when the saved form would set or change any of the brand's
        own look (its images are not the form's: they stay as they are)."""
        name = account_brand_name(self.accounts, before.advertiser_id)
        had = before.own_look(name)
        wanted = replace(form, **{field: getattr(before, field) for field in ASSET_FIELDS.values()})
        if any(had.get(field) != value for field, value in wanted.own_look(name).items()):
            self.limits.ensure_white_label(before.advertiser_id)

    def remove_asset(self, advertiser_id: str, kind: AssetKind, actor: Actor) -> Brand:
        """The brand without its `kind` image (the image itself stays published: e-mails already sent
        may show it)."""
        return self._set_asset(advertiser_id, kind, None, actor, "brand.asset_removed")

    def _set_asset(
        self, advertiser_id: str, kind: AssetKind, path: str | None, actor: Actor, action: str
    ) -> Brand:
        before = self.brand(advertiser_id)
        if path is None and before.asset(kind) is None:
            return before  # nothing to remove: nothing changes
        saved = self.brands.set_asset(advertiser_id, kind, path, iso_millis(utc_now()), before.portal_name)
        self.audit.record(
            actor,
            advertiser_id,
            action,
            f"brand/{kind.value}",
            {kind.value: before.asset(kind)},
            {kind.value: saved.asset(kind)},
        )
        return saved

    # ------------------------------------------------------------------ what anyone sees
    def platform_brand(self) -> PublicBrand:
        return PublicBrand(name=self.platform_name)

    def portal(self, host: str, advertiser_id: str | None) -> Portal:
        """Whose portal a page is on, and the brand it shows. On an advertiser's portal domain it is
        that advertiser's, whatever the page asks; on any other host, the advertiser the page names
        (an affiliate working in that advertiser's context), or the platform's. An advertiser that
        has never saved a brand shows the platform's until it does."""
        owner = self.hosts.owner(host) if host else None
        if owner is not None:
            return Portal(owner, platform=False, brand=self._public(owner))
        if advertiser_id:
            self.accounts.get_advertiser(advertiser_id)  # NotFound for an id of nobody
            return Portal(advertiser_id, platform=False, brand=self._public(advertiser_id))
        return Portal(None, platform=True, brand=self.platform_brand())

    def _public(self, advertiser_id: str) -> PublicBrand:
        saved = self.brands.get(advertiser_id)
        return PublicBrand.of(saved) if saved is not None else self.platform_brand()
