"""The brand service on fakes: a brand's fields checked (readable colour pairs, names that cannot
inject a header or reorder text, https links without credentials), its images uploaded, checked and
published under their content's name, the brand a portal shows resolved from the host, and every
change audited."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace
from typing import Any

import pytest
from PIL import Image

from partnerka.accounts import provisioning
from partnerka.audit.service import Actor
from partnerka.branding.models import AssetKind, BrandDraft, PublicBrand
from partnerka.branding.service import BrandService, contrast_ratio, normalised_color
from partnerka.common.errors import NotFound, ValidationFailed
from tests.unit.fakes import FakeAccounts, FakeAudit, FakeBrandFiles, FakeBrands, FakePortalHosts

BOSS = Actor(user_id="u-boss", email="boss@acme.example", request_id="req-1", ip="203.0.113.7")
DRAFT = BrandDraft(
    portal_name="Acme Partners",
    primary_color="#0B5FFF",
    primary_text_color="#fff",
    accent_color="#ffcc00",
    accent_text_color="#000000",
    support_email="Partners@Acme.example",
    sender_name="Acme Partner Team",
    terms_url="https://acme.example/terms",
    privacy_url="https://acme.example/privacy",
)


@dataclass
class Shop:
    service: BrandService
    brands: FakeBrands
    files: FakeBrandFiles
    hosts: FakePortalHosts
    audit: FakeAudit
    advertiser_id: str
    other_advertiser_id: str


@pytest.fixture
def shop() -> Shop:
    accounts, brands, files, hosts, audit = (
        FakeAccounts(),
        FakeBrands(),
        FakeBrandFiles(),
        FakePortalHosts(),
        FakeAudit(),
    )
    acme = provisioning.create_advertiser(accounts, "Acme Shoes")
    other = provisioning.create_advertiser(accounts, "Globex")
    service = BrandService(brands, hosts, accounts, files, audit, "Partnerka")
    return Shop(service, brands, files, hosts, audit, acme.id, other.id)


def picture(image_format: str, size: tuple[int, int] = (64, 32), **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, image_format, **options)
    return buffer.getvalue()


# ---------------------------------------------------------------------- colours
@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#ffffff", "#000000", 21.00),
        ("#777777", "#ffffff", 4.48),
        ("#767676", "#ffffff", 4.54),
        ("#0b5fff", "#0b5fff", 1.0),
    ],
)
def test_contrast_ratios_are_wcags(first: str, second: str, ratio: float) -> None:
    assert round(contrast_ratio(first, second), 2) == ratio
    assert round(contrast_ratio(second, first), 2) == ratio


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("#ABC", "#aabbcc"), ("#A1b2C3", "#a1b2c3"), (" #0b5fff ", "#0b5fff"), (None, None), ("", None)],
)
def test_colours_are_stored_as_six_lower_case_digits(typed: str | None, stored: str | None) -> None:
    assert normalised_color(typed, "primary_color") == stored


@pytest.mark.parametrize("typed", ["red", "#abcd", "abcabc", "#ggg", "#12345", "#1234567", "rgb(0,0,0)"])
def test_anything_but_a_hex_colour_is_refused(typed: str) -> None:
    with pytest.raises(ValidationFailed, match=r"primary_color: .* is not a colour"):
        normalised_color(typed, "primary_color")


def test_a_text_colour_below_aa_on_its_background_is_refused_naming_the_pair_and_ratio(shop: Shop) -> None:
    grey_on_white = replace(DRAFT, primary_color="#FFFFFF", primary_text_color="#777")
    with pytest.raises(ValidationFailed) as refused:
        shop.service.save(shop.advertiser_id, grey_on_white, BOSS)
    assert refused.value.message == (
        "primary_text_color #777777 on primary_color #ffffff has a contrast ratio of 4.48:1;"
        " text needs at least 4.5:1 (WCAG AA)"
    )
    yellow_on_white = replace(DRAFT, accent_color="#ffffff", accent_text_color="#ffcc00")
    with pytest.raises(
        ValidationFailed, match=r"accent_text_color #ffcc00 on accent_color #ffffff .* 1\.\d\d:1"
    ):
        shop.service.save(shop.advertiser_id, yellow_on_white, BOSS)
    # Just above AA is taken
    saved = shop.service.save(shop.advertiser_id, replace(grey_on_white, primary_text_color="#767676"), BOSS)
    assert (saved.primary_color, saved.primary_text_color) == ("#ffffff", "#767676")
    assert shop.brands.get(shop.advertiser_id) == saved


@pytest.mark.parametrize(
    "pair",
    [
        {"primary_color": "#0b5fff", "primary_text_color": None},
        {"primary_color": None, "primary_text_color": "#ffffff"},
        {"accent_color": "#ffcc00", "accent_text_color": ""},
    ],
)
def test_a_colour_without_its_text_colour_or_the_other_way_round_is_refused(
    shop: Shop, pair: dict[str, Any]
) -> None:
    with pytest.raises(ValidationFailed, match="go together"):
        shop.service.save(shop.advertiser_id, replace(DRAFT, **pair), BOSS)


def test_no_colours_at_all_keep_the_platforms_theme(shop: Shop) -> None:
    plain = replace(
        DRAFT, primary_color=None, primary_text_color=None, accent_color=None, accent_text_color=None
    )
    saved = shop.service.save(shop.advertiser_id, plain, BOSS)
    assert (saved.primary_color, saved.accent_text_color) == (None, None)


# ---------------------------------------------------------------------- text and links
@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"portal_name": "  "}, "portal_name is required"),
        ({"portal_name": "x" * 61}, "portal_name is required \\(1 to 60"),
        ({"portal_name": "Acme\nPartners"}, "portal_name: a line break"),
        ({"portal_name": "Acme \u202eyaP"}, "portal_name: a line break, control or text-direction"),
        ({"portal_name": "Acme\u2066 Partners"}, "text-direction"),
        ({"sender_name": "Acme\r\nBcc: everyone@example.com"}, "sender_name: a line break"),
        ({"sender_name": "Acme\x00"}, "sender_name: a line break"),
        ({"sender_name": "y" * 61}, "sender_name is at most 60"),
        ({"support_email": "not an address"}, "support_email: 'not an address' is not an e-mail address"),
        ({"support_email": "help@acme.example\r\nBcc: x@y.example"}, "support_email: a line break"),
        ({"terms_url": "http://acme.example/terms"}, "terms_url must be an https:// address"),
        ({"terms_url": "acme.example/terms"}, "terms_url must be an https:// address"),
        ({"privacy_url": "https://user:secret@acme.example/p"}, "privacy_url names a user or password"),
        ({"privacy_url": "https://evil.example\\@acme.example/"}, "privacy_url contains a backslash"),
        (
            {"privacy_url": "https://acme.example/p\r\nSet-Cookie: x"},
            "privacy_url contains a control character",
        ),
        ({"terms_url": "https://acme.example/" + "t" * 2000}, "terms_url is longer than 2000"),
        ({"terms_url": "https://acme..example/"}, "terms_url has a malformed host"),
        ({"terms_url": "javascript:alert(1)//https://"}, "terms_url must be an https:// address"),
    ],
)
def test_a_field_that_is_not_valid_refuses_the_whole_brand_naming_it(
    shop: Shop, changes: dict[str, str], problem: str
) -> None:
    with pytest.raises(ValidationFailed, match=problem):
        shop.service.save(shop.advertiser_id, replace(DRAFT, **changes), BOSS)
    assert shop.brands.get(shop.advertiser_id) is None
    assert shop.audit.records == []


def test_a_valid_brand_is_saved_normalised_and_audited_before_and_after(shop: Shop) -> None:
    first = shop.service.save(shop.advertiser_id, replace(DRAFT, portal_name="  " + "n" * 60 + " "), BOSS)
    assert first.portal_name == "n" * 60
    assert first.support_email == "partners@acme.example"  # the accounts' own rule
    assert (first.primary_color, first.primary_text_color) == ("#0b5fff", "#ffffff")
    assert first.updated_at is not None
    second = shop.service.save(shop.advertiser_id, replace(DRAFT, sender_name=None, terms_url=""), BOSS)
    assert (second.sender_name, second.terms_url) == (None, None)
    created, changed = shop.audit.records
    assert (created.action, created.tenant_id, created.target, created.actor) == (
        "brand.changed",
        shop.advertiser_id,
        "brand",
        BOSS,
    )
    assert created.before is None  # never saved before
    assert created.after is not None
    assert created.after["portal_name"] == "n" * 60
    assert changed.before == created.after
    assert changed.after is not None
    assert changed.after["sender_name"] is None


def test_a_brand_never_saved_is_the_advertisers_name_alone(shop: Shop) -> None:
    brand = shop.service.brand(shop.advertiser_id)
    assert (brand.portal_name, brand.updated_at, brand.primary_color, brand.logo_light_url) == (
        "Acme Shoes",
        None,
        None,
        None,
    )
    with pytest.raises(NotFound):
        shop.service.brand("01JZZNOBODY000000000000000")


# ---------------------------------------------------------------------- images
def test_an_svg_is_refused_because_it_can_carry_script(shop: Shop) -> None:
    with pytest.raises(ValidationFailed, match="an SVG can carry script, a raster image cannot"):
        shop.service.start_upload(shop.advertiser_id, AssetKind.LOGO_LIGHT, "image/svg+xml", 900, BOSS)
    assert shop.files.forms == []


@pytest.mark.parametrize(
    ("kind", "content_type", "size", "problem"),
    [
        (AssetKind.LOGO_DARK, "image/gif", 900, "a logo_dark is a PNG, JPEG or WebP image, not image/gif"),
        (AssetKind.FAVICON, "image/jpeg", 900, "a favicon is a PNG or ICO image"),
        (AssetKind.LOGO_LIGHT, "text/html", 900, "PNG, JPEG or WebP"),
        (AssetKind.LOGO_LIGHT, "image/png", 512 * 1024 + 1, "a logo_light is 1 byte to 512 KiB"),
        (AssetKind.FAVICON, "image/x-icon", 128 * 1024 + 1, "a favicon is 1 byte to 128 KiB"),
        (AssetKind.FAVICON, "image/png", 0, "1 byte to 128 KiB"),
    ],
)
def test_an_upload_of_a_type_or_size_the_kind_does_not_take_is_refused_before_any_form(
    shop: Shop, kind: AssetKind, content_type: str, size: int, problem: str
) -> None:
    with pytest.raises(ValidationFailed, match=problem):
        shop.service.start_upload(shop.advertiser_id, kind, content_type, size, BOSS)
    assert shop.files.forms == []


def test_an_upload_form_is_for_one_new_key_under_the_advertisers_uploads_at_the_kinds_limit(
    shop: Shop,
) -> None:
    logo = shop.service.start_upload(shop.advertiser_id, AssetKind.LOGO_LIGHT, "image/png", 900, BOSS)
    icon = shop.service.start_upload(
        shop.advertiser_id, AssetKind.FAVICON, "image/vnd.microsoft.icon", 900, BOSS
    )
    assert logo.key.startswith(f"uploads/{shop.advertiser_id}/")
    assert icon.key.startswith(f"uploads/{shop.advertiser_id}/")
    assert logo.key != icon.key
    assert (logo.max_bytes, icon.max_bytes) == (512 * 1024, 128 * 1024)
    assert icon.fields["Content-Type"] == "image/x-icon"  # ICO's one name, whichever the browser used
    assert [r.action for r in shop.audit.records] == ["brand.upload_started"] * 2
    with pytest.raises(NotFound):
        shop.service.start_upload("01JZZNOBODY000000000000000", AssetKind.LOGO_LIGHT, "image/png", 900, BOSS)


def test_an_attached_image_is_published_under_its_contents_name_and_the_upload_goes(shop: Shop) -> None:
    data = picture("PNG")
    form = shop.service.start_upload(shop.advertiser_id, AssetKind.LOGO_LIGHT, "image/png", len(data), BOSS)
    shop.files.post(form, data)
    brand = shop.service.attach(shop.advertiser_id, AssetKind.LOGO_LIGHT, form.key, BOSS)
    key = f"brand/{shop.advertiser_id}/{hashlib.sha256(data).hexdigest()[:16]}.png"
    assert brand.logo_light_url == f"/{key}"
    assert shop.files.objects[key] == ("image/png", data)
    assert shop.files.published[key] == "public, max-age=31536000, immutable"
    assert form.key not in shop.files.objects
    # A first save by an image names the brand after the advertiser
    assert brand.portal_name == "Acme Shoes"
    assert shop.audit.records[-1].action == "brand.asset_attached"
    assert shop.audit.records[-1].before == {"logo_light": None}
    assert shop.audit.records[-1].after == {"logo_light": f"/{key}"}


def test_replacing_an_image_leaves_the_old_one_published_and_keeps_the_form(shop: Shop) -> None:
    shop.service.save(shop.advertiser_id, DRAFT, BOSS)
    paths = []
    for data in (picture("PNG"), picture("JPEG", (80, 40))):
        kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        form = shop.service.start_upload(shop.advertiser_id, AssetKind.LOGO_DARK, kind, len(data), BOSS)
        shop.files.post(form, data)
        paths.append(
            shop.service.attach(shop.advertiser_id, AssetKind.LOGO_DARK, form.key, BOSS).logo_dark_url
        )
    assert paths[1] is not None
    assert paths[1].endswith(".jpg")
    assert {p.lstrip("/") for p in paths if p} <= set(shop.files.objects)  # the old one is still served
    brand = shop.service.brand(shop.advertiser_id)
    assert (brand.logo_dark_url, brand.portal_name, brand.primary_color) == (
        paths[1],
        "Acme Partners",
        "#0b5fff",
    )
    removed = shop.service.remove_asset(shop.advertiser_id, AssetKind.LOGO_DARK, BOSS)
    assert removed.logo_dark_url is None
    assert paths[1].lstrip("/") in shop.files.objects
    assert shop.audit.records[-1].action == "brand.asset_removed"
    assert shop.audit.records[-1].after == {"logo_dark": None}
    # Removing what is not there changes nothing, and records nothing
    entries = len(shop.audit.records)
    assert shop.service.remove_asset(shop.advertiser_id, AssetKind.LOGO_DARK, BOSS) == removed
    assert len(shop.audit.records) == entries


def test_a_saved_form_keeps_the_images(shop: Shop) -> None:
    data = picture("PNG", (32, 32))
    form = shop.service.start_upload(shop.advertiser_id, AssetKind.FAVICON, "image/png", len(data), BOSS)
    shop.files.post(form, data)
    icon = shop.service.attach(shop.advertiser_id, AssetKind.FAVICON, form.key, BOSS).favicon_url
    assert shop.service.save(shop.advertiser_id, DRAFT, BOSS).favicon_url == icon


@pytest.mark.parametrize(
    ("declared", "data", "problem"),
    [
        ("image/png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "is a text document"),
        ("image/png", b"<html><script>alert(1)</script></html>", "is a text document"),
        ("image/png", picture("JPEG"), "is a JPEG image, not PNG as declared"),
        ("image/webp", picture("PNG"), "is a PNG image, not WebP as declared"),
        ("image/png", picture("PNG")[:18], "is cut short"),
        ("image/png", picture("PNG", (5000, 5000)), "is 5000×5000 pixels: at most 4096×4096"),
        ("image/png", picture("PNG", (8, 8)), "is 8×8 pixels: at least 16×16"),
        ("image/svg+xml", b"<svg/>", "an SVG can carry script"),
        ("image/png", picture("PNG") + b"\0" * (512 * 1024), "larger than 512 KiB"),
    ],
)
def test_an_upload_that_is_not_the_image_it_claims_is_refused_and_nothing_is_published(
    shop: Shop, declared: str, data: bytes, problem: str
) -> None:
    form = shop.service.start_upload(shop.advertiser_id, AssetKind.LOGO_LIGHT, "image/png", 900, BOSS)
    shop.files.post(form, data, declared)
    with pytest.raises(ValidationFailed, match=problem):
        shop.service.attach(shop.advertiser_id, AssetKind.LOGO_LIGHT, form.key, BOSS)
    assert not [key for key in shop.files.objects if key.startswith("brand/")]
    assert shop.brands.get(shop.advertiser_id) is None


def test_only_the_advertisers_own_uploads_are_attached(shop: Shop) -> None:
    data = picture("PNG")
    theirs = shop.service.start_upload(
        shop.other_advertiser_id, AssetKind.LOGO_LIGHT, "image/png", len(data), BOSS
    )
    shop.files.post(theirs, data)
    for key in (
        theirs.key,
        f"uploads/{shop.advertiser_id}/../{theirs.key.split('/', 1)[1]}",
        f"brand/{shop.other_advertiser_id}/0123456789abcdef.png",
        f"uploads/{shop.advertiser_id}/",
        f"uploads/{shop.advertiser_id}/{'0' * 32}/x",
    ):
        with pytest.raises(ValidationFailed, match="not an upload of this advertiser's"):
            shop.service.attach(shop.advertiser_id, AssetKind.LOGO_LIGHT, key, BOSS)
    assert theirs.key in shop.files.objects
    with pytest.raises(NotFound, match="upload it again"):
        shop.service.attach(
            shop.advertiser_id, AssetKind.LOGO_LIGHT, f"uploads/{shop.advertiser_id}/{'0' * 32}", BOSS
        )


# ---------------------------------------------------------------------- what a portal shows
def test_a_portal_domain_shows_its_advertisers_brand_whatever_the_page_names(shop: Shop) -> None:
    shop.service.save(shop.advertiser_id, DRAFT, BOSS)
    shop.service.save(shop.other_advertiser_id, replace(DRAFT, portal_name="Globex Partners"), BOSS)
    shop.hosts.claims["partners.acme.example"] = (shop.advertiser_id, "portal")
    shop.hosts.claims["track.acme.example"] = (shop.advertiser_id, "tracking")
    acme = shop.service.portal("partners.acme.example", shop.other_advertiser_id)
    assert (acme.advertiser_id, acme.platform, acme.brand.name) == (
        shop.advertiser_id,
        False,
        "Acme Partners",
    )
    assert acme.brand.primary_color == "#0b5fff"
    # A tracking domain is no portal: the page's own choice counts there
    named = shop.service.portal("track.acme.example", shop.other_advertiser_id)
    assert (named.advertiser_id, named.brand.name) == (shop.other_advertiser_id, "Globex Partners")


def test_on_the_platforms_domain_a_page_shows_the_advertiser_it_names_or_the_platform(shop: Shop) -> None:
    platform = shop.service.portal("app.partnerka.example", None)
    assert (platform.advertiser_id, platform.platform, platform.brand) == (
        None,
        True,
        PublicBrand("Partnerka"),
    )
    assert shop.service.portal("", None).platform
    # An advertiser that never saved a brand shows the platform's, its id still the context
    unbranded = shop.service.portal("app.partnerka.example", shop.advertiser_id)
    assert (unbranded.advertiser_id, unbranded.platform, unbranded.brand) == (
        shop.advertiser_id,
        False,
        PublicBrand("Partnerka"),
    )
    shop.service.save(shop.advertiser_id, DRAFT, BOSS)
    branded = shop.service.portal("app.partnerka.example", shop.advertiser_id)
    assert branded.brand.name == "Acme Partners"
    assert branded.brand.support_email == "partners@acme.example"
    with pytest.raises(NotFound):
        shop.service.portal("app.partnerka.example", "01JZZNOBODY000000000000000")
