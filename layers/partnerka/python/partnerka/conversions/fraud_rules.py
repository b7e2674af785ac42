"""An advertiser's fraud rules as people keep them: its rules for every offer, and one offer's overrides
(conversions.screening decides with them). Every change is audited here; the postback path reads the
rules through its route cache, so a change applies within that cache's lifetime."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from partnerka.accounts.permissions import workspace_tenant
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor, AuditTrail
from partnerka.common import dynamo
from partnerka.conversions.screening import (
    NO_RULES,
    FraudRules,
    RuleDraft,
    check_time_window,
    checked_rules,
    effective_rules,
)
from partnerka.offers.models import Offer
from partnerka.tracking.repository import fraud_rules_key


class FraudRuleStore(Protocol):
    def get(self, advertiser_id: str, offer_id: str | None = None) -> FraudRules:
        """The advertiser's rules, or (with `offer_id`) the offer's overrides; none stored: no rules."""
        ...

    def put(self, advertiser_id: str, offer_id: str | None, rules: FraudRules) -> None: ...

    def delete(self, advertiser_id: str, offer_id: str) -> None: ...


class FraudRuleRepository:
    """The rules' items in the core table (key shape: conversions.screening.FraudRules)."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def get(self, advertiser_id: str, offer_id: str | None = None) -> FraudRules:
        key = dynamo.encode(fraud_rules_key(advertiser_id, offer_id))
        item = self._c().get_item(TableName=self._table, Key=key, ConsistentRead=True).get("Item")
        return FraudRules.from_item(dynamo.decode(item)) if item else NO_RULES

    def put(self, advertiser_id: str, offer_id: str | None, rules: FraudRules) -> None:
        item = {**fraud_rules_key(advertiser_id, offer_id), **rules.as_item()}
        self._c().put_item(TableName=self._table, Item=dynamo.encode(item))

    def delete(self, advertiser_id: str, offer_id: str) -> None:
        key = dynamo.encode(fraud_rules_key(advertiser_id, offer_id))
        self._c().delete_item(TableName=self._table, Key=key)


class OfferCatalog(Protocol):
    def get(self, advertiser_id: str, offer_id: str) -> Offer:
        """The advertiser's offer, or NotFound (another advertiser's offer is not found either)."""
        ...


@dataclass(frozen=True, slots=True)
class OfferFraudRules:
    """What applies to one offer: its overrides, the advertiser's rules beneath them, and the result
    (with the offer's `min_conversion_seconds` where no rule names too_fast)."""

    offer_id: str
    overrides: FraudRules
    advertiser: FraudRules
    effective: FraudRules
    min_conversion_seconds: int


class FraudRuleBook:
    def __init__(self, store: FraudRuleStore, offers: OfferCatalog, audit: AuditTrail) -> None:
        self._store = store
        self._offers = offers
        self._audit = audit

    def advertiser_rules(self, principal: Principal, advertiser_id: str | None) -> FraudRules:
        """The advertiser's rules for all its offers (staff name the advertiser)."""
        return self._store.get(workspace_tenant(principal, advertiser_id, manage=False))

    def set_advertiser_rules(
        self,
        principal: Principal,
        advertiser_id: str | None,
        drafts: Mapping[str, RuleDraft],
        actor: Actor,
        now: datetime,
    ) -> FraudRules:
        """Replace the advertiser's rules: a flag not named (or accepted) has no rule."""
        tenant = workspace_tenant(principal, advertiser_id, manage=True)
        rules = FraudRules(checked_rules(drafts, keep_accepts=False), now)
        before = self._store.get(tenant)
        self._store.put(tenant, None, rules)
        self._audit.record(
            actor, tenant, "fraud_rules.changed", "fraud_rules", _snapshot(before), _snapshot(rules)
        )
        return rules

    def offer_rules(self, principal: Principal, advertiser_id: str | None, offer_id: str) -> OfferFraudRules:
        tenant = workspace_tenant(principal, advertiser_id, manage=False)
        return self._offer_rules(tenant, self._offers.get(tenant, offer_id))

    def set_offer_rules(
        self,
        principal: Principal,
        advertiser_id: str | None,
        offer_id: str,
        drafts: Mapping[str, RuleDraft],
        actor: Actor,
        now: datetime,
    ) -> OfferFraudRules:
        """Replace the offer's overrides: each flag named here overrides the advertiser's rule for it
        (an accept too); the others follow the advertiser's."""
        tenant = workspace_tenant(principal, advertiser_id, manage=True)
        offer = self._offers.get(tenant, offer_id)
        overrides = FraudRules(checked_rules(drafts, keep_accepts=True), now)
        advertiser = self._store.get(tenant)
        check_time_window(overrides.over(advertiser).rules)
        before = self._store.get(tenant, offer.offer_id)
        self._store.put(tenant, offer.offer_id, overrides)
        self._audit.record(
            actor,
            tenant,
            "fraud_rules.offer_changed",
            f"offer:{offer.offer_id}",
            _snapshot(before),
            _snapshot(overrides),
        )
        return self._offer_rules(tenant, offer, overrides, advertiser)

    def clear_offer_rules(
        self, principal: Principal, advertiser_id: str | None, offer_id: str, actor: Actor
    ) -> OfferFraudRules:
        """Drop the offer's overrides: the advertiser's rules apply to it again."""
        tenant = workspace_tenant(principal, advertiser_id, manage=True)
        offer = self._offers.get(tenant, offer_id)
        before = self._store.get(tenant, offer.offer_id)
        self._store.delete(tenant, offer.offer_id)
        self._audit.record(
            actor, tenant, "fraud_rules.offer_cleared", f"offer:{offer.offer_id}", _snapshot(before)
        )
        return self._offer_rules(tenant, offer, NO_RULES)

    def _offer_rules(
        self,
        tenant: str,
        offer: Offer,
        overrides: FraudRules | None = None,
        advertiser: FraudRules | None = None,
    ) -> OfferFraudRules:
        overrides = overrides if overrides is not None else self._store.get(tenant, offer.offer_id)
        advertiser = advertiser if advertiser is not None else self._store.get(tenant)
        return OfferFraudRules(
            offer.offer_id,
            overrides,
            advertiser,
            effective_rules(advertiser, overrides, offer.min_conversion_seconds),
            offer.min_conversion_seconds,
        )


def _snapshot(rules: FraudRules) -> dict[str, Any]:
    return {flag.value: rule.as_item() for flag, rule in rules.rules.items()}
