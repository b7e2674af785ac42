"""Affiliates' payout requests: an affiliate asks its advertiser to pay (at least the advertiser's
minimum, at most its approved balance); a payout to that affiliate in that currency answers it.
Core table, PK `ADV#<advertiser>`, SK `PAYREQ#<request id>` (ids sort by time)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso


class RequestStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"


@dataclass(frozen=True, slots=True)
class PayoutRequest:
    request_id: str
    advertiser_id: str
    affiliate_id: str
    currency: str
    amount: int  # minor units
    created_at: datetime
    status: RequestStatus = RequestStatus.OPEN
    payout_id: str = ""

    def as_item(self) -> dict[str, Any]:
        return {
            "pk": f"ADV#{self.advertiser_id}",
            "sk": f"PAYREQ#{self.request_id}",
            "affiliate_id": self.affiliate_id,
            "currency": self.currency,
            "amount": self.amount,
            "created_at": iso_millis(self.created_at),
            "status": self.status.value,
            "payout_id": self.payout_id,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> PayoutRequest:
        return cls(
            request_id=item["sk"].removeprefix("PAYREQ#"),
            advertiser_id=item["pk"].removeprefix("ADV#"),
            affiliate_id=item["affiliate_id"],
            currency=item["currency"],
            amount=int(item["amount"]),
            created_at=parse_iso(item["created_at"]),
            status=RequestStatus(item["status"]),
            payout_id=item.get("payout_id", ""),
        )


class PayoutRequestRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def add(self, request: PayoutRequest) -> None:
        self._c().put_item(TableName=self._table, Item=dynamo.encode(request.as_item()))

    def of_advertiser(
        self, advertiser_id: str, affiliate_id: str | None = None, limit: int = 200
    ) -> list[PayoutRequest]:
        """Newest first; one affiliate's only, when named."""
        page = self._c().query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": f"ADV#{advertiser_id}"}, ":prefix": {"S": "PAYREQ#"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        found = [PayoutRequest.from_item(dynamo.decode(raw)) for raw in page.get("Items", [])]
        return [r for r in found if affiliate_id is None or r.affiliate_id == affiliate_id]

    def answer(self, advertiser_id: str, affiliate_id: str, currency: str, payout_id: str) -> int:
        """Mark the affiliate's open requests in the currency as paid by the payout; how many."""
        answered = 0
        for request in self.of_advertiser(advertiser_id, affiliate_id):
            if request.status is RequestStatus.OPEN and request.currency == currency:
                self.add(replace(request, status=RequestStatus.PAID, payout_id=payout_id))
                answered += 1
        return answered
