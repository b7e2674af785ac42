"""The edge of template.yaml as the local runtime plays it (partnerka_local.edge): the dashboard's
routing function run in Node against the local rule, the viewer-host function run in Node, the
response headers policy, the Cache-Control of the dashboard's files, and the paths served from a
bucket (the brand's images)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from partnerka_local.edge import (
    IMMUTABLE,
    INDEX,
    NEVER_STALE,
    SHORT,
    BucketBehaviour,
    bucket_behaviours,
    cache_control,
    dashboard_key,
    edge_headers,
    security_headers,
)
from partnerka_local.resources import name_bucket
from partnerka_local.template import Template
from tests.conftest import ROOT

PATHS = [
    "/",
    "/offers",
    "/offers/01JZZ000000000000000000000",
    "/join/abc-def",
    "/reports/",
    "/index.html",
    "/assets/index-8w900jEf.js",
    "/assets/index-DJTYxn5i.css",
    "/favicon.svg",
    "/theme.js",
    "/.well-known/security.txt",
    "/a.b/c",
]


def template() -> Template:
    """The template with its buckets named as a stack "edge-test" names them (nothing is created)."""
    tpl = Template(ROOT / "template.yaml", "edge-test")
    for bucket in tpl.of_type("AWS::S3::Bucket"):
        name_bucket(tpl, bucket, tpl.resources[bucket].get("Properties") or {})
    return tpl


def test_the_cloudfront_routing_function_and_the_local_gateway_route_alike() -> None:
    code = template().resources["DashboardRouting"]["Properties"]["FunctionCode"]
    script = code + "\nconsole.log(JSON.stringify(JSON.parse(process.argv[1]).map("
    script += "(uri) => handler({request: {uri: uri, method: 'GET', headers: {}}}).uri)));"
    done = subprocess.run(
        ["node", "-e", script, json.dumps(PATHS)], capture_output=True, text=True, check=True
    )
    at_the_edge = json.loads(done.stdout)
    assert at_the_edge == [f"/{dashboard_key(path)}" for path in PATHS]
    assert at_the_edge[:5] == ["/index.html"] * 5  # the page's routes
    assert at_the_edge[6] == "/assets/index-8w900jEf.js"  # files are themselves


def test_the_response_headers_policy_forbids_inline_script_framing_and_sniffing() -> None:
    tpl = template()
    (policy,) = tpl.of_type("AWS::CloudFront::ResponseHeadersPolicy")
    headers = dict(
        security_headers(tpl.resolve(tpl.resources[policy]["Properties"])["ResponseHeadersPolicyConfig"])
    )
    directives = {
        d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split(";") if d.strip()
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    # the dashboard posts brand images straight to the brand bucket, and connects nowhere else
    assert directives["connect-src"] == ["'self'", "https://edge-test-brandbucket.s3.us-east-1.amazonaws.com"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Strict-Transport-Security"] == "max-age=63072000"
    # Every behaviour of the distribution answers with it: the dashboard's, the API's, the tracker's.
    config = tpl.resources["Distribution"]["Properties"]["DistributionConfig"]
    behaviours = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    assert all(b["ResponseHeadersPolicyId"] == {"Ref": policy} for b in behaviours)
    assert {b.get("PathPattern") for b in behaviours} == {
        None,
        "/api/*",
        "/click",
        "/postback",
        "/pixel.gif",
        "/brand/*",
        "/telegram/webhook",
    }


def test_the_local_gateway_serves_the_brand_images_from_the_bucket_the_edge_reads_them_from() -> None:
    tpl = template()
    (brand,) = bucket_behaviours(tpl)
    assert brand == BucketBehaviour("/brand/*", "edge-test-brandbucket")
    assert brand.matches("/brand/01JZZ/0123456789abcdef.png")
    assert brand.matches("/brand/")
    for other in ("/brand", "/branding/x.png", "/Brand/x.png", "/api/brand", "/x/brand/y.png"):
        assert not brand.matches(other), other


def test_locally_the_csp_admits_the_brand_bucket_where_the_emulator_serves_it() -> None:
    local = dict(edge_headers(template(), "http://127.0.0.1:5123"))["Content-Security-Policy"]
    assert "connect-src 'self' http://127.0.0.1:5123/edge-test-brandbucket;" in local
    assert "amazonaws.com" not in local
    deployed = dict(edge_headers(template()))["Content-Security-Policy"]
    assert deployed == local.replace(
        "http://127.0.0.1:5123/edge-test-brandbucket",
        "https://edge-test-brandbucket.s3.us-east-1.amazonaws.com",
    )


def run_viewer_host(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The headers ViewerHost's code returns for each request, run in Node as CloudFront runs it."""
    code = template().resources["ViewerHost"]["Properties"]["FunctionCode"]
    script = code + "\nconsole.log(JSON.stringify(JSON.parse(process.argv[1]).map("
    script += "(request) => handler({version: '1.0', context: {eventType: 'viewer-request'},"
    script += " viewer: {ip: '198.51.100.7'}, request: request}).headers)));"
    done = subprocess.run(
        ["node", "-e", script, json.dumps(requests)], capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout))


def viewer_request(headers: dict[str, Any]) -> dict[str, Any]:
    return {"method": "GET", "uri": "/click", "querystring": {}, "headers": headers, "cookies": {}}


def test_the_api_learns_the_host_the_viewer_asked_for_and_no_host_the_viewer_made_up() -> None:
    country = {"cloudfront-viewer-country": {"value": "DE"}}
    answered = run_viewer_host(
        [
            # an advertiser's tracking domain
            viewer_request({"host": {"value": "track.acme.com"}, **country}),
            # a viewer that names another host of its own
            viewer_request(
                {"host": {"value": "partners.acme.com"}, "x-forwarded-host": {"value": "evil.example"}}
            ),
            # ... more than once
            viewer_request(
                {
                    "host": {"value": "partners.acme.com"},
                    "x-forwarded-host": {
                        "value": "a.example",
                        "multiValue": [{"value": "a.example"}, {"value": "b.example"}],
                    },
                }
            ),
            # no Host to copy: nothing of the viewer's passes as one
            viewer_request({"x-forwarded-host": {"value": "evil.example"}}),
        ]
    )
    assert answered[0] == {
        "host": {"value": "track.acme.com"},
        "x-forwarded-host": {"value": "track.acme.com"},
        **country,
    }
    assert answered[1]["x-forwarded-host"] == {"value": "partners.acme.com"}
    assert answered[2]["x-forwarded-host"] == {"value": "partners.acme.com"}
    assert "x-forwarded-host" not in answered[3]


def test_every_api_and_tracker_behaviour_of_both_distributions_forwards_the_viewers_host() -> None:
    tpl = template()
    for distribution in tpl.of_type("AWS::CloudFront::Distribution"):
        config = tpl.resources[distribution]["Properties"]["DistributionConfig"]
        to_api = [b for b in config["CacheBehaviors"] if b["TargetOriginId"] == "api"]
        assert {b["PathPattern"] for b in to_api} == {
            "/api/*",
            "/click",
            "/postback",
            "/pixel.gif",
            "/telegram/webhook",
        }
        for behaviour in to_api:
            assert behaviour["FunctionAssociations"] == [
                {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": ["ViewerHost", "FunctionARN"]}}
            ], (distribution, behaviour["PathPattern"])
            # AllViewerExceptHostHeader: every viewer header, the function's among them, but Host
            assert behaviour["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (INDEX, NEVER_STALE),
        ("assets/index-8w900jEf.js", IMMUTABLE),
        ("assets/index-DJTYxn5i.css", IMMUTABLE),
        ("favicon.svg", SHORT),
        ("theme.js", SHORT),
    ],
)
def test_hashed_files_are_kept_a_year_and_the_page_never(key: str, expected: str) -> None:
    assert cache_control(key) == expected


@pytest.mark.parametrize(
    "extra",
    [
        {"CorsConfig": {"AccessControlAllowCredentials": False}},
        {"SecurityHeadersConfig": {"XSSProtection": {"Protection": True, "Override": True}}},
    ],
)
def test_a_policy_part_the_local_gateway_does_not_play_is_refused(extra: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="does not play"):
        security_headers({"Name": "p", **extra})
