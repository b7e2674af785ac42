"""/api/fraud-rules: an advertiser's fraud rules for all its offers, and one offer's overrides (staff
name the advertiser). The rules are the conversions' (`partnerka.conversions.fraud_rules`)."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from composition.conversions import fraud_rules
from pydantic import BaseModel, Field

from partnerka.common.clock import iso_millis, utc_now
from partnerka.conversions.fraud_rules import OfferFraudRules
from partnerka.conversions.models import ScreeningAction
from partnerka.conversions.screening import FraudRules, RuleDraft

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
FlagName = Literal["bot", "datacenter", "ip_flood", "duplicate_visitor", "too_fast", "too_slow"]
ActionName = Literal["accepted", "held", "rejected"]
RuleReason = Literal["fraud", "duplicate", "invalid_data", "not_paid", "test", "other"]


class RuleIn(BaseModel):
    action: ActionName
    reason: RuleReason | None = None
    """A rejection's reason code (fraud when left out)."""
    seconds: int | None = Field(default=None, ge=1, le=31_622_400)
    """too_fast: the minimum time from click to conversion; too_slow: the maximum."""


class RulesIn(BaseModel):
    rules: dict[FlagName, RuleIn] = Field(default_factory=dict)


class RuleOut(BaseModel):
    action: ActionName
    reason: RuleReason | None
    seconds: int | None


class RulesOut(BaseModel):
    rules: dict[FlagName, RuleOut]
    updated_at: str | None


class OfferRulesOut(BaseModel):
    offer_id: str
    overrides: dict[FlagName, RuleOut]
    """The offer's own rules: each overrides the advertiser's rule for its flag."""
    advertiser: dict[FlagName, RuleOut]
    effective: dict[FlagName, RuleOut]
    """What a conversion of the offer meets (a flag not here is accepted)."""
    min_conversion_seconds: int
    updated_at: str | None


def _rules(rules: FraudRules) -> dict[FlagName, RuleOut]:
    return {
        flag.value: RuleOut(
            action=rule.action.value,
            reason=rule.reason.value if rule.action is ScreeningAction.REJECTED else None,  # type: ignore[arg-type]
            seconds=rule.seconds,
        )
        for flag, rule in rules.rules.items()
    }


def rules_out(rules: FraudRules) -> RulesOut:
    return RulesOut(
        rules=_rules(rules), updated_at=iso_millis(rules.updated_at) if rules.updated_at else None
    )


def offer_rules_out(shown: OfferFraudRules) -> OfferRulesOut:
    updated = shown.overrides.updated_at
    return OfferRulesOut(
        offer_id=shown.offer_id,
        overrides=_rules(shown.overrides),
        advertiser=_rules(shown.advertiser),
        effective=_rules(shown.effective),
        min_conversion_seconds=shown.min_conversion_seconds,
        updated_at=iso_millis(updated) if updated else None,
    )


def _drafts(body: RulesIn) -> dict[str, RuleDraft]:
    return {flag: RuleDraft(rule.action, rule.reason, rule.seconds) for flag, rule in body.rules.items()}


@router.get("/fraud-rules", summary="The advertiser's fraud rules, for all its offers")
def get_fraud_rules(advertiser_id: AdvertiserParam = None) -> RulesOut:
    principal, _ = current(router.current_event.headers)
    return rules_out(fraud_rules().advertiser_rules(principal, advertiser_id))


@router.put("/fraud-rules", summary="Replace the advertiser's fraud rules (a flag left out is accepted)")
def put_fraud_rules(body: Annotated[RulesIn, Body()], advertiser_id: AdvertiserParam = None) -> RulesOut:
    principal, user = current(router.current_event.headers)
    saved = fraud_rules().set_advertiser_rules(
        principal, advertiser_id, _drafts(body), actor_of(router.current_event, user), utc_now()
    )
    return rules_out(saved)


@router.get(
    "/fraud-rules/offers/<offer_id>", summary="An offer's fraud rules: its overrides and what applies"
)
def get_offer_fraud_rules(offer_id: str, advertiser_id: AdvertiserParam = None) -> OfferRulesOut:
    principal, _ = current(router.current_event.headers)
    return offer_rules_out(fraud_rules().offer_rules(principal, advertiser_id, offer_id))


@router.put(
    "/fraud-rules/offers/<offer_id>",
    summary="Replace an offer's overrides (a flag left out follows the advertiser's rule)",
)
def put_offer_fraud_rules(
    offer_id: str, body: Annotated[RulesIn, Body()], advertiser_id: AdvertiserParam = None
) -> OfferRulesOut:
    principal, user = current(router.current_event.headers)
    saved = fraud_rules().set_offer_rules(
        principal, advertiser_id, offer_id, _drafts(body), actor_of(router.current_event, user), utc_now()
    )
    return offer_rules_out(saved)


@router.delete(
    "/fraud-rules/offers/<offer_id>", summary="Drop an offer's overrides: the advertiser's rules apply"
)
def delete_offer_fraud_rules(offer_id: str, advertiser_id: AdvertiserParam = None) -> OfferRulesOut:
    principal, user = current(router.current_event.headers)
    cleared = fraud_rules().clear_offer_rules(
        principal, advertiser_id, offer_id, actor_of(router.current_event, user)
    )
    return offer_rules_out(cleared)
