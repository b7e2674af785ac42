"""Every asynchronous path in template.yaml is built to fail safely: stream mappings bisect, retry a
bounded number of times, report partial batches and send what they give up on somewhere; every SQS
consumer reports partial batches, its queue has a DLQ, and the queue hides a message for at least six
times the consumer's timeout (AWS's advice, so a slow attempt is not delivered twice at once)."""

from __future__ import annotations

import copy
from typing import Any

from samtranslator.yaml_helper import yaml_parse

from tests.conftest import ROOT

MAX_STREAM_RETRIES = 10
STREAM_SOURCES = ("DynamoDB", "Kinesis")


def _queue_of(reference: Any) -> str | None:
    """The logical id in `!GetAtt Queue.Arn` (or `!Ref Queue`), else None."""
    if isinstance(reference, dict) and "Fn::GetAtt" in reference:
        target = reference["Fn::GetAtt"]
        return str(target[0] if isinstance(target, list) else target.split(".")[0])
    if isinstance(reference, dict) and "Ref" in reference:
        return str(reference["Ref"])
    return None


def problems(document: dict[str, Any]) -> list[str]:
    resources: dict[str, Any] = document["Resources"]
    global_timeout = document.get("Globals", {}).get("Function", {}).get("Timeout", 3)
    queues = {name for name, r in resources.items() if r["Type"] == "AWS::SQS::Queue"}
    dead_letter = {
        _queue_of(resources[q].get("Properties", {}).get("RedrivePolicy", {}).get("deadLetterTargetArn"))
        for q in queues
    }
    found: list[str] = []
    for name, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        timeout = int(props.get("Timeout", global_timeout))
        for event_name, event in props.get("Events", {}).items():
            where = f"{name}.{event_name}"
            spec = event.get("Properties", {})
            if event["Type"] in STREAM_SOURCES:
                if spec.get("BisectBatchOnFunctionError") is not True:
                    found.append(f"{where}: BisectBatchOnFunctionError must be true")
                retries = spec.get("MaximumRetryAttempts")
                if not isinstance(retries, int) or not 0 <= retries <= MAX_STREAM_RETRIES:
                    found.append(f"{where}: MaximumRetryAttempts must be set, at most {MAX_STREAM_RETRIES}")
                if not spec.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"):
                    found.append(f"{where}: needs an OnFailure destination")
                if "ReportBatchItemFailures" not in spec.get("FunctionResponseTypes", []):
                    found.append(f"{where}: must report partial batch failures")
            elif event["Type"] == "SQS":
                if "ReportBatchItemFailures" not in spec.get("FunctionResponseTypes", []):
                    found.append(f"{where}: must report partial batch failures")
                queue = _queue_of(spec.get("Queue"))
                if queue not in queues:
                    found.append(f"{where}: consumes no queue of this template")
                    continue
                queue_props = resources[queue].get("Properties", {})
                if not queue_props.get("RedrivePolicy", {}).get("deadLetterTargetArn"):
                    found.append(f"{where}: queue {queue} needs a dead-letter queue")
                visibility = int(queue_props.get("VisibilityTimeout", 30))
                if visibility < 6 * timeout:
                    found.append(f"{where}: {queue} VisibilityTimeout {visibility} < 6 × timeout {timeout}")
    destinations = {
        _queue_of(
            event.get("Properties", {}).get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        )
        for resource in resources.values()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource.get("Properties", {}).get("Events", {}).values()
    }
    for queue in sorted(queues - dead_letter - destinations):
        if not resources[queue].get("Properties", {}).get("RedrivePolicy"):
            found.append(f"{queue}: a work queue without a dead-letter queue")
    return found


def template() -> dict[str, Any]:
    return yaml_parse((ROOT / "template.yaml").read_text())  # type: ignore[no-any-return]


def test_every_async_path_of_the_template_fails_safely() -> None:
    assert problems(template()) == []


def test_the_check_catches_each_kind_of_mistake() -> None:
    document = template()
    broken = copy.deepcopy(document)
    stream = broken["Resources"]["OrchestratorFunction"]["Properties"]["Events"]["ClicksStream"]["Properties"]
    stream["BisectBatchOnFunctionError"] = False
    stream.pop("MaximumRetryAttempts")
    stream.pop("DestinationConfig")
    stream["FunctionResponseTypes"] = []
    broken["Resources"]["NotifyQueue"]["Properties"].pop("RedrivePolicy")
    broken["Resources"]["OrchestratorFunction"]["Properties"]["Events"]["Work"] = {
        "Type": "SQS",
        "Properties": {"Queue": {"Fn::GetAtt": ["FinanceQueue", "Arn"]}},
    }
    found = problems(broken)
    # 4 for the stream, 2 for the consumer, and the queue without a DLQ (its consumer's and its own)
    # with its now orphaned DLQ
    assert len(found) == 9, found
    assert "NotifierFunction.Notifications: queue NotifyQueue needs a dead-letter queue" in found
    assert any("VisibilityTimeout 60 < 6 × timeout 60" in line for line in found)
    assert any("NotifyQueue: a work queue without a dead-letter queue" in line for line in found)
