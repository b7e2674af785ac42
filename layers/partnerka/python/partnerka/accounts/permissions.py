"""The one permission matrix: which role may do what. Every endpoint asks it through `require`."""

from __future__ import annotations

from enum import StrEnum

from partnerka.accounts.models import Role
from partnerka.accounts.tokens import Principal
from partnerka.common.errors import Forbidden, ValidationFailed


class Permission(StrEnum):
    USERS_READ = "users:read"
    USERS_MANAGE = "users:manage"
    ADVERTISERS_READ = "advertisers:read"
    AUDIT_READ_PLATFORM = "audit:read:platform"
    AUDIT_READ_OWN = "audit:read:own"
    WORKSPACE_READ_ANY = "workspace:read:any"  # name any advertiser with ?advertiser_id=
    WORKSPACE_MANAGE_ANY = "workspace:manage:any"
    WORKSPACE_READ_OWN = "workspace:read:own"
    WORKSPACE_MANAGE_OWN = "workspace:manage:own"
    CREDENTIALS_MANAGE_OWN = "credentials:manage:own"  # team and API keys: people only, not API keys
    MEMBERSHIPS_OWN = "memberships:own"  # an affiliate's own enrollments
    OFFERS_RUN = "offers:run"  # an affiliate's view of its advertiser's offers, and access requests
    CONTEXT_SWITCH = "context:switch"
    STATS_READ_ANY_ADVERTISER = "stats:read:any"
    STATS_READ_OWN_ADVERTISER = "stats:read:own"
    STATS_READ_OWN_AFFILIATE = "stats:read:affiliate"
    # What the advertiser pays the network (revenue, profit, ROI): everyone who reads an
    # advertiser's figures but its affiliates, who see their own payout only.
    REVENUE_READ = "revenue:read"
    POSTBACKS_OWN = "postbacks:own"  # an affiliate's postback settings, deliveries and replays
    DELIVERIES_READ_OWN_ADVERTISER = "deliveries:read:own"  # postbacks sent for the tenant's events
    DELIVERIES_READ_ANY = "deliveries:read:any"
    MONITOR = "monitor"  # the orchestrator's queues and operations; replay and redrive
    # An offer's postback secret forges conversions: the advertiser (its API key too), Owner and
    # Platform Admin see it; Support, which reads everything else, does not.
    OFFER_SECRETS_READ = "offers:secrets:read"
    # Money. An advertiser reads its own books and pays its own affiliates (its API key too); platform
    # staff read every advertiser's books; the Owner acts on any advertiser's books and alone records
    # or confirms the money an advertiser sends. An affiliate reads its own balance,
    # payouts and payout requests in the advertiser context it switched to, and asks to be paid.
    FINANCE_READ_OWN = "finance:read:own"
    FINANCE_READ_ANY = "finance:read:any"
    FINANCE_MANAGE_OWN = "finance:manage:own"  # pay its affiliates, its thresholds, submit top-ups
    FINANCE_MANAGE_ANY = "finance:manage:any"  # the same for any advertiser, and top-up decisions
    FINANCE_READ_AFFILIATE = "finance:read:affiliate"
    FINANCE_REQUEST_PAYOUT = "finance:request:payout"
    # Send a postback delivery again: platform staff any they see, an affiliate its own.
    DELIVERIES_REPLAY = "deliveries:replay"
    # Team invitations and API keys of any advertiser named with ?advertiser_id= (the Owner).
    CREDENTIALS_MANAGE_ANY = "credentials:manage:any"
    # Invite, promote, demote, block or help staff (owners, platform admins, support): the Owner.
    USERS_MANAGE_STAFF = "users:manage:staff"
    # The brand (portal name, colours, images, links) an advertiser's affiliates see: a person of the
    # advertiser changes its own (not an API key: it is the dashboard's work), the Owner any
    # advertiser's it names; whoever reads the workspace reads it.
    BRANDING_MANAGE_OWN = "branding:manage:own"
    BRANDING_MANAGE_ANY = "branding:manage:any"
    # Webhook endpoints (notifications.webhooks): an advertiser's people its advertiser's, an affiliate
    # its own; never an API key (an endpoint's secret is shown to whoever manages it), nor staff, who
    # read the deliveries in the delivery log.
    WEBHOOKS_OWN = "webhooks:own"
    # The platform's own billing (partnerka.billing). The Owner alone manages the plans, an
    # Enterprise subscriber's terms, bank transfers received and sees the revenue figures; staff read
    # any advertiser's subscription and invoices; an advertiser's people choose its plan and pay (its
    # API key only reads: paying is the dashboard's work).
    PLANS_MANAGE = "plans:manage"
    BILLING_READ_OWN = "billing:read:own"
    BILLING_MANAGE_OWN = "billing:manage:own"
    BILLING_READ_ANY = "billing:read:any"
    BILLING_MANAGE_ANY = "billing:manage:any"
    # Suspending and reactivating an advertiser or an affiliate (everywhere or in one program):
    # Owner and Platform Admin.
    ACCOUNTS_SUSPEND = "accounts:suspend"
    # Support's help that needs no secret: resend a verification or invitation e-mail, reset a
    # person's second factor once identity is confirmed; Owner and Platform Admin may too.
    SUPPORT_HELP = "support:help"
    # Read-only "view as" of a person's dashboard, visibly marked and audited.
    VIEW_AS = "view_as"
    # The platform's own settings and staff: the Owner alone.
    PLATFORM_SETTINGS = "platform:settings"


_STAFF_READ = {
    Permission.USERS_READ,
    Permission.REVENUE_READ,
    Permission.ADVERTISERS_READ,
    Permission.AUDIT_READ_PLATFORM,
    Permission.WORKSPACE_READ_ANY,
    Permission.STATS_READ_ANY_ADVERTISER,
    Permission.DELIVERIES_READ_ANY,
    Permission.FINANCE_READ_ANY,
    Permission.BILLING_READ_ANY,
}

# The seed's roles (SPEC section 1). The Owner does everything, and alone manages plans, the
# platform's settings and its staff (platform admins and support). The Platform Admin manages users,
# offers and statistics and watches the orchestrator: it moves no advertiser's money, changes no
# advertiser's brand, and mints no advertiser's team invitations or API keys (a key it minted would
# pay that advertiser's affiliates: the money it may not move); it reads secrets only where offers
# need them (an offer's postback secret). Support reads and helps people: no money, no settings.
_PLATFORM_ADMIN = frozenset(
    {
        *_STAFF_READ,
        Permission.USERS_MANAGE,
        Permission.WORKSPACE_MANAGE_ANY,
        Permission.MONITOR,
        Permission.OFFER_SECRETS_READ,
        Permission.DELIVERIES_REPLAY,
        Permission.ACCOUNTS_SUSPEND,
        Permission.SUPPORT_HELP,
        Permission.VIEW_AS,
    }
)

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.OWNER: _PLATFORM_ADMIN
    | {
        Permission.FINANCE_MANAGE_ANY,
        Permission.CREDENTIALS_MANAGE_ANY,
        Permission.BRANDING_MANAGE_ANY,
        Permission.USERS_MANAGE_STAFF,  # only an owner makes, changes or removes staff
        Permission.PLANS_MANAGE,
        Permission.BILLING_MANAGE_ANY,
        Permission.PLATFORM_SETTINGS,
    },
    Role.PLATFORM_ADMIN: _PLATFORM_ADMIN,
    Role.SUPPORT: frozenset({*_STAFF_READ, Permission.SUPPORT_HELP, Permission.VIEW_AS}),
    Role.ADVERTISER: frozenset(
        {
            Permission.AUDIT_READ_OWN,
            Permission.REVENUE_READ,
            Permission.WORKSPACE_READ_OWN,
            Permission.WORKSPACE_MANAGE_OWN,
            Permission.CREDENTIALS_MANAGE_OWN,
            Permission.STATS_READ_OWN_ADVERTISER,
            Permission.DELIVERIES_READ_OWN_ADVERTISER,
            Permission.OFFER_SECRETS_READ,
            Permission.FINANCE_READ_OWN,
            Permission.FINANCE_MANAGE_OWN,
            Permission.BRANDING_MANAGE_OWN,
            Permission.WEBHOOKS_OWN,
            Permission.BILLING_READ_OWN,
            Permission.BILLING_MANAGE_OWN,
        }
    ),
    Role.AFFILIATE: frozenset(
        {
            Permission.WEBHOOKS_OWN,
            Permission.MEMBERSHIPS_OWN,
            Permission.CONTEXT_SWITCH,
            Permission.OFFERS_RUN,
            Permission.STATS_READ_OWN_AFFILIATE,
            Permission.POSTBACKS_OWN,
            Permission.FINANCE_READ_AFFILIATE,
            Permission.FINANCE_REQUEST_PAYOUT,
            Permission.DELIVERIES_REPLAY,
        }
    ),
}

# What an advertiser's API key may do: the advertiser's own work, never people or keys.
API_KEY_PERMISSIONS = frozenset(
    {
        Permission.WORKSPACE_READ_OWN,
        Permission.REVENUE_READ,
        Permission.WORKSPACE_MANAGE_OWN,
        Permission.AUDIT_READ_OWN,
        Permission.STATS_READ_OWN_ADVERTISER,
        Permission.DELIVERIES_READ_OWN_ADVERTISER,
        Permission.OFFER_SECRETS_READ,  # the advertiser's own server posts conversions with it
        Permission.FINANCE_READ_OWN,
        Permission.FINANCE_MANAGE_OWN,  # the advertiser's back office pays its affiliates
        Permission.BILLING_READ_OWN,
    }
)


# What staff viewing a person's dashboard ("view as") may do as that person: read what it reads.
# Every change is refused before a route runs (Callers.ensure_not_suspended); these keep the dashboard's
# buttons hidden, and leave out what shows a secret the person holds (an offer's postback secret).
VIEW_AS_PERMISSIONS = frozenset(
    {
        Permission.AUDIT_READ_OWN,
        Permission.REVENUE_READ,
        Permission.WORKSPACE_READ_OWN,
        Permission.STATS_READ_OWN_ADVERTISER,
        Permission.STATS_READ_OWN_AFFILIATE,
        Permission.DELIVERIES_READ_OWN_ADVERTISER,
        Permission.FINANCE_READ_OWN,
        Permission.FINANCE_READ_AFFILIATE,
        Permission.BILLING_READ_OWN,
        Permission.MEMBERSHIPS_OWN,
        Permission.OFFERS_RUN,
        # its postback settings, webhook endpoints and their deliveries, shown without their secrets
        Permission.POSTBACKS_OWN,
        Permission.WEBHOOKS_OWN,
    }
)


def allows(principal_or_role: Principal | Role, permission: Permission) -> bool:
    if isinstance(principal_or_role, Principal):
        if principal_or_role.api_key_id:
            return permission in API_KEY_PERMISSIONS
        if principal_or_role.viewed_by:
            return permission in VIEW_AS_PERMISSIONS and permission in MATRIX[principal_or_role.role]
        return permission in MATRIX[principal_or_role.role]
    return permission in MATRIX[principal_or_role]


def shows_secrets(principal: Principal) -> bool:
    """Whether an answer may carry the secrets its caller holds (signing secrets of postbacks and
    webhooks): never to staff viewing a person's dashboard."""
    return principal.viewed_by is None


def permissions_of(principal: Principal) -> list[Permission]:
    """Every permission `allows` grants the principal (its role's row, or an API key's set), in the
    enum's order: what `/api/me` tells the dashboard, so its buttons follow this matrix."""
    return [permission for permission in Permission if allows(principal, permission)]


def require(principal: Principal, permission: Permission) -> None:
    if not allows(principal, permission):
        raise Forbidden("you may not do this")


def workspace_tenant(principal: Principal, advertiser_id: str | None, manage: bool) -> str:
    """The advertiser a workspace call acts on: an advertiser's own (naming another is refused), or
    the one platform staff name explicitly."""
    own = Permission.WORKSPACE_MANAGE_OWN if manage else Permission.WORKSPACE_READ_OWN
    anyone = Permission.WORKSPACE_MANAGE_ANY if manage else Permission.WORKSPACE_READ_ANY
    return tenant_for(principal, advertiser_id, own, anyone)


def tenant_for(principal: Principal, advertiser_id: str | None, own: Permission, anyone: Permission) -> str:
    """The advertiser a call acts on, by a pair of permissions: with `own`, the principal's own
    advertiser (naming another is refused); with `anyone`, the advertiser it names."""
    if allows(principal, own) and principal.advertiser_id:
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("this belongs to another advertiser")
        return principal.advertiser_id
    if allows(principal, anyone):
        if not advertiser_id:
            raise ValidationFailed("advertiser_id is required")
        return advertiser_id
    raise Forbidden("you may not do this")


def billing_tenant(principal: Principal, advertiser_id: str | None, manage: bool) -> str:
    """The advertiser whose subscription a call reads or changes: its own people (an API key reads
    only), or staff naming it (the Owner alone changes another's)."""
    if manage:
        return tenant_for(
            principal, advertiser_id, Permission.BILLING_MANAGE_OWN, Permission.BILLING_MANAGE_ANY
        )
    return tenant_for(principal, advertiser_id, Permission.BILLING_READ_OWN, Permission.BILLING_READ_ANY)


def audit_tenant(principal: Principal, advertiser_id: str | None) -> str | None:
    """Whose audit log a caller reads: platform staff the advertiser they name, or the whole
    platform's (None) when they name none; an advertiser only its own (naming another is refused)."""
    if allows(principal, Permission.AUDIT_READ_PLATFORM):
        return advertiser_id
    if allows(principal, Permission.AUDIT_READ_OWN) and principal.advertiser_id:
        if advertiser_id and advertiser_id != principal.advertiser_id:
            raise Forbidden("this belongs to another advertiser")
        return principal.advertiser_id
    raise Forbidden("you may not do this")


def credentials_tenant(principal: Principal, advertiser_id: str | None) -> str:
    """The advertiser whose team or API keys a call changes: a person of that advertiser, or platform
    staff naming it; never an API key (no key mints another)."""
    return tenant_for(
        principal, advertiser_id, Permission.CREDENTIALS_MANAGE_OWN, Permission.CREDENTIALS_MANAGE_ANY
    )


def branding_tenant(principal: Principal, advertiser_id: str | None) -> str:
    """The advertiser whose brand a call changes: a person of that advertiser, or the Owner naming
    it."""
    return tenant_for(
        principal, advertiser_id, Permission.BRANDING_MANAGE_OWN, Permission.BRANDING_MANAGE_ANY
    )


def affiliate_context(principal: Principal, permission: Permission) -> tuple[str, str]:
    """(advertiser, affiliate) of an affiliate's call made in its current advertiser context, which it
    must have chosen first (`/me/context`)."""
    require(principal, permission)
    if not principal.advertiser_id or not principal.affiliate_id:
        raise Forbidden("select an advertiser first")
    return principal.advertiser_id, principal.affiliate_id


def may_use_portal(role: Role, own_advertiser_id: str | None, portal: str | None) -> bool:
    """Who an advertiser's portal (its own domain) serves: its affiliates and its own team. Nobody
    else signs in there, platform staff included: they work on the platform's own host."""
    if portal is None:
        return True
    if role is Role.AFFILIATE:
        return True
    return role is Role.ADVERTISER and own_advertiser_id == portal


def require_portal(principal: Principal, portal: str | None) -> None:
    """A call on an advertiser's portal acts in that advertiser's context only: an affiliate's token
    for another advertiser, another advertiser's or staff's, is refused there."""
    if portal is None:
        return
    if not may_use_portal(principal.role, principal.advertiser_id, portal):
        raise Forbidden(PORTAL_REFUSAL)
    if principal.role is Role.AFFILIATE and principal.advertiser_id not in (None, portal):
        raise Forbidden("this session belongs to another advertiser's program: sign in again here")


PORTAL_REFUSAL = "this site serves its advertiser's partners and team only"
