"""Unsubscribing by an e-mail's link: the tokens (keyed from the JWT secret), the accounts' addresses
and the recipients' preferences (composition.notifications)."""

from __future__ import annotations

from composition import service
from composition.notifications import preference_switch
from partnerka.accounts.composition import CallerSettings
from partnerka.accounts.repository import AccountRepository
from partnerka.common.config import read_settings
from partnerka.common.errors import NotFound
from partnerka.common.pynamo import use_core_table
from partnerka.common.secrets import secret_reader
from partnerka.notifications.unsubscribe import UnsubscribeTokens, Unsubscriptions


class AccountAddresses:
    """notifications.unsubscribe.Addresses over the accounts."""

    def __init__(self, accounts: AccountRepository) -> None:
        self._accounts = accounts

    def email_of(self, user_id: str) -> str | None:
        try:
            return self._accounts.get_user(user_id).email
        except NotFound:
            return None


@service
def unsubscriptions() -> Unsubscriptions:
    settings = read_settings(CallerSettings)  # the core table and the JWT secret
    use_core_table(settings.core_table)
    tokens = UnsubscribeTokens(secret_reader(settings.jwt_secret_arn))
    return Unsubscriptions(tokens, preference_switch(), AccountAddresses(AccountRepository()))
