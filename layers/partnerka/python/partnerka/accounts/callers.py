"""Who is calling the API: a bearer token verified (an access token, or an advertiser's API key) and
the person behind it re-read from storage, so that a block or a role change counts at once.

Every API function authenticates its callers with this, and needs nothing else of the accounts for
it: the core table and the key that signs access tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from partnerka.accounts.models import STAFF_ROLES, Role, User, UserStatus
from partnerka.accounts.permissions import Permission, allows
from partnerka.accounts.repository import AccountStore
from partnerka.accounts.service import AccountBlocked, digest, is_active_member, session_version
from partnerka.accounts.suspension import AccountSuspended, suspension_of
from partnerka.accounts.tokens import Principal, verify_access_token
from partnerka.accounts.workspace import API_KEY_PREFIX
from partnerka.billing.locks import SubscriptionLocks
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import Forbidden, NotFound, Unauthenticated

VIEW_AS_REFUSAL = "you are viewing this account as its user, read-only: nothing can be changed"


class Callers:
    def __init__(
        self,
        accounts: AccountStore,
        signing_key: Callable[[], str],
        now: Callable[[], datetime] = utc_now,
        locks: SubscriptionLocks | None = None,
    ) -> None:
        self.accounts = accounts
        self.signing_key = signing_key
        self.now = now
        self.locks = locks

    def ensure_open(self, principal: Principal) -> None:
        """An advertiser's people and API key, while its subscription is suspended or canceled, reach
        only its billing (the caller decides which calls those are); staff and affiliates always pass."""
        if self.locks is not None and principal.role is Role.ADVERTISER and principal.advertiser_id:
            self.locks.ensure_open(principal.advertiser_id)

    def ensure_not_suspended(self, principal: Principal) -> None:
        """A suspended account's people (and an advertiser's API keys) read but change nothing: an
        advertiser suspended, an affiliate suspended everywhere, or in the program it works in (the
        caller decides which calls change something). One read of the account's own item."""
        suspension = suspension_of(self.accounts, principal)
        if suspension is not None:
            raise AccountSuspended(
                f"this account is suspended ({suspension.scope.value}): it can only be read"
            )

    def ensure_may_change(self, principal: Principal) -> None:
        """Staff viewing a person's dashboard ("view as") only look: every call that could change
        something (any method but GET) is refused, whatever the route."""
        if principal.viewed_by:
            raise Forbidden(VIEW_AS_REFUSAL)

    def identify(self, token: str) -> Principal:
        """The principal a bearer token stands for: an API key (`pk_live_…`) or an access token."""
        if token.startswith(API_KEY_PREFIX):
            return self.api_key(token)
        return verify_access_token(self.signing_key(), token)

    def api_key(self, secret: str) -> Principal:
        """The advertiser an unrevoked API key acts for (its last use noted)."""
        found = self.accounts.find_api_key(digest(secret.strip()))
        if found is None or found.revoked:
            raise Unauthenticated("the API key is not valid")
        self.accounts.touch_api_key(found.advertiser_id, found.key_id, iso_millis(self.now()))
        return Principal(
            user_id=f"api_key:{found.key_id}",
            role=Role.ADVERTISER,
            advertiser_id=found.advertiser_id,
            api_key_id=found.key_id,
        )

    def resolve(self, principal: Principal) -> tuple[Principal, User]:
        """Re-read the user behind a token: a block or a role change counts at once, and an affiliate's
        context survives only while its membership is active."""
        if principal.api_key_id:
            return principal, User(
                user_id=principal.user_id,
                email=principal.user_id,  # "api_key:<id>": what audit entries name as the actor
                name="API key",
                role=Role.ADVERTISER,
                advertiser_id=principal.advertiser_id,
                created_at="",
            )
        try:
            user = self.accounts.get_user(principal.user_id)
        except NotFound:
            raise Unauthenticated("the account no longer exists") from None
        if user.status is UserStatus.BLOCKED:
            raise AccountBlocked("this account is blocked")
        if principal.session_version != session_version(user):
            # The password changed or the account was blocked since this token was issued.
            raise Unauthenticated("the session has ended; sign in again")
        if principal.viewed_by:
            self._ensure_viewer(principal, user)
        role = user.role
        context = principal.advertiser_id
        if role is Role.ADVERTISER:
            context = user.advertiser_id
        elif role is Role.AFFILIATE:
            context = context if context and is_active_member(self.accounts, user, context) else None
        else:
            context = None
        resolved = Principal(
            user.user_id,
            role,
            context,
            user.affiliate_id,
            principal.chain_id,
            session_version=principal.session_version,
            viewed_by=principal.viewed_by,
            viewer_session_version=principal.viewer_session_version,
        )
        return resolved, user

    def _ensure_viewer(self, principal: Principal, viewed: User) -> None:
        """A "view as" token holds while the staff member who asked for it still may: not blocked,
        signed in with the same session version, still allowed to view, and the person viewed still
        one of an advertiser's or an affiliate's."""
        try:
            viewer = self.accounts.get_user(principal.viewed_by or "")
        except NotFound:
            raise Unauthenticated("the viewing session has ended") from None
        if (
            viewer.status is not UserStatus.ACTIVE
            or principal.viewer_session_version != session_version(viewer)
            or not allows(viewer.role, Permission.VIEW_AS)
            or viewed.role in STAFF_ROLES
        ):
            raise Unauthenticated("the viewing session has ended")
