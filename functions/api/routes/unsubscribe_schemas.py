"""The body of POST /api/notifications/unsubscribe, in either of the two forms it comes in: the
dashboard's page POSTs JSON `{"token"}`; a mail client's one-click unsubscribe (RFC 8058) POSTs the
form `List-Unsubscribe=One-Click` to the URL of the e-mail's List-Unsubscribe header, which carries
the token as `?token=`."""

from __future__ import annotations

from urllib.parse import parse_qs

from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent
from pydantic import BaseModel
from request_body import parse_json

from partnerka.common.errors import ValidationFailed

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
MAX_TOKEN = 500


class UnsubscribeOut(BaseModel):
    type: str
    """The event type whose e-mails are now off."""
    email: str
    """The address they no longer go to."""


def token_of(event: BaseProxyEvent, query_token: str | None) -> str:
    """The token the request carries: `?token=` with the one-click form, else the JSON body's."""
    media_type = event.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type == FORM_MEDIA_TYPE:
        form = parse_qs(event.decoded_body or "")
        if form.get("List-Unsubscribe") != ["One-Click"] or not query_token:
            raise ValidationFailed("a one-click unsubscribe posts List-Unsubscribe=One-Click to its link")
        return query_token
    if not event.body:
        if query_token:
            return query_token
        raise ValidationFailed("the unsubscribe link's token is required")
    token = parse_json(event.decoded_body or "").get("token")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        raise ValidationFailed("token: the unsubscribe link's token is required")
    return token
