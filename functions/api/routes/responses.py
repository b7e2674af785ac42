"""The two non-200 answers routes give: 201 with the created thing, and 204 with nothing."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel

NoContent = Response[None]


def created[ModelT: BaseModel](model: ModelT) -> Response[ModelT]:
    return Response(status_code=201, content_type="application/json", body=model)


def no_content() -> NoContent:
    return Response(status_code=204, body=None)
