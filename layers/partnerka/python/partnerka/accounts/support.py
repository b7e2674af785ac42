"""Staff helping people without learning any secret of theirs: an e-mail link sent again, a lost
second factor reset once the person's identity is confirmed, and a read-only look at a person's
dashboard ("view as"). Every help is audited: who helped whom, when, and how identity was checked."""

from __future__ import annotations

from dataclasses import dataclass, replace

from partnerka.accounts.models import STAFF_ROLES, Role, User, UserStatus
from partnerka.accounts.permissions import Permission, allows, require
from partnerka.accounts.service import AccountService, end_every_session, is_active_member, session_version
from partnerka.accounts.tokens import VIEW_AS_TTL, Principal, issue_access_token
from partnerka.audit.service import Actor
from partnerka.common.clock import iso_millis
from partnerka.common.errors import Conflict, Forbidden, ValidationFailed
from partnerka.common.observability import logger
from partnerka.notifications.events import Audience, Event, EventType

IDENTITY_CHECK_LENGTH = (10, 500)


@dataclass(frozen=True, slots=True)
class ViewAsSession:
    """A short read-only access token for the person viewed; no refresh token goes with it."""

    access_token: str
    expires_in: int
    user: User
    context_advertiser_id: str | None
    context_advertiser_name: str | None


def identity_check_of(text: str) -> str:
    """How the helper confirmed who asked: required, a sentence, kept in the audit entry."""
    shortest, longest = IDENTITY_CHECK_LENGTH
    check = " ".join(text.split())
    if not shortest <= len(check) <= longest:
        raise ValidationFailed(
            f"say how the person's identity was confirmed ({shortest} to {longest} characters)"
        )
    return check


class SupportDesk:
    def __init__(self, service: AccountService) -> None:
        self.service = service
        self.accounts = service.accounts

    def _person(self, helper: Principal, user_id: str, permission: Permission) -> User:
        """The person a helper may help: an advertiser's or an affiliate's, never the helper itself,
        and staff only when the Owner helps them."""
        require(helper, permission)
        user = self.accounts.get_user(user_id)
        if user.user_id == helper.user_id:
            raise Forbidden("change your own account through your profile")
        if user.role in STAFF_ROLES and not allows(helper, Permission.USERS_MANAGE_STAFF):
            raise Forbidden("only an owner helps staff")
        return user

    def resend_verification(self, helper: Principal, user_id: str, actor: Actor) -> User:
        """A new verification link for an active account whose address is not confirmed yet."""
        user = self._person(helper, user_id, Permission.SUPPORT_HELP)
        if user.email_verified or user.status is not UserStatus.ACTIVE:
            raise Conflict("this account's e-mail address needs no confirmation")
        self.service.send_link(user, "verify")
        self.service.audit.record(actor, user.advertiser_id, "support.verification_resent", f"user:{user_id}")
        return user

    def resend_invitation(self, helper: Principal, user_id: str, actor: Actor) -> User:
        """A new invitation link for an account still invited; the links sent before stop working."""
        user = self._person(helper, user_id, Permission.SUPPORT_HELP)
        if user.status is not UserStatus.INVITED:
            raise Conflict("this account is not waiting for an invitation")
        revoked = self.service.sessions.revoke_one_time_tokens(user.user_id, "invite")
        self.service.send_link(user, "invite")
        self.service.audit.record(
            actor,
            user.advertiser_id,
            "support.invitation_resent",
            f"user:{user_id}",
            after={"links_revoked": revoked},
        )
        return user

    def reset_mfa(self, helper: Principal, user_id: str, identity_check: str, actor: Actor) -> User:
        """Turn off the second factor of a person who lost it, once the helper confirmed who is
        asking (how, it must say). Its secret and recovery codes are gone, every session of the
        person ends, and the person is told in its language."""
        check = identity_check_of(identity_check)
        user = self._person(helper, user_id, Permission.SUPPORT_HELP)
        if not user.mfa_enabled and not user.mfa_secret:
            raise Conflict("two-factor authentication is off for this account")
        reset = replace(
            end_every_session(user),
            mfa_enabled=False,
            mfa_secret="",
            mfa_last_step=0,
            recovery_codes=frozenset(),
        )
        user = self.accounts.save_user(reset)
        self.service.audit.record(
            actor,
            user.advertiser_id,
            "support.mfa_reset",
            f"user:{user_id}",
            {"mfa_enabled": True},
            {"mfa_enabled": False, "identity_check": check},
        )
        self._tell_mfa_reset(user)
        return user

    def _tell_mfa_reset(self, user: User) -> None:
        """Never raises: the reset stands whatever becomes of its notice."""
        now = self.service.now()
        at = iso_millis(now)
        try:
            self.service.notices.send(
                Event(
                    event_id=f"{user.user_id}.mfa-reset.{at}",
                    type=EventType.MFA_DISABLED,
                    occurred_at=now,
                    audience=Audience(user_ids=(user.user_id,)),
                    data={"reset_by": "support", "at": at},
                )
            )
        except Exception:
            logger.exception("the 2FA reset was not told", user_id=user.user_id)

    def view_as(
        self, viewer: Principal, viewer_user: User, user_id: str, advertiser_id: str | None, actor: Actor
    ) -> ViewAsSession:
        """A read-only access token for an advertiser's or an affiliate's person, for a few minutes,
        in the advertiser context it would see (an affiliate's: the one named, else its one
        advertiser). Staff accounts are not viewed: their dashboards show no one's help."""
        require(viewer, Permission.VIEW_AS)
        user = self.accounts.get_user(user_id)
        if user.role in STAFF_ROLES:
            raise Forbidden("only advertisers' and affiliates' dashboards are viewed")
        if user.status is not UserStatus.ACTIVE:
            raise Conflict("only an active account has a dashboard to view")
        context = self._context(user, advertiser_id)
        principal = Principal(
            user_id=user.user_id,
            role=user.role,
            advertiser_id=context,
            affiliate_id=user.affiliate_id,
            session_version=session_version(user),
            viewed_by=viewer_user.user_id,
            viewer_session_version=session_version(viewer_user),
        )
        now = self.service.now()
        token = issue_access_token(self.service.signing_key(), principal, now, VIEW_AS_TTL)
        self.service.audit.record(
            actor,
            user.advertiser_id or context,
            "support.viewed_as",
            f"user:{user_id}",
            after={"advertiser_id": context, "until": iso_millis(now + VIEW_AS_TTL)},
        )
        name = self.accounts.get_advertiser(context).name if context else None
        return ViewAsSession(token, int(VIEW_AS_TTL.total_seconds()), user, context, name)

    def _context(self, user: User, advertiser_id: str | None) -> str | None:
        if user.role is Role.ADVERTISER:
            return user.advertiser_id
        if advertiser_id is None:
            return self.service.default_context(user)
        if not is_active_member(self.accounts, user, advertiser_id):
            raise ValidationFailed("the affiliate is not an active partner of this advertiser")
        return advertiser_id
