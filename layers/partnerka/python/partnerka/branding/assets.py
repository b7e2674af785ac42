"""The brand bucket: where the browser uploads an image (by a presigned POST, straight to S3) and where
a checked image is published for the edge to serve.

Keys: `uploads/<advertiser>/<random>` for what a browser posted (removed a day later by the bucket's
lifecycle rule, if it was never attached), and `brand/<advertiser>/<hash>.<ext>` for what the edge
serves at the same path (`/brand/*`, template.yaml). A published image is never changed nor deleted:
its name is its content's hash, so it is cached for a year, and e-mails already sent keep showing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from botocore.config import Config
from botocore.exceptions import ClientError

from partnerka.branding.models import UploadForm
from partnerka.common import aws
from partnerka.common.timeouts import read_timeout

IMMUTABLE = "public, max-age=31536000, immutable"
# Without s3:ListBucket on the bucket (the function has none), S3 answers a missing key 403, not 404.
_MISSING = frozenset({"NoSuchKey", "404", "AccessDenied", "403"})


@dataclass(frozen=True, slots=True)
class Upload:
    """What a browser posted: its declared Content-Type (the policy held it to the one the form was
    signed for) and its bytes."""

    content_type: str
    data: bytes


class BrandFiles(Protocol):
    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> UploadForm:
        """A presigned POST that lets a browser put one file of `content_type` and 1 to `max_bytes`
        bytes at `key`, for `expires_in` seconds; S3 refuses any other."""
        ...

    def read_upload(self, key: str, max_bytes: int) -> Upload | None:
        """The file posted at `key`; None when there is none (never posted, or expired). A file longer
        than `max_bytes` is answered without its bytes past the limit (`data` longer than
        `max_bytes` says it is too long)."""
        ...

    def publish(self, key: str, data: bytes, content_type: str) -> None:
        """Put an image where the edge serves it, cached for a year, with `content_type`: the format
        its own bytes are. The edge answers with `X-Content-Type-Options: nosniff`, so a browser
        takes that type as given and never sniffs the bytes into anything else."""
        ...

    def discard(self, key: str) -> None: ...


# Signature version 4 (S3 takes no other for new buckets), and the bucket's regional host: the one
# the dashboard's CSP admits (template.yaml, SecurityHeaders' connect-src). With AWS_ENDPOINT_URL set
# (the emulator) the endpoint is that one.
_CONFIG = Config(
    signature_version="s3v4",
    s3={"addressing_style": "virtual", "us_east_1_regional_endpoint": "regional"},
    connect_timeout=2,
    read_timeout=read_timeout(5),
    retries={"mode": "standard", "max_attempts": 3},
)


class BucketBrandFiles:
    def __init__(self, bucket: str) -> None:
        self._bucket = bucket

    @staticmethod
    @cache
    def _s3() -> Any:
        return aws.session().create_client("s3", config=_CONFIG)

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> UploadForm:
        posted = self._s3().generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in,
        )
        return UploadForm(str(posted["url"]), dict(posted["fields"]), key, max_bytes)

    def read_upload(self, key: str, max_bytes: int) -> Upload | None:
        try:
            found = self._s3().get_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if str(error.response.get("Error", {}).get("Code")) in _MISSING:
                return None
            raise
        body = found["Body"]
        try:
            data = body.read(max_bytes + 1)
        finally:
            body.close()
        return Upload(str(found.get("ContentType") or ""), data)

    def publish(self, key: str, data: bytes, content_type: str) -> None:
        self._s3().put_object(
            Bucket=self._bucket, Key=key, Body=data, ContentType=content_type, CacheControl=IMMUTABLE
        )

    def discard(self, key: str) -> None:
        self._s3().delete_object(Bucket=self._bucket, Key=key)
