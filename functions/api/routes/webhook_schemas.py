"""Request and response bodies of /api/webhooks (webhook endpoints, their test button and their
deliveries; the test exchange and the deliveries are the postbacks' shapes)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from partnerka.common.clock import iso_millis
from partnerka.notifications.webhooks import WebhookEndpoint
from routes.postback_schemas import WebhookEventName


class EndpointIn(BaseModel):
    url: str = Field(max_length=2048)
    """Where the signed JSON is POSTed: http(s), a public host, no macros."""
    events: list[WebhookEventName] = Field(max_length=20)
    """The event types it hears: among `event_types` of the list."""
    description: str = Field(default="", max_length=200)
    enabled: bool = True


class EndpointOut(EndpointIn):
    id: str
    secret: str
    """`whsec_…`: verifies the `webhook-signature` header (Standard Webhooks)."""
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, endpoint: WebhookEndpoint, secret_shown: bool = True) -> EndpointOut:
        """The endpoint; without its secret ("") where the caller may not see it (view as)."""
        return cls(
            id=endpoint.endpoint_id,
            url=endpoint.url,
            events=sorted(endpoint.events),  # type: ignore[arg-type]
            description=endpoint.description,
            enabled=endpoint.enabled,
            secret=endpoint.secret if secret_shown else "",
            created_at=iso_millis(endpoint.created_at),
            updated_at=iso_millis(endpoint.updated_at),
        )


class EndpointList(BaseModel):
    items: list[EndpointOut]
    event_types: list[WebhookEventName]
    """The types the caller's endpoints may hear."""


class WebhookTestIn(BaseModel):
    type: WebhookEventName
