"""The HTTP baseline of a function written with Powertools' event handler, as the dashboard API is:
the resolver for HTTP API events with its request validation (pydantic) on, one route taking a JSON
body and answering a model, Logger, Metrics and Tracer as partnerka.common.observability makes them,
and a DynamoDB client made at load time. The hot paths (click, postback) use no resolver (the
architecture forbids it there) and are held to the plain HTTP baseline (../http/app.py)."""

from __future__ import annotations

from typing import Any

import botocore.session
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from pydantic import BaseModel

logger = Logger()
metrics = Metrics()
tracer = Tracer()
dynamodb = botocore.session.get_session().create_client("dynamodb")
app = APIGatewayHttpResolver(enable_validation=True)


class Note(BaseModel):
    text: str


class Saved(BaseModel):
    id: str
    text: str


@app.post("/api/notes")
def save_note(note: Note) -> Saved:
    return Saved(id="1", text=note.text)


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
