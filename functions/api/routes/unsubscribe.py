"""/api/notifications/unsubscribe: turning one kind of e-mail off by the link in such an e-mail, for
anyone who holds the link (no sign-in: the token is the proof). Bodies: routes.unsubscribe_schemas.

The route declares no body model: the one-click form is not JSON, and a declared body would be held
to JSON before the route runs (dashboard.DashboardResolver)."""

from __future__ import annotations

from typing import Annotated

from auth import actor_of
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from composition.unsubscribe import unsubscriptions

from routes.unsubscribe_schemas import MAX_TOKEN, UnsubscribeOut, token_of

router = Router()  # type: ignore[no-untyped-call]


@router.post(
    "/notifications/unsubscribe",
    summary="Stop one kind of e-mail by its link: JSON {token}, or RFC 8058 one-click with ?token=",
)
def unsubscribe(token: Annotated[str | None, Query(max_length=MAX_TOKEN)] = None) -> UnsubscribeOut:
    event = router.current_event
    done = unsubscriptions().unsubscribe(token_of(event, token), actor_of(event))
    return UnsubscribeOut(type=done.type.value, email=done.email)
