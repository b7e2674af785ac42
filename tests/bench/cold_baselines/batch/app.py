"""The batch baseline: the least a Powertools queue or stream consumer loads at its cold start.
Logger, Metrics and Tracer as partnerka.common.observability makes them, Powertools' BatchProcessor
answering with the records that failed, and a DynamoDB client from a botocore session, made at load
time as Powertools' examples make theirs."""

from __future__ import annotations

from typing import Any

import botocore.session
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

logger = Logger()
metrics = Metrics()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.SQS)
dynamodb = botocore.session.get_session().create_client("dynamodb")


def record_handler(record: SQSRecord) -> None:
    logger.info("record", message_id=record.message_id)


@logger.inject_lambda_context
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    )
