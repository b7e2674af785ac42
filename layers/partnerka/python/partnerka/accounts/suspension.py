"""Suspension by the platform's staff: an advertiser, an affiliate everywhere, or an affiliate in one
advertiser's program is stopped, and later reactivated exactly as it was.

What a suspension stops, and where: the click path sends the account's clicks to the fallback (it reads
the attributes written here: accounts.routing); its people's dashboard is read-only (`Callers`, with
`suspension_of`); affiliate postbacks for a suspended advertiser's events wait, failed with a clear
error, for a replay (postbacks.sender); payouts and payout requests are refused (finance.payouts).

It is kept apart from the rest on purpose: a suspended membership keeps its status (and its place in
the affiliate's `approved_advertisers`), so reactivating restores the advertiser's own decision; and
it is not billing's lock (billing.locks), which only narrows the dashboard to its billing pages while
tracking goes on.

Suspending what is suspended (or reactivating what is active) changes nothing: the answer says so
(`changed` False), and nothing is audited or told again.

What each one sees:
- an advertiser suspended: its people and API keys sign in and read everything; every change but
  their own profile, sign-in, notices, exports and the platform's billing (a debt can be settled) is
  refused with 403 `account_suspended`, and /api/me carries the suspension for the dashboard's banner;
- an affiliate suspended everywhere: the same, whatever advertiser it works in;
- an affiliate suspended in one program: in that advertiser's context it reads and changes nothing
  (its payout requests there included), with the banner; in its other programs it works as before,
  and the membership shows `suspended` beside the status the advertiser gave it.

The conversions a suspended advertiser still reports (its postbacks to us) are recorded: they are the
record of traffic it received, refusing them would lose it for good, and nothing they earn moves while
the suspension lasts (payouts wait, affiliate postbacks are held for a replay).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from partnerka.accounts.models import Advertiser, Affiliate, Membership, Role
from partnerka.accounts.permissions import Permission, require
from partnerka.accounts.repository import AccountStore
from partnerka.accounts.routing import AccountStatus
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor, AuditTrail
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import DomainError, ErrorCode, NotFound, ValidationFailed
from partnerka.notifications.events import Audience, Event, EventType, Notices

MAX_REASON = 500


class AccountSuspended(DomainError):
    code = ErrorCode.ACCOUNT_SUSPENDED


class SuspensionScope(StrEnum):
    ADVERTISER = "advertiser"  # an advertiser, with its team and API keys
    AFFILIATE = "affiliate"  # an affiliate in every program
    PROGRAM = "program"  # an affiliate in one advertiser's program


@dataclass(frozen=True, slots=True)
class Suspension:
    """What a caller is suspended as, since when and why."""

    scope: SuspensionScope
    reason: str
    since: str | None


@dataclass(frozen=True, slots=True)
class AdvertiserStanding:
    advertiser: Advertiser
    changed: bool


@dataclass(frozen=True, slots=True)
class AffiliateStanding:
    """The affiliate as stored, and (suspended in one program) that membership."""

    affiliate: Affiliate
    membership: Membership | None
    changed: bool


def advertiser_suspension(advertiser: Advertiser) -> Suspension | None:
    if advertiser.status is not AccountStatus.SUSPENDED:
        return None
    return Suspension(SuspensionScope.ADVERTISER, advertiser.suspension_reason, advertiser.suspended_at)


def affiliate_suspension(affiliate: Affiliate, advertiser_id: str | None) -> Suspension | None:
    """The affiliate's suspension everywhere, else in the program of `advertiser_id` (None: in none
    in particular). The reason of a program's suspension is on its membership, not read here."""
    if affiliate.status is AccountStatus.SUSPENDED:
        return Suspension(SuspensionScope.AFFILIATE, affiliate.suspension_reason, affiliate.suspended_at)
    if advertiser_id and advertiser_id in affiliate.suspended_advertisers:
        return Suspension(SuspensionScope.PROGRAM, "", None)
    return None


def suspension_of(accounts: AccountStore, principal: Principal) -> Suspension | None:
    """Whether the caller works in a suspended account: an advertiser's people and API keys in a
    suspended advertiser; an affiliate suspended everywhere, or in the program it works in. One read
    (the advertiser's or the affiliate's own item); staff are never suspended here."""
    if principal.role is Role.ADVERTISER and principal.advertiser_id:
        try:
            return advertiser_suspension(accounts.get_advertiser(principal.advertiser_id))
        except NotFound:
            return None
    if principal.role is Role.AFFILIATE and principal.affiliate_id:
        try:
            affiliate = accounts.get_affiliate(principal.affiliate_id)
        except NotFound:
            return None
        return affiliate_suspension(affiliate, principal.advertiser_id)
    return None


class AccountStandings:
    """What finance asks before money moves: refused (AccountSuspended) while the advertiser, or the
    affiliate (everywhere or in the advertiser's program), is suspended."""

    def __init__(self, accounts: AccountStore) -> None:
        self._accounts = accounts

    def ensure_advertiser_active(self, advertiser_id: str) -> None:
        if advertiser_suspension(self._accounts.get_advertiser(advertiser_id)) is not None:
            raise AccountSuspended("the advertiser is suspended: payouts wait until it is reactivated")

    def ensure_affiliate_active(self, advertiser_id: str, affiliate_id: str) -> None:
        if self.affiliate_suspended(advertiser_id, affiliate_id):
            raise AccountSuspended(
                f"affiliate '{affiliate_id}' is suspended: its payouts wait until it is reactivated"
            )

    def affiliate_suspended(self, advertiser_id: str, affiliate_id: str) -> bool:
        try:
            affiliate = self._accounts.get_affiliate(affiliate_id)
        except NotFound:
            return False
        return affiliate_suspension(affiliate, advertiser_id) is not None


def _reason(value: str) -> str:
    reason = value.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationFailed(f"a reason is required to suspend (at most {MAX_REASON} characters)")
    return reason


def _note(value: str) -> str:
    note = value.strip()
    if len(note) > MAX_REASON:
        raise ValidationFailed(f"the note is at most {MAX_REASON} characters")
    return note


def _standing(status: AccountStatus, since: str | None, reason: str) -> dict[str, Any]:
    """What the audit log keeps of a suspension, before and after."""
    return {"status": status.value, "suspended_at": since, "suspension_reason": reason}


class Suspensions:
    """Staff (Permission.ACCOUNTS_SUSPEND) suspend and reactivate accounts: each change is written
    with its mirrors in one write, audited, and told to the people it concerns, with the reason."""

    def __init__(
        self,
        accounts: AccountStore,
        audit: AuditTrail,
        notices: Notices,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._accounts = accounts
        self._audit = audit
        self._notices = notices
        self._now = now

    # ------------------------------------------------------------------ advertisers
    def suspend_advertiser(
        self, principal: Principal, advertiser_id: str, reason: str, actor: Actor
    ) -> AdvertiserStanding:
        """Suspend the advertiser: its clicks go to its fallback, its dashboard and API keys only
        read, its affiliates' postbacks and its payouts wait."""
        require(principal, Permission.ACCOUNTS_SUSPEND)
        why = _reason(reason)
        at = iso_millis(self._now())
        before = self._accounts.get_advertiser(advertiser_id)
        return self._change_advertiser(
            before,
            replace(before, status=AccountStatus.SUSPENDED, suspended_at=at, suspension_reason=why),
            actor,
        )

    def reactivate_advertiser(
        self, principal: Principal, advertiser_id: str, actor: Actor, note: str = ""
    ) -> AdvertiserStanding:
        require(principal, Permission.ACCOUNTS_SUSPEND)
        said = _note(note)
        before = self._accounts.get_advertiser(advertiser_id)
        after = replace(before, status=AccountStatus.ACTIVE, suspended_at=None, suspension_reason="")
        return self._change_advertiser(before, after, actor, said)

    def _change_advertiser(
        self, before: Advertiser, after: Advertiser, actor: Actor, note: str = ""
    ) -> AdvertiserStanding:
        if before.status is after.status or not self._accounts.save_advertiser_status(after):
            return AdvertiserStanding(self._accounts.get_advertiser(before.id), changed=False)
        suspended = after.status is AccountStatus.SUSPENDED
        self._audit.record(
            actor,
            after.id,
            "advertiser.suspended" if suspended else "advertiser.reactivated",
            f"advertiser:{after.id}",
            _standing(before.status, before.suspended_at, before.suspension_reason),
            _standing(after.status, after.suspended_at, after.suspension_reason),
        )
        self._tell(
            suspended,
            f"advertiser.{after.id}",
            SuspensionScope.ADVERTISER,
            after.id,
            Audience(advertiser_team=True),
            after.suspension_reason if suspended else note,
            {"advertiser_name": after.name},
        )
        return AdvertiserStanding(after, changed=True)

    # ------------------------------------------------------------------ affiliates
    def suspend_affiliate(
        self,
        principal: Principal,
        affiliate_id: str,
        reason: str,
        actor: Actor,
        advertiser_id: str | None = None,
    ) -> AffiliateStanding:
        """Suspend the affiliate everywhere, or (`advertiser_id`) in that advertiser's program only:
        its clicks go to the fallback, its dashboard (in that program) only reads, its payouts wait.
        Its memberships keep their status."""
        require(principal, Permission.ACCOUNTS_SUSPEND)
        why = _reason(reason)
        at = iso_millis(self._now())
        if advertiser_id:
            membership = self._membership(advertiser_id, affiliate_id)
            return self._change_membership(
                membership, replace(membership, suspended_at=at, suspension_reason=why), actor
            )
        before = self._accounts.get_affiliate(affiliate_id)
        after = replace(before, status=AccountStatus.SUSPENDED, suspended_at=at, suspension_reason=why)
        return self._change_affiliate(before, after, actor)

    def reactivate_affiliate(
        self,
        principal: Principal,
        affiliate_id: str,
        actor: Actor,
        advertiser_id: str | None = None,
        note: str = "",
    ) -> AffiliateStanding:
        """End the suspension everywhere, or in that advertiser's program; a suspension of the other
        scope stays as it is."""
        require(principal, Permission.ACCOUNTS_SUSPEND)
        said = _note(note)
        if advertiser_id:
            membership = self._membership(advertiser_id, affiliate_id)
            restored = replace(membership, suspended_at=None, suspension_reason="")
            return self._change_membership(membership, restored, actor, said)
        before = self._accounts.get_affiliate(affiliate_id)
        after = replace(before, status=AccountStatus.ACTIVE, suspended_at=None, suspension_reason="")
        return self._change_affiliate(before, after, actor, said)

    def _membership(self, advertiser_id: str, affiliate_id: str) -> Membership:
        self._accounts.get_advertiser(advertiser_id)
        membership = self._accounts.get_membership(advertiser_id, affiliate_id)
        if membership is None:
            raise NotFound(f"no affiliate '{affiliate_id}' in the program of '{advertiser_id}'")
        return membership

    def _change_affiliate(
        self, before: Affiliate, after: Affiliate, actor: Actor, note: str = ""
    ) -> AffiliateStanding:
        if before.status is after.status or not self._accounts.save_affiliate_status(after):
            return AffiliateStanding(self._accounts.get_affiliate(before.affiliate_id), None, changed=False)
        suspended = after.status is AccountStatus.SUSPENDED
        self._audit.record(
            actor,
            None,  # everywhere: no one advertiser's log
            "affiliate.suspended" if suspended else "affiliate.reactivated",
            f"affiliate:{after.affiliate_id}",
            _standing(before.status, before.suspended_at, before.suspension_reason),
            _standing(after.status, after.suspended_at, after.suspension_reason),
        )
        self._tell(
            suspended,
            f"affiliate.{after.affiliate_id}",
            SuspensionScope.AFFILIATE,
            "",
            Audience(affiliate_id=after.affiliate_id),
            after.suspension_reason if suspended else note,
            {"affiliate_name": after.name},
        )
        return AffiliateStanding(self._accounts.get_affiliate(after.affiliate_id), None, changed=True)

    def _change_membership(
        self, before: Membership, after: Membership, actor: Actor, note: str = ""
    ) -> AffiliateStanding:
        affiliate_id, advertiser_id = before.affiliate_id, before.advertiser_id
        if before.suspended == after.suspended:
            return AffiliateStanding(self._accounts.get_affiliate(affiliate_id), before, changed=False)
        self._accounts.save_membership(after)  # with the affiliate's `suspended_advertisers`
        status = before.status.value
        self._audit.record(
            actor,
            advertiser_id,
            "membership.suspended" if after.suspended else "membership.reactivated",
            f"affiliate:{affiliate_id}",
            {
                "status": status,
                "suspended_at": before.suspended_at,
                "suspension_reason": before.suspension_reason,
            },
            {
                "status": status,
                "suspended_at": after.suspended_at,
                "suspension_reason": after.suspension_reason,
            },
        )
        affiliate = self._accounts.get_affiliate(affiliate_id)
        self._tell(
            after.suspended,
            f"membership.{advertiser_id}.{affiliate_id}",
            SuspensionScope.PROGRAM,
            advertiser_id,
            Audience(affiliate_id=affiliate_id, advertiser_team=True),
            after.suspension_reason if after.suspended else note,
            {
                "affiliate_id": affiliate_id,
                "affiliate_name": affiliate.name,
                "advertiser_name": self._accounts.get_advertiser(advertiser_id).name,
            },
        )
        return AffiliateStanding(affiliate, after, changed=True)

    def _tell(
        self,
        suspended: bool,
        subject: str,
        scope: SuspensionScope,
        advertiser_id: str,
        audience: Audience,
        reason: str,
        names: dict[str, str],
    ) -> None:
        now = self._now()
        kind = EventType.ACCOUNT_SUSPENDED if suspended else EventType.ACCOUNT_REACTIVATED
        self._notices.send(
            Event(
                event_id=f"{subject}.{'suspended' if suspended else 'reactivated'}.{iso_millis(now)}",
                type=kind,
                occurred_at=now,
                advertiser_id=advertiser_id,
                audience=audience,
                data={"scope": scope.value, "reason": reason, **names},
            )
        )
