"""Every AWS call a function makes while the integration tests run, as the IAM authorizations it needs.

A botocore hook registered for every session (where moto registers its own stubber) sees each call's
operation and parameters before it is sent, presigned URLs included (a link signed by the function
is authorized as the function). A presigned POST is authorized as the PutObject it lets a browser
make, on the key it was signed for: botocore builds its URL from a CreateBucket request, which is
not what is authorized, so it is seen where the form is signed instead. A call made while a function's cold start or handler runs belongs to
that function: the loader marks the running function in a context variable, which a handler's
thread pool inherits. Calls made by a test's own setup code belong to no function and are not
checked.
"""

from __future__ import annotations

import contextvars
import email.utils
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from botocore import handlers

from partnerka_local.template import ACCOUNT_ID, PARTITION

# What IAM authorizes a few operations as (the rest: `<prefix>:<Operation>`).
_AUTHORIZED_AS = {
    ("sqs", "SendMessageBatch"): "SendMessage",
    ("sqs", "DeleteMessageBatch"): "DeleteMessage",
    ("sqs", "ChangeMessageVisibilityBatch"): "ChangeMessageVisibility",
    ("s3", "HeadObject"): "GetObject",
    ("s3", "ListObjectsV2"): "ListBucket",
    ("s3", "HeadBucket"): "ListBucket",
    ("s3", "CreateMultipartUpload"): "PutObject",
    ("s3", "UploadPart"): "PutObject",
    ("s3", "CompleteMultipartUpload"): "PutObject",
}
# A transaction is authorized item by item, as the single-item action of each.
_TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
UNKNOWN = "<unknown resource>"


@dataclass(frozen=True, slots=True)
class Access:
    """One authorization a call needs: an IAM action on a resource's ARN."""

    action: str
    resource: str


@dataclass(frozen=True, slots=True)
class Call:
    """An AWS call a function made, and what IAM must allow for it."""

    function: str
    operation: str
    needs: tuple[Access, ...]


_running: contextvars.ContextVar[str | None] = contextvars.ContextVar("running_function", default=None)
_calls: list[Call] = []
_installed = threading.Lock()
_done = False


@contextmanager
def running(function: str) -> Iterator[None]:
    """Within: AWS calls on this thread (and the thread pools it starts) are `function`'s."""
    token = _running.set(function)
    try:
        yield
    finally:
        _running.reset(token)


def as_function[**P, R](function: str, call: Callable[P, R]) -> Callable[P, R]:
    """`call` (a handler) run as `function`."""

    def attributed(*args: P.args, **kwargs: P.kwargs) -> R:
        with running(function):
            return call(*args, **kwargs)

    return attributed


def mark() -> int:
    """Where the log stands now: `since(mark())` is what came after."""
    return len(_calls)


def since(position: int) -> list[Call]:
    return list(_calls[position:])


def install() -> None:
    """Record from now on (idempotent): the hook goes into every botocore session made after this."""
    global _done
    with _installed:
        if _done:
            return
        handlers.BUILTIN_HANDLERS.append(("before-parameter-build", _record))
        handlers.BUILTIN_HANDLERS.append(("before-sign.s3.PutObject", _record_presigned_post))
        _inherit_context_in_thread_pools()
        _done = True


def _inherit_context_in_thread_pools() -> None:
    """A handler's thread pool works for the handler: its tasks run in a copy of the submitter's
    context (as asyncio tasks do), so their calls are attributed to the same function."""
    submit = ThreadPoolExecutor.submit

    def submit_in_context(
        self: ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> Future[Any]:
        return submit(self, contextvars.copy_context().run, fn, *args, **kwargs)

    ThreadPoolExecutor.submit = submit_in_context  # type: ignore[method-assign]


def _record(
    params: Mapping[str, Any], model: Any, context: Mapping[str, Any] | None = None, **_: Any
) -> None:
    function = _running.get()
    if function is None:
        return
    if model.name == "CreateBucket" and (context or {}).get("is_presign_request"):
        return  # a presigned POST's URL: recorded as its PutObject when signed (_record_presigned_post)
    service = model.service_model
    region = (context or {}).get("client_region") or "us-east-1"
    needs = accesses(service.service_name, service.signing_name, model.name, params, region)
    _calls.append(Call(function, f"{service.service_name}:{model.name}", needs))


def _record_presigned_post(request: Any, **_: Any) -> None:
    function = _running.get()
    fields = request.context.get("s3-presign-post-fields")
    if function is None or fields is None:
        return
    conditions = request.context["s3-presign-post-policy"]["conditions"]
    bucket = next(c["bucket"] for c in conditions if isinstance(c, dict) and "bucket" in c)
    resource = f"arn:{PARTITION}:s3:::{bucket}/{fields['key']}"
    _calls.append(Call(function, "s3:PostObject", (Access("s3:PutObject", resource),)))


def accesses(
    service: str, prefix: str, operation: str, params: Mapping[str, Any], region: str
) -> tuple[Access, ...]:
    """The IAM authorizations a call of `operation` with `params` needs."""
    if service == "dynamodb":
        return _dynamodb(operation, params, region)
    action = f"{prefix}:{_AUTHORIZED_AS.get((service, operation), operation)}"
    if service == "sqs":
        return tuple(Access(action, arn) for arn in _sqs_queues(operation, params, region))
    if service == "s3" and operation == "DeleteObjects":
        # IAM has no s3:DeleteObjects: each key of the batch is authorized as s3:DeleteObject.
        bucket = params.get("Bucket", "")
        keys = [item["Key"] for item in params.get("Delete", {}).get("Objects", [])]
        return tuple(Access(f"{prefix}:DeleteObject", f"arn:{PARTITION}:s3:::{bucket}/{key}") for key in keys)
    if service == "s3":
        bucket = params.get("Bucket", "")
        key = params.get("Key")
        resource = f"arn:{PARTITION}:s3:::{bucket}" + (f"/{key}" if key is not None else "")
        return (Access(action, resource),)
    if service == "secretsmanager":
        secret = str(params.get("SecretId", ""))
        if not secret.startswith("arn:"):
            secret = f"arn:{PARTITION}:secretsmanager:{region}:{ACCOUNT_ID}:secret:{secret}-??????"
        return (Access(action, secret),)
    if service in ("ses", "sesv2"):
        sender = str(params.get("Source") or params.get("FromEmailAddress") or "")
        address = email.utils.parseaddr(sender)[1]
        return (Access(f"ses:{operation}", f"arn:{PARTITION}:ses:{region}:{ACCOUNT_ID}:identity/{address}"),)
    return (Access(action, UNKNOWN),)


def _table(name: str, region: str, index: str | None = None) -> str:
    arn = f"arn:{PARTITION}:dynamodb:{region}:{ACCOUNT_ID}:table/{name}"
    return f"{arn}/index/{index}" if index else arn


def _dynamodb(operation: str, params: Mapping[str, Any], region: str) -> tuple[Access, ...]:
    if operation == "TransactWriteItems":
        found: list[Access] = []
        for item in params.get("TransactItems", []):
            for kind, request in item.items():
                found.append(
                    Access(f"dynamodb:{_TRANSACT_ACTIONS[kind]}", _table(request["TableName"], region))
                )
        return tuple(dict.fromkeys(found))
    if operation == "TransactGetItems":
        tables = {item["Get"]["TableName"] for item in params.get("TransactItems", [])}
        return tuple(Access("dynamodb:GetItem", _table(t, region)) for t in sorted(tables))
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return tuple(
            Access(f"dynamodb:{operation}", _table(t, region)) for t in sorted(params.get("RequestItems", {}))
        )
    if "TableName" in params:
        return (
            Access(f"dynamodb:{operation}", _table(params["TableName"], region, params.get("IndexName"))),
        )
    return (Access(f"dynamodb:{operation}", UNKNOWN),)


def _sqs_queues(operation: str, params: Mapping[str, Any], region: str) -> list[str]:
    if "QueueUrl" in params:
        path = urlsplit(str(params["QueueUrl"])).path.strip("/").split("/")
        account, name = (path[-2], path[-1]) if len(path) >= 2 else (ACCOUNT_ID, path[-1])
        return [f"arn:{PARTITION}:sqs:{region}:{account}:{name}"]
    if operation in ("StartMessageMoveTask", "ListMessageMoveTasks") and "SourceArn" in params:
        return [str(params["SourceArn"])]
    if operation == "CancelMessageMoveTask":
        return [UNKNOWN]
    if "QueueName" in params:
        return [f"arn:{PARTITION}:sqs:{region}:{ACCOUNT_ID}:{params['QueueName']}"]
    return [UNKNOWN]
