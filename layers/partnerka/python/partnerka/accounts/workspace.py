"""An advertiser's workspace (team, registration links, affiliates, API keys, settings) and the
platform's administration of users. Callers pass the tenant already narrowed by the permission matrix."""

from __future__ import annotations

import ipaddress
import re
import secrets
from dataclasses import dataclass, replace

from partnerka.accounts.models import (
    STAFF_ROLES,
    Advertiser,
    AdvertiserSettings,
    ApiKey,
    Membership,
    MembershipStatus,
    RegistrationLink,
    Role,
    User,
    UserStatus,
)
from partnerka.accounts.permissions import Permission, allows, workspace_tenant
from partnerka.accounts.repository import AccountStore
from partnerka.accounts.service import (
    PLATFORM,
    AccountService,
    Site,
    digest,
    end_every_session,
    public_user,
    required_name,
)
from partnerka.accounts.suspension import Suspension, SuspensionScope, affiliate_suspension, suspension_of
from partnerka.accounts.tokens import Principal
from partnerka.audit.service import Actor
from partnerka.billing.limits import UNLIMITED, PlanGate
from partnerka.billing.models import Limit
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from partnerka.common.ids import new_id
from partnerka.common.observability import logger
from partnerka.domains.links import LinkBases
from partnerka.notifications.events import Audience, Event, EventType

API_KEY_PREFIX = "pk_live_"
MAX_POSTBACK_IPS = 50
MAX_POSTBACK_DOMAINS = 50
DOMAIN_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True, slots=True)
class MembershipView:
    membership: Membership
    advertiser_name: str
    affiliate_name: str
    affiliate_email: str


@dataclass(frozen=True, slots=True)
class Me:
    """The signed-in caller as the dashboard shows it: the advertiser it works in, and (a person with an
    affiliate account) every advertiser it has applied to."""

    user: User
    advertiser_id: str | None
    advertiser_name: str | None
    memberships: list[MembershipView]
    suspension: Suspension | None = None  # the account it works in is suspended: read-only


def approved_affiliates(accounts: AccountStore, advertiser_id: str) -> int:
    """What the plan's limit of approved affiliates counts: the active memberships (pending, rejected
    and blocked ones do not)."""
    memberships = accounts.memberships_of_advertiser(advertiser_id)
    return sum(1 for membership in memberships if membership.status is MembershipStatus.ACTIVE)


def team_seats(accounts: AccountStore, advertiser_id: str) -> int:
    """What the plan's limit of team seats counts: the advertiser's people that are not blocked (an
    invitation holds its seat from the moment it is sent)."""
    return sum(1 for user in accounts.team_of(advertiser_id) if user.status is not UserStatus.BLOCKED)


class Workspace:
    def __init__(
        self, service: AccountService, link_bases: LinkBases | None = None, limits: PlanGate = UNLIMITED
    ) -> None:
        """`link_bases`: where registration links point (the advertiser's own active portal domain);
        without it, at the platform's URL. `limits`: the plans' gate, asked before a seat is taken or
        an affiliate approved."""
        self.service = service
        self.accounts = service.accounts
        self.audit = service.audit
        self.link_bases = link_bases
        self.limits = limits

    def _ensure_free_seat(self, advertiser_id: str) -> None:
        self.limits.ensure(advertiser_id, Limit.TEAM_SEATS, lambda: team_seats(self.accounts, advertiser_id))

    # ------------------------------------------------------------------ platform administration
    def list_users(self, role: str | None, status: str | None, query: str | None) -> list[User]:
        needle = (query or "").strip().lower()
        return [
            user
            for user in self.accounts.list_users()
            if (not role or user.role == role)
            and (not status or user.status == status)
            and (not needle or needle in user.email or needle in user.name.lower())
        ]

    def list_advertisers(self) -> list[Advertiser]:
        return self.accounts.list_advertisers()

    def affiliate_suspensions(self, users: list[User]) -> dict[str, Suspension]:
        """Affiliate id → its suspension everywhere, for the affiliates of `users` that are suspended
        (one batch read)."""
        ids = [user.affiliate_id for user in users if user.affiliate_id]
        found = {a.affiliate_id: affiliate_suspension(a, None) for a in self.accounts.affiliates(ids)}
        return {affiliate_id: suspension for affiliate_id, suspension in found.items() if suspension}

    def invite_user(
        self,
        inviter: Principal,
        email: str,
        role: Role,
        advertiser_id: str | None,
        actor: Actor,
    ) -> User:
        """Create an invited account and e-mail its invitation link (the invitee sets a password)."""
        if role in STAFF_ROLES and not allows(inviter, Permission.USERS_MANAGE_STAFF):
            raise Forbidden("only an owner invites staff")
        if role is Role.AFFILIATE:
            raise ValidationFailed("affiliates join through an advertiser's registration link")
        if role is Role.ADVERTISER:
            if not advertiser_id:
                raise ValidationFailed("an advertiser user needs advertiser_id")
            self.accounts.get_advertiser(advertiser_id)
            self._ensure_free_seat(advertiser_id)
        else:
            advertiser_id = None
        user = self.service.new_user(
            email, "", role, None, None, advertiser_id=advertiser_id, status=UserStatus.INVITED
        )
        self.audit.record(
            actor, advertiser_id, "user.invited", f"user:{user.user_id}", after=public_user(user)
        )
        self.service.send_link(user, "invite")
        return user

    def update_user(
        self, changer: Principal, user_id: str, role: Role | None, status: UserStatus | None, actor: Actor
    ) -> User:
        user = self.accounts.get_user(user_id)
        if user.user_id == changer.user_id:
            raise Forbidden("change your own account through your profile")
        touches_staff = user.role in STAFF_ROLES or role in STAFF_ROLES
        if touches_staff and not allows(changer, Permission.USERS_MANAGE_STAFF):
            raise Forbidden("only an owner changes staff")
        changed = user
        if role is not None and role is not user.role:
            if user.role in (Role.ADVERTISER, Role.AFFILIATE) or role in (
                Role.ADVERTISER,
                Role.AFFILIATE,
            ):
                raise ValidationFailed("advertiser and affiliate accounts keep their role")
            changed = replace(changed, role=role)
        if status is not None:
            if status is UserStatus.INVITED:
                raise ValidationFailed("status must be active or blocked")
            if user.status is UserStatus.BLOCKED and status is not user.status and user.advertiser_id:
                self._ensure_free_seat(user.advertiser_id)  # unblocked, a teammate takes a seat again
            if status is UserStatus.BLOCKED and user.status is not status:
                # Unblocking later does not bring the old sessions back.
                changed = end_every_session(changed)
            changed = replace(changed, status=status)
        saved = self.accounts.save_user(changed)
        self.audit.record(
            actor,
            user.advertiser_id,
            "user.changed",
            f"user:{user.user_id}",
            public_user(user),
            public_user(saved),
        )
        return saved

    # ------------------------------------------------------------------ the signed-in caller
    def me(self, principal: Principal, user: User, site: Site = PLATFORM) -> Me:
        """The signed-in person; on an advertiser's portal an affiliate's memberships are that
        advertiser's only (its other programs are not this site's business)."""
        memberships: list[MembershipView] = []
        if user.affiliate_id and not principal.api_key_id:
            memberships = self.memberships_of_affiliate(user.affiliate_id, None, site)
        advertiser = principal.advertiser_id
        name = self.accounts.get_advertiser(advertiser).name if advertiser else None
        suspension = suspension_of(self.accounts, principal)
        if suspension is not None and suspension.scope is SuspensionScope.PROGRAM:
            # The reason of a suspension in one program is on that membership.
            suspended = next(
                (v.membership for v in memberships if v.membership.advertiser_id == advertiser), None
            )
            if suspended is not None:
                suspension = replace(
                    suspension, reason=suspended.suspension_reason, since=suspended.suspended_at
                )
        return Me(user, advertiser, name, memberships, suspension)

    # ------------------------------------------------------------------ team
    def team(self, advertiser_id: str) -> list[User]:
        return self.accounts.team_of(advertiser_id)

    def invite_teammate(self, advertiser_id: str, email: str, name: str | None, actor: Actor) -> User:
        """An invited teammate (it sets its password from the e-mailed link): refused
        (PlanLimitExceeded) when the plan's seats are taken, invitations included."""
        self._ensure_free_seat(advertiser_id)
        user = self.service.new_user(
            email,
            name or "",
            Role.ADVERTISER,
            None,
            None,
            advertiser_id=advertiser_id,
            status=UserStatus.INVITED,
        )
        self.audit.record(
            actor, advertiser_id, "team.invited", f"user:{user.user_id}", after=public_user(user)
        )
        self.service.send_link(user, "invite")
        return user

    # ------------------------------------------------------------------ registration links and joining
    def links(self, advertiser_id: str) -> list[RegistrationLink]:
        return self.accounts.links_of(advertiser_id)

    def link_base(self, advertiser_id: str) -> str:
        """Where the advertiser's registration links start: its own portal domain while it has an
        active one (one Query of its domains), else the platform's URL."""
        if self.link_bases is None:
            return self.service.link_base_url
        return self.link_bases.portal_base(advertiser_id)

    def create_link(self, advertiser_id: str, label: str, actor: Actor) -> RegistrationLink:
        link = RegistrationLink(
            code="".join(secrets.choice(_CODE_ALPHABET) for _ in range(10)),
            advertiser_id=advertiser_id,
            label=required_name(label, "label"),
            created_at=iso_millis(self.service.now()),
        )
        self.accounts.add_link(link)
        self.audit.record(
            actor, advertiser_id, "link.created", f"link:{link.code}", after={"label": link.label}
        )
        return link

    def deactivate_link(self, advertiser_id: str, code: str, actor: Actor) -> None:
        link = self.accounts.get_link(advertiser_id, code)
        self.accounts.deactivate_link(link)
        self.audit.record(
            actor, advertiser_id, "link.deactivated", f"link:{code}", {"active": True}, {"active": False}
        )

    def join_target(self, code: str, site: Site = PLATFORM) -> tuple[str, str, str]:
        """(advertiser id, advertiser name, link label) of an active link, else not found; on an
        advertiser's portal, only that advertiser's links exist."""
        found = self.accounts.find_join_code(code.strip())
        if found is None or not found.active or site.portal not in (None, found.advertiser_id):
            raise NotFound("this registration link does not exist or is no longer active")
        return found.advertiser_id, self.accounts.get_advertiser(found.advertiser_id).name, found.label

    def join_with_signup(
        self,
        code: str,
        email: str,
        password: str,
        name: str,
        locale: str | None,
        actor: Actor,
        site: Site = PLATFORM,
    ) -> User:
        advertiser_id, _, _ = self.join_target(code, site)
        user = self.service.new_affiliate_account(email, password, name, locale)
        self._apply(advertiser_id, user, actor)
        self.service.send_link(user, "verify", site, brand_of=advertiser_id)
        return user

    def join(
        self, principal: Principal, user: User, code: str, actor: Actor, site: Site = PLATFORM
    ) -> MembershipView:
        """A signed-in affiliate applies to the link's advertiser (pending until it decides)."""
        if not allows(principal, Permission.MEMBERSHIPS_OWN) or not user.affiliate_id:
            raise Forbidden("only affiliate accounts join advertisers")
        advertiser_id, _, _ = self.join_target(code, site)
        if self.accounts.get_membership(advertiser_id, user.affiliate_id) is not None:
            raise Conflict("you have already applied to this advertiser")
        return self._view(self._apply(advertiser_id, user, actor))

    def _apply(self, advertiser_id: str, user: User, actor: Actor) -> Membership:
        now = iso_millis(self.service.now())
        membership = Membership(
            advertiser_id=advertiser_id,
            affiliate_id=user.affiliate_id or "",
            status=MembershipStatus.PENDING,
            created_at=now,
            updated_at=now,
        )
        self.accounts.save_membership(membership)
        self.audit.record(
            actor,
            advertiser_id,
            "membership.applied",
            f"affiliate:{user.affiliate_id}",
            after={"status": membership.status.value},
        )
        self._tell_application(membership, now)
        return membership

    def _tell_application(self, membership: Membership, at: str) -> None:
        """The advertiser's team hears of the application it has to decide. Never raises."""
        advertiser_id, affiliate_id = membership.advertiser_id, membership.affiliate_id
        try:
            name = self.accounts.get_affiliate(affiliate_id).name
            self.service.notices.send(
                Event(
                    event_id=f"{advertiser_id}.{affiliate_id}.applied.{at}",
                    type=EventType.APPLICATION_RECEIVED,
                    occurred_at=parse_iso(at),
                    advertiser_id=advertiser_id,
                    audience=Audience(advertiser_team=True),
                    data={"affiliate_id": affiliate_id, "affiliate_name": name},
                )
            )
        except Exception:
            logger.exception("the application was not told", advertiser_id=advertiser_id)

    # ------------------------------------------------------------------ memberships
    def _view(self, membership: Membership) -> MembershipView:
        affiliate = self.accounts.get_affiliate(membership.affiliate_id)
        name = self.accounts.get_advertiser(membership.advertiser_id).name
        return MembershipView(membership, name, affiliate.name, affiliate.email)

    def memberships(
        self, principal: Principal, advertiser_id: str | None, status: str | None, site: Site = PLATFORM
    ) -> list[MembershipView]:
        """An affiliate's own memberships (its advertisers; on a portal, that advertiser's), or the
        memberships of the advertiser the caller may read (its affiliates; staff name it with
        `advertiser_id`)."""
        if allows(principal, Permission.MEMBERSHIPS_OWN):
            return self.memberships_of_affiliate(principal.affiliate_id or "", status, site)
        tenant = workspace_tenant(principal, advertiser_id, manage=False)
        return self.memberships_of_advertiser(tenant, status)

    def memberships_of_advertiser(self, advertiser_id: str, status: str | None) -> list[MembershipView]:
        name = self.accounts.get_advertiser(advertiser_id).name
        views = []
        for membership in self.accounts.memberships_of_advertiser(advertiser_id):
            if status and membership.status != status:
                continue
            affiliate = self.accounts.get_affiliate(membership.affiliate_id)
            views.append(MembershipView(membership, name, affiliate.name, affiliate.email))
        return views

    def memberships_of_affiliate(
        self, affiliate_id: str, status: str | None, site: Site = PLATFORM
    ) -> list[MembershipView]:
        affiliate = self.accounts.get_affiliate(affiliate_id)
        return [
            MembershipView(
                m, self.accounts.get_advertiser(m.advertiser_id).name, affiliate.name, affiliate.email
            )
            for m in self.accounts.memberships_of_affiliate(affiliate_id)
            if (not status or m.status == status) and site.portal in (None, m.advertiser_id)
        ]

    def decide_membership(
        self, advertiser_id: str, affiliate_id: str, status: MembershipStatus, actor: Actor
    ) -> MembershipView:
        """The advertiser approves (active), rejects or blocks an affiliate; an approval is refused
        (PlanLimitExceeded) when the plan approves no more."""
        if status is MembershipStatus.PENDING:
            raise ValidationFailed("status must be active, rejected or blocked")
        membership = self.accounts.get_membership(advertiser_id, affiliate_id)
        if membership is None:
            raise NotFound(f"no affiliate '{affiliate_id}' in this program")
        if status is MembershipStatus.ACTIVE and membership.status is not MembershipStatus.ACTIVE:
            self.limits.ensure(
                advertiser_id,
                Limit.APPROVED_AFFILIATES,
                lambda: approved_affiliates(self.accounts, advertiser_id),
            )
        decided = replace(membership, status=status, updated_at=iso_millis(self.service.now()))
        self.accounts.save_membership(decided)
        self.audit.record(
            actor,
            advertiser_id,
            "membership.decided",
            f"affiliate:{affiliate_id}",
            {"status": membership.status.value},
            {"status": decided.status.value},
        )
        view = self._view(decided)
        if decided.status is not membership.status:
            self.service.notices.send(
                Event(
                    event_id=f"{advertiser_id}.{affiliate_id}.{decided.status.value}.{decided.updated_at}",
                    type=EventType.MEMBERSHIP_DECIDED,
                    occurred_at=parse_iso(decided.updated_at),
                    advertiser_id=advertiser_id,
                    audience=Audience(affiliate_id=affiliate_id),
                    data={"status": decided.status.value, "advertiser_name": view.advertiser_name},
                )
            )
        return view

    # ------------------------------------------------------------------ API keys
    def api_keys(self, advertiser_id: str) -> list[ApiKey]:
        return self.accounts.api_keys_of(advertiser_id)

    def create_api_key(self, advertiser_id: str, label: str, actor: Actor) -> tuple[ApiKey, str]:
        """The key and its secret; the secret is shown this once and stored only as a digest."""
        secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            key_id=new_id(),
            advertiser_id=advertiser_id,
            label=required_name(label, "label"),
            prefix=secret[: len(API_KEY_PREFIX) + 6],
            created_at=iso_millis(self.service.now()),
            digest=digest(secret),
        )
        self.accounts.add_api_key(key)
        self.audit.record(
            actor, advertiser_id, "api_key.created", f"api_key:{key.key_id}", after={"label": key.label}
        )
        return key, secret

    def revoke_api_key(self, advertiser_id: str, key_id: str, actor: Actor) -> None:
        key = self.accounts.get_api_key(advertiser_id, key_id)
        self.accounts.revoke_api_key(key)
        self.audit.record(
            actor,
            advertiser_id,
            "api_key.revoked",
            f"api_key:{key_id}",
            {"revoked": False},
            {"revoked": True},
        )

    # ------------------------------------------------------------------ settings
    def _settings(self, advertiser_id: str) -> AdvertiserSettings:
        """The stored settings, or the defaults of an advertiser that never changed them."""
        return self.accounts.get_settings(advertiser_id) or AdvertiserSettings(advertiser_id)

    def postback_domains(self, advertiser_id: str) -> list[str]:
        return sorted(self._settings(advertiser_id).postback_domains)

    def set_postback_domains(self, advertiser_id: str, domains: list[str], actor: Actor) -> list[str]:
        """Hosts affiliate postbacks for this advertiser's events may reach (with their subdomains);
        an empty list allows any public host."""
        if len(domains) > MAX_POSTBACK_DOMAINS:
            raise ValidationFailed(f"at most {MAX_POSTBACK_DOMAINS} domains")
        cleaned = sorted({d.strip().lower().rstrip(".") for d in domains if d.strip()})
        for domain in cleaned:
            if not DOMAIN_NAME.fullmatch(domain):
                raise ValidationFailed(f"'{domain}' is not a domain name")
        before = self.postback_domains(advertiser_id)
        settings = replace(
            self._settings(advertiser_id),
            postback_domains=frozenset(cleaned),
            updated_at=iso_millis(self.service.now()),
        )
        self.accounts.save_settings(settings)
        self.audit.record(
            actor,
            advertiser_id,
            "settings.postback_domains",
            f"advertiser:{advertiser_id}",
            {"domains": before},
            {"domains": cleaned},
        )
        return cleaned

    def postback_ips(self, advertiser_id: str) -> list[str]:
        return sorted(self._settings(advertiser_id).postback_ips)

    def set_postback_ips(self, advertiser_id: str, ips: list[str], actor: Actor) -> list[str]:
        """CIDRs (or single addresses) allowed to send postbacks; an empty list allows any address."""
        if len(ips) > MAX_POSTBACK_IPS:
            raise ValidationFailed(f"at most {MAX_POSTBACK_IPS} entries")
        networks = []
        for entry in ips:
            try:
                networks.append(str(ipaddress.ip_network(entry.strip(), strict=False)))
            except ValueError:
                raise ValidationFailed(f"'{entry}' is not an IP address or CIDR") from None
        before = self.postback_ips(advertiser_id)
        settings = replace(
            self._settings(advertiser_id),
            postback_ips=frozenset(networks),
            updated_at=iso_millis(self.service.now()),
        )
        self.accounts.save_settings(settings)
        self.audit.record(
            actor,
            advertiser_id,
            "settings.postback_ips",
            f"advertiser:{advertiser_id}",
            {"ips": before},
            {"ips": sorted(set(networks))},
        )
        return sorted(set(networks))
