"""The account services: signing up and in, sessions, e-mail links; the workspace and administration."""

from __future__ import annotations

from dataclasses import dataclass

from composition import service
from composition.billing import plan_gate
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.service import AccountService
from partnerka.accounts.support import SupportDesk
from partnerka.accounts.suspension import Suspensions
from partnerka.accounts.workspace import Workspace
from partnerka.branding.book import BrandBook
from partnerka.branding.repository import BrandRepository
from partnerka.common.config import read_settings


@dataclass(frozen=True, slots=True)
class PlatformSettings:
    platform_name: str  # what e-mails and authenticator apps show where no advertiser's brand applies


@service
def _account_services() -> tuple[AccountService, Workspace]:
    brands = BrandBook(BrandRepository(), read_settings(PlatformSettings).platform_name)
    return account_services(read_settings(AccountSettings), brands, plan_gate())


def accounts() -> AccountService:
    return _account_services()[0]


def workspace() -> Workspace:
    return _account_services()[1]


@service
def suspensions() -> Suspensions:
    """The staff's suspensions, on the account services' storage, audit log and notices."""
    found = accounts()
    return Suspensions(found.accounts, found.audit, found.notices)


def support_desk() -> SupportDesk:
    return SupportDesk(accounts())
