"""Request and response bodies of the block lists (/api/block-list, /api/offers/{id}/block-list)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from partnerka.blocklists.models import MAX_ENTRIES, BlockList, EntryKind
from partnerka.blocklists.service import Added, Entries

# Generous bounds for the body itself; the service holds each list to its limits (MAX_ENTRIES) and
# names every entry it refuses.
_MAX_LIST = 20_000
_MAX_ENTRY = 1_000
Entry = Field(max_length=_MAX_ENTRY)
KindName = Literal["ips", "asns", "countries", "subs", "referrers", "user_agents"]
SubKey = Literal["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10"]


class BlockListIn(BaseModel):
    """The whole list; what it leaves out is no longer blocked."""

    ips: list[str] = Field(default=[], max_length=_MAX_LIST, description="addresses and CIDR ranges")
    asns: list[str | int] = Field(default=[], max_length=_MAX_LIST, description="AS16509 or 16509")
    countries: list[str] = Field(default=[], max_length=_MAX_LIST, description="ISO 3166-1 alpha-2")
    subs: dict[SubKey, list[str]] = Field(default={}, description="values per sub key, matched exactly")
    referrers: list[str] = Field(default=[], max_length=_MAX_LIST, description="domains; subdomains too")
    user_agents: list[str] = Field(
        default=[], max_length=_MAX_LIST, description="substrings, matched in any case"
    )

    def entries(self) -> Entries:
        return Entries(
            ips=self.ips,
            asns=[str(asn) for asn in self.asns],
            countries=self.countries,
            subs={str(key): values for key, values in self.subs.items()},
            referrers=self.referrers,
            user_agents=self.user_agents,
        )


class PastedEntriesIn(BaseModel):
    kind: KindName
    sub_key: SubKey | None = Field(default=None, description="for kind subs: which sub-id the values are")
    text: str = Field(min_length=1, max_length=1_000_000, description="one entry a line")


class BlockListOut(BaseModel):
    offer_id: str | None = Field(description="null: the advertiser's own list, for all its offers")
    ips: list[str]
    asns: list[int]
    countries: list[str]
    subs: dict[str, list[str]]
    referrers: list[str]
    user_agents: list[str]
    counts: dict[KindName, int]
    limits: dict[KindName, int] = Field(description="most entries of each kind (sub-ids: per key)")
    updated_at: str | None

    @classmethod
    def of(cls, block_list: BlockList) -> BlockListOut:
        return cls(
            offer_id=block_list.offer_id,
            ips=list(block_list.ips),
            asns=list(block_list.asns),
            countries=list(block_list.countries),
            subs={key: list(values) for key, values in block_list.subs.items()},
            referrers=list(block_list.referrers),
            user_agents=list(block_list.user_agents),
            counts={EntryKind(kind).value: n for kind, n in block_list.counts().items()},
            limits={kind.value: limit for kind, limit in MAX_ENTRIES.items()},
            updated_at=block_list.updated_at or None,
        )


class EntriesAddedOut(BaseModel):
    block_list: BlockListOut
    added: int = Field(description="entries that were new")
    already_listed: int = Field(description="pasted entries the list held already")

    @classmethod
    def of(cls, added: Added) -> EntriesAddedOut:
        return cls(
            block_list=BlockListOut.of(added.block_list),
            added=added.added,
            already_listed=added.already_listed,
        )
