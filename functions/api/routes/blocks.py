"""/api/block-list (the advertiser's own, for all its offers) and /api/offers/{id}/block-list (one
offer's): the visitors whose clicks go to the fallback as `blocked_by_rule`.

The advertiser acts on its own lists; staff name the advertiser (`workspace_tenant`). The click path
sees a change within its cache's lifetime. Bodies: routes.block_list_schemas.
"""

from __future__ import annotations

from typing import Annotated

from auth import actor_of, current
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from composition.blocks import block_lists

from partnerka.accounts.permissions import workspace_tenant
from partnerka.blocklists.models import EntryKind
from routes.block_list_schemas import BlockListIn, BlockListOut, EntriesAddedOut, PastedEntriesIn

router = Router()  # type: ignore[no-untyped-call]
AdvertiserParam = Annotated[str | None, Query(max_length=40)]
OfferId = Annotated[str, Path(max_length=40)]


@router.get("/block-list", summary="The advertiser's block list, for all its offers")
def get_block_list(advertiser_id: AdvertiserParam = None) -> BlockListOut:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return BlockListOut.of(block_lists().block_list(tenant))


@router.put("/block-list", summary="Replace the advertiser's whole block list")
def replace_block_list(
    body: Annotated[BlockListIn, Body()], advertiser_id: AdvertiserParam = None
) -> BlockListOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    actor = actor_of(router.current_event, user)
    return BlockListOut.of(block_lists().replace(tenant, None, body.entries(), actor))


@router.post("/block-list/entries", summary="Add pasted entries (one a line) to the advertiser's block list")
def add_to_block_list(
    body: Annotated[PastedEntriesIn, Body()], advertiser_id: AdvertiserParam = None
) -> EntriesAddedOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    actor = actor_of(router.current_event, user)
    added = block_lists().add(tenant, None, EntryKind(body.kind), body.text, actor, body.sub_key)
    return EntriesAddedOut.of(added)


@router.get("/offers/<offer_id>/block-list", summary="One offer's own block list")
def get_offer_block_list(offer_id: OfferId, advertiser_id: AdvertiserParam = None) -> BlockListOut:
    principal, _ = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=False)
    return BlockListOut.of(block_lists().block_list(tenant, offer_id))


@router.put("/offers/<offer_id>/block-list", summary="Replace one offer's whole block list")
def replace_offer_block_list(
    offer_id: OfferId, body: Annotated[BlockListIn, Body()], advertiser_id: AdvertiserParam = None
) -> BlockListOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    actor = actor_of(router.current_event, user)
    return BlockListOut.of(block_lists().replace(tenant, offer_id, body.entries(), actor))


@router.post(
    "/offers/<offer_id>/block-list/entries",
    summary="Add pasted entries (one a line) to an offer's block list",
)
def add_to_offer_block_list(
    offer_id: OfferId, body: Annotated[PastedEntriesIn, Body()], advertiser_id: AdvertiserParam = None
) -> EntriesAddedOut:
    principal, user = current(router.current_event.headers)
    tenant = workspace_tenant(principal, advertiser_id, manage=True)
    actor = actor_of(router.current_event, user)
    added = block_lists().add(tenant, offer_id, EntryKind(body.kind), body.text, actor, body.sub_key)
    return EntriesAddedOut.of(added)
