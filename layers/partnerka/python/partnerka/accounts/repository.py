"""Core-table storage of accounts (PynamoDB)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from partnerka.accounts.models import Advertiser, Affiliate, Membership, MembershipStatus, User
from partnerka.common.errors import Conflict, NotFound
from partnerka.common.pynamo import connection


class AccountRepository:
    def add_advertiser(self, advertiser: Advertiser) -> None:
        advertiser.pk, advertiser.sk = Advertiser.key(advertiser.id)
        advertiser.gsi1pk, advertiser.gsi1sk = "ADVERTISERS", advertiser.id
        _insert(advertiser, f"advertiser {advertiser.id} exists")

    def get_advertiser(self, advertiser_id: str) -> Advertiser:
        try:
            return Advertiser.get(*Advertiser.key(advertiser_id))
        except DoesNotExist:
            raise NotFound(f"no advertiser '{advertiser_id}'") from None

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
        approved = membership.status == MembershipStatus.APPROVED.value
        action = (
            Affiliate.approved_advertisers.add(mirror)
            if approved
            else Affiliate.approved_advertisers.delete(mirror)
        )
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

    def add_user(self, user: User) -> None:
        user.pk, user.sk = User.key(user.user_id)
        user.gsi1pk, user.gsi1sk = f"EMAIL#{user.email}", "USER"
        _insert(user, f"user {user.user_id} exists")

    def get_user(self, user_id: str) -> User:
        try:
            return User.get(*User.key(user_id))
        except DoesNotExist:
            raise NotFound(f"no user '{user_id}'") from None


def _insert(item: Advertiser | Affiliate | User, conflict: str) -> None:
    try:
        item.save(condition=type(item).pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(conflict) from None
        raise
