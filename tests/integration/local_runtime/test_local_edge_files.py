"""The edge's bucket paths and the browser's uploads, as the local runtime plays them: a path of a
behaviour whose origin is a bucket is served from the emulated bucket with the object's own headers,
and moto's server answers a browser's cross-origin form upload by the bucket's own CORS rules (and
holds the upload to its presigned policy), as S3 does."""

from __future__ import annotations

import io
import uuid
from typing import Any

import boto3
from botocore.config import Config
from local_runtime_helpers import Response, client, http

from partnerka_local import LocalRuntime

BUCKET = "toy-toybucket"
OURS = "http://app.toy.localhost:5173"  # the origin the bucket's CORS rule admits


def s3(runtime: LocalRuntime) -> Any:
    return client(runtime, "s3")


def form_post(url: str, fields: dict[str, str], data: bytes, headers: dict[str, str]) -> Response:
    """A multipart/form-data POST as a browser's FormData sends it: the fields, then the file."""
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    body.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\n'
        f"Content-Type: {fields.get('Content-Type', 'application/octet-stream')}\r\n\r\n".encode()
    )
    body.write(data + f"\r\n--{boundary}--\r\n".encode())
    content_type = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return http(url, "POST", body.getvalue(), {**content_type, **headers})


def test_a_bucket_behaviours_paths_are_its_objects_with_their_own_headers(runtime: LocalRuntime) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
    s3(runtime).put_object(
        Bucket=BUCKET,
        Key="files/acme/0123456789abcdef.png",
        Body=png,
        ContentType="image/png",
        CacheControl="public, max-age=31536000, immutable",
    )
    served = http(f"{runtime.url}/files/acme/0123456789abcdef.png")
    assert (served.status, served.body) == (200, png)
    assert served.header("content-type") == "image/png"
    assert served.header("cache-control") == "public, max-age=31536000, immutable"
    # A missing object is S3's 403 through the edge (its access reads, it does not list)
    assert http(f"{runtime.url}/files/acme/missing.png").status == 403
    # and a method the behaviour does not allow is the edge's 403, never a write
    assert http(f"{runtime.url}/files/acme/x.png", "POST", b"x").status == 403
    assert http(f"{runtime.url}/files/acme/x.png", "DELETE").status == 403
    assert s3(runtime).list_objects_v2(Bucket=BUCKET, Prefix="files/acme/x.png").get("KeyCount") == 0


def test_moto_answers_a_browsers_cross_origin_upload_by_the_buckets_own_cors_rules(
    runtime: LocalRuntime,
) -> None:
    signer = boto3.client(
        "s3",
        endpoint_url=runtime.aws_env["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4"),
    )
    post = signer.generate_presigned_post(
        BUCKET,
        "uploads/acme/abc",
        Fields={"Content-Type": "image/png"},
        Conditions=[{"Content-Type": "image/png"}, ["content-length-range", 1, 1024]],
        ExpiresIn=300,
    )
    # The browser's preflight, were it to send one: admitted for our origin, refused for another
    preflight = {"Access-Control-Request-Method": "POST"}
    admitted = http(post["url"], "OPTIONS", headers={**preflight, "Origin": OURS})
    assert (admitted.status, admitted.header("access-control-allow-origin")) == (200, OURS)
    assert http(post["url"], "OPTIONS", headers={**preflight, "Origin": "http://evil.example"}).status == 403
    # The upload itself: stored, and readable by the page (its answer carries the origin)
    posted = form_post(post["url"], post["fields"], b"\x89PNG" + b"\0" * 60, {"Origin": OURS})
    assert (posted.status, posted.header("access-control-allow-origin")) == (204, OURS)
    assert s3(runtime).head_object(Bucket=BUCKET, Key="uploads/acme/abc")["ContentLength"] == 64
    # S3's refusals reach the page too, and another origin is not let to read any answer
    too_big = form_post(post["url"], post["fields"], b"\0" * 2000, {"Origin": OURS})
    assert (too_big.status, too_big.header("access-control-allow-origin")) == (400, OURS)
    assert b"EntityTooLarge" in too_big.body
    retyped = form_post(
        post["url"], {**post["fields"], "Content-Type": "text/html"}, b"<html>", {"Origin": OURS}
    )
    assert retyped.status == 403
    foreign = form_post(post["url"], post["fields"], b"\x89PNG", {"Origin": "http://evil.example"})
    assert foreign.header("access-control-allow-origin") is None
