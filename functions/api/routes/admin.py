"""/api/users, /api/advertisers: the platform's administration (owner and platform admin; support reads)."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from composition.accounts import workspace
from pydantic import BaseModel, Field

from partnerka.accounts.models import Role, UserStatus
from partnerka.accounts.permissions import Permission, require
from routes.responses import created
from routes.schemas import (
    AdvertiserList,
    AdvertiserOut,
    RoleName,
    StaffUserList,
    StaffUserOut,
    SuspensionOut,
    UserEnvelope,
    UserOut,
)

router = Router()  # type: ignore[no-untyped-call]


class InviteIn(BaseModel):
    email: str = Field(max_length=254)
    role: RoleName
    advertiser_id: str | None = Field(default=None, max_length=40)


class UserChangeIn(BaseModel):
    role: RoleName | None = None
    status: Literal["active", "blocked"] | None = None


@router.get("/users", summary="All users, filtered")
def list_users(
    role: Annotated[RoleName | None, Query()] = None,
    status: Annotated[Literal["active", "invited", "blocked"] | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> StaffUserList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.USERS_READ)
    users = workspace().list_users(role, status, q)
    suspended = workspace().affiliate_suspensions(users)
    return StaffUserList(
        items=[
            StaffUserOut(
                **UserOut.of(u).model_dump(),
                affiliate_suspension=SuspensionOut.of(suspended.get(u.affiliate_id or "")),
            )
            for u in users
        ]
    )


@router.post("/users/invite", summary="Invite a user by e-mail", responses={201: {}})
def invite_user(body: Annotated[InviteIn, Body()]) -> Response[UserEnvelope]:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.USERS_MANAGE)
    invited = workspace().invite_user(
        principal, body.email, Role(body.role), body.advertiser_id, actor_of(router.current_event, user)
    )
    return created(UserEnvelope(user=UserOut.of(invited)))


@router.patch("/users/<user_id>", summary="Change a user's role or block/unblock it")
def update_user(user_id: str, body: Annotated[UserChangeIn, Body()]) -> UserEnvelope:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.USERS_MANAGE)
    changed = workspace().update_user(
        principal,
        user_id,
        Role(body.role) if body.role else None,
        UserStatus(body.status) if body.status else None,
        actor_of(router.current_event, user),
    )
    return UserEnvelope(user=UserOut.of(changed))


@router.get("/advertisers", summary="All advertisers (tenants)")
def list_advertisers() -> AdvertiserList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.ADVERTISERS_READ)
    return AdvertiserList(items=[AdvertiserOut.of(a) for a in workspace().list_advertisers()])
