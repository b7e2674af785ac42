"""The HTTP baseline: the least a Powertools function answering an API Gateway event loads at its
cold start. Logger, Metrics and Tracer as partnerka.common.observability makes them, and a DynamoDB
client from a botocore session, made at load time as Powertools' examples make theirs."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics()
tracer = Tracer()
dynamodb = botocore.session.get_session().create_client("dynamodb")


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"path": event.get("rawPath", "/")}),
    }
