"""/api/*: the dashboard's JSON API. Errors are one envelope: {"error": {"code", "message"}}."""

from __future__ import annotations

from typing import Any

import caller_language
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
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

app = APIGatewayHttpResolver(enable_validation=True)
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


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(
        status_code=200,
        content_type="application/json",
        body=app.get_openapi_json_schema(title="Partnerka API", version="0.1.0"),
    )


@app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
def domain_error(error: DomainError) -> Response[dict[str, Any]]:
    response = _error(error.code, error.message)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(max(1, error.retry_after))
    return response


@app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in item.get('loc', ())[1:]) or 'request'}: {item.get('msg', 'invalid')}"
        for item in error.errors()
    )
    return _error(ErrorCode.VALIDATION_ERROR, problems or "the request is not valid")


@app.not_found
def not_found(_: Exception) -> Response[dict[str, Any]]:
    return _error(ErrorCode.NOT_FOUND, f"no route {app.current_event.raw_path}")


@logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    caller_language.start_request()
    return app.resolve(event, context)
