"""Every DynamoDB and SQS request the code under measure makes, priced in the units AWS bills.

Hooks go on every botocore client created after `install` (whatever library creates it: our
repositories, PynamoDB, Powertools), so nothing the code writes escapes the count however it is
written. A write's units depend on the item's size before and after it (DynamoDB bills the larger
for PutItem, UpdateItem and DeleteItem), which a request does not show: a separate, un-hooked client
reads the item before and after, against the same server. Those reads are for measuring only; their
CPU is kept apart (`overhead_cpu`) so that it is not billed to the function.

Each item is reported under its table and its purpose, chosen from its partition key's prefix
(purposes.py).
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import botocore.session

from tests.bench.cost.purposes import purpose_of
from tests.bench.cost.units import Item, item_size, read_units, write_units


@dataclass
class Usage:
    """What one (table, purpose) cost during a measured stretch."""

    write_units: float = 0.0
    read_units: float = 0.0
    items_written: int = 0
    items_read: int = 0
    transact_items: int = 0
    failed_writes: int = 0  # conditional failures and cancelled transactions: billed all the same


@dataclass
class Stored:
    """An item a write made bigger (or created): the bytes it added and when it expires (None: never)."""

    table: str
    purpose: str
    added_bytes: int
    expires_at: int | None
    created: bool  # a new item: DynamoDB stores 100 bytes of its own beside it


@dataclass
class _Write:
    table: str
    key: Item
    kind: str  # Put | Update | Delete | ConditionCheck
    new: Item | None
    transactional: bool
    before: Item | None


@dataclass
class Recorder:
    """Install once, before the code under measure creates its clients; set `active` around what is
    measured. `tables` maps each physical table name to its logical id in template.yaml."""

    endpoint: str
    tables: dict[str, str]
    active: bool = False
    phase: str = ""  # the function being measured: usage is kept per phase, table and purpose
    usage: dict[tuple[str, str, str], Usage] = field(default_factory=lambda: defaultdict(Usage))
    stored: list[Stored] = field(default_factory=list)
    dynamodb_calls: int = 0
    sqs_requests: Counter[str] = field(default_factory=Counter)  # billed requests per queue
    sqs_messages: Counter[str] = field(default_factory=Counter)
    other_requests: Counter[str] = field(default_factory=Counter)  # EventBridge entries, S3 writes
    overhead_cpu: float = 0.0
    _schemas: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)  # the stores write from threads

    def __post_init__(self) -> None:
        # Created before `install`: this client is never hooked.
        self.measure: Any = botocore.session.get_session().create_client(
            "dynamodb", endpoint_url=self.endpoint, region_name="us-east-1"
        )

    def install(self) -> None:
        original = botocore.session.Session.create_client
        recorder = self

        def create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
            client = original(session, service_name, *args, **kwargs)
            if service_name == "dynamodb":
                client.meta.events.register("before-parameter-build.dynamodb", recorder._before)
                client.meta.events.register("after-call.dynamodb", recorder._after)
            elif service_name == "sqs":
                client.meta.events.register("before-parameter-build.sqs", recorder._sqs)
            elif service_name in ("events", "s3"):
                client.meta.events.register(f"before-parameter-build.{service_name}", recorder._other)
            return client

        botocore.session.Session.create_client = create_client  # type: ignore[method-assign,assignment]

    def reset(self) -> None:
        self.usage.clear()
        self.stored.clear()
        self.sqs_requests.clear()
        self.sqs_messages.clear()
        self.other_requests.clear()
        self.dynamodb_calls = 0
        self.overhead_cpu = 0.0

    # ---------------------------------------------------------------- DynamoDB

    def _logical(self, table: str) -> str:
        return self.tables.get(table, table)

    def _key(self, table: str, item: Item) -> Item:
        if table not in self._schemas:
            schema = self.measure.describe_table(TableName=table)["Table"]["KeySchema"]
            self._schemas[table] = [part["AttributeName"] for part in schema]
        return {name: item[name] for name in self._schemas[table] if name in item}

    def _get(self, table: str, key: Item) -> Item | None:
        item: Item | None = self.measure.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        return item

    def _purpose(self, table: str, key: Item) -> tuple[str, str, str]:
        logical = self._logical(table)
        first = self._key(table, key)
        values = [next(iter(value.values())) for value in first.values()] or [""]
        return self.phase, logical, purpose_of(logical, str(values[0]))

    def _before(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        if not self.active:
            return
        with self._lock:
            self._plan(params, model, context)

    def _plan(self, params: dict[str, Any], model: Any, context: dict[str, Any]) -> None:
        started = time.thread_time()
        writes: list[_Write] = []
        name = model.name
        if name in ("PutItem", "UpdateItem", "DeleteItem"):
            kind = name.removesuffix("Item")
            writes.append(self._write(params["TableName"], kind, params, transactional=False))
        elif name == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                for request in requests:
                    kind, body = next(iter(request.items()))
                    writes.append(self._write(table, kind.removesuffix("Request"), body, transactional=False))
        elif name == "TransactWriteItems":
            for entry in params["TransactItems"]:
                kind, body = next(iter(entry.items()))
                writes.append(self._write(body["TableName"], kind, body, transactional=True))
        context["cost"] = {"writes": writes, "params": params}
        self.overhead_cpu += time.thread_time() - started

    def _write(self, table: str, kind: str, body: dict[str, Any], transactional: bool) -> _Write:
        new = body.get("Item")
        key = self._key(table, new if new is not None else body["Key"])
        return _Write(table, key, kind, new, transactional, self._get(table, key))

    def _after(
        self, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        if not self.active or "cost" not in context:
            return
        with self._lock:
            self._settle(http_response, parsed, model, context)

    def _settle(
        self, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any]
    ) -> None:
        started = time.thread_time()
        self.dynamodb_calls += 1
        failed = http_response.status_code >= 300
        planned = context.pop("cost")
        unprocessed = parsed.get("UnprocessedItems") or {}
        for write in planned["writes"]:
            left = [next(iter(request.values())) for request in unprocessed.get(write.table, [])]
            if any(self._key(write.table, body.get("Item") or body["Key"]) == write.key for body in left):
                continue  # not written: the caller sends it again, and that send is counted
            self._count_write(write, failed)
        self._count_reads(model.name, planned["params"], parsed)
        self.overhead_cpu += time.thread_time() - started

    def _count_write(self, write: _Write, failed: bool) -> None:
        after: Item | None
        if write.kind == "Put" and not failed:
            after = write.new  # what a put stores is what it sends
            size = max(item_size(write.before), item_size(after))
        elif write.kind in ("Update", "Put"):
            after = self._get(write.table, write.key)
            size = max(item_size(write.before), item_size(after), item_size(write.new) if failed else 0)
        elif write.kind == "Delete":
            after = None if not failed else write.before
            size = item_size(write.before)
        else:  # ConditionCheck: billed as a write of the item it checks
            after = write.before
            size = item_size(write.before)
        usage = self.usage[self._purpose(write.table, write.key)]
        usage.write_units += write_units(size, write.transactional)
        usage.items_written += 1
        usage.transact_items += write.transactional
        usage.failed_writes += failed
        added = item_size(after) - item_size(write.before)
        if added and not failed:
            expires = (after or {}).get("expires_at", {}).get("N")
            _, table, purpose = self._purpose(write.table, write.key)
            created = write.before is None
            self.stored.append(
                Stored(table, purpose, added, int(float(expires)) if expires else None, created)
            )

    def _count_reads(self, name: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        if name == "GetItem":
            usage = self.usage[self._purpose(params["TableName"], params["Key"])]
            usage.read_units += read_units(item_size(parsed.get("Item")), bool(params.get("ConsistentRead")))
            usage.items_read += 1
        elif name == "BatchGetItem":
            unprocessed = parsed.get("UnprocessedKeys") or {}
            for table, request in params["RequestItems"].items():
                found = {
                    self._frozen(self._key(table, item)): item
                    for item in parsed.get("Responses", {}).get(table, [])
                }
                skipped = {self._frozen(key) for key in unprocessed.get(table, {}).get("Keys", [])}
                for key in request["Keys"]:
                    if self._frozen(key) in skipped:
                        continue
                    usage = self.usage[self._purpose(table, key)]
                    usage.read_units += read_units(
                        item_size(found.get(self._frozen(key))), bool(request.get("ConsistentRead"))
                    )
                    usage.items_read += 1
        elif name in ("Query", "Scan"):
            items = parsed.get("Items", [])
            table = params["TableName"]
            values = [v for v in (params.get("ExpressionAttributeValues") or {}).values() if "S" in v]
            logical = self._logical(table)
            purpose = purpose_of(logical, values[0]["S"] if values else "")
            if params.get("IndexName"):
                purpose += f" (index {params['IndexName']})"
            usage = self.usage[(self.phase, logical, purpose)]
            # Billed on what is read before any filter; the answer's items stand in for it.
            usage.read_units += read_units(
                sum(item_size(item) for item in items), bool(params.get("ConsistentRead"))
            )
            usage.items_read += len(items)
        elif name == "TransactGetItems":
            for entry, answer in zip(params["TransactItems"], parsed.get("Responses", []), strict=False):
                usage = self.usage[self._purpose(entry["Get"]["TableName"], entry["Get"]["Key"])]
                usage.read_units += read_units(item_size(answer.get("Item")), transactional=True)
                usage.items_read += 1

    @staticmethod
    def _frozen(key: Item) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((name, str(value)) for name, value in key.items()))

    # ---------------------------------------------------------------- SQS

    def _sqs(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        """A send is billed one request per started 64 KB of its payload (a batch's bodies together)."""
        if not self.active or model.name not in ("SendMessage", "SendMessageBatch"):
            return
        with self._lock:
            self._count_send(params)

    def _count_send(self, params: dict[str, Any]) -> None:
        queue = str(params.get("QueueUrl", "")).rsplit("/", 1)[-1]
        entries = params.get("Entries") or [params]
        payload = sum(
            len(str(entry.get("MessageBody", "")).encode())
            + len(str(entry.get("MessageAttributes", "")).encode())
            for entry in entries
        )
        self.sqs_requests[queue] += max(1, -(-payload // 65536))
        self.sqs_messages[queue] += len(entries)

    def _other(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        """EventBridge entries put and S3 objects written, each a billed unit."""
        if not self.active:
            return
        with self._lock:
            if model.name == "PutEvents":
                self.other_requests["eventbridge events"] += len(params.get("Entries", []))
            elif model.name in ("PutObject", "CopyObject", "UploadPart", "CompleteMultipartUpload"):
                self.other_requests["s3 writes"] += 1
                self.other_requests["s3 bytes"] += _body_size(params.get("Body"))


def _body_size(body: Any) -> int:
    """An object's bytes as sent: given as bytes, or as the file botocore wrapped them in."""
    if isinstance(body, bytes | bytearray | str):
        return len(body)
    if body is not None and hasattr(body, "seek") and hasattr(body, "tell"):
        at = body.tell()
        size = body.seek(0, 2)
        body.seek(at)
        return int(size - at)
    return 0
