"""Core-table storage of accounts (PynamoDB): the only module of this context that touches DynamoDB."""

from __future__ import annotations

from typing import Protocol

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from partnerka.accounts.models import (
    Advertiser,
    AdvertiserSettings,
    Affiliate,
    ApiKey,
    ApiKeyDigest,
    EmailClaim,
    JoinCode,
    Membership,
    MembershipStatus,
    OneTimeToken,
    RateWindow,
    RefreshToken,
    RegistrationLink,
    SessionChain,
    TeamMember,
    User,
)
from partnerka.common.errors import Conflict, NotFound
from partnerka.common.pynamo import connection, query_gsi1


def _conditional_failure(error: Exception) -> bool:
    cause = getattr(error, "cause_response_code", None)
    return cause in ("ConditionalCheckFailedException", "TransactionCanceledException")


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

    def save_membership(self, membership: Membership) -> None:
        """The membership, and the affiliate's mirror of its active advertisers, together."""
        ...

    def get_membership(self, advertiser_id: str, affiliate_id: str) -> Membership | None: ...

    def memberships_of_advertiser(self, advertiser_id: str) -> list[Membership]: ...

    def memberships_of_affiliate(self, affiliate_id: str) -> list[Membership]: ...

    def add_user(self, user: User) -> None: ...

    def get_user(self, user_id: str) -> User: ...

    def find_user_by_email(self, email: str) -> User | None: ...

    def save_user(self, user: User) -> None:
        """Only over the copy it was read as (`Conflict` when somebody saved it meanwhile)."""
        ...

    def list_users(self) -> list[User]: ...

    def team_of(self, advertiser_id: str) -> list[User]: ...

    def record_mfa_step(self, user: User, step: int) -> bool: ...

    def add_link(self, link: RegistrationLink) -> None: ...

    def links_of(self, advertiser_id: str) -> list[RegistrationLink]: ...

    def get_link(self, advertiser_id: str, code: str) -> RegistrationLink: ...

    def find_join_code(self, code: str) -> JoinCode | None: ...

    def deactivate_link(self, link: RegistrationLink) -> None: ...

    def add_api_key(self, key: ApiKey, digest: str) -> None: ...

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


class AccountRepository:
    # ------------------------------------------------------------------ tenants
    def add_advertiser(self, advertiser: Advertiser) -> None:
        advertiser.pk, advertiser.sk = Advertiser.key(advertiser.id)
        advertiser.gsi1pk, advertiser.gsi1sk = "ADVERTISERS", advertiser.id
        _insert(advertiser, f"advertiser {advertiser.id} exists")

    def get_advertiser(self, advertiser_id: str) -> Advertiser:
        try:
            return Advertiser.get(*Advertiser.key(advertiser_id))
        except DoesNotExist:
            raise NotFound(f"no advertiser '{advertiser_id}'") from None

    def list_advertisers(self) -> list[Advertiser]:
        return list(query_gsi1(Advertiser, "ADVERTISERS"))

    def get_settings(self, advertiser_id: str) -> AdvertiserSettings | None:
        try:
            return AdvertiserSettings.get(*AdvertiserSettings.key(advertiser_id))
        except DoesNotExist:
            return None

    def save_settings(self, settings: AdvertiserSettings) -> None:
        settings.pk, settings.sk = AdvertiserSettings.key(settings.advertiser_id)
        settings.save()

    # ------------------------------------------------------------------ affiliates and memberships
    def add_affiliate(self, affiliate: Affiliate) -> None:
        affiliate.pk, affiliate.sk = Affiliate.key(affiliate.affiliate_id)
        _insert(affiliate, f"affiliate {affiliate.affiliate_id} exists")

    def get_affiliate(self, affiliate_id: str) -> Affiliate:
        try:
            return Affiliate.get(*Affiliate.key(affiliate_id))
        except DoesNotExist:
            raise NotFound(f"no affiliate '{affiliate_id}'") from None

    def save_membership(self, membership: Membership) -> None:
        """Store the membership and, in the same transaction, keep the tracker's mirror in step."""
        membership.pk, membership.sk = Membership.key(membership.advertiser_id, membership.affiliate_id)
        membership.gsi1pk = f"AFF#{membership.affiliate_id}"
        membership.gsi1sk = f"MEMBER#{membership.advertiser_id}"
        affiliate = Affiliate(*Affiliate.key(membership.affiliate_id))
        mirror = {membership.advertiser_id}
        action: Action
        if membership.status == MembershipStatus.ACTIVE.value:
            action = Affiliate.approved_advertisers.add(mirror)
        else:
            action = Affiliate.approved_advertisers.delete(mirror)
        try:
            with TransactWrite(connection=connection()) as transaction:
                transaction.save(membership)
                transaction.update(affiliate, actions=[action], condition=Affiliate.pk.exists())
        except TransactWriteError:
            raise NotFound(f"no affiliate '{membership.affiliate_id}'") from None

    def get_membership(self, advertiser_id: str, affiliate_id: str) -> Membership | None:
        try:
            return Membership.get(*Membership.key(advertiser_id, affiliate_id))
        except DoesNotExist:
            return None

    def memberships_of_advertiser(self, advertiser_id: str) -> list[Membership]:
        return list(Membership.query(f"ADV#{advertiser_id}", Membership.sk.startswith("MEMBER#")))

    def memberships_of_affiliate(self, affiliate_id: str) -> list[Membership]:
        return list(query_gsi1(Membership, f"AFF#{affiliate_id}", "MEMBER#"))

    # ------------------------------------------------------------------ users
    def add_user(self, user: User) -> None:
        """The user, its e-mail claim and (for advertiser users) its team entry, or nothing."""
        user.pk, user.sk = User.key(user.user_id)
        user.gsi1pk, user.gsi1sk = "USERS", f"{user.created_at}#{user.user_id}"
        claim = EmailClaim(*EmailClaim.key(user.email), user_id=user.user_id)
        try:
            with TransactWrite(connection=connection()) as transaction:
                transaction.save(claim, condition=EmailClaim.pk.does_not_exist())
                transaction.save(user, condition=User.pk.does_not_exist())
                if user.advertiser_id and user.role == "advertiser":
                    transaction.save(
                        TeamMember(*TeamMember.key(user.advertiser_id, user.user_id), user_id=user.user_id)
                    )
        except TransactWriteError as error:
            if _conditional_failure(error):
                raise Conflict("an account with this e-mail already exists") from None
            raise

    def get_user(self, user_id: str) -> User:
        try:
            return User.get(*User.key(user_id))
        except DoesNotExist:
            raise NotFound(f"no user '{user_id}'") from None

    def find_user_by_email(self, email: str) -> User | None:
        try:
            claim = EmailClaim.get(*EmailClaim.key(email))
        except DoesNotExist:
            return None
        return self.get_user(claim.user_id)

    def save_user(self, user: User) -> None:
        """Write the user back, only if nobody saved it since this copy was read (its version)."""
        try:
            user.save()
        except PutError as error:
            if _conditional_failure(error):
                raise Conflict("the account was changed at the same time; try again") from None
            raise

    def list_users(self) -> list[User]:
        return list(query_gsi1(User, "USERS"))

    def team_of(self, advertiser_id: str) -> list[User]:
        members = TeamMember.query(f"ADV#{advertiser_id}", TeamMember.sk.startswith("USER#"))
        keys = [User.key(member.user_id) for member in members]
        return sorted(User.batch_get(keys), key=lambda user: user.created_at) if keys else []

    def record_mfa_step(self, user: User, step: int) -> bool:
        """Accept a TOTP time step once: False when that step (or a later one) was already used."""
        try:
            user.update(actions=[User.mfa_last_step.set(step)], condition=User.mfa_last_step < step)
        except UpdateError as error:
            if _conditional_failure(error):
                return False
            raise
        return True

    # ------------------------------------------------------------------ registration links
    def add_link(self, link: RegistrationLink) -> None:
        link.pk, link.sk = RegistrationLink.key(link.advertiser_id, link.code)
        lookup = JoinCode(
            *JoinCode.key(link.code),
            code=link.code,
            advertiser_id=link.advertiser_id,
            label=link.label,
            active=link.active,
        )
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(link, condition=RegistrationLink.pk.does_not_exist())
            transaction.save(lookup, condition=JoinCode.pk.does_not_exist())

    def links_of(self, advertiser_id: str) -> list[RegistrationLink]:
        return list(RegistrationLink.query(f"ADV#{advertiser_id}", RegistrationLink.sk.startswith("LINK#")))

    def get_link(self, advertiser_id: str, code: str) -> RegistrationLink:
        try:
            return RegistrationLink.get(*RegistrationLink.key(advertiser_id, code))
        except DoesNotExist:
            raise NotFound(f"no registration link '{code}'") from None

    def find_join_code(self, code: str) -> JoinCode | None:
        try:
            return JoinCode.get(*JoinCode.key(code))
        except DoesNotExist:
            return None

    def deactivate_link(self, link: RegistrationLink) -> None:
        with TransactWrite(connection=connection()) as transaction:
            transaction.update(link, actions=[RegistrationLink.active.set(False)])
            transaction.update(JoinCode(*JoinCode.key(link.code)), actions=[JoinCode.active.set(False)])
        link.active = False

    # ------------------------------------------------------------------ API keys
    def add_api_key(self, key: ApiKey, digest: str) -> None:
        key.pk, key.sk = ApiKey.key(key.advertiser_id, key.key_id)
        key.gsi1pk, key.gsi1sk = f"APIKEY#{digest}", "KEY"  # the digest, so revocation finds the lookup
        lookup = ApiKeyDigest(*ApiKeyDigest.key(digest), key_id=key.key_id, advertiser_id=key.advertiser_id)
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(key, condition=ApiKey.pk.does_not_exist())
            transaction.save(lookup, condition=ApiKeyDigest.pk.does_not_exist())

    def api_keys_of(self, advertiser_id: str) -> list[ApiKey]:
        return list(ApiKey.query(f"ADV#{advertiser_id}", ApiKey.sk.startswith("APIKEY#")))

    def get_api_key(self, advertiser_id: str, key_id: str) -> ApiKey:
        try:
            return ApiKey.get(*ApiKey.key(advertiser_id, key_id))
        except DoesNotExist:
            raise NotFound(f"no API key '{key_id}'") from None

    def revoke_api_key(self, key: ApiKey) -> None:
        lookup = ApiKeyDigest(key.gsi1pk or "", "KEY")
        with TransactWrite(connection=connection()) as transaction:
            transaction.update(key, actions=[ApiKey.revoked.set(True)])
            transaction.update(lookup, actions=[ApiKeyDigest.revoked.set(True)])
        key.revoked = True

    def find_api_key(self, digest: str) -> ApiKeyDigest | None:
        try:
            return ApiKeyDigest.get(*ApiKeyDigest.key(digest))
        except DoesNotExist:
            return None

    def touch_api_key(self, advertiser_id: str, key_id: str, at: str) -> None:
        ApiKey(*ApiKey.key(advertiser_id, key_id)).update(actions=[ApiKey.last_used_at.set(at)])


class SessionRepository:
    """Refresh-token chains, one-time link tokens and rate-limit windows (all expire by TTL)."""

    def add_chain(self, chain: SessionChain) -> None:
        chain.save()

    def get_chain(self, chain_id: str) -> SessionChain | None:
        try:
            return SessionChain.get(*SessionChain.key(chain_id))
        except DoesNotExist:
            return None

    def revoke_chain(self, chain_id: str) -> None:
        try:
            SessionChain(*SessionChain.key(chain_id)).update(
                actions=[SessionChain.revoked.set(True)], condition=SessionChain.pk.exists()
            )
        except UpdateError as error:
            if not _conditional_failure(error):
                raise

    def add_refresh_token(self, token: RefreshToken) -> None:
        token.save(condition=RefreshToken.pk.does_not_exist())

    def get_refresh_token(self, digest: str) -> RefreshToken | None:
        try:
            return RefreshToken.get(*RefreshToken.key(digest))
        except DoesNotExist:
            return None

    def mark_refresh_token_used(self, token: RefreshToken) -> bool:
        """active → used, once; False when somebody already used it."""
        try:
            token.update(actions=[RefreshToken.state.set("used")], condition=RefreshToken.state == "active")
        except UpdateError as error:
            if _conditional_failure(error):
                return False
            raise
        return True

    def add_one_time_token(self, token: OneTimeToken) -> None:
        token.save(condition=OneTimeToken.pk.does_not_exist())

    def consume_one_time_token(self, digest: str, purpose: str, now: int) -> OneTimeToken | None:
        """Delete and return the token when it exists, has this purpose and has not expired."""
        try:
            token = OneTimeToken.get(*OneTimeToken.key(digest))
        except DoesNotExist:
            return None
        if token.purpose != purpose or token.expires_at <= now:
            return None
        try:
            token.delete(condition=OneTimeToken.pk.exists())
        except DeleteError as error:
            if _conditional_failure(error):
                return None
            raise
        return token

    def take_failure_slot(
        self, scope: str, subject: str, window_start: int, limit: int, expires_at: int
    ) -> bool:
        """Count one more failure in the window unless `limit` are counted already; False then.

        The check and the count are one conditional update, so simultaneous attempts cannot all
        pass a check made before any of them was counted.
        """
        window = RateWindow(*RateWindow.key(scope, subject, window_start))
        try:
            window.update(
                actions=[RateWindow.failures.add(1), RateWindow.expires_at.set(expires_at)],
                condition=RateWindow.failures.does_not_exist() | (RateWindow.failures < limit),
            )
        except UpdateError as error:
            if _conditional_failure(error):
                return False
            raise
        return True

    def release_failure_slot(self, scope: str, subject: str, window_start: int) -> None:
        """Take back a counted failure (the attempt turned out right); never below zero."""
        window = RateWindow(*RateWindow.key(scope, subject, window_start))
        try:
            window.update(actions=[RateWindow.failures.add(-1)], condition=RateWindow.failures > 0)
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
