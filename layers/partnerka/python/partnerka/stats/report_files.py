"""The reports bucket as the API reads it: what lies under a prefix, whether a file is there, and
short-lived links that download one (the reports worker writes the files)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import ClientError

LINK_SECONDS = 900
CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    size_bytes: int


class ReportFiles(Protocol):
    def listed(self, prefix: str) -> Iterator[StoredFile]:
        """Every file whose key starts with `prefix`."""
        ...

    def exists(self, key: str) -> bool: ...

    def link(self, key: str, file_name: str, content_type: str = CSV) -> str:
        """A link valid for LINK_SECONDS that downloads the file as `file_name`."""
        ...


class BucketFiles:
    def __init__(self, bucket: str, client: Any = None) -> None:
        self._bucket = bucket
        self._client = client

    def _s3(self) -> Any:
        if self._client is None:
            # Imported here: boto3 (with s3transfer and multiprocessing) costs some 15 ms of CPU at
            # the cold start of every API function that can link a file, most of whose calls do not.
            import boto3

            self._client = boto3.client("s3")
        return self._client

    def listed(self, prefix: str) -> Iterator[StoredFile]:
        pages = self._s3().get_paginator("list_objects_v2").paginate(Bucket=self._bucket, Prefix=prefix)
        for page in pages:
            for found in page.get("Contents", []):
                yield StoredFile(found["Key"], int(found.get("Size", 0)))

    def exists(self, key: str) -> bool:
        try:
            self._s3().head_object(Bucket=self._bucket, Key=key)
        except ClientError:
            return False
        return True

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self._s3().put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type)

    def link(self, key: str, file_name: str, content_type: str = CSV) -> str:
        return str(
            self._s3().generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self._bucket,
                    "Key": key,
                    "ResponseContentDisposition": f'attachment; filename="{file_name}"',
                    "ResponseContentType": content_type,
                },
                ExpiresIn=LINK_SECONDS,
            )
        )
