"""Fraud rules: what happens to a conversion whose click traffic quality flagged, decided once, when the
conversion arrives.

An advertiser keeps rules for all its offers and may override them per offer, flag by flag. For each
flag a rule accepts the conversion, holds it for a person to review, or rejects it with a reason code.
When the rules of several flags act, the strictest wins (reject, then hold, then accept) and the
conversion names the flag that decided and why.

An advertiser who never set a rule accepts everything, as before fraud rules existed; an offer's own
`min_conversion_seconds` still holds a conversion that came too fast, unless a rule for `too_fast`
says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import ValidationFailed
from partnerka.conversions.models import FraudFlag, RejectionReason, ScreeningAction
from partnerka.tracking.datacenter import HostingNetwork
from partnerka.tracking.models import Click

# The bounds of the time rules: a minimum as the offer's `min_conversion_seconds` has it (a day), a
# maximum up to a year (no attribution window is longer).
MAX_MINIMUM_SECONDS = 86_400
MAX_MAXIMUM_SECONDS = 366 * 86_400
TIMED_FLAGS = (FraudFlag.TOO_FAST, FraudFlag.TOO_SLOW)
# Reasons a rule may give; `cap_reached` is the platform's own and means something else.
RULE_REASONS = tuple(reason for reason in RejectionReason if reason is not RejectionReason.CAP_REACHED)
_STRICTNESS = {ScreeningAction.ACCEPTED: 0, ScreeningAction.HELD: 1, ScreeningAction.REJECTED: 2}


@dataclass(frozen=True, slots=True)
class FraudRule:
    """What to do with a conversion whose click carries one flag."""

    action: ScreeningAction
    reason: RejectionReason = RejectionReason.FRAUD  # given to a conversion the rule rejects
    seconds: int | None = None  # too_fast: the minimum time to convert; too_slow: the maximum

    def as_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {"action": self.action.value}
        if self.action is ScreeningAction.REJECTED:
            item["reason"] = self.reason.value
        if self.seconds is not None:
            item["seconds"] = self.seconds
        return item

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> FraudRule:
        seconds = item.get("seconds")
        return cls(
            action=ScreeningAction(item["action"]),
            reason=RejectionReason(item.get("reason") or RejectionReason.FRAUD.value),
            seconds=int(seconds) if seconds is not None else None,
        )


@dataclass(frozen=True, slots=True)
class FraudRules:
    """Rules by flag. Key shape: core table, PK `ADV#<advertiser>`, SK `FRAUD_RULES` (the advertiser's,
    for every offer) or `FRAUD_RULES#<offer>` (one offer's overrides); attribute `rules`: flag →
    {action, reason, seconds}; `updated_at`. The click path's route cache reads both items."""

    rules: Mapping[FraudFlag, FraudRule] = field(default_factory=dict)
    updated_at: datetime | None = None

    def over(self, defaults: FraudRules) -> FraudRules:
        """These rules where they name a flag, `defaults` for the others."""
        return FraudRules({**defaults.rules, **self.rules}, self.updated_at)

    def as_item(self) -> dict[str, Any]:
        return {
            "rules": {flag.value: rule.as_item() for flag, rule in self.rules.items()},
            "updated_at": iso_millis(self.updated_at) if self.updated_at else None,
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any] | None) -> FraudRules:
        """The stored rules; a flag or action this code does not know (a newer writer's) is left out."""
        if not item:
            return NO_RULES
        known = {flag.value for flag in FraudFlag}
        rules = {
            FraudFlag(name): FraudRule.from_item(rule)
            for name, rule in (item.get("rules") or {}).items()
            if name in known and rule.get("action") in {action.value for action in ScreeningAction}
        }
        updated = item.get("updated_at")
        return cls(rules, parse_iso(updated) if updated else None)


NO_RULES = FraudRules()


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """A rule as a person wrote it, not yet checked."""

    action: str
    reason: str | None = None
    seconds: int | None = None


def checked_rules(drafts: Mapping[str, RuleDraft], keep_accepts: bool) -> dict[FraudFlag, FraudRule]:
    """The drafts as rules, or ValidationFailed naming the first that is wrong. `keep_accepts`: an
    offer's accept overrides the advertiser's rule; in the advertiser's own rules an accept is what no
    rule means, and is not kept (so the offer's `min_conversion_seconds` still applies)."""
    rules: dict[FraudFlag, FraudRule] = {}
    for name, draft in drafts.items():
        flag = _known(FraudFlag, name, "flag")
        rule = _checked(flag, draft)
        if rule.action is not ScreeningAction.ACCEPTED or keep_accepts:
            rules[flag] = rule
    check_time_window(rules)
    return rules


def check_time_window(rules: Mapping[FraudFlag, FraudRule]) -> None:
    """A minimum time to convert must stay below the maximum, or every conversion would be flagged."""
    fast, slow = rules.get(FraudFlag.TOO_FAST), rules.get(FraudFlag.TOO_SLOW)
    if (
        fast
        and slow
        and fast.seconds is not None
        and slow.seconds is not None
        and fast.seconds >= slow.seconds
    ):
        raise ValidationFailed(
            f"too_fast's minimum ({fast.seconds} s) must be less than too_slow's maximum ({slow.seconds} s)"
        )


def _checked(flag: FraudFlag, draft: RuleDraft) -> FraudRule:
    action = _known(ScreeningAction, draft.action, f"{flag.value}: action")
    if draft.reason and action is not ScreeningAction.REJECTED:
        raise ValidationFailed(f"{flag.value}: a reason goes with a rejection only")
    reason = RejectionReason.FRAUD
    if draft.reason:
        reason = _known(RejectionReason, draft.reason, f"{flag.value}: reason")
        if reason not in RULE_REASONS:
            raise ValidationFailed(f"{flag.value}: reason must be one of {', '.join(RULE_REASONS)}")
    seconds = draft.seconds
    if flag not in TIMED_FLAGS:
        if seconds is not None:
            raise ValidationFailed(f"{flag.value}: seconds go with too_fast and too_slow only")
        return FraudRule(action, reason)
    if action is ScreeningAction.ACCEPTED:
        return FraudRule(action)  # accepting any time needs no limit
    bound = MAX_MINIMUM_SECONDS if flag is FraudFlag.TOO_FAST else MAX_MAXIMUM_SECONDS
    if seconds is None or not 1 <= seconds <= bound:
        limit = "minimum" if flag is FraudFlag.TOO_FAST else "maximum"
        raise ValidationFailed(f"{flag.value}: the {limit} is 1 to {bound} seconds")
    return FraudRule(action, reason, seconds)


def _known[E: (FraudFlag, ScreeningAction, RejectionReason)](kind: type[E], value: str, what: str) -> E:
    try:
        return kind(value.strip().lower())
    except ValueError:
        raise ValidationFailed(
            f"{what} must be one of {', '.join(member.value for member in kind)}"
        ) from None


def effective_rules(advertiser: FraudRules, offer: FraudRules, min_conversion_seconds: int) -> FraudRules:
    """The rules a conversion of an offer meets: the offer's overrides over the advertiser's rules,
    and, where neither names `too_fast`, the offer's `min_conversion_seconds` as a rule that holds."""
    rules = offer.over(advertiser)
    if FraudFlag.TOO_FAST in rules.rules or min_conversion_seconds <= 0:
        return rules
    legacy = FraudRule(ScreeningAction.HELD, seconds=min_conversion_seconds)
    return FraudRules({**rules.rules, FraudFlag.TOO_FAST: legacy}, rules.updated_at)


@dataclass(frozen=True, slots=True)
class ClickSignals:
    """What traffic quality knows about a conversion's click when the conversion arrives."""

    bot: bool = False
    datacenter: HostingNetwork | None = None
    ip_flood: bool = False
    duplicate_visitor: bool = False


class ClickInspector(Protocol):
    def signals(self, click: Click) -> ClickSignals:
        """What is known of the click now; a flag not judged yet is simply not raised."""
        ...


@dataclass(frozen=True, slots=True)
class Screening:
    """The rules' decision on one conversion: every flag found, and the rule that acted (if any), with
    an English note and the details a translated one is built from."""

    flags: tuple[FraudFlag, ...] = ()
    action: ScreeningAction = ScreeningAction.ACCEPTED
    flag: FraudFlag | None = None
    reason: RejectionReason | None = None  # set when rejected
    note: str = ""
    detail: dict[str, str | int] = field(default_factory=dict)


def screen(rules: FraudRules, signals: ClickSignals, seconds_to_convert: float) -> Screening:
    """Decide a conversion by its click's signals and the time it took (in seconds) under `rules`."""
    found = _flags(rules, signals, seconds_to_convert)
    acting = [
        (flag, rules.rules[flag])
        for flag in found
        if flag in rules.rules and rules.rules[flag].action is not ScreeningAction.ACCEPTED
    ]
    if not acting:
        return Screening(flags=tuple(found))
    # The strictest rule decides; among equals, the first flag in FraudFlag's order.
    flag, rule = max(acting, key=lambda pair: _STRICTNESS[pair[1].action])
    note, detail = _explained(flag, rule, signals, seconds_to_convert)
    return Screening(
        flags=tuple(found),
        action=rule.action,
        flag=flag,
        reason=rule.reason if rule.action is ScreeningAction.REJECTED else None,
        note=note,
        detail=detail,
    )


def _flags(rules: FraudRules, signals: ClickSignals, seconds: float) -> list[FraudFlag]:
    """The flags in FraudFlag's order; the time flags only where a rule sets the limit."""
    fast, slow = rules.rules.get(FraudFlag.TOO_FAST), rules.rules.get(FraudFlag.TOO_SLOW)
    on = {
        FraudFlag.BOT: signals.bot,
        FraudFlag.DATACENTER: signals.datacenter is not None,
        FraudFlag.IP_FLOOD: signals.ip_flood,
        FraudFlag.DUPLICATE_VISITOR: signals.duplicate_visitor,
        FraudFlag.TOO_FAST: fast is not None and fast.seconds is not None and seconds < fast.seconds,
        FraudFlag.TOO_SLOW: slow is not None and slow.seconds is not None and seconds > slow.seconds,
    }
    return [flag for flag in FraudFlag if on[flag]]


def _explained(
    flag: FraudFlag, rule: FraudRule, signals: ClickSignals, seconds: float
) -> tuple[str, dict[str, str | int]]:
    elapsed = int(seconds)
    if flag is FraudFlag.DATACENTER and signals.datacenter is not None:
        network = signals.datacenter
        return f"click from a datacenter network, {network}", {"asn": network.asn, "network": network.name}
    if flag is FraudFlag.TOO_FAST and rule.seconds is not None:
        return (
            f"converted {elapsed} s after the click, sooner than the minimum of {rule.seconds} s",
            {"seconds": elapsed, "minimum": rule.seconds},
        )
    if flag is FraudFlag.TOO_SLOW and rule.seconds is not None:
        return (
            f"converted {elapsed} s after the click, later than the maximum of {rule.seconds} s",
            {"seconds": elapsed, "maximum": rule.seconds},
        )
    notes = {
        FraudFlag.BOT: "click made by a bot",
        FraudFlag.IP_FLOOD: "click from an address that flooded the advertiser with clicks",
        FraudFlag.DUPLICATE_VISITOR: "repeat click of a visitor already counted",
    }
    return notes[flag], {}
