"""The Audit table (append-only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from partnerka.audit.models import PLATFORM, AuditEntry
from partnerka.common import dynamo


class AuditStore(Protocol):
    """The append-only log: an entry is written once; reads are newest first."""

    def append(self, entry: AuditEntry) -> None: ...

    def of_tenant(self, tenant_id: str | None, first_day: str, last_day: str) -> Iterator[AuditEntry]: ...

    def of_day(self, day: str) -> Iterator[AuditEntry]: ...


class AuditRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def append(self, entry: AuditEntry) -> None:
        item = {
            "pk": f"TENANT#{entry.tenant_id or PLATFORM}",
            "sk": f"{entry.at}#{entry.id}",
            "day": f"DAY#{entry.at[:10]}",
            "id": entry.id,
            "at": entry.at,
            "actor_id": entry.actor_id,
            "actor_email": entry.actor_email,
            "tenant_id": entry.tenant_id,
            "action": entry.action,
            "target": entry.target,
            "before": json.dumps(entry.before, sort_keys=True) if entry.before is not None else None,
            "after": json.dumps(entry.after, sort_keys=True) if entry.after is not None else None,
            "request_id": entry.request_id,
            "ip": entry.ip,
        }
        client = self._client or dynamo.client()
        client.put_item(
            TableName=self._table, Item=dynamo.encode(item), ConditionExpression="attribute_not_exists(pk)"
        )

    def of_tenant(self, tenant_id: str | None, first_day: str, last_day: str) -> Iterator[AuditEntry]:
        yield from self._query(
            {
                "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
                "ExpressionAttributeValues": {
                    ":pk": {"S": f"TENANT#{tenant_id or PLATFORM}"},
                    ":lo": {"S": first_day},
                    ":hi": {"S": f"{last_day}~"},
                },
            }
        )

    def of_day(self, day: str) -> Iterator[AuditEntry]:
        yield from self._query(
            {
                "IndexName": "by_day",
                "KeyConditionExpression": "#d = :day",
                "ExpressionAttributeNames": {"#d": "day"},
                "ExpressionAttributeValues": {":day": {"S": f"DAY#{day}"}},
            }
        )

    def _query(self, request: dict[str, Any]) -> Iterator[AuditEntry]:
        client = self._client or dynamo.client()
        for raw in dynamo.query(client, {"TableName": self._table, "ScanIndexForward": False, **request}):
            item = dynamo.decode(raw)
            yield AuditEntry(
                id=item["id"],
                at=item["at"],
                actor_id=item.get("actor_id"),
                actor_email=item.get("actor_email"),
                tenant_id=item.get("tenant_id"),
                action=item["action"],
                target=item.get("target", ""),
                before=json.loads(item["before"]) if item.get("before") else None,
                after=json.loads(item["after"]) if item.get("after") else None,
                request_id=item.get("request_id", ""),
                ip=item.get("ip", ""),
            )
