"""Conversions: a goal (lead, sale, or the offer's own) reached after a click, and its fate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from partnerka.common.clock import iso_millis, parse_iso
from partnerka.tracking.models import SUB_KEYS


class PostbackStatus(StrEnum):
    """What an advertiser's postback says happened."""

    LEAD = "lead"
    SALE = "sale"
    REJECTED = "rejected"  # takes back a conversion reported before


class ConversionStatus(StrEnum):
    PENDING = "pending"  # waits for the advertiser's decision
    HOLD = "hold"  # approved by itself when the offer's hold period ends
    APPROVED = "approved"
    REJECTED = "rejected"


class RejectionReason(StrEnum):
    """The closed set of reasons an affiliate sees for a rejected conversion."""

    FRAUD = "fraud"
    DUPLICATE = "duplicate"
    INVALID_DATA = "invalid_data"
    NOT_PAID = "not_paid"
    TEST = "test"
    OTHER = "other"
    CAP_REACHED = "cap_reached"


class FraudFlag(StrEnum):
    """What traffic quality found about a conversion's click (or its timing), as fraud rules name it."""

    BOT = "bot"
    DATACENTER = "datacenter"
    IP_FLOOD = "ip_flood"
    DUPLICATE_VISITOR = "duplicate_visitor"
    TOO_FAST = "too_fast"  # converted sooner after the click than the rule's minimum
    TOO_SLOW = "too_slow"  # converted later after the click than the rule's maximum


class ScreeningAction(StrEnum):
    """What a fraud rule did to a conversion when it arrived."""

    ACCEPTED = "accepted"
    HELD = "held"  # waits for a person in the review queue
    REJECTED = "rejected"


# Who may move a conversion where. Approved → rejected is a reversal and needs a reason.
TRANSITIONS: dict[ConversionStatus, frozenset[ConversionStatus]] = {
    ConversionStatus.PENDING: frozenset({ConversionStatus.APPROVED, ConversionStatus.REJECTED}),
    ConversionStatus.HOLD: frozenset({ConversionStatus.APPROVED, ConversionStatus.REJECTED}),
    ConversionStatus.APPROVED: frozenset({ConversionStatus.REJECTED}),
    ConversionStatus.REJECTED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class PostbackRequest:
    """An advertiser's postback, already taken out of the HTTP request."""

    click_id: str
    status: str
    secret: str
    txn_id: str = ""
    offer_id: str = ""  # optional: when sent, the click must have been made on this offer
    payout: str = ""
    source_ip: str = ""
    goal: str = ""
    amount: str = ""
    currency: str = ""
    reason: str = ""
    secret_optional: bool = False  # the pixel: the advertiser's IP whitelist may stand in for it
    host: str = ""  # the host it was sent to (a custom tracking domain serves its advertiser's only)


def dedupe_key(advertiser_id: str, offer_id: str, goal: str, click_id: str, txn_id: str) -> str:
    """Key shape: Conversions table, PK `ADV#<advertiser>#O#<offer>#G#<goal>#TXN#<txn_id>`.

    One conversion per (advertiser, offer, goal, transaction id); without a transaction id, per
    (offer, goal, click): `ADV#<advertiser>#O#<offer>#G#<goal>#CLICK#<click_id>`.
    GSIs: by_advertiser (advertiser_id, created_at), by_conversion (conversion_id), by_txn
    (adv_txn = `<advertiser>#<txn_id>`), by_affiliate (adv_aff = `<advertiser>#<affiliate>`,
    created_at), by_hold (hold_month = `HOLD#<yyyy-mm>`, hold_until; only
    while on hold), by_click (click_id, created_at), by_review (review_queue = `<advertiser>`,
    created_at; only while marked for review and undecided).
    """
    scope = f"ADV#{advertiser_id}#O#{offer_id}#G#{goal}"
    return f"{scope}#TXN#{txn_id}" if txn_id else f"{scope}#CLICK#{click_id}"


@dataclass(frozen=True, slots=True)
class Conversion:
    conversion_id: str
    dedupe_key: str
    click_id: str
    offer_id: str
    affiliate_id: str
    advertiser_id: str
    goal: str
    status: ConversionStatus
    payout_minor: int
    revenue_minor: int
    currency: str
    created_at: datetime
    txn_id: str = ""
    amount_minor: int | None = None
    hold_until: datetime | None = None
    review: bool = False
    reason: str | None = None
    updated_at: datetime | None = None
    # The click's context travels with the conversion so statistics and postbacks need no lookup.
    country: str = "ZZ"
    user_agent: str = ""
    click_created_at: datetime | None = None
    subs: dict[str, str] = field(default_factory=dict)
    # Traffic quality at arrival (fraud rules): every flag the click carried, the rule that acted
    # (None: accepted), and the explanation people read ("held: click from a datacenter network,
    # AS16509").
    flags: tuple[str, ...] = ()
    screening: str | None = None  # a ScreeningAction value other than accepted
    screening_flag: str | None = None  # the FraudFlag whose rule acted
    screening_note: str = ""
    # What the note says, for a translated one: `asn` and `network` (datacenter), `seconds` and
    # `minimum` or `maximum` (too_fast, too_slow).
    screening_detail: dict[str, str | int] = field(default_factory=dict)

    @property
    def awaits_review(self) -> bool:
        """Marked for review and not decided yet: in the advertiser's review queue."""
        return self.review and self.status in (ConversionStatus.PENDING, ConversionStatus.HOLD)

    def as_item(self) -> dict[str, Any]:
        on_hold = self.status is ConversionStatus.HOLD and self.hold_until is not None
        return {
            "pk": self.dedupe_key,
            "conversion_id": self.conversion_id,
            "click_id": self.click_id,
            "offer_id": self.offer_id,
            "affiliate_id": self.affiliate_id,
            "advertiser_id": self.advertiser_id,
            "goal": self.goal,
            "status": self.status.value,
            "payout_minor": self.payout_minor,
            "revenue_minor": self.revenue_minor,
            "currency": self.currency,
            "created_at": iso_millis(self.created_at),
            "updated_at": iso_millis(self.updated_at or self.created_at),
            "txn_id": self.txn_id,
            "adv_txn": f"{self.advertiser_id}#{self.txn_id}" if self.txn_id else None,
            "adv_aff": f"{self.advertiser_id}#{self.affiliate_id}",
            "amount_minor": self.amount_minor,
            "hold_until": iso_millis(self.hold_until) if self.hold_until else None,
            "hold_month": f"HOLD#{self.hold_until:%Y-%m}" if on_hold and self.hold_until else None,
            "review": self.review or None,
            "reason": self.reason,
            "country": self.country,
            "ua": self.user_agent,
            "click_created_at": iso_millis(self.click_created_at) if self.click_created_at else None,
            "flags": list(self.flags) or None,
            "screening": self.screening,
            "screening_flag": self.screening_flag,
            "screening_note": self.screening_note or None,
            "screening_detail": dict(self.screening_detail) or None,
            "review_queue": self.advertiser_id if self.awaits_review else None,
            **self.subs,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Conversion:
        return cls(
            conversion_id=item["conversion_id"],
            dedupe_key=item["pk"],
            click_id=item["click_id"],
            offer_id=item["offer_id"],
            affiliate_id=item["affiliate_id"],
            advertiser_id=item["advertiser_id"],
            goal=item.get("goal", "sale"),
            status=ConversionStatus(item["status"]),
            payout_minor=int(item["payout_minor"]),
            revenue_minor=int(item["revenue_minor"]),
            currency=item["currency"],
            created_at=parse_iso(item["created_at"]),
            txn_id=item.get("txn_id", ""),
            amount_minor=int(item["amount_minor"]) if "amount_minor" in item else None,
            hold_until=parse_iso(item["hold_until"]) if item.get("hold_until") else None,
            review=bool(item.get("review", False)),
            reason=item.get("reason"),
            updated_at=parse_iso(item["updated_at"]) if item.get("updated_at") else None,
            country=item.get("country", "ZZ"),
            user_agent=item.get("ua", ""),
            click_created_at=parse_iso(item["click_created_at"]) if item.get("click_created_at") else None,
            subs={key: item[key] for key in SUB_KEYS if key in item},
            flags=tuple(item.get("flags") or ()),
            screening=item.get("screening"),
            screening_flag=item.get("screening_flag"),
            screening_note=item.get("screening_note") or "",
            screening_detail=dict(item.get("screening_detail") or {}),
        )
