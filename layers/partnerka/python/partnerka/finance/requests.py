"""Requests that move money once somebody answers them: an affiliate's payout request (between the
advertiser's minimum and its approved balance; a payout to that affiliate in that currency answers
it) and an advertiser's top-up submitted for review (Owner or Platform Admin confirms it, which posts
the top-up, or rejects it). Core table, PK `ADV#<advertiser>`, SK `REQ#<kind>#<request id>` (ids
sort by time)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso


class RequestKind(StrEnum):
    PAYOUT = "payout"
    TOPUP = "topup"


class RequestStatus(StrEnum):
    OPEN = "open"
    DONE = "done"  # paid, or confirmed and posted
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class MoneyRequest:
    kind: RequestKind
    request_id: str
    advertiser_id: str
    currency: str
    amount: int  # minor units
    created_at: datetime
    affiliate_id: str = ""  # payout requests
    reference: str = ""  # top-ups: the transfer it came with
    status: RequestStatus = RequestStatus.OPEN
    answer: str = ""  # the payout or top-up that answered it

    def as_item(self) -> dict[str, Any]:
        return {
            "pk": f"ADV#{self.advertiser_id}",
            "sk": f"REQ#{self.kind.value}#{self.request_id}",
            "currency": self.currency,
            "amount": self.amount,
            "created_at": iso_millis(self.created_at),
            "affiliate_id": self.affiliate_id,
            "reference": self.reference,
            "status": self.status.value,
            "answer": self.answer,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> MoneyRequest:
        _, kind, request_id = item["sk"].split("#", 2)
        return cls(
            kind=RequestKind(kind),
            request_id=request_id,
            advertiser_id=item["pk"].removeprefix("ADV#"),
            currency=item["currency"],
            amount=int(item["amount"]),
            created_at=parse_iso(item["created_at"]),
            affiliate_id=item.get("affiliate_id", ""),
            reference=item.get("reference", ""),
            status=RequestStatus(item["status"]),
            answer=item.get("answer", ""),
        )


class MoneyRequestStore(Protocol):
    def add(self, request: MoneyRequest) -> None: ...

    def of_advertiser(
        self, kind: RequestKind, advertiser_id: str, affiliate_id: str | None = None, limit: int = 200
    ) -> list[MoneyRequest]:
        """Newest first; one affiliate's only, when named."""
        ...

    def get(self, kind: RequestKind, advertiser_id: str, request_id: str) -> MoneyRequest | None: ...

    def close(self, request: MoneyRequest, status: RequestStatus, answer: str) -> bool:
        """Answer an open request; False when it was answered already (by someone else)."""
        ...


class MoneyRequestRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def add(self, request: MoneyRequest) -> None:
        self._c().put_item(TableName=self._table, Item=dynamo.encode(request.as_item()))

    def of_advertiser(
        self, kind: RequestKind, advertiser_id: str, affiliate_id: str | None = None, limit: int = 200
    ) -> list[MoneyRequest]:
        """Newest first; one affiliate's only, when named."""
        page = self._c().query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": f"ADV#{advertiser_id}"},
                ":prefix": {"S": f"REQ#{kind.value}#"},
            },
            ScanIndexForward=False,
            Limit=limit,
        )
        found = [MoneyRequest.from_item(dynamo.decode(raw)) for raw in page.get("Items", [])]
        return [r for r in found if affiliate_id is None or r.affiliate_id == affiliate_id]

    def get(self, kind: RequestKind, advertiser_id: str, request_id: str) -> MoneyRequest | None:
        item = (
            self._c()
            .get_item(
                TableName=self._table,
                Key={"pk": {"S": f"ADV#{advertiser_id}"}, "sk": {"S": f"REQ#{kind.value}#{request_id}"}},
                ConsistentRead=True,
            )
            .get("Item")
        )
        return MoneyRequest.from_item(dynamo.decode(item)) if item else None

    def close(self, request: MoneyRequest, status: RequestStatus, answer: str) -> bool:
        """Answer an open request; False when it was answered already (by someone else)."""
        client = self._c()
        try:
            client.put_item(
                TableName=self._table,
                Item=dynamo.encode(replace(request, status=status, answer=answer).as_item()),
                ConditionExpression="#s = :open",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":open": {"S": RequestStatus.OPEN.value}},
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True


def answer_payouts(
    requests: MoneyRequestStore, advertiser_id: str, affiliate_id: str, currency: str, payout_id: str
) -> int:
    """Mark the affiliate's open payout requests in the currency as paid by the payout; how many."""
    return sum(
        requests.close(request, RequestStatus.DONE, payout_id)
        for request in requests.of_advertiser(RequestKind.PAYOUT, advertiser_id, affiliate_id)
        if request.status is RequestStatus.OPEN and request.currency == currency
    )
