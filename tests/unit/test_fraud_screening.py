"""Fraud rules' decision on an arriving conversion (conversions.screening): each flag, the strictest
rule winning, an offer's overrides, the time limits' boundaries, and the checks on what people write."""

from __future__ import annotations

import pytest

from partnerka.common.errors import ValidationFailed
from partnerka.conversions.models import FraudFlag, RejectionReason, ScreeningAction
from partnerka.conversions.screening import (
    NO_RULES,
    ClickSignals,
    FraudRule,
    FraudRules,
    RuleDraft,
    checked_rules,
    effective_rules,
    screen,
)
from partnerka.tracking.datacenter import HostingNetwork

ACCEPT = FraudRule(ScreeningAction.ACCEPTED)
HOLD = FraudRule(ScreeningAction.HELD)
REJECT = FraudRule(ScreeningAction.REJECTED)
AWS = HostingNetwork(16509, "Amazon AWS")
CLEAN = ClickSignals()
MINUTE = 60.0


def rules(**by_flag: FraudRule) -> FraudRules:
    return FraudRules({FraudFlag(name): rule for name, rule in by_flag.items()})


@pytest.mark.parametrize(
    ("flag", "signals"),
    [
        (FraudFlag.BOT, ClickSignals(bot=True)),
        (FraudFlag.DATACENTER, ClickSignals(datacenter=AWS)),
        (FraudFlag.IP_FLOOD, ClickSignals(ip_flood=True)),
        (FraudFlag.DUPLICATE_VISITOR, ClickSignals(duplicate_visitor=True)),
    ],
)
def test_each_click_flag_is_rejected_by_its_own_rule_and_by_no_other(
    flag: FraudFlag, signals: ClickSignals
) -> None:
    # Given a rule rejecting this flag only
    decision = screen(rules(**{flag.value: REJECT}), signals, MINUTE)
    # Then a conversion of a click carrying it is rejected for fraud, naming the flag
    assert (decision.action, decision.flag, decision.reason) == (
        ScreeningAction.REJECTED,
        flag,
        RejectionReason.FRAUD,
    )
    assert decision.flags == (flag,)
    # And a clean click's conversion passes
    assert screen(rules(**{flag.value: REJECT}), CLEAN, MINUTE).action is ScreeningAction.ACCEPTED
    # And so does the flagged one when the rule is for another flag
    other = next(f for f in (FraudFlag.BOT, FraudFlag.DATACENTER) if f is not flag)
    assert screen(rules(**{other.value: REJECT}), signals, MINUTE).action is ScreeningAction.ACCEPTED


def test_a_datacenter_decision_names_the_network_and_keeps_its_details() -> None:
    decision = screen(rules(datacenter=HOLD), ClickSignals(datacenter=AWS), MINUTE)
    assert decision.action is ScreeningAction.HELD
    assert decision.note == "click from a datacenter network, AS16509 (Amazon AWS)"
    assert decision.detail == {"asn": 16509, "network": "Amazon AWS"}
    assert decision.reason is None  # a hold gives no rejection reason


def test_the_strictest_rule_wins_and_names_its_flag() -> None:
    # Given a bot click from a datacenter that flooded, with rules holding bots and rejecting floods
    signals = ClickSignals(bot=True, datacenter=AWS, ip_flood=True)
    decision = screen(
        rules(
            bot=HOLD,
            datacenter=ACCEPT,
            ip_flood=FraudRule(ScreeningAction.REJECTED, RejectionReason.INVALID_DATA),
        ),
        signals,
        MINUTE,
    )
    # Then the rejection decides, with its own reason, and every flag is kept
    assert (decision.action, decision.flag, decision.reason) == (
        ScreeningAction.REJECTED,
        FraudFlag.IP_FLOOD,
        RejectionReason.INVALID_DATA,
    )
    assert decision.flags == (FraudFlag.BOT, FraudFlag.DATACENTER, FraudFlag.IP_FLOOD)
    # And between two holds the first flag in FraudFlag's order is named
    both_held = screen(rules(bot=HOLD, datacenter=HOLD), signals, MINUTE)
    assert (both_held.action, both_held.flag) == (ScreeningAction.HELD, FraudFlag.BOT)


def test_flags_are_kept_even_when_every_rule_accepts() -> None:
    decision = screen(NO_RULES, ClickSignals(datacenter=AWS, duplicate_visitor=True), MINUTE)
    assert decision.action is ScreeningAction.ACCEPTED
    assert (decision.flag, decision.note) == (None, "")
    assert decision.flags == (FraudFlag.DATACENTER, FraudFlag.DUPLICATE_VISITOR)


def test_time_limits_flag_only_beyond_their_bounds() -> None:
    timed = rules(
        too_fast=FraudRule(ScreeningAction.HELD, seconds=30),
        too_slow=FraudRule(ScreeningAction.REJECTED, seconds=3600),
    )
    # Exactly at the minimum or the maximum is fine
    assert screen(timed, CLEAN, 30.0).action is ScreeningAction.ACCEPTED
    assert screen(timed, CLEAN, 3600.0).action is ScreeningAction.ACCEPTED
    # A moment sooner or later is not
    fast = screen(timed, CLEAN, 29.9)
    assert (fast.action, fast.flag, fast.detail) == (
        ScreeningAction.HELD,
        FraudFlag.TOO_FAST,
        {"seconds": 29, "minimum": 30},
    )
    assert fast.note == "converted 29 s after the click, sooner than the minimum of 30 s"
    slow = screen(timed, CLEAN, 3601.0)
    assert (slow.action, slow.flag, slow.detail) == (
        ScreeningAction.REJECTED,
        FraudFlag.TOO_SLOW,
        {"seconds": 3601, "maximum": 3600},
    )


def test_an_offers_override_replaces_the_advertisers_rule_for_its_flags_only() -> None:
    advertiser = rules(datacenter=REJECT, bot=REJECT)
    offer = rules(datacenter=ACCEPT)
    applied = effective_rules(advertiser, offer, 0)
    signals = ClickSignals(datacenter=AWS)
    assert screen(applied, signals, MINUTE).action is ScreeningAction.ACCEPTED
    assert screen(applied, ClickSignals(bot=True), MINUTE).action is ScreeningAction.REJECTED
    assert (
        screen(effective_rules(advertiser, NO_RULES, 0), signals, MINUTE).action is ScreeningAction.REJECTED
    )


def test_without_rules_the_offers_minimum_time_still_holds_fast_conversions() -> None:
    # Given an advertiser who never set a rule, and an offer asking for at least a minute
    applied = effective_rules(NO_RULES, NO_RULES, min_conversion_seconds=60)
    decision = screen(applied, CLEAN, 5.0)
    assert (decision.action, decision.flag) == (ScreeningAction.HELD, FraudFlag.TOO_FAST)
    assert screen(applied, CLEAN, 61.0).action is ScreeningAction.ACCEPTED
    # But a too_fast rule of the advertiser's takes the offer's minimum's place
    own = effective_rules(rules(too_fast=FraudRule(ScreeningAction.REJECTED, seconds=3)), NO_RULES, 60)
    assert screen(own, CLEAN, 5.0).action is ScreeningAction.ACCEPTED
    assert screen(own, CLEAN, 2.0).action is ScreeningAction.REJECTED


def test_written_rules_are_checked() -> None:
    checked = checked_rules(
        {
            "datacenter": RuleDraft("rejected", "invalid_data"),
            "too_fast": RuleDraft("held", seconds=10),
            "bot": RuleDraft("accepted"),
        },
        keep_accepts=False,
    )
    # An accept in the advertiser's own rules is no rule at all
    assert checked == {
        FraudFlag.DATACENTER: FraudRule(ScreeningAction.REJECTED, RejectionReason.INVALID_DATA),
        FraudFlag.TOO_FAST: FraudRule(ScreeningAction.HELD, seconds=10),
    }
    # While an offer's accept overrides
    assert checked_rules({"bot": RuleDraft("accepted")}, keep_accepts=True) == {FraudFlag.BOT: ACCEPT}


@pytest.mark.parametrize(
    ("drafts", "message"),
    [
        ({"robot": RuleDraft("rejected")}, "flag must be one of"),
        ({"bot": RuleDraft("block")}, "bot: action must be one of"),
        ({"bot": RuleDraft("rejected", "spam")}, "bot: reason must be one of"),
        ({"bot": RuleDraft("rejected", "cap_reached")}, "bot: reason must be one of fraud"),
        ({"bot": RuleDraft("held", "fraud")}, "a reason goes with a rejection only"),
        ({"bot": RuleDraft("held", seconds=5)}, "seconds go with too_fast and too_slow only"),
        ({"too_fast": RuleDraft("held")}, "the minimum is 1 to 86400 seconds"),
        ({"too_fast": RuleDraft("held", seconds=86_401)}, "the minimum is 1 to 86400 seconds"),
        ({"too_slow": RuleDraft("rejected", seconds=0)}, "the maximum is 1 to 31622400 seconds"),
        (
            {"too_fast": RuleDraft("held", seconds=600), "too_slow": RuleDraft("held", seconds=600)},
            "too_fast's minimum (600 s) must be less than too_slow's maximum (600 s)",
        ),
    ],
)
def test_wrong_rules_are_refused_with_what_is_wrong(drafts: dict[str, RuleDraft], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        checked_rules(drafts, keep_accepts=True)


def test_stored_rules_read_back_as_written_and_unknown_flags_are_left_out() -> None:
    written = rules(
        datacenter=FraudRule(ScreeningAction.REJECTED, RejectionReason.TEST),
        too_slow=FraudRule(ScreeningAction.HELD, seconds=7200),
    )
    item = written.as_item()
    assert FraudRules.from_item(item).rules == written.rules
    item["rules"]["teleport"] = {"action": "rejected"}
    assert FraudRules.from_item(item).rules == written.rules
    assert FraudRules.from_item(None) is NO_RULES
