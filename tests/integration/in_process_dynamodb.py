"""DynamoDB calls carried to in-process moto without the HTTP request moto rebuilds for each.

moto's in-process mock answers a botocore request after botocore has signed it, as if it had come
over HTTP: it matches the URL against every service's patterns, rebuilds the request as a werkzeug
one (an environ, a stream, its form parsed) and only then hands it to the service's handler. In the
API's integration tests that carrying took more CPU than moto's DynamoDB work itself. Here a request
to DynamoDB's own endpoint goes straight to moto's DynamoDB handler, which sets itself up from the
request, parses the parameters, acts and answers as ever (moto_fixes included); only the werkzeug
request is replaced by the few fields the handler reads. Such a request is not signed either: moto
checks no signature, and takes the account and the region from what is still there (the default
account; the endpoint's region).

botocore's side is untouched: parameters validated and serialized, the answer parsed, an error
raised as the service's (its modelled fields included). Every other service, and DynamoDB through an
endpoint of its own (a moto server), goes moto's way. tests/integration/test_in_process_dynamodb.py
compares both ways' answers and errors.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import botocore
from botocore import handlers
from botocore.awsrequest import AWSPreparedRequest
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.models import botocore_stubber
from moto.dynamodb.responses import DynamoHandler
from werkzeug.datastructures import Headers, ImmutableMultiDict
from werkzeug.exceptions import HTTPException

# moto's own pattern for DynamoDB's endpoint (moto.backend_index), anchored: not its streams' endpoint.
_ENDPOINT = re.compile(r"https?://dynamodb\.[^./]+\.amazonaws\.com(/.*)?")
_IN_PROCESS = "partnerka:in-process-dynamodb"  # marks a call's context: moto answers it here
_installed = threading.Lock()
_done = False
_state = threading.local()


class _Request:
    """What moto's handler reads of a request (BaseResponse.setup_class, parse_parameters), from
    botocore's prepared one: a JSON POST without a form, files or query string."""

    from_wsgi_server = False
    content_encoding = None
    form: ImmutableMultiDict[str, str] = ImmutableMultiDict()
    files: ImmutableMultiDict[str, Any] = ImmutableMultiDict()
    values: ImmutableMultiDict[str, str] = ImmutableMultiDict()

    def __init__(self, request: AWSPreparedRequest) -> None:
        self.method = request.method
        self.raw_url = request.url
        self.path = self.raw_path = urlsplit(request.url).path or "/"
        self.headers = Headers(
            [(k, v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()]
        )
        self.content_type = self.headers.get("Content-Type")
        body = request.body
        self.data = body if isinstance(body, bytes) else (body or "").encode()
        self.environ: dict[str, Any] = {}


def _answered_here(original: Callable[..., Any]) -> Callable[..., Any]:
    def process_request(self: BotocoreStubber, request: AWSPreparedRequest) -> Any:
        if not _ENDPOINT.fullmatch(request.url) or getattr(_state, "motos_own_way", False):
            return original(self, request)
        handler = DynamoHandler()
        try:
            handler.setup_class(_Request(request))
            return handler.call_action()
        except HTTPException as error:  # as moto's own process_request answers one
            return error.code, error.get_headers(), error.get_body()

    process_request.__wrapped__ = original  # type: ignore[attr-defined]
    return process_request


def _mark_in_process(params: Mapping[str, Any], context: dict[str, Any], **_: Any) -> None:
    """before-call: a call moto answers in this process, to DynamoDB's own endpoint."""
    if (
        botocore_stubber.enabled
        and _ENDPOINT.fullmatch(params["url"])
        and not getattr(_state, "motos_own_way", False)
    ):
        context[_IN_PROCESS] = True


def _unsigned_in_process(context: Mapping[str, Any], **_: Any) -> Any:
    """choose-signer: no signature for a call nobody checks it for."""
    return botocore.UNSIGNED if context.get(_IN_PROCESS) else None


def install() -> None:
    """Idempotent: every botocore session made after this carries its DynamoDB calls this way."""
    global _done
    with _installed:
        if _done:
            return
        BotocoreStubber.process_request = _answered_here(BotocoreStubber.process_request)  # type: ignore[method-assign]
        handlers.BUILTIN_HANDLERS.append(("before-call.dynamodb", _mark_in_process))
        handlers.BUILTIN_HANDLERS.append(("choose-signer.dynamodb", _unsigned_in_process))
        _done = True


@contextmanager
def motos_own_way() -> Iterator[None]:
    """Within, on this thread: DynamoDB calls signed and answered by moto's own path, for comparison."""
    _state.motos_own_way = True
    try:
        yield
    finally:
        _state.motos_own_way = False
