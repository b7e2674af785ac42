"""/api/*: the dashboard's JSON API. Errors are one envelope: {"error": {"code", "message"}}.

Before a route's input is validated, the caller of a protected route is authenticated (an anonymous
call is a 401 whatever it sent) and a body is checked to be UTF-8 JSON; then Powertools validates the
input against the route's models (a 400), and the route runs.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import caller_language
from api_document import complete
from auth import PUBLIC_OPERATIONS, Caller, authenticate, signed_in
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder, Route
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from request_body import check_json_body, parse_json
from routes import (
    accounts,
    admin,
    audit,
    clicks,
    conversions,
    exports,
    finance,
    monitor,
    offers,
    postbacks,
    stats,
    workspace,
)

from partnerka.common.error_messages import message_in
from partnerka.common.errors import HTTP_STATUS, DomainError, ErrorCode, RateLimited, error_envelope
from partnerka.common.observability import logger

Answer = ResponseBuilder[Any]


class DashboardResolver(APIGatewayHttpResolver):
    """Powertools' resolver, with the caller and the body's encoding checked before validation.

    Powertools runs its request validation before any middleware, so these checks sit where it calls
    a matched route (a request with no route is a 404 for anyone)."""

    def _handle_not_found(self, method: str, path: str) -> Answer:
        self.context["unmatched"] = True  # the context is cleared after every request
        return super()._handle_not_found(method, path)

    def _call_route(self, route: Route, route_arguments: dict[str, str]) -> Answer:
        caller: Caller | None = None
        if not self.context.get("unmatched"):
            try:
                operation = (route.method, route.openapi_path)
                if operation not in PUBLIC_OPERATIONS:
                    caller = authenticate(self.current_event.headers, operation)
                if route.dependant.body_params:
                    check_json_body(self.current_event)
            except Exception as error:  # answered as the route's own errors are
                answer: Answer | None = self._call_exception_handler(error, route)
                if answer is None:
                    raise
                return answer
        with signed_in(caller):
            return super()._call_route(route, route_arguments)


app = DashboardResolver(enable_validation=True, json_body_deserializer=parse_json)
app.include_router(stats.router, prefix="/api/stats")
for context_router in (
    accounts.router,
    admin.router,
    workspace.router,
    offers.router,
    conversions.router,
    clicks.router,
    audit.router,
    postbacks.router,
    monitor.router,
    exports.router,
    finance.router,
):
    app.include_router(context_router, prefix="/api")


def _error(code: ErrorCode, detail: str) -> Response[dict[str, Any]]:
    """The envelope in the caller's language: `message` localized, `detail` the specifics as stated."""
    language = caller_language.answer_language(app.current_event.headers)
    body = error_envelope(code, message_in(code, language, detail), detail)
    return Response(status_code=HTTP_STATUS[code], content_type="application/json", body=body)


@app.get("/api/health", summary="Liveness")
def health() -> dict[str, str]:
    return {"status": "ok"}


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document: every route, its models, its error answers and who may call it (built
    once per instance: it takes most of a second)."""
    generated = json.loads(app.get_openapi_json_schema(title="Partnerka API", version="0.1.0"))
    return complete(generated, PUBLIC_OPERATIONS)


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=json.dumps(openapi_document()))


@app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
def domain_error(error: DomainError) -> Response[dict[str, Any]]:
    response = _error(error.code, error.message)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(max(1, error.retry_after))
    return response


@app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    errors = error.errors()
    # A field that may be left out but not nulled (`T | MISSING`) fails twice: as a T, its location
    # tagged with T's name, and as not the MISSING sentinel. Say only the first, at the field itself.
    optional = {tuple(e["loc"][:-1]) for e in errors if e.get("type") == "missing_sentinel_error"}
    problems = []
    for item in errors:
        if item.get("type") == "missing_sentinel_error":
            continue
        loc = list(item.get("loc", ()))
        for depth in range(len(loc) - 1, 0, -1):
            if tuple(loc[:depth]) in optional:
                del loc[depth]
                break
        problems.append(f"{'.'.join(str(p) for p in loc[1:]) or 'request'}: {item.get('msg', 'invalid')}")
    return _error(ErrorCode.VALIDATION_ERROR, "; ".join(problems) or "the request is not valid")


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def internal_error(error: Exception) -> Response[dict[str, Any]]:
    """A fault of ours still answers the envelope (and is logged with its traceback)."""
    logger.exception("unhandled error")
    return _error(ErrorCode.INTERNAL, "something went wrong on our side; it was logged")


@app.not_found
def not_found(_: Exception) -> Response[dict[str, Any]]:
    return _error(ErrorCode.NOT_FOUND, f"no route {app.current_event.raw_path}")


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    caller_language.start_request()
    return app.resolve(event, context)
