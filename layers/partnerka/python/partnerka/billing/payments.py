"""The payment provider port: how the platform takes an advertiser's money by card.

The provider's own objects stay behind it: the billing service hands it an invoice and gets back a
page to send the advertiser to, or starts a charge of the saved card; what happened arrives later as
a `PaymentEvent` parsed from the provider's signed webhook. Events may come twice and in any order:
the billing service applies them by the invoice's status, never by their arrival.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from partnerka.billing.models import BillingProfile, PlatformInvoice
from partnerka.common.errors import DomainError, ErrorCode


class PaymentEventKind(StrEnum):
    INVOICE_PAID = "invoice_paid"
    PAYMENT_FAILED = "payment_failed"
    CARD_SAVED = "card_saved"  # a card-setup page completed: later periods are charged to it


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    event_id: str  # the provider's, for the log; the effect is idempotent by the invoice anyway
    kind: PaymentEventKind
    advertiser_id: str
    invoice_id: str | None  # None for CARD_SAVED
    payment_reference: str | None  # the provider's payment id
    customer: str | None  # the provider's customer (saved on the billing profile)
    occurred_at: str  # ISO-8601 UTC, the provider's time
    failure_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Checkout:
    """A page of the provider the advertiser is sent to (to pay an invoice, or to save a card)."""

    session_id: str
    url: str
    customer: str


class InvalidSignature(DomainError):
    """A webhook whose signature does not verify (or is too old): refused, nothing applied."""

    code = ErrorCode.INVALID_SECRET


class ChargeFailed(DomainError):
    """A charge that could not even be attempted (no card on file): nothing was taken, and no webhook
    will tell it, so the billing service applies it as it would a PAYMENT_FAILED event. A card the
    provider declines is not this: `charge` returns the failed payment and the webhook tells."""

    code = ErrorCode.PAYMENT_FAILED


class PaymentProviderError(DomainError):
    """The provider could not be asked, or refused the request itself (not configured, unreachable,
    a timeout, an invalid request): whether a charge went through is unknown, and asking again with
    the same invoice and attempt is safe (the provider's idempotency key)."""

    code = ErrorCode.INTERNAL


class PaymentProvider(Protocol):
    def checkout(
        self, invoice: PlatformInvoice, profile: BillingProfile, success_url: str, cancel_url: str
    ) -> Checkout:
        """A page that pays `invoice` and keeps the card for the periods to come."""
        ...

    def card_setup(self, profile: BillingProfile, success_url: str, cancel_url: str) -> Checkout:
        """A page that saves (or replaces) the card later periods are charged to."""
        ...

    def charge(self, invoice: PlatformInvoice, profile: BillingProfile) -> str:
        """Charge the saved card for `invoice` off-session; its outcome arrives as a PaymentEvent.
        Returns the provider's payment id, also of a payment the card's bank declined (the failure
        arrives as a PaymentEvent too). Idempotent per invoice and attempt (the provider's
        idempotency key). Raises ChargeFailed when there is no card to charge, PaymentProviderError
        when the provider cannot be asked."""
        ...

    def parse_webhook(self, payload: bytes, signature_header: str) -> PaymentEvent | None:
        """The event a signed webhook carries (None for a kind billing does not act on); raises
        InvalidSignature when the signature does not verify (or the body is not text it could have
        signed), ValidationFailed when a body that verifies is not an event."""
        ...
