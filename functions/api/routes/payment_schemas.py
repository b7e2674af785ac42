"""What /api/finance reads and answers about payouts, top-ups and the requests for them: money as
decimal strings in its currency, each model built from what the finance services return."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Self

from pydantic import BaseModel, Field

from partnerka.common.clock import iso_millis
from partnerka.finance.ledger import Journal
from partnerka.finance.requests import MoneyRequest
from routes.finance_schemas import amount_text


def _moved(journal: Journal, kind: str) -> dict[str, str]:
    """What a payout or a top-up shows of its journal: its id, what it credited to its account of
    `kind` (`paid`, `deposits`), its reference and when."""
    currency, amount = journal.credited(kind)
    return {
        "id": journal.own_id,
        "currency": currency,
        "amount": amount_text(amount, currency),
        "reference": journal.detail.get("reference", ""),
        "created_at": iso_millis(journal.created_at),
    }


class PayoutIn(BaseModel):
    affiliate_id: str | None = Field(None, max_length=40)
    """One affiliate; omitted: every affiliate with an approved balance (a bulk payout)."""
    currency: str | None = Field(None, min_length=3, max_length=3)
    """Omitted: every currency."""
    amount: str | None = Field(None, max_length=24)
    """A decimal amount (one affiliate and one currency only); omitted: the whole approved balance."""
    method: str = Field(min_length=1, max_length=40)
    """How it was paid: wire, PayPal, USDT, …"""
    reference: str = Field("", max_length=200)


class PayoutOut(BaseModel):
    id: str
    affiliate_id: str
    currency: str
    amount: str
    method: str
    reference: str
    created_at: str

    @classmethod
    def of(cls, journal: Journal) -> Self:
        return cls(
            **_moved(journal, "paid"),
            affiliate_id=journal.detail.get("affiliate_id", ""),
            method=journal.detail.get("method", ""),
        )


class PayoutsOut(BaseModel):
    items: list[PayoutOut]


class TopupIn(BaseModel):
    amount: str = Field(max_length=24)
    currency: str = Field(min_length=3, max_length=3)
    reference: str = Field(min_length=1, max_length=200)
    """The bank transfer or payment it came with."""


class TopupOut(BaseModel):
    id: str
    currency: str
    amount: str
    reference: str
    created_at: str

    @classmethod
    def of(cls, journal: Journal) -> Self:
        return cls(**_moved(journal, "deposits"))


class TopupsOut(BaseModel):
    items: list[TopupOut]


class PayoutRequestIn(BaseModel):
    currency: str = Field(min_length=3, max_length=3)
    amount: str | None = Field(None, max_length=24)
    """Omitted: the whole approved balance in that currency."""


class MoneyRequestOut(BaseModel):
    id: str
    kind: Literal["payout", "topup"]
    affiliate_id: str | None
    affiliate_name: str | None
    currency: str
    amount: str
    reference: str
    status: Literal["open", "done", "rejected"]
    """done: paid (a payout request) or confirmed and posted (a top-up)."""
    answer: str | None
    """The payout that paid it, or the top-up it became."""
    created_at: str


class MoneyRequestsOut(BaseModel):
    items: list[MoneyRequestOut]

    @classmethod
    def of(cls, found: list[MoneyRequest], names: Mapping[str, str] | None = None) -> Self:
        """The requests, each affiliate's shown by its name in `names` (top-ups have no affiliate)."""
        names = names or {}
        return cls(
            items=[
                MoneyRequestOut(
                    id=r.request_id,
                    kind=r.kind.value,
                    affiliate_id=r.affiliate_id or None,
                    affiliate_name=names.get(r.affiliate_id, r.affiliate_id) if r.affiliate_id else None,
                    currency=r.currency,
                    amount=amount_text(r.amount, r.currency),
                    reference=r.reference,
                    status=r.status.value,
                    answer=r.answer or None,
                    created_at=iso_millis(r.created_at),
                )
                for r in found
            ]
        )
