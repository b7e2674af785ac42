"""Helpers shared by the local runtime tests: a tiny HTTP client and boto3 clients bound to moto."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config

from partnerka_local import LocalRuntime


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def http(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> Response:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Response(response.status, list(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, list(error.headers.items()), error.read())


def client(runtime: LocalRuntime, service: str) -> Any:
    env = runtime.aws_env
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=env["AWS_ENDPOINT_URL"],
        region_name=env["AWS_REGION"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        config=Config(account_id_endpoint_mode="disabled"),
    )
