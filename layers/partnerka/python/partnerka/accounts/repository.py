"""Core-table storage of accounts (PynamoDB): the only module of this context that touches DynamoDB.

The stores take and return the frozen domain types of accounts.models; the PynamoDB rows they are
stored as (accounts._rows) stay inside this module. A write that changes a user answers the user as
stored, its new version included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from partnerka.accounts._rows import (
    ADVERTISERS,
    USERS,
    AdvertiserRow,
    AffiliateRow,
    ApiKeyDigestRow,
    ApiKeyRow,
    EmailClaimRow,
    JoinCodeRow,
    LinkRow,
    MembershipRow,
    OneTimeTokenRow,
    RateWindowRow,
    RefreshTokenRow,
    SessionChainRow,
    SettingsRow,
    TeamMemberRow,
    UserRow,
)
from partnerka.accounts.models import (
    Advertiser,
    AdvertiserSettings,
    Affiliate,
    ApiKey,
    ApiKeyDigest,
    JoinCode,
    Membership,
    MembershipStatus,
    OneTimeToken,
    RefreshToken,
    RegistrationLink,
    Role,
    SessionChain,
    TokenState,
    User,
)
from partnerka.common.errors import Conflict, NotFound
from partnerka.common.pynamo import CoreItem, connection, query_gsi1


def _conditional_failure(error: Exception) -> bool:
    cause = getattr(error, "cause_response_code", None)
    return cause in ("ConditionalCheckFailedException", "TransactionCanceledException")


def _set_or_remove(attribute: UnicodeAttribute, value: str | None) -> Action:
    """An empty value is no attribute at all (PynamoDB stores no empty string)."""
    return attribute.set(value) if value else attribute.remove()


def _save_status(
    row: CoreItem, actions: list[Action], status: UnicodeAttribute, value: str, missing: str
) -> bool:
    """One conditional update: the status changes only from another one, so of two staff members
    suspending at once one changes it (and audits it) and the other learns it already was."""
    other = status.does_not_exist() | (status != value)
    try:
        row.update(actions=actions, condition=CoreItem.pk.exists() & other)
    except UpdateError as error:
        if not _conditional_failure(error):
            raise
        try:
            row.refresh()
        except DoesNotExist:
            raise NotFound(missing) from None
        return False
    return True


class AccountStore(Protocol):
    """What the account services keep: tenants, affiliates, memberships, users, links and API keys.
    Missing entities raise `NotFound` where a getter returns the entity, and a taken e-mail `Conflict`."""

    def add_advertiser(self, advertiser: Advertiser) -> None: ...

    def get_advertiser(self, advertiser_id: str) -> Advertiser: ...

    def list_advertisers(self) -> list[Advertiser]: ...

    def get_settings(self, advertiser_id: str) -> AdvertiserSettings | None: ...

    def save_settings(self, settings: AdvertiserSettings) -> None: ...

    def add_affiliate(self, affiliate: Affiliate) -> None: ...

    def get_affiliate(self, affiliate_id: str) -> Affiliate: ...

    def affiliates(self, affiliate_ids: Iterable[str]) -> list[Affiliate]:
        """The affiliates of those ids that exist, in no particular order."""
        ...

    def save_membership(self, membership: Membership) -> None:
        """The membership, and the affiliate's mirrors of its active and its suspended advertisers,
        together."""
        ...

    def save_advertiser_status(self, advertiser: Advertiser) -> bool:
        """The advertiser's status, `suspended_at` and `suspension_reason` as given, only if its status
        is another (False: it already was; `NotFound` for no such advertiser)."""
        ...

    def save_affiliate_status(self, affiliate: Affiliate) -> bool:
        """Likewise the affiliate's status, its other attributes (the mirrors) left as they are."""
        ...

    def get_membership(self, advertiser_id: str, affiliate_id: str) -> Membership | None: ...

    def memberships_of_advertiser(self, advertiser_id: str) -> list[Membership]: ...

    def memberships_of_affiliate(self, affiliate_id: str) -> list[Membership]: ...

    def add_user(self, user: User) -> User:
        """The user as stored (its first version); `Conflict` when the e-mail is taken."""
        ...

    def get_user(self, user_id: str) -> User: ...

    def find_user_by_email(self, email: str) -> User | None: ...

    def save_user(self, user: User) -> User:
        """Only over the copy it was read as (`Conflict` when somebody saved it meanwhile); the user
        as stored now."""
        ...

    def list_users(self) -> list[User]: ...

    def team_of(self, advertiser_id: str) -> list[User]: ...

    def users_of_affiliate(self, affiliate_id: str) -> list[User]:
        """The people of an affiliate account (none for an affiliate that does not exist)."""
        ...

    def record_mfa_step(self, user: User, step: int) -> User | None:
        """The user as stored with the TOTP step used, or None when that step (or a later one) was
        already used, or the copy is stale."""
        ...

    def add_link(self, link: RegistrationLink) -> None: ...

    def links_of(self, advertiser_id: str) -> list[RegistrationLink]: ...

    def get_link(self, advertiser_id: str, code: str) -> RegistrationLink: ...

    def find_join_code(self, code: str) -> JoinCode | None: ...

    def deactivate_link(self, link: RegistrationLink) -> None: ...

    def add_api_key(self, key: ApiKey) -> None: ...

    def api_keys_of(self, advertiser_id: str) -> list[ApiKey]: ...

    def get_api_key(self, advertiser_id: str, key_id: str) -> ApiKey: ...

    def revoke_api_key(self, key: ApiKey) -> None: ...

    def find_api_key(self, digest: str) -> ApiKeyDigest | None: ...

    def touch_api_key(self, advertiser_id: str, key_id: str, at: str) -> None: ...


class FailureWindows(Protocol):
    """Failed guesses counted per window (accounts.ratelimit)."""

    def take_failure_slot(
        self, scope: str, subject: str, window_start: int, limit: int, expires_at: int
    ) -> bool: ...

    def release_failure_slot(self, scope: str, subject: str, window_start: int) -> None: ...


class SessionStore(FailureWindows, Protocol):
    """Session chains, refresh tokens and one-time link tokens, each used once by a condition."""

    def add_chain(self, chain: SessionChain) -> None: ...

    def get_chain(self, chain_id: str) -> SessionChain | None: ...

    def revoke_chain(self, chain_id: str) -> None: ...

    def add_refresh_token(self, token: RefreshToken) -> None: ...

    def get_refresh_token(self, digest: str) -> RefreshToken | None: ...

    def mark_refresh_token_used(self, token: RefreshToken) -> bool: ...

    def add_one_time_token(self, token: OneTimeToken) -> None: ...

    def consume_one_time_token(self, digest: str, purpose: str, now: int) -> OneTimeToken | None: ...

    def revoke_one_time_tokens(self, user_id: str, purpose: str) -> int:
        """Delete every unused link of this purpose the user was sent; how many there were."""
        ...


class AccountRepository:
    # ------------------------------------------------------------------ tenants
    def add_advertiser(self, advertiser: Advertiser) -> None:
        _insert(AdvertiserRow.of(advertiser), f"advertiser {advertiser.id} exists")

    def get_advertiser(self, advertiser_id: str) -> Advertiser:
        try:
            return AdvertiserRow.get(*Advertiser.key(advertiser_id)).advertiser()
        except DoesNotExist:
            raise NotFound(f"no advertiser '{advertiser_id}'") from None

    def list_advertisers(self) -> list[Advertiser]:
        return [row.advertiser() for row in query_gsi1(AdvertiserRow, ADVERTISERS)]

    def get_settings(self, advertiser_id: str) -> AdvertiserSettings | None:
        try:
            return SettingsRow.get(*AdvertiserSettings.key(advertiser_id)).settings()
        except DoesNotExist:
            return None

    def save_settings(self, settings: AdvertiserSettings) -> None:
        SettingsRow.of(settings).save()

    # ------------------------------------------------------------------ affiliates and memberships
    def add_affiliate(self, affiliate: Affiliate) -> None:
        _insert(AffiliateRow.of(affiliate), f"affiliate {affiliate.affiliate_id} exists")

    def get_affiliate(self, affiliate_id: str) -> Affiliate:
        try:
            return AffiliateRow.get(*Affiliate.key(affiliate_id)).affiliate()
        except DoesNotExist:
            raise NotFound(f"no affiliate '{affiliate_id}'") from None

    def affiliates(self, affiliate_ids: Iterable[str]) -> list[Affiliate]:
        keys = [Affiliate.key(affiliate_id) for affiliate_id in dict.fromkeys(affiliate_ids)]
        return [row.affiliate() for row in AffiliateRow.batch_get(keys)] if keys else []

    def save_advertiser_status(self, advertiser: Advertiser) -> bool:
        row = AdvertiserRow(*Advertiser.key(advertiser.id))
        return _save_status(
            row,
            [
                AdvertiserRow.status.set(advertiser.status.value),
                _set_or_remove(AdvertiserRow.suspended_at, advertiser.suspended_at),
                _set_or_remove(AdvertiserRow.suspension_reason, advertiser.suspension_reason),
            ],
            AdvertiserRow.status,
            advertiser.status.value,
            f"no advertiser '{advertiser.id}'",
        )

    def save_affiliate_status(self, affiliate: Affiliate) -> bool:
        row = AffiliateRow(*Affiliate.key(affiliate.affiliate_id))
        return _save_status(
            row,
            [
                AffiliateRow.status.set(affiliate.status.value),
                _set_or_remove(AffiliateRow.suspended_at, affiliate.suspended_at),
                _set_or_remove(AffiliateRow.suspension_reason, affiliate.suspension_reason),
            ],
            AffiliateRow.status,
            affiliate.status.value,
            f"no affiliate '{affiliate.affiliate_id}'",
        )

    def save_membership(self, membership: Membership) -> None:
        """Store the membership and, in the same transaction, keep the tracker's mirrors in step: its
        approved advertisers (by the status) and its suspended ones (by the staff's suspension)."""
        affiliate = AffiliateRow(*Affiliate.key(membership.affiliate_id))
        mirror = {membership.advertiser_id}
        actions: list[Action] = [
            AffiliateRow.approved_advertisers.add(mirror)
            if membership.status is MembershipStatus.ACTIVE
            else AffiliateRow.approved_advertisers.delete(mirror),
            AffiliateRow.suspended_advertisers.add(mirror)
            if membership.suspended
            else AffiliateRow.suspended_advertisers.delete(mirror),
        ]
        try:
            with TransactWrite(connection=connection()) as transaction:
                transaction.save(MembershipRow.of(membership))
                transaction.update(affiliate, actions=actions, condition=AffiliateRow.pk.exists())
        except TransactWriteError:
            raise NotFound(f"no affiliate '{membership.affiliate_id}'") from None

    def get_membership(self, advertiser_id: str, affiliate_id: str) -> Membership | None:
        try:
            return MembershipRow.get(*Membership.key(advertiser_id, affiliate_id)).membership()
        except DoesNotExist:
            return None

    def memberships_of_advertiser(self, advertiser_id: str) -> list[Membership]:
        rows = MembershipRow.query(f"ADV#{advertiser_id}", MembershipRow.sk.startswith("MEMBER#"))
        return [row.membership() for row in rows]

    def memberships_of_affiliate(self, affiliate_id: str) -> list[Membership]:
        rows = query_gsi1(MembershipRow, MembershipRow.affiliate_partition(affiliate_id), "MEMBER#")
        return [row.membership() for row in rows]

    # ------------------------------------------------------------------ users
    def add_user(self, user: User) -> User:
        """The user, its e-mail claim and (for advertiser users) its team entry, or nothing."""
        row = UserRow.of(user)
        claim = EmailClaimRow(*EmailClaimRow.key(user.email), user_id=user.user_id)
        try:
            with TransactWrite(connection=connection()) as transaction:
                transaction.save(claim, condition=EmailClaimRow.pk.does_not_exist())
                transaction.save(row, condition=UserRow.pk.does_not_exist())
                if user.advertiser_id and user.role is Role.ADVERTISER:
                    member = TeamMemberRow(
                        *TeamMemberRow.key(user.advertiser_id, user.user_id), user_id=user.user_id
                    )
                    transaction.save(member)
        except TransactWriteError as error:
            if _conditional_failure(error):
                raise Conflict("an account with this e-mail already exists") from None
            raise
        return row.user()

    def get_user(self, user_id: str) -> User:
        try:
            return UserRow.get(*User.key(user_id)).user()
        except DoesNotExist:
            raise NotFound(f"no user '{user_id}'") from None

    def find_user_by_email(self, email: str) -> User | None:
        try:
            claim = EmailClaimRow.get(*EmailClaimRow.key(email))
        except DoesNotExist:
            return None
        return self.get_user(claim.user_id)

    def save_user(self, user: User) -> User:
        """Write the user back, only if nobody saved it since this copy was read (its version)."""
        row = UserRow.of(user)
        try:
            row.save()
        except PutError as error:
            if _conditional_failure(error):
                raise Conflict("the account was changed at the same time; try again") from None
            raise
        return row.user()

    def list_users(self) -> list[User]:
        return [row.user() for row in query_gsi1(UserRow, USERS)]

    def team_of(self, advertiser_id: str) -> list[User]:
        members = TeamMemberRow.query(f"ADV#{advertiser_id}", TeamMemberRow.sk.startswith("USER#"))
        keys = [User.key(member.user_id) for member in members]
        users = [row.user() for row in UserRow.batch_get(keys)] if keys else []
        return sorted(users, key=lambda user: user.created_at)

    def users_of_affiliate(self, affiliate_id: str) -> list[User]:
        """An affiliate account has one person, the one who signed it up (affiliates join by their
        own sign-up and are never invited), found by the e-mail it signed up with, which never
        changes: three reads, no index to keep."""
        try:
            affiliate = AffiliateRow.get(*Affiliate.key(affiliate_id)).affiliate()
        except DoesNotExist:
            return []
        user = self.find_user_by_email(affiliate.email)
        return [user] if user is not None and user.affiliate_id == affiliate_id else []

    def record_mfa_step(self, user: User, step: int) -> User | None:
        """Accept a TOTP time step once: None when that step (or a later one) was already used."""
        row = UserRow.at_version(user)
        try:
            row.update(actions=[UserRow.mfa_last_step.set(step)], condition=UserRow.mfa_last_step < step)
        except UpdateError as error:
            if _conditional_failure(error):
                return None
            raise
        return row.user()

    # ------------------------------------------------------------------ registration links
    def add_link(self, link: RegistrationLink) -> None:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(LinkRow.of(link), condition=LinkRow.pk.does_not_exist())
            transaction.save(JoinCodeRow.of(link), condition=JoinCodeRow.pk.does_not_exist())

    def links_of(self, advertiser_id: str) -> list[RegistrationLink]:
        rows = LinkRow.query(f"ADV#{advertiser_id}", LinkRow.sk.startswith("LINK#"))
        return [row.link() for row in rows]

    def get_link(self, advertiser_id: str, code: str) -> RegistrationLink:
        try:
            return LinkRow.get(*RegistrationLink.key(advertiser_id, code)).link()
        except DoesNotExist:
            raise NotFound(f"no registration link '{code}'") from None

    def find_join_code(self, code: str) -> JoinCode | None:
        try:
            return JoinCodeRow.get(*JoinCode.key(code)).join_code()
        except DoesNotExist:
            return None

    def deactivate_link(self, link: RegistrationLink) -> None:
        with TransactWrite(connection=connection()) as transaction:
            transaction.update(
                LinkRow(*RegistrationLink.key(link.advertiser_id, link.code)),
                actions=[LinkRow.active.set(False)],
            )
            transaction.update(JoinCodeRow(*JoinCode.key(link.code)), actions=[JoinCodeRow.active.set(False)])

    # ------------------------------------------------------------------ API keys
    def add_api_key(self, key: ApiKey) -> None:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(ApiKeyRow.of(key), condition=ApiKeyRow.pk.does_not_exist())
            transaction.save(ApiKeyDigestRow.of(key), condition=ApiKeyDigestRow.pk.does_not_exist())

    def api_keys_of(self, advertiser_id: str) -> list[ApiKey]:
        rows = ApiKeyRow.query(f"ADV#{advertiser_id}", ApiKeyRow.sk.startswith("APIKEY#"))
        return [row.api_key() for row in rows]

    def get_api_key(self, advertiser_id: str, key_id: str) -> ApiKey:
        try:
            return ApiKeyRow.get(*ApiKey.key(advertiser_id, key_id)).api_key()
        except DoesNotExist:
            raise NotFound(f"no API key '{key_id}'") from None

    def revoke_api_key(self, key: ApiKey) -> None:
        with TransactWrite(connection=connection()) as transaction:
            transaction.update(
                ApiKeyRow(*ApiKey.key(key.advertiser_id, key.key_id)), actions=[ApiKeyRow.revoked.set(True)]
            )
            transaction.update(
                ApiKeyDigestRow(*ApiKeyDigest.key(key.digest)), actions=[ApiKeyDigestRow.revoked.set(True)]
            )

    def find_api_key(self, digest: str) -> ApiKeyDigest | None:
        try:
            return ApiKeyDigestRow.get(*ApiKeyDigest.key(digest)).lookup()
        except DoesNotExist:
            return None

    def touch_api_key(self, advertiser_id: str, key_id: str, at: str) -> None:
        ApiKeyRow(*ApiKey.key(advertiser_id, key_id)).update(actions=[ApiKeyRow.last_used_at.set(at)])


class SessionRepository:
    """Refresh-token chains, one-time link tokens and rate-limit windows (all expire by TTL)."""

    def add_chain(self, chain: SessionChain) -> None:
        SessionChainRow.of(chain).save()

    def get_chain(self, chain_id: str) -> SessionChain | None:
        try:
            return SessionChainRow.get(*SessionChain.key(chain_id)).chain()
        except DoesNotExist:
            return None

    def revoke_chain(self, chain_id: str) -> None:
        try:
            SessionChainRow(*SessionChain.key(chain_id)).update(
                actions=[SessionChainRow.revoked.set(True)], condition=SessionChainRow.pk.exists()
            )
        except UpdateError as error:
            if not _conditional_failure(error):
                raise

    def add_refresh_token(self, token: RefreshToken) -> None:
        RefreshTokenRow.of(token).save(condition=RefreshTokenRow.pk.does_not_exist())

    def get_refresh_token(self, digest: str) -> RefreshToken | None:
        try:
            return RefreshTokenRow.get(*RefreshToken.key(digest)).token()
        except DoesNotExist:
            return None

    def mark_refresh_token_used(self, token: RefreshToken) -> bool:
        """active → used, once; False when somebody already used it."""
        try:
            RefreshTokenRow(*RefreshToken.key(token.digest)).update(
                actions=[RefreshTokenRow.state.set(TokenState.USED.value)],
                condition=RefreshTokenRow.state == TokenState.ACTIVE.value,
            )
        except UpdateError as error:
            if _conditional_failure(error):
                return False
            raise
        return True

    def add_one_time_token(self, token: OneTimeToken) -> None:
        OneTimeTokenRow.of(token).save(condition=OneTimeTokenRow.pk.does_not_exist())

    def consume_one_time_token(self, digest: str, purpose: str, now: int) -> OneTimeToken | None:
        """Delete and return the token when it exists, has this purpose and has not expired."""
        try:
            row = OneTimeTokenRow.get(*OneTimeToken.key(digest))
        except DoesNotExist:
            return None
        token = row.token()
        if token.purpose != purpose or token.expires_at <= now:
            return None
        try:
            row.delete(condition=OneTimeTokenRow.pk.exists())
        except DeleteError as error:
            if _conditional_failure(error):
                return None
            raise
        return token

    def revoke_one_time_tokens(self, user_id: str, purpose: str) -> int:
        revoked = 0
        for row in query_gsi1(OneTimeTokenRow, OneTimeTokenRow.user_partition(user_id), f"{purpose}#"):
            OneTimeTokenRow(row.pk, row.sk).delete()  # gone already (used, expired): no matter
            revoked += 1
        return revoked

    def take_failure_slot(
        self, scope: str, subject: str, window_start: int, limit: int, expires_at: int
    ) -> bool:
        """Count one more failure in the window unless `limit` are counted already; False then.

        The check and the count are one conditional update, so simultaneous attempts cannot all
        pass a check made before any of them was counted.
        """
        window = RateWindowRow(*RateWindowRow.key(scope, subject, window_start))
        try:
            window.update(
                actions=[RateWindowRow.failures.add(1), RateWindowRow.expires_at.set(expires_at)],
                condition=RateWindowRow.failures.does_not_exist() | (RateWindowRow.failures < limit),
            )
        except UpdateError as error:
            if _conditional_failure(error):
                return False
            raise
        return True

    def release_failure_slot(self, scope: str, subject: str, window_start: int) -> None:
        """Take back a counted failure (the attempt turned out right); never below zero."""
        window = RateWindowRow(*RateWindowRow.key(scope, subject, window_start))
        try:
            window.update(actions=[RateWindowRow.failures.add(-1)], condition=RateWindowRow.failures > 0)
        except UpdateError as error:
            if not _conditional_failure(error):
                raise


def _insert(item: Model, conflict: str) -> None:
    try:
        item.save(condition=type(item).pk.does_not_exist())  # type: ignore[attr-defined]
    except PutError as error:
        if _conditional_failure(error):
            raise Conflict(conflict) from None
        raise
