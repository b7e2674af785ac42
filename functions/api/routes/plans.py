"""/api/plans and /api/admin/plans: the plans on sale, side by side, to anyone; every plan, a new one
and an edit (its next version) to the Owner. partnerka.billing.plans decides the rest. Bodies:
routes.plan_schemas."""

from __future__ import annotations

from typing import Annotated

from auth import actor_of, current
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from composition.billing import billing

from partnerka.accounts.permissions import Permission, require
from routes.plan_schemas import NewPlanIn, PlanIn, PlanList, PlanOut
from routes.responses import created

router = Router()  # type: ignore[no-untyped-call]
PlanCodePath = Annotated[str, Path(max_length=30)]


@router.get("/plans", summary="The plans offered, side by side (anyone, signed in or not)")
def public_plans() -> PlanList:
    return PlanList(plans=[PlanOut.of(plan) for plan in billing().plans.public_plans()])


@router.get("/admin/plans", summary="Every plan, offered or not (Owner)")
def all_plans() -> PlanList:
    principal, _ = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    return PlanList(plans=[PlanOut.of(plan) for plan in billing().plans.all_plans()])


@router.post("/admin/plans", summary="Add a plan (Owner)", responses={201: {}})
def create_plan(body: Annotated[NewPlanIn, Body()]) -> Response[PlanOut]:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    plan = billing().plans.create(body.code, body.draft(), actor_of(router.current_event, user))
    return created(PlanOut.of(plan))


@router.put(
    "/admin/plans/<code>",
    summary="Change a plan: its next version, which subscribers get at their next period (Owner)",
)
def edit_plan(code: PlanCodePath, body: Annotated[PlanIn, Body()]) -> PlanOut:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.PLANS_MANAGE)
    return PlanOut.of(billing().plans.edit(code, body.draft(), actor_of(router.current_event, user)))
