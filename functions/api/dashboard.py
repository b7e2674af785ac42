"""What every API function shares: the resolver of the dashboard's JSON API and the Lambda entry point
around it. Each API function (handlers/<context>.py) serves its context's routers with it.

Errors are one envelope: {"error": {"code", "message"}}, with an error's own fields beside them (a
plan's limit: the limit, what is in use, what is allowed). Before a route's input is validated, the
caller of a protected route is authenticated (an anonymous call is a 401 whatever it sent) and a body
is checked to be UTF-8 JSON; then Powertools validates the input against the route's models (a 400),
and the route runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import caller_language
import composition
from auth import PUBLIC_OPERATIONS, Caller, authenticate, signed_in
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder, Route, Router
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from request_body import check_json_body, parse_json

from partnerka.common.error_messages import message_in
from partnerka.common.errors import HTTP_STATUS, DomainError, ErrorCode, RateLimited, error_envelope
from partnerka.common.observability import logger, metrics, tenant_keys, tracer

Answer = ResponseBuilder[Any]
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
PREFIX = "/api"


class DashboardResolver(APIGatewayHttpResolver):
    """Powertools' resolver for `routers` (under /api), with the caller and the body's encoding
    checked before validation, and every error answered in the envelope.

    Powertools runs its request validation before any middleware, so these checks sit where it calls
    a matched route (a request with no route is a 404 for anyone)."""

    def __init__(self, routers: Iterable[Router]) -> None:
        super().__init__(enable_validation=True, json_body_deserializer=parse_json)
        self.exception_handler(DomainError)(self._domain_error)
        self.exception_handler(RequestValidationError)(self._invalid_request)
        self.exception_handler(Exception)(self._internal_error)
        self.not_found(self._no_route)
        for router in routers:
            self.include_router(router, prefix=PREFIX)

    def _handle_not_found(self, method: str, path: str) -> Answer:
        self.context["unmatched"] = True  # the context is cleared after every request
        return super()._handle_not_found(method, path)

    def _call_route(self, route: Route, route_arguments: dict[str, str]) -> Answer:
        caller: Caller | None = None
        if not self.context.get("unmatched"):
            try:
                operation = (route.method, route.openapi_path)
                if operation not in PUBLIC_OPERATIONS:
                    portal = composition.portal_of(self.current_event.raw_event)
                    caller = authenticate(self.current_event.headers, operation, portal)
                if route.dependant.body_params:
                    check_json_body(self.current_event)
            except Exception as error:  # answered as the route's own errors are
                answer: Answer | None = self._call_exception_handler(error, route)
                if answer is None:
                    raise
                return answer
        with signed_in(caller), logger.append_context_keys(**_log_keys(caller)):
            return super()._call_route(route, route_arguments)

    def _error(
        self, code: ErrorCode, detail: str, extra: Mapping[str, Any] | None = None
    ) -> Response[dict[str, Any]]:
        """The envelope in the caller's language: `message` localized, `detail` the specifics as stated,
        and the error's own fields (`extra`) for the caller to act on."""
        language = caller_language.answer_language(self.current_event.headers)
        body = error_envelope(code, message_in(code, language, detail), detail, extra)
        return Response(status_code=HTTP_STATUS[code], content_type="application/json", body=body)

    def _domain_error(self, error: DomainError) -> Response[dict[str, Any]]:
        response = self._error(error.code, error.message, error.details())
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(max(1, error.retry_after))
        return response

    def _invalid_request(self, error: RequestValidationError) -> Response[dict[str, Any]]:
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
        return self._error(ErrorCode.VALIDATION_ERROR, "; ".join(problems) or "the request is not valid")

    def _internal_error(self, _: Exception) -> Response[dict[str, Any]]:
        """A fault of ours still answers the envelope (and is logged with its traceback)."""
        logger.exception("unhandled error")
        return self._error(ErrorCode.INTERNAL, "something went wrong on our side; it was logged")

    def _no_route(self, _: Exception) -> Response[dict[str, Any]]:
        return self._error(ErrorCode.NOT_FOUND, f"no route {self.current_event.raw_path}")


def _log_keys(caller: Caller | None) -> dict[str, str]:
    """What every line logged while serving the caller carries: its tenant (the advertiser context),
    who it is and as what (the request's id is the correlation id)."""
    if caller is None:
        return {}
    principal = caller[0]
    return tenant_keys(
        principal.advertiser_id,
        user_id=principal.user_id,
        role=principal.role.value,
        affiliate_id=principal.affiliate_id,
        api_key_id=principal.api_key_id,
    )


def dashboard_handler(app: DashboardResolver, services: Iterable[Callable[[], object]] = ()) -> Handler:
    """The Lambda entry point of an API function serving `app`. Its `services` (composition's) are
    built now, at cold start: a setting one of them misses stops the function here, naming it."""
    composition.start(services)

    @logger.inject_lambda_context(correlation_id_path="requestContext.requestId")
    @metrics.log_metrics(capture_cold_start_metric=True)
    @tracer.capture_lambda_handler(capture_response=False)  # answers hold tokens and personal data
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        caller_language.start_request()
        return app.resolve(event, context)

    return cast(Handler, handler)  # Powertools' metrics decorator is untyped
