"""The analytics bucket as the orchestrator, the compaction and the DuckDB engine use it: a Parquet
object put, the objects listed with their ETags, and one copied to a local file, or found gone (merged
and deleted by a compaction meanwhile). The client is made on first use: a function that never
touches the bucket never builds one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerka.analytics.schema import partition_of


@dataclass(frozen=True, slots=True)
class Listed:
    key: str
    etag: str
    size: int


class BucketObjects:
    def __init__(self, bucket: str, client: Any = None) -> None:
        self.bucket = bucket
        self._client = client

    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("s3")
        return self._client

    def put(self, key: str, body: bytes) -> None:
        self.client().put_object(
            Bucket=self.bucket, Key=key, Body=body, ContentType="application/vnd.apache.parquet"
        )

    def pages(self, **request: Any) -> Iterator[dict[str, Any]]:
        yield from self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, **request)

    def listed(self, prefix: str) -> list[Listed]:
        """The store's objects under `prefix` (anything else in the bucket is left out)."""
        return [
            Listed(item["Key"], str(item["ETag"]).strip('"'), int(item["Size"]))
            for page in self.pages(Prefix=prefix)
            for item in page.get("Contents", [])
            if partition_of(item["Key"]) is not None
        ]

    def fetch(self, key: str, path: Path) -> bool:
        """Copy one object to `path` (whole, or not at all); False when it is gone."""
        from botocore.exceptions import ClientError

        part = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
        try:
            self.client().download_file(self.bucket, key, str(part))
        except ClientError as error:
            part.unlink(missing_ok=True)
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return False
            raise
        part.replace(path)
        return True
