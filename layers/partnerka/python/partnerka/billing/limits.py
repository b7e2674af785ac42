"""Plan limits that hold: the one gate every service asks before it adds what a plan limits, and the
error that names the limit, what is in use, what the plan allows and the plan that would allow more."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from partnerka.billing.models import Entitlements, Limit, Plan, PlanLimits, SubscriptionState
from partnerka.billing.ports import EntitlementsSource
from partnerka.common.errors import DomainError, ErrorCode


@dataclass(frozen=True, slots=True)
class Excess:
    """One limit that what is in use goes over."""

    limit: Limit
    usage: int
    allowed: int


class PlanLimitExceeded(DomainError):
    """The plan does not allow what was asked. `plan` is the plan that refused (for a refused change of
    plan, the plan asked for); `upgrade_to` the lowest public plan that allows it, None when none
    does; `excess` every limit over it, when a change of plan was refused."""

    code = ErrorCode.PLAN_LIMIT

    def __init__(
        self,
        message: str,
        limit: Limit,
        usage: int,
        allowed: int,
        plan: str,
        upgrade_to: str | None = None,
        excess: Sequence[Excess] = (),
    ) -> None:
        super().__init__(message)
        self.limit = limit
        self.usage = usage
        self.allowed = allowed
        self.plan = plan
        self.upgrade_to = upgrade_to
        self.excess = tuple(excess)

    def details(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "limit": self.limit.value,
            "usage": self.usage,
            "allowed": self.allowed,
            "plan": self.plan,
            "upgrade_to": self.upgrade_to,
        }
        if self.excess:
            found["excess"] = [
                {"limit": e.limit.value, "usage": e.usage, "allowed": e.allowed} for e in self.excess
            ]
        return found


# ---------------------------------------------------------------------- the words
# Each counted limit: (one, many) of what it counts, and (one, many) of how it is in use.
_WORDS: dict[Limit, tuple[tuple[str, str], tuple[str, str]]] = {
    Limit.CLICKS_PER_MONTH: (("click a month", "clicks a month"), ("was counted", "were counted")),
    Limit.ACTIVE_OFFERS: (("active offer", "active offers"), ("is active", "are active")),
    Limit.APPROVED_AFFILIATES: (
        ("approved affiliate", "approved affiliates"),
        ("is approved", "are approved"),
    ),
    Limit.TEAM_SEATS: (("team seat", "team seats"), ("is taken", "are taken, invitations included")),
    Limit.CUSTOM_DOMAINS: (("custom domain", "custom domains"), ("is added", "are added")),
}
# What frees room on the same plan, where the advertiser can do it itself.
_FREE_UP = {
    Limit.ACTIVE_OFFERS: "pause an offer",
    Limit.APPROVED_AFFILIATES: "block an affiliate you no longer work with",
    Limit.CUSTOM_DOMAINS: "remove a domain",
}
WHITE_LABEL = "white-label"
WHITE_LABEL_WORDS = (
    f"{WHITE_LABEL} (your own portal name, colours, images and e-mail sender, and a portal domain)"
)


def _said(number: int, words: tuple[str, str]) -> str:
    return words[0] if number == 1 else words[1]


def _count(number: int, words: tuple[str, str]) -> str:
    return f"{number} {_said(number, words)}"


def limit_message(plan_name: str, limit: Limit, usage: int, allowed: int, upgrade_to: str | None) -> str:
    """The refusal in plain words: what the plan allows, what is in use, and what to do about it."""
    if limit is Limit.WHITE_LABEL:
        said = f"Your plan {plan_name} does not include {WHITE_LABEL_WORDS}"
    else:
        nouns, in_use = _WORDS[limit]
        if allowed == 0:
            said = f"Your plan {plan_name} includes no {nouns[1]}"
        else:
            said = f"Your plan {plan_name} allows {_count(allowed, nouns)} and {_count(usage, in_use)}"
    remedies = [f"upgrade to the {upgrade_to} plan"] if upgrade_to else []
    if allowed > 0 and limit in _FREE_UP:
        remedies.append(_FREE_UP[limit])
    return f"{said}: {' or '.join(remedies) or 'contact us for terms of your own'}."


def excess_of(limits: PlanLimits, usage: Mapping[Limit, int]) -> list[Excess]:
    """Every limit `usage` goes over, in the order of Limit. Clicks are left out: they are metered and
    billed (or the advertiser asked to upgrade), never something to reduce before a change of plan."""
    found = []
    for limit in Limit:
        allowed = limits.allowed(limit)
        used = usage.get(limit, 0)
        if limit is not Limit.CLICKS_PER_MONTH and allowed is not None and used > allowed:
            found.append(Excess(limit, used, allowed))
    return found


def change_refused(plan: Plan, excess: Sequence[Excess]) -> PlanLimitExceeded:
    """A change to `plan` refused because what is in use goes over it: every excess listed, the first
    one as the error's own limit."""
    if not excess:
        raise ValueError("a change of plan is refused only over an excess")
    parts = [
        f"{WHITE_LABEL} is in use"
        if e.limit is Limit.WHITE_LABEL
        else f"{_count(e.usage, _WORDS[e.limit][0])} where it allows {e.allowed}"
        for e in excess
    ]
    message = f"The plan {plan.name} allows less than you use now: {'; '.join(parts)}. Reduce these first."
    first = excess[0]
    return PlanLimitExceeded(message, first.limit, first.usage, first.allowed, plan.code, None, excess)


# ---------------------------------------------------------------------- the gate
class PlanGate:
    """The one place plan limits are checked. Services call it before they add what a plan limits,
    passing how to count what is in use (counted only when the plan limits it). What counts:

    - active_offers: offers whose status is active (paused and archived ones do not); asked when an
      offer is created (it starts active) or its status turns active.
    - approved_affiliates: memberships whose status is active (pending, rejected and blocked ones do
      not); asked when a membership turns active.
    - team_seats: the advertiser's users that are not blocked (an invitation holds its seat from the
      moment it is sent); asked when a teammate is invited (by the advertiser or by staff) and when a
      blocked one is unblocked.
    - custom_domains: the advertiser's domains in every state but `removing`; asked when one is added.
    - white_label (allowed or not): in use while the brand shows the advertiser's own look beyond its
      account's name (a portal name other than the advertiser's name, a colour, a logo or favicon, an
      e-mail sender name) or a portal domain is held. A support address and links to terms and privacy
      are the program's information, on every plan. Asked when a brand's save sets or changes any of
      that look, when an image is attached, and when a portal domain is added; taking any of it away is
      never refused, so a plan without white-label can always be reached.
    - clicks_per_month: metered from the statistics, never refused (affiliates' traffic must not
      break).

    A count is read and the write follows, not in one condition: two requests at once for the last free
    slot may both pass. A limit may be overshot by as many requests as race for it, which the next
    check refuses again; keeping a counter exact through every change of status would cost a
    transaction on every write of offers, memberships, users and domains, for a limit that is not
    money."""

    def __init__(self, source: EntitlementsSource) -> None:
        self._source = source

    def ensure(self, advertiser_id: str, limit: Limit, usage: Callable[[], int], adding: int = 1) -> None:
        """`PlanLimitExceeded` unless the plan allows `adding` more of `limit` on top of `usage()` (a
        plan that allows none refuses whatever is in use)."""
        if limit is Limit.CLICKS_PER_MONTH:
            raise ValueError("clicks are metered, never refused")
        entitlements = self._source.entitlements(advertiser_id)
        allowed = entitlements.limits.allowed(limit)
        if allowed is None:
            return
        used = usage()
        if used + adding > allowed:
            raise self._refusal(entitlements, limit, used, allowed, used + adding)

    def ensure_white_label(self, advertiser_id: str) -> None:
        """`PlanLimitExceeded` unless the plan includes white-label (asked for as one: usage 0)."""
        self.ensure(advertiser_id, Limit.WHITE_LABEL, lambda: 0)

    def _refusal(
        self, entitlements: Entitlements, limit: Limit, usage: int, allowed: int, needed: int
    ) -> PlanLimitExceeded:
        upgrade_to = self._source.upgrade_for(limit, needed)
        plan = entitlements.plan
        message = limit_message(plan.name, limit, usage, allowed, upgrade_to)
        return PlanLimitExceeded(message, limit, usage, allowed, plan.code, upgrade_to)


# ---------------------------------------------------------------------- no limits
NO_LIMITS = PlanLimits(
    clicks_per_month=None,
    active_offers=None,
    approved_affiliates=None,
    team_seats=None,
    custom_domains=None,
    white_label=True,
)
UNLIMITED_PLAN = Plan(
    code="unlimited", name="Unlimited", version=0, monthly_prices={}, limits=NO_LIMITS, public=False
)


class Unlimited:
    """EntitlementsSource of a platform that does not sell plans: everything allowed. The operator's
    scripts, tests of what limits are not about, and a composition without subscriptions use it."""

    def entitlements(self, advertiser_id: str) -> Entitlements:
        return Entitlements(
            advertiser_id=advertiser_id,
            plan=UNLIMITED_PLAN,
            limits=NO_LIMITS,
            state=SubscriptionState.ACTIVE,
            overage_per_1000=None,
            currency="USD",
        )

    def upgrade_for(self, limit: Limit, needed: int) -> str | None:  # noqa: ARG002 - the port's signature
        return None


UNLIMITED = PlanGate(Unlimited())
