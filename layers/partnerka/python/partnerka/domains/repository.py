"""Core-table storage of custom domains and of the claims that make a host one advertiser's.

A domain and its claim are always written together, in one transaction, each under a condition: a
new claim only where no claim is (a host belongs to one advertiser at a time), a change only to the
version read (a scheduled check and the advertiser's removal never overwrite each other).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis
from partnerka.common.errors import Conflict, NotFound
from partnerka.common.pynamo import GSI1, CoreItem, connection, core_table
from partnerka.domains.claims import DomainClaim
from partnerka.domains.models import Domain, DomainKind, DomainStatus
from partnerka.domains.names import DomainName

DUE_PARTITION = "DOMAINCHECK"


class DomainTaken(Conflict):
    """The host is claimed already: by another advertiser, or by this one."""


class DomainChanged(Conflict):
    """The domain changed since it was read (a check and a removal met): read it again."""


class DomainStore(Protocol):
    def add(self, domain: Domain) -> None:
        """The domain and its claim, or nothing (DomainTaken when the host is claimed)."""
        ...

    def get(self, advertiser_id: str, domain_id: str) -> Domain: ...

    def of_advertiser(self, advertiser_id: str) -> list[Domain]: ...

    def save(self, domain: Domain) -> Domain:
        """Write `domain` over the version it was read at (DomainChanged if it moved on); the
        saved domain carries the next version."""
        ...

    def delete(self, domain: Domain) -> None:
        """The domain and its claim, if still at the version read (DomainChanged otherwise)."""
        ...

    def due(self, now: datetime, limit: int) -> list[Domain]:
        """Domains whose next check is due, the longest waiting first."""
        ...

    def claim(self, host: str) -> DomainClaim | None: ...


class _DomainRow(CoreItem):
    """Domain: PK `ADV#<advertiser>`, SK `DOMAIN#<domain_id>` (domains.models.Domain)."""

    domain_id = UnicodeAttribute()
    advertiser_id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute()
    status = UnicodeAttribute()
    token = UnicodeAttribute()
    status_reason = UnicodeAttribute(default="")
    tenant_id = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    checked_at = UTCDateTimeAttribute(null=True)
    active_since = UTCDateTimeAttribute(null=True)
    next_check_at = UTCDateTimeAttribute(null=True)
    txt_found = NumberAttribute(null=True)  # 1 | 0; absent: not looked for yet
    cname_found = NumberAttribute(null=True)
    version = NumberAttribute(default=0)

    @staticmethod
    def key(advertiser_id: str, domain_id: str) -> tuple[str, str]:
        return f"ADV#{advertiser_id}", f"DOMAIN#{domain_id}"

    @classmethod
    def of(cls, domain: Domain, version: int) -> _DomainRow:
        due = domain.next_check_at
        return cls(
            *cls.key(domain.advertiser_id, domain.domain_id),
            gsi1pk=DUE_PARTITION if due else None,
            gsi1sk=f"{iso_millis(due)}#{domain.domain_id}" if due else None,
            domain_id=domain.domain_id,
            advertiser_id=domain.advertiser_id,
            name=domain.host,
            kind=domain.kind.value,
            status=domain.status.value,
            token=domain.token,
            status_reason=domain.status_reason,
            tenant_id=domain.tenant_id,
            created_at=domain.created_at,
            updated_at=domain.updated_at,
            checked_at=domain.checked_at,
            active_since=domain.active_since,
            next_check_at=due,
            txt_found=_flag(domain.txt_found),
            cname_found=_flag(domain.cname_found),
            version=version,
        )

    def domain(self) -> Domain:
        return Domain(
            domain_id=self.domain_id,
            advertiser_id=self.advertiser_id,
            name=DomainName(self.name),
            kind=DomainKind(self.kind),
            status=DomainStatus(self.status),
            token=self.token,
            created_at=self.created_at,
            updated_at=self.updated_at,
            status_reason=self.status_reason,
            tenant_id=self.tenant_id,
            checked_at=self.checked_at,
            active_since=self.active_since,
            next_check_at=self.next_check_at,
            txt_found=None if self.txt_found is None else bool(self.txt_found),
            cname_found=None if self.cname_found is None else bool(self.cname_found),
            version=int(self.version),
        )


class _ClaimRow(CoreItem):
    """Domain claim: PK `DOMAIN#<ascii host>`, SK `CLAIM` (domains.models.DomainClaim)."""

    advertiser_id = UnicodeAttribute()
    domain_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    status = UnicodeAttribute()

    @classmethod
    def of(cls, claim: DomainClaim) -> _ClaimRow:
        key = DomainClaim.key(claim.host)
        return cls(
            key["pk"],
            key["sk"],
            advertiser_id=claim.advertiser_id,
            domain_id=claim.domain_id,
            kind=claim.kind,
            status=claim.status,
        )

    def claim(self) -> DomainClaim:
        return DomainClaim(
            self.pk.removeprefix("DOMAIN#"), self.advertiser_id, self.domain_id, self.kind, self.status
        )


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _conditional_failure(error: TransactWriteError) -> bool:
    return getattr(error, "cause_response_code", None) in (
        "ConditionalCheckFailedException",
        "TransactionCanceledException",
    )


class DomainRepository:
    def add(self, domain: Domain) -> None:
        try:
            with TransactWrite(connection=connection()) as transaction:
                transaction.save(_ClaimRow.of(domain.claim()), condition=_ClaimRow.pk.does_not_exist())
                transaction.save(_DomainRow.of(domain, 0), condition=_DomainRow.pk.does_not_exist())
        except TransactWriteError as error:
            if not _conditional_failure(error):
                raise
            existing = self.claim(domain.host)
            if existing is not None and existing.advertiser_id == domain.advertiser_id:
                raise DomainTaken(f"'{domain.name.unicode}' is one of your domains already") from None
            raise DomainTaken(f"'{domain.name.unicode}' is in use by another account") from None

    def get(self, advertiser_id: str, domain_id: str) -> Domain:
        try:
            return _DomainRow.get(*_DomainRow.key(advertiser_id, domain_id)).domain()
        except DoesNotExist:
            raise NotFound(f"no domain '{domain_id}'") from None

    def of_advertiser(self, advertiser_id: str) -> list[Domain]:
        rows = _DomainRow.query(f"ADV#{advertiser_id}", _DomainRow.sk.startswith("DOMAIN#"))
        return sorted((row.domain() for row in rows), key=lambda d: (d.created_at, d.domain_id))

    def save(self, domain: Domain) -> Domain:
        row = _DomainRow.of(domain, domain.version + 1)
        claim = _ClaimRow.of(domain.claim())
        try:
            with TransactWrite(connection=connection()) as transaction:
                transaction.save(row, condition=_DomainRow.version == domain.version)
                transaction.save(claim, condition=_ClaimRow.domain_id == domain.domain_id)
        except TransactWriteError as error:
            if _conditional_failure(error):
                raise DomainChanged(f"the domain '{domain.host}' changed meanwhile; try again") from None
            raise
        return row.domain()

    def delete(self, domain: Domain) -> None:
        row = _DomainRow(*_DomainRow.key(domain.advertiser_id, domain.domain_id))
        key = DomainClaim.key(domain.host)
        try:
            with TransactWrite(connection=connection()) as transaction:
                transaction.delete(row, condition=_DomainRow.version == domain.version)
                transaction.delete(
                    _ClaimRow(key["pk"], key["sk"]), condition=_ClaimRow.domain_id == domain.domain_id
                )
        except TransactWriteError as error:
            if _conditional_failure(error):
                raise DomainChanged(f"the domain '{domain.host}' changed meanwhile; try again") from None
            raise

    def due(self, now: datetime, limit: int) -> list[Domain]:
        request: dict[str, Any] = {
            "TableName": core_table(),
            "IndexName": GSI1,
            "KeyConditionExpression": "gsi1pk = :pk AND gsi1sk <= :now",
            "ExpressionAttributeValues": {
                ":pk": {"S": DUE_PARTITION},
                ":now": {"S": f"{iso_millis(now)}#~"},
            },
        }
        rows = dynamo.query(dynamo.client(), request, limit)
        return [_DomainRow.from_raw_data(raw).domain() for raw in rows]

    def claim(self, host: str) -> DomainClaim | None:
        key = DomainClaim.key(host)
        try:
            return _ClaimRow.get(key["pk"], key["sk"]).claim()
        except DoesNotExist:
            return None
