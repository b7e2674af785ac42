"""The branding API through its function on moto: a brand saved, read and audited; a logo uploaded
as the dashboard uploads it (the presigned POST posted to S3 itself, which holds the post to its
policy), then attached, checked and published; what another advertiser, an affiliate or staff may
do to a brand; and the brand a portal's pages show, by host, by the advertiser named, or the
platform's.

S3 is reached over HTTP as a browser reaches it: moto's own HTTP front (the one its server runs),
called in-process through httpx, over the same emulated buckets the function writes."""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import boto3
import httpx
import pytest
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from PIL import Image

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import Role
from partnerka.audit.models import AuditEntry
from partnerka.audit.repository import AuditRepository
from partnerka.common.clock import utc_now
from partnerka.common.config import read_settings
from tests.integration.api_client import Api, Reply
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, World, build_world

BRAND = {
    "portal_name": "Acme Partners",
    "primary_color": "#0B5FFF",
    "primary_text_color": "#FFF",
    "accent_color": "#ffcc00",
    "accent_text_color": "#000000",
    "support_email": "Partners@Acme.example",
    "sender_name": "Acme Partner Team",
    "terms_url": "https://acme.example/terms",
    "privacy_url": "https://acme.example/privacy",
}
NOBODY = "01JZZNOBODY000000000000000"


@dataclass
class Brands:
    api: Api
    world: World
    tokens: dict[str, str]  # who → access token
    other_advertiser_id: str


@pytest.fixture
def brands(load_function: FunctionLoader) -> Brands:
    world = build_world(with_people=True)
    service, _ = account_services(read_settings(AccountSettings))
    other = provisioning.create_advertiser(service.accounts, "Globex")
    provisioning.create_verified_user(
        service, "boss@globex.example", PASSWORD, "G", Role.ADVERTISER, other.id
    )
    provisioning.create_verified_user(service, "support@platform.example", PASSWORD, "S", Role.SUPPORT)
    world.emails |= {"globex": "boss@globex.example", "support": "support@platform.example"}
    api = Api(load_function("api"))
    tokens = {
        who: api.login(world.emails[who], PASSWORD)["access_token"]
        for who in ("advertiser", "affiliate", "owner", "globex", "support")
    }
    return Brands(api, world, tokens, other.id)


def picture(image_format: str, size: tuple[int, int] = (120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 95, 255)).save(buffer, image_format)
    return buffer.getvalue()


@cache
def s3_front() -> Any:
    """moto's HTTP front: the WSGI application its server runs, dispatching by host as S3 does."""
    return DomainDispatcherApplication(create_backend_app)


def post_to_s3(form: dict[str, Any], data: bytes, **changed: str) -> httpx.Response:
    """Post a file with an upload form as the dashboard does: the form's fields (some `changed`, as a
    tampering browser would), then the file, last, as `file`."""
    fields = {**form["fields"], **changed}
    with httpx.Client(transport=httpx.WSGITransport(app=s3_front())) as client:
        return client.post(form["url"], data=fields, files={"file": ("logo", data, fields["Content-Type"])})


def audit_of(advertiser_id: str, prefix: str = "brand.") -> list[AuditEntry]:
    today = utc_now().date().isoformat()
    entries = AuditRepository(os.environ["AUDIT_TABLE"]).of_tenant(advertiser_id, today, today)
    return sorted((e for e in entries if e.action.startswith(prefix)), key=lambda e: e.at)


def bucket() -> Any:
    return boto3.client("s3")


def upload(
    brands: Brands, who: str, kind: str, content_type: str, size: int, advertiser_id: str | None = None
) -> Reply:
    body = {"kind": kind, "content_type": content_type, "size": size}
    token = brands.tokens[who]
    return brands.api.call("POST", "/api/brand/uploads", body, token=token, advertiser_id=advertiser_id)


def test_an_advertiser_saves_and_reads_its_brand_and_each_save_is_audited(brands: Brands) -> None:
    api, token, advertiser_id = brands.api, brands.tokens["advertiser"], brands.world.advertiser_id
    # Given a brand never saved: the advertiser's name, nothing else
    fresh = api.call("GET", "/api/brand", token=token)
    assert fresh.status == 200, fresh.body
    assert (fresh.body["portal_name"], fresh.body["updated_at"], fresh.body["logo_light_url"]) == (
        "Acme Shoes",
        None,
        None,
    )
    # When a colour pair below AA is saved, Then nothing is, and the pair and its ratio are named
    grey = api.call(
        "PUT",
        "/api/brand",
        {**BRAND, "primary_color": "#ffffff", "primary_text_color": "#777777"},
        token=token,
    )
    assert (grey.status, grey.code) == (400, "validation_error")
    assert (
        "primary_text_color #777777 on primary_color #ffffff has a contrast ratio of 4.48:1"
        in grey.body["error"]["detail"]
    )
    # When a valid brand is saved, Then it is stored normalised and read back as saved
    saved = api.call("PUT", "/api/brand", BRAND, token=token)
    assert saved.status == 200, saved.body
    assert (saved.body["primary_color"], saved.body["primary_text_color"], saved.body["support_email"]) == (
        "#0b5fff",
        "#ffffff",
        "partners@acme.example",
    )
    assert api.call("GET", "/api/brand", token=token).body == saved.body
    changed = api.call("PUT", "/api/brand", {**BRAND, "sender_name": None}, token=token)
    assert changed.body["sender_name"] is None
    # And each save left its entry, with the brand before and after
    first, second = audit_of(advertiser_id)
    assert (first.action, first.actor_email, first.before) == ("brand.changed", "adv@example.com", None)
    assert first.after is not None
    assert first.after["primary_color"] == "#0b5fff"
    assert second.before == first.after
    assert second.after is not None
    assert second.after["sender_name"] is None


def test_a_logo_posted_to_s3_with_its_form_is_checked_published_and_served_as_an_image(
    brands: Brands,
) -> None:
    api, token, advertiser_id = brands.api, brands.tokens["advertiser"], brands.world.advertiser_id
    logo = picture("PNG")
    # An SVG is refused before any form is signed
    svg = upload(brands, "advertiser", "logo_light", "image/svg+xml", 300)
    assert (svg.status, svg.code) == (400, "validation_error")
    assert "an SVG can carry script" in svg.body["error"]["detail"]
    form = upload(brands, "advertiser", "logo_light", "image/png", len(logo))
    assert form.status == 200, form.body
    assert form.body["key"].startswith(f"uploads/{advertiser_id}/")
    assert form.body["max_bytes"] == 512 * 1024
    # S3 itself refuses what the form was not signed for: another type, a larger file, another key
    other_type = post_to_s3(form.body, b"<svg onload=alert(1)>", **{"Content-Type": "image/svg+xml"})
    assert other_type.status_code == 403
    assert "Policy Condition failed" in other_type.text
    too_large = post_to_s3(form.body, logo + b"\0" * (512 * 1024))
    assert (too_large.status_code, "EntityTooLarge" in too_large.text) == (400, True)
    elsewhere = post_to_s3(form.body, logo, key=f"brand/{advertiser_id}/0123456789abcdef.png")
    assert elsewhere.status_code == 403
    assert bucket().list_objects_v2(Bucket=os.environ["BRAND_BUCKET"]).get("KeyCount") == 0
    # The file the form was signed for goes in, and is attached
    assert post_to_s3(form.body, logo).status_code == 204
    attached = api.call("PUT", "/api/brand/assets/logo_light", {"key": form.body["key"]}, token=token)
    assert attached.status == 200, attached.body
    published = f"brand/{advertiser_id}/{hashlib.sha256(logo).hexdigest()[:16]}.png"
    assert attached.body["logo_light_url"] == f"/{published}"
    stored = bucket().get_object(Bucket=os.environ["BRAND_BUCKET"], Key=published)
    assert (stored["ContentType"], stored["CacheControl"], stored["Body"].read()) == (
        "image/png",
        "public, max-age=31536000, immutable",
        logo,
    )
    listed = bucket().list_objects_v2(Bucket=os.environ["BRAND_BUCKET"])["Contents"]
    assert [o["Key"] for o in listed] == [published]  # the upload is gone
    # HTML posted as a PNG passes S3's policy (its declared type is right) but not the check
    html = upload(brands, "advertiser", "logo_dark", "image/png", 60).body
    assert post_to_s3(html, b"<!DOCTYPE html><script>alert(document.cookie)</script>").status_code == 204
    refused = api.call("PUT", "/api/brand/assets/logo_dark", {"key": html["key"]}, token=token)
    assert (refused.status, refused.code) == (400, "validation_error")
    assert "is a text document" in refused.body["error"]["detail"]
    # Removing the logo leaves the published image where e-mails already sent show it
    removed = api.call("DELETE", "/api/brand/assets/logo_light", token=token)
    assert (removed.status, removed.body["logo_light_url"]) == (200, None)
    assert bucket().head_object(Bucket=os.environ["BRAND_BUCKET"], Key=published)["ContentLength"] == len(
        logo
    )
    assert [e.action for e in audit_of(advertiser_id)] == [
        "brand.upload_started",
        "brand.asset_attached",
        "brand.upload_started",
        "brand.asset_removed",
    ]


def test_a_brand_is_out_of_reach_of_other_advertisers_affiliates_and_support(brands: Brands) -> None:
    api, tokens, acme, globex = (
        brands.api,
        brands.tokens,
        brands.world.advertiser_id,
        brands.other_advertiser_id,
    )
    assert (
        api.call(
            "PUT", "/api/brand", {**BRAND, "portal_name": "Globex Partners"}, token=tokens["globex"]
        ).status
        == 200
    )
    # Globex's own upload, posted: Acme cannot attach it
    logo = picture("PNG")
    theirs = upload(brands, "globex", "favicon", "image/png", len(logo)).body
    assert post_to_s3(theirs, logo).status_code == 204
    taken = api.call("PUT", "/api/brand/assets/favicon", {"key": theirs["key"]}, token=tokens["advertiser"])
    assert (taken.status, taken.code) == (400, "validation_error")
    assert "not an upload of this advertiser's" in taken.body["error"]["detail"]
    # Naming Globex is refused to Acme; an affiliate neither reads nor changes a brand; Support reads
    for method, body in (("GET", None), ("PUT", BRAND), ("DELETE", None)):
        path = "/api/brand/assets/favicon" if method == "DELETE" else "/api/brand"
        assert api.call(method, path, body, token=tokens["advertiser"], advertiser_id=globex).status == 403
        assert api.call(method, path, body, token=tokens["affiliate"]).status == 403
        assert api.call(method, path, body, token=tokens["affiliate"], advertiser_id=globex).status == 403
    assert upload(brands, "advertiser", "logo_light", "image/png", 900, advertiser_id=globex).status == 403
    assert (
        api.call("GET", "/api/brand", token=tokens["support"], advertiser_id=globex).body["portal_name"]
        == "Globex Partners"
    )
    assert api.call("PUT", "/api/brand", BRAND, token=tokens["support"], advertiser_id=globex).status == 403
    # Owner names the advertiser, or is asked to
    unnamed = api.call("PUT", "/api/brand", BRAND, token=tokens["owner"])
    assert (unnamed.status, unnamed.code) == (400, "validation_error")
    assert api.call("PUT", "/api/brand", BRAND, token=tokens["owner"], advertiser_id=NOBODY).status == 404
    # Then Globex's brand is as Globex saved it, and its upload still waits for it
    mine = api.call("GET", "/api/brand", token=tokens["globex"]).body
    assert (mine["portal_name"], mine["favicon_url"]) == ("Globex Partners", None)
    assert bucket().head_object(Bucket=os.environ["BRAND_BUCKET"], Key=theirs["key"])["ContentLength"] == len(
        logo
    )
    assert audit_of(acme) == []
    attached = api.call("PUT", "/api/brand/assets/favicon", {"key": theirs["key"]}, token=tokens["globex"])
    assert attached.status == 200, attached.body
    assert attached.body["favicon_url"].startswith(f"/brand/{globex}/")


def claim(host: str, advertiser_id: str, kind: str) -> None:
    """A domain's claim item, as the domains repository writes it (the issue's shared contract)."""
    boto3.client("dynamodb").put_item(
        TableName=os.environ["CORE_TABLE"],
        Item={
            "pk": {"S": f"DOMAIN#{host}"},
            "sk": {"S": "CLAIM"},
            "advertiser_id": {"S": advertiser_id},
            "domain_id": {"S": "01JZZDOMAIN00000000000000"},
            "kind": {"S": kind},
            "status": {"S": "pending_dns"},
        },
    )


def portal(brands: Brands, host: str, advertiser_id: str | None = None) -> Reply:
    return brands.api.call("GET", "/api/portal", headers={"host": host}, advertiser_id=advertiser_id)


def test_a_page_shows_the_brand_of_its_portal_domain_of_the_advertiser_it_names_or_the_platforms(
    brands: Brands,
) -> None:
    api, acme, globex = brands.api, brands.world.advertiser_id, brands.other_advertiser_id
    assert api.call("PUT", "/api/brand", BRAND, token=brands.tokens["advertiser"]).status == 200
    # On the platform's own domain, anonymously: the platform's brand, kept a minute by the browser
    platform = portal(brands, "app.partnerka.test")
    assert platform.status == 200, platform.body
    assert platform.body == {
        "advertiser_id": None,
        "platform": True,
        "brand": {key: None for key in platform.body["brand"]} | {"name": "Partnerka"},
    }
    assert platform.headers["Cache-Control"] == "public, max-age=60"
    # An affiliate in Acme's context names it: Acme's brand
    named = portal(brands, "app.partnerka.test", advertiser_id=acme)
    assert (named.body["advertiser_id"], named.body["platform"]) == (acme, False)
    assert named.body["brand"]["name"] == "Acme Partners"
    assert named.body["brand"]["primary_color"] == "#0b5fff"
    assert named.body["brand"]["support_email"] == "partners@acme.example"
    # Globex never saved a brand: the platform's shows in its context
    assert portal(brands, "app.partnerka.test", advertiser_id=globex).body["brand"]["name"] == "Partnerka"
    unknown = portal(brands, "app.partnerka.test", advertiser_id=NOBODY)
    assert (unknown.status, unknown.code) == (404, "not_found")
    # On Acme's portal domain (whatever its status): Acme's brand, whatever the page names
    # (hosts of this test's own: a warm function knows a host's owner for a while)
    host, tracking = f"partners-{acme.lower()}.acme.example", f"track-{acme.lower()}.acme.example"
    claim(host, acme, "portal")
    claim(tracking, acme, "tracking")
    on_portal = portal(brands, f"{host.capitalize()}:443", advertiser_id=globex)
    assert (on_portal.body["advertiser_id"], on_portal.body["platform"]) == (acme, False)
    assert on_portal.body["brand"]["name"] == "Acme Partners"
    # A tracking domain is not a portal
    assert portal(brands, tracking).body["platform"] is True
