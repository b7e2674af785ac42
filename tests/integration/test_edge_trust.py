"""CloudFront's viewer headers count only beside the edge secret (partnerka.common.edge): a visitor who
calls the API's own URL with a forged `CloudFront-Viewer-Country` or `CloudFront-Viewer-Address`
gets its connection's address and the mmdb's country, so a GEO rule, the postback whitelist and the
per-address limits see the truth. RequireEdge refuses tracking calls that bypass the edge."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode, urlsplit

import boto3
import pytest

from partnerka.common import dynamo
from partnerka.common.secrets import secret_string
from partnerka.offers.repository import OfferRepository
from partnerka.offers.service import create_offer
from partnerka.tracking.geo import GeoLocator
from partnerka_local.template import Template
from tests.conftest import TEST_STACK
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event, through_edge
from tests.integration.world import PASSWORD, build_world

EDGE_ADDRESS = "130.176.1.10"  # a CloudFront edge's own address: the connection's source


def us_only_offer(advertiser_id: str) -> Any:
    return create_offer(
        OfferRepository(),
        advertiser_id,
        "US only",
        "CPA",
        [("https://a.example/?c={click_id}", 1)],
        "1",
        "2",
        "USD",
        geo_allow=["US"],
        fallback_url="https://fallback.example/?c={country}",
    )


def stored_clicks() -> list[dict[str, Any]]:
    items = boto3.client("dynamodb").scan(TableName=f"{TEST_STACK}-ClicksTable")["Items"]
    return [dynamo.decode(item) for item in items]


def test_a_forged_viewer_country_without_the_edge_secret_does_not_pass_a_geo_rule(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world()
    offer = us_only_offer(world.advertiser_id)
    click = load_function("click")
    query = urlencode({"o": offer.offer_id, "a": world.affiliate_id})
    forged = {"cloudfront-viewer-country": "US", "cloudfront-viewer-address": "8.8.8.8:443"}
    wrong_secret = {**through_edge(stack, "US"), "x-partnerka-edge": "guessed"}
    truth = GeoLocator(os.environ["GEOIP_DB_PATH"]).country("203.0.113.7")  # what the mmdb says
    assert truth != "US"
    for headers in (forged, wrong_secret, {**forged, "x-partnerka-edge": ""}):
        response = click.handler(
            http_event("GET", "/click", query, headers, source_ip="203.0.113.7"), CONTEXT
        )
        assert response["headers"]["location"] == f"https://fallback.example/?c={truth}"
    admitted = click.handler(http_event("GET", "/click", query, through_edge(stack, "US")), CONTEXT)
    assert urlsplit(admitted["headers"]["location"]).netloc == "a.example"
    kept = sorted((c["ip"], c["country"], str(c.get("reason"))) for c in stored_clicks())
    assert kept == [("198.51.100.23", "US", "None")] + [("203.0.113.7", truth, "geo_blocked")] * 3


def test_a_rotated_secret_is_accepted_with_the_one_before_it_and_no_other(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world()
    offer = us_only_offer(world.advertiser_id)
    query = urlencode({"o": offer.offer_id, "a": world.affiliate_id})
    secrets = boto3.client("secretsmanager")
    before = secret_string(stack.refs["EdgeSecret"])  # the session's stack keeps its secrets' values
    old = json.loads(before)["current"]
    secrets.put_secret_value(
        SecretId=stack.refs["EdgeSecret"], SecretString=json.dumps({"current": "new-value", "previous": old})
    )
    try:
        click = load_function.load("ClickFunction", cold=True)
        for value, admitted in (("new-value", True), (old, True), ("older-value", False)):
            headers = {**through_edge(stack, "US"), "x-partnerka-edge": value}
            location = click.handler(http_event("GET", "/click", query, headers), CONTEXT)["headers"][
                "location"
            ]
            assert (urlsplit(location).netloc == "a.example") is admitted, value
    finally:
        secrets.put_secret_value(SecretId=stack.refs["EdgeSecret"], SecretString=before)


def test_the_postback_whitelist_sees_the_viewer_through_the_edge_and_the_connection_otherwise(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    whitelist = api.call("PUT", "/api/settings/postback-ips", {"ips": ["198.51.100.0/24"]}, token=boss)
    assert whitelist.body == {"ips": ["198.51.100.0/24"]}
    nonsense = api.call("PUT", "/api/settings/postback-ips", {"ips": ["nonsense"]}, token=boss)
    assert nonsense.code == "validation_error"
    query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
    location = load_function("click").handler(http_event("GET", "/click", query), CONTEXT)["headers"][
        "location"
    ]
    click_id = location.split("cid=")[1].split("&")[0]
    postback = load_function("postback")
    params = f"click_id={click_id}&status=sale&txn_id=T1&secret={world.offer.postback_secret}"

    def send(source_ip: str, headers: dict[str, str] | None = None) -> tuple[int, str | None]:
        answer = postback.handler(
            http_event("GET", "/postback", params, headers, source_ip=source_ip), CONTEXT
        )
        return answer["statusCode"], json.loads(answer["body"]).get("error", {}).get("code")

    # Direct calls: the connection's address decides, whatever the viewer headers claim
    assert send("203.0.113.9") == (403, "ip_not_allowed")
    assert send("203.0.113.9", {"cloudfront-viewer-address": "198.51.100.20:443"}) == (403, "ip_not_allowed")
    # Through the edge (whose own address is not whitelisted) the advertiser's server is admitted
    assert send(EDGE_ADDRESS, through_edge(stack, "DE", "198.51.100.20:40412")) == (200, None)
    assert send("198.51.100.20")[0] == 200  # and directly from inside: a duplicate, still admitted


def test_the_api_keys_a_sign_in_and_its_audit_by_the_viewers_address(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"), source_ip=EDGE_ADDRESS)
    email = world.emails["advertiser"]
    through = through_edge(stack, "DE", "[2001:db8::7]:40412")
    assert (
        api.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD}, headers=through).status
        == 200
    )
    forged = {"cloudfront-viewer-address": "192.0.2.99:1"}
    assert (
        api.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD}, headers=forged).status
        == 200
    )
    audit = boto3.client("dynamodb").scan(TableName=f"{TEST_STACK}-AuditTable")["Items"]
    addresses = {dynamo.decode(item).get("ip") for item in audit}
    assert {"2001:db8::7", EDGE_ADDRESS} <= addresses
    assert "192.0.2.99" not in addresses


@pytest.mark.parametrize("function", ["ClickFunction", "PostbackFunction"])
def test_with_require_edge_a_direct_tracking_call_is_refused_without_a_5xx(
    load_function: FunctionLoader, stack: Template, function: str
) -> None:
    world = build_world()
    module = load_function.load(function, overrides={"EDGE_REQUIRED": "true"})
    if function == "ClickFunction":
        query = urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})
        direct = module.handler(
            http_event("GET", "/click", query, {"cloudfront-viewer-country": "US"}), CONTEXT
        )
        assert direct["statusCode"] == 403
        assert "text/html" in direct["headers"]["content-type"]
        through = module.handler(http_event("GET", "/click", query, through_edge(stack, "US")), CONTEXT)
        assert through["statusCode"] == 302
        assert [c["ip"] for c in stored_clicks()] == ["198.51.100.23"]  # the refused one is not kept
        return
    params = "click_id=nothing&status=sale"
    direct = module.handler(http_event("GET", "/postback", params), CONTEXT)
    assert (direct["statusCode"], json.loads(direct["body"])["error"]["code"]) == (403, "forbidden")
    pixel = module.handler(http_event("GET", "/pixel.gif", params), CONTEXT)
    assert pixel["statusCode"] == 200
    assert pixel["headers"]["content-type"] == "image/gif"
    through = module.handler(http_event("GET", "/postback", params, through_edge(stack, "US")), CONTEXT)
    assert through["statusCode"] == 404  # past the edge check: an unknown click


def test_the_portal_is_told_by_the_forwarded_host_only_through_the_edge(
    load_function: FunctionLoader, stack: Template
) -> None:
    """Behind CloudFront the request's Host is the API's own: the viewer's comes in X-Forwarded-Host,
    which counts only beside the edge secret, or anyone could claim to be on an advertiser's portal."""
    world = build_world()
    # A host of this test's own: a warm function knows a host's owner for a while (PortalHosts)
    portal = f"partners-{world.advertiser_id.lower()}.acme.example"
    boto3.client("dynamodb").put_item(
        TableName=stack.refs["CoreTable"],
        Item={
            "pk": {"S": f"DOMAIN#{portal}"},
            "sk": {"S": "CLAIM"},
            "advertiser_id": {"S": world.advertiser_id},
            "kind": {"S": "portal"},
            "status": {"S": "active"},
        },
    )
    api = Api(load_function("api"), source_ip=EDGE_ADDRESS)
    api_host = "abc123.execute-api.us-east-1.amazonaws.com"
    forwarded = {"host": api_host, "x-forwarded-host": portal}
    through = api.call("GET", "/api/portal", headers={**forwarded, **through_edge(stack, "DE")})
    assert (through.status, through.body["advertiser_id"], through.body["platform"]) == (
        200,
        world.advertiser_id,
        False,
    )
    forged = api.call("GET", "/api/portal", headers=forwarded)
    assert (forged.body["advertiser_id"], forged.body["platform"]) == (None, True)
    wrong_secret = {**forwarded, **through_edge(stack, "DE"), "x-partnerka-edge": "guessed"}
    assert api.call("GET", "/api/portal", headers=wrong_secret).body["platform"] is True
    # Reached directly (the local gateway passes the browser's Host), the Host itself is the viewer's
    direct = api.call("GET", "/api/portal", headers={"host": portal})
    assert direct.body["advertiser_id"] == world.advertiser_id
