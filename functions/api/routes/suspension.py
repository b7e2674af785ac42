"""/api/advertisers/{id}/suspend|reactivate, /api/affiliates/{id}/suspend|reactivate: the platform's
staff suspend an account, or an affiliate in one program (accounts.suspension); Owner and Platform
Admin. Doing it again changes nothing and answers `changed: false`."""

from __future__ import annotations

from typing import Annotated, Literal

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from composition.accounts import suspensions
from pydantic import BaseModel, Field

from partnerka.accounts.suspension import MAX_REASON, AffiliateStanding
from routes.schemas import AdvertiserOut

router = Router()  # type: ignore[no-untyped-call]

Reason = Field(min_length=1, max_length=MAX_REASON, description="why: told to the people it concerns")
Note = Field(default="", max_length=MAX_REASON, description="optional: told with the reactivation")
ProgramOf = Field(
    default=None, max_length=40, description="one advertiser's program only; omitted: everywhere"
)


class SuspendIn(BaseModel):
    reason: str = Reason


class ReactivateIn(BaseModel):
    note: str = Note


class SuspendAffiliateIn(SuspendIn):
    advertiser_id: str | None = ProgramOf


class ReactivateAffiliateIn(ReactivateIn):
    advertiser_id: str | None = ProgramOf


class AdvertiserStandingOut(BaseModel):
    advertiser: AdvertiserOut
    changed: bool = Field(description="false: it already was so, and nothing was done")


class ProgramStandingOut(BaseModel):
    """The affiliate's place in one program: the advertiser's decision (`status`) stays as it was."""

    advertiser_id: str
    status: Literal["pending", "active", "rejected", "blocked"]
    suspended: bool
    suspended_at: str | None
    suspension_reason: str | None


class AffiliateStandingOut(BaseModel):
    affiliate_id: str
    name: str
    status: Literal["active", "suspended"] = Field(description="everywhere")
    suspended_at: str | None
    suspension_reason: str | None
    program: ProgramStandingOut | None = Field(description="set when one program was named")
    changed: bool = Field(description="false: it already was so, and nothing was done")

    @classmethod
    def of(cls, standing: AffiliateStanding) -> AffiliateStandingOut:
        affiliate, membership = standing.affiliate, standing.membership
        program = None
        if membership is not None:
            program = ProgramStandingOut(
                advertiser_id=membership.advertiser_id,
                status=membership.status.value,
                suspended=membership.suspended,
                suspended_at=membership.suspended_at,
                suspension_reason=membership.suspension_reason or None,
            )
        return cls(
            affiliate_id=affiliate.affiliate_id,
            name=affiliate.name,
            status=affiliate.status.value,
            suspended_at=affiliate.suspended_at,
            suspension_reason=affiliate.suspension_reason or None,
            program=program,
            changed=standing.changed,
        )


@router.post("/advertisers/<advertiser_id>/suspend", summary="Suspend an advertiser (read-only, no traffic)")
def suspend_advertiser(advertiser_id: str, body: Annotated[SuspendIn, Body()]) -> AdvertiserStandingOut:
    principal, user = current(router.current_event.headers)
    actor = actor_of(router.current_event, user)
    standing = suspensions().suspend_advertiser(principal, advertiser_id, body.reason, actor)
    return AdvertiserStandingOut(advertiser=AdvertiserOut.of(standing.advertiser), changed=standing.changed)


@router.post("/advertisers/<advertiser_id>/reactivate", summary="End an advertiser's suspension")
def reactivate_advertiser(advertiser_id: str, body: Annotated[ReactivateIn, Body()]) -> AdvertiserStandingOut:
    principal, user = current(router.current_event.headers)
    actor = actor_of(router.current_event, user)
    standing = suspensions().reactivate_advertiser(principal, advertiser_id, actor, body.note)
    return AdvertiserStandingOut(advertiser=AdvertiserOut.of(standing.advertiser), changed=standing.changed)


@router.post(
    "/affiliates/<affiliate_id>/suspend", summary="Suspend an affiliate everywhere, or in one program"
)
def suspend_affiliate(affiliate_id: str, body: Annotated[SuspendAffiliateIn, Body()]) -> AffiliateStandingOut:
    principal, user = current(router.current_event.headers)
    actor = actor_of(router.current_event, user)
    standing = suspensions().suspend_affiliate(
        principal, affiliate_id, body.reason, actor, body.advertiser_id
    )
    return AffiliateStandingOut.of(standing)


@router.post(
    "/affiliates/<affiliate_id>/reactivate",
    summary="End an affiliate's suspension (everywhere, or in one program)",
)
def reactivate_affiliate(
    affiliate_id: str, body: Annotated[ReactivateAffiliateIn, Body()]
) -> AffiliateStandingOut:
    principal, user = current(router.current_event.headers)
    actor = actor_of(router.current_event, user)
    standing = suspensions().reactivate_affiliate(
        principal, affiliate_id, actor, body.advertiser_id, body.note
    )
    return AffiliateStandingOut.of(standing)
