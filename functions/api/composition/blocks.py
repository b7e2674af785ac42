"""The block lists service."""

from __future__ import annotations

from composition import audit, service
from partnerka.blocklists.composition import BlockListSettings, block_list_service
from partnerka.blocklists.service import BlockListService
from partnerka.common.config import read_settings


@service
def block_lists() -> BlockListService:
    return block_list_service(read_settings(BlockListSettings), audit())
