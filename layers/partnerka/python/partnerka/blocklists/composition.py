"""Builds the block lists service from its settings."""

from __future__ import annotations

from dataclasses import dataclass

from partnerka.audit.service import AuditTrail
from partnerka.blocklists.repository import BlockListRepository
from partnerka.blocklists.service import BlockListService
from partnerka.common.pynamo import use_core_table
from partnerka.offers.repository import OfferRepository


@dataclass(frozen=True, slots=True)
class BlockListSettings:
    core_table: str  # the lists, and the offers they may belong to


def block_list_service(settings: BlockListSettings, audit: AuditTrail) -> BlockListService:
    use_core_table(settings.core_table)
    return BlockListService(BlockListRepository(settings.core_table), OfferRepository(), audit)
