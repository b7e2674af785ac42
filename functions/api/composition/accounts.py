"""The account services: signing up and in, sessions, e-mail links; the workspace and administration."""

from __future__ import annotations

from composition import service
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.service import AccountService
from partnerka.accounts.workspace import Workspace
from partnerka.common.config import read_settings


@service
def _account_services() -> tuple[AccountService, Workspace]:
    return account_services(read_settings(AccountSettings))


def accounts() -> AccountService:
    return _account_services()[0]


def workspace() -> Workspace:
    return _account_services()[1]
