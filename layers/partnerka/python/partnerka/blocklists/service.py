"""An advertiser's block lists: read, replace whole, or add pasted entries; every change audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from partnerka.audit.service import Actor, AuditTrail
from partnerka.blocklists.models import (
    BlockList,
    EntryError,
    EntryKind,
    InvalidEntries,
    canonical_entries,
    check_size,
    sub_key,
)
from partnerka.blocklists.repository import BlockListStore
from partnerka.common.clock import iso_millis, utc_now
from partnerka.common.errors import ValidationFailed
from partnerka.offers.repository import OfferStore


@dataclass(frozen=True, slots=True)
class Entries:
    """A whole list as a caller sends it, before checking."""

    ips: Sequence[str] = ()
    asns: Sequence[str] = ()
    countries: Sequence[str] = ()
    subs: Mapping[str, Sequence[str]] = field(default_factory=dict)
    referrers: Sequence[str] = ()
    user_agents: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Added:
    """What a paste did: the list after it, and how many of its entries were new."""

    block_list: BlockList
    added: int
    already_listed: int


class BlockListService:
    """Callers pass the advertiser already narrowed by the permission matrix (accounts.permissions)."""

    def __init__(self, lists: BlockListStore, offers: OfferStore, audit: AuditTrail) -> None:
        self.lists = lists
        self.offers = offers
        self.audit = audit

    def block_list(self, advertiser_id: str, offer_id: str | None = None) -> BlockList:
        """The advertiser's list, or with `offer_id` that offer's (NotFound for another's offer); an
        empty one when none is kept."""
        if offer_id is not None:
            self.offers.get(advertiser_id, offer_id)
        return self.lists.get(advertiser_id, offer_id) or BlockList(advertiser_id, offer_id)

    def replace(self, advertiser_id: str, offer_id: str | None, entries: Entries, actor: Actor) -> BlockList:
        """Put `entries` in place of the whole list; nothing changes when any entry is refused
        (InvalidEntries names each) or the list is too large."""
        stored = self.block_list(advertiser_id, offer_id)
        errors: list[EntryError] = []
        subs = {sub_key(key): values for key, values in entries.subs.items()}
        updated = replace(
            stored,
            ips=_texts(canonical_entries(EntryKind.IPS, entries.ips, errors)),
            asns=_numbers(canonical_entries(EntryKind.ASNS, map(str, entries.asns), errors)),
            countries=_texts(canonical_entries(EntryKind.COUNTRIES, entries.countries, errors)),
            subs={
                key: _texts(canonical_entries(EntryKind.SUBS, values, errors, label=key))
                for key, values in sorted(subs.items())
                if values
            },
            referrers=_texts(canonical_entries(EntryKind.REFERRERS, entries.referrers, errors)),
            user_agents=_texts(canonical_entries(EntryKind.USER_AGENTS, entries.user_agents, errors)),
        )
        if errors:
            raise InvalidEntries(errors)
        return self._save(stored, updated, "block_list.replaced", actor)

    def add(
        self,
        advertiser_id: str,
        offer_id: str | None,
        kind: EntryKind,
        text: str,
        actor: Actor,
        key: str | None = None,
    ) -> Added:
        """Add pasted entries of one kind, one a line (blank lines skipped, those already listed
        counted); `key`: the sub key, for sub-ids. Nothing is added when any line is refused:
        InvalidEntries names each by its line number."""
        if kind is EntryKind.SUBS:
            key = sub_key(key or "")
        lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if not lines:
            raise ValidationFailed("nothing to add: paste one entry a line")
        errors: list[EntryError] = []
        parsed: list[str | int] = []
        for number, line in lines:
            parsed += canonical_entries(kind, [line], errors, number, label=key or "")
        if errors:
            raise InvalidEntries(errors)
        stored = self.block_list(advertiser_id, offer_id)
        listed = set(stored.entries_of(kind, key or ""))
        new = [entry for entry in dict.fromkeys(parsed) if entry not in listed]
        updated = stored.with_added(kind, new, key or "")
        saved = self._save(stored, updated, "block_list.entries_added", actor)
        return Added(saved, len(new), len(parsed) - len(new))

    def _save(self, stored: BlockList, updated: BlockList, action: str, actor: Actor) -> BlockList:
        check_size(updated)
        updated = replace(updated, updated_at=iso_millis(utc_now()))
        self.lists.save(updated, stored.updated_at)
        target = f"offer:{updated.offer_id}" if updated.offer_id else f"advertiser:{updated.advertiser_id}"
        self.audit.record(
            actor,
            updated.advertiser_id,
            action,
            f"{target}:block_list",
            {"counts": stored.counts()},
            {"counts": updated.counts()},
        )
        return updated


def _texts(entries: Sequence[str | int]) -> tuple[str, ...]:
    return tuple(str(entry) for entry in entries)


def _numbers(entries: Sequence[str | int]) -> tuple[int, ...]:
    return tuple(int(entry) for entry in entries)
