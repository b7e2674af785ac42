"""Fixes for moto, applied wherever this project runs it (server and tests): DynamoDB made atomic and fast.

Atomic conditional writes: DynamoDB evaluates a write's condition and applies the write as one step;
moto has no lock between the two, so under concurrent requests two conditional writes can both pass
where DynamoDB lets one through. Every write of the backend runs under one lock here, so tests of
concurrency (caps, postback claims) measure our code and not the emulator's race. Reads take the
same lock, and an item read is a copy: moto changes a stored item in place, one action after
another, so a read beside an update (or a transaction) could see it half written, which DynamoDB
never shows.

Transactions' backups: moto backs up every table a TransactWriteItems call touches, to roll back on
failure, by deep-copying it whole for each item of the call; a 100-item rollup transaction on a table
of 10,000 items copied a million items, so statistics slowed to a crawl as the emulated tables
filled. Here a table without a stream is not copied at all: the items the transaction names are
saved before it runs and put back if it fails. A table with a stream (whose records a rollback must
take back too) is still copied, once per call instead of once per item.

Queries that read one partition: moto answers every Query by sorting the whole table and keeping
the partition's items, so a query's cost grew with the table, not with its answer (a 30-day dashboard
on a table of 15,000 cube items took seconds per request). Here a query of the table reads its one
partition, and a query of an index reads the items unsorted (moto sorts the matches by the index's
keys afterwards, so the answer and its order are the same).

Update expressions validated in linear time: moto's ten validators of an UpdateExpression each walk
its tree, and each rebuilt its map of node types for every node it passed, and the check that an
expression has at most one ADD, SET and REMOVE clause ran again at every clause below the root; a
rollup's update of forty counters took 8 ms of validation. Here each validator builds its map once,
and the clause count is checked once, at the root (whose clauses include every clause below it).
An expression's parse is kept by its text (moto parsed the same text two or three times per item,
and every validation works on its own copy of the tree, so the kept one is never changed). A walk
looks its node types and its hook before each child up once, not at every node, and the copy is made
node by node (copy.deepcopy's memo and reductions cost more than the validation's own work); a test
compares both with moto's own on updates of every kind of node and on refused ones.

Item answers written as JSON directly: moto walks botocore's output shape for every answer, value by
value, to build a JSON document that for DynamoDB's item operations is the result itself (attribute
values are already in their wire form); that walk cost more than the operation. Here the answers of
the item operations are dumped as they are (their output shape's members, bytes in base64, as the
wire has them); every other
answer, and every error, still goes through moto's serializer. A test compares the two on every
attribute type.

Items built and projected in linear time: moto checks the 400 KB item limit on every attribute it
stores, by summing the sizes of all the attributes already there, so building an item of forty
counters summed 800 sizes; here an item built whole is sized once. A ProjectionExpression turned the
whole item into Python values (Decimals, sets) once per projected name and back; here a projection
of top-level names copies those attributes as they are stored (a nested path, `m.a` or `l[1]`,
still goes moto's way). A test compares both with moto's own on every attribute type.

Every request's handler is found without listing its class's members: moto listed them with
`inspect.getmembers` on every request; here once per class.

Browsers' form uploads held to their policy: S3 refuses a presigned POST whose fields break the
policy the form was signed with (another Content-Type, a file outside `content-length-range`, another
key, a field the policy does not name, an expired policy); moto stores whatever is posted. Here the
policy is evaluated as S3 does (`post_policy_refusal`), so a test that posts a wrong file sees S3's
refusal; the signature is not checked (moto checks no request's). A form without a policy is an
anonymous upload, which every bucket of this project refuses (they block public access). The
answer, refused or not, carries the bucket's CORS headers as S3's does: the browser reads it.

The server finds each request's service without listing its own package: moto's server listed the
two hundred folders of moto, with a stat of each, for every request to tell its service from the
host; the list is made once here. And it logs errors only, not a line per request (at a few hundred
requests a second the log cost a tenth of its CPU).

    python -m partnerka_local.moto_fixes -H 127.0.0.1 -p 5000   # moto's server, fixed
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import inspect
import json
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from moto import backends as moto_backends
from moto.core import responses as moto_responses
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.exceptions import ItemSizeTooLarge, MockValidationException
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import bytesize
from moto.dynamodb.parsing import validators
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node  # type: ignore[attr-defined]
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]
from moto.dynamodb.parsing.validators import ActionCountValidator
from moto.dynamodb.responses import DynamoResult
from moto.s3.responses import S3Response

_state = threading.local()


class _CopyOncePerTransaction:
    """Stands in for the `copy` module inside moto's DynamoDB models."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        backups: dict[int, Any] | None = getattr(_state, "backups", None)
        if backups is None or not isinstance(value, Table):
            return copy.deepcopy(value, memo)
        if value.stream_shard is None:
            return value  # "restored" by assigning itself; its items are saved by `_saved_items`
        if id(value) not in backups:
            backups[id(value)] = copy.deepcopy(value, memo)
        return backups[id(value)]

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
# Reads (BatchGetItem and TransactGetItems read item by item through get_item): query and scan copy
# what they answer themselves; get_item hands out the stored item, which a later write changes in place.
_READS = ("query", "scan")
_write_lock = threading.RLock()  # re-entrant: a transaction calls the single-item writes inside


def _serialised(original: Callable[..., Any]) -> Callable[..., Any]:
    def write(*args: Any, **kwargs: Any) -> Any:
        with _write_lock:
            return original(*args, **kwargs)

    return write


def _read_whole(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_item(*args: Any, **kwargs: Any) -> Any:
        with _write_lock:
            return copy.deepcopy(original(*args, **kwargs))

    return get_item


def _saved_items(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[str, Any, Any]]:
    """(table, key, attributes or None) of every item the transaction names in a table without a
    stream, as they are before it runs."""
    saved: list[tuple[str, Any, Any]] = []
    for entry in transact_items:
        for kind, operation in entry.items():
            table = backend.tables.get(operation.get("TableName", ""))
            if table is None or table.stream_shard is not None:
                continue
            if kind == "Put":
                attrs = operation["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = operation.get("Key")
            if not key:
                continue
            try:
                current = backend.get_item(table.name, key)
            except MockValidationException:  # a malformed key: moto's own call refuses it
                continue
            saved.append(
                (table.name, key, copy.deepcopy(current.to_json()["Attributes"]) if current else None)
            )
    return saved


_QUERY_PARAMETERS = inspect.signature(Table.query)


def _scoped_query(
    original_query: Callable[..., Any], original_all_items: Callable[..., Any]
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Table.query and Table.all_items, where all_items called from inside a query returns only what
    that query can match: the partition of its hash key, or every item unsorted for an index."""

    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        bound = _QUERY_PARAMETERS.bind(self, *args, **kwargs)
        index_name = bound.arguments.get("index_name")
        _state.query_scope = (self, None if index_name else bound.arguments["hash_key"])
        try:
            return original_query(self, *args, **kwargs)
        finally:
            _state.query_scope = None

    def all_items(self: Table) -> list[Any]:
        scope = getattr(_state, "query_scope", None)
        if scope is None or scope[0] is not self:
            return original_all_items(self)  # type: ignore[no-any-return]
        hash_key = scope[1]
        partitions = list(self.items.values()) if hash_key is None else [self.items.get(hash_key)]
        if self.range_key_attr:
            return [item for partition in partitions if partition for item in list(partition.values())]
        return [partition for partition in partitions if partition is not None]

    return query, all_items


def _processing_map_once(traverser: Any) -> dict[type, Callable[[Any], Any]]:
    cached: dict[type, Callable[[Any], Any]] | None = traverser.__dict__.get("_map_once")
    if cached is None:
        cached = traverser.__dict__["_map_once"] = traverser._processing_map()
    return cached


def _nodes_to_be_processed(self: Any) -> tuple[type, ...]:
    cached: tuple[type, ...] | None = self.__dict__.get("_types_once")
    if cached is None:
        cached = self.__dict__["_types_once"] = tuple(_processing_map_once(self))
    return cached


def _process(self: Any, node: Any) -> Any:
    for node_type, processor in _processing_map_once(self).items():
        if isinstance(node, node_type):
            return processor(node)
    return None


def _walked(original: Callable[..., Any]) -> Callable[..., Any]:
    def traverse(self: Any, root: Any) -> Any:
        """moto's walk (children first, left to right; a processed node takes its place in its parent),
        with the node types to process and the hook before each child looked up once per walk."""
        kinds = _nodes_to_be_processed(self)
        process = self.process
        hook = self.pre_processing_of_child
        if type(self).pre_processing_of_child is DepthFirstTraverser.pre_processing_of_child:
            hook = None  # the base's does nothing

        def visit(node: Any, child_id: int) -> Any:
            if isinstance(node, Node):
                parent = node.parent
                if node.children is not None:
                    for index, child in enumerate(node.children):
                        if hook is not None:
                            hook(node, index)
                        visit(child, index)
                if isinstance(node, kinds):
                    node = process(node)
                    node.parent = parent
                    if parent:
                        parent.children[child_id] = node
            return node

        return visit(root, -1)

    traverse.__wrapped__ = original  # type: ignore[attr-defined]
    return traverse


_IMMUTABLE = (str, int, float, bool, type(None))


def _copied_tree(original: Callable[..., Any]) -> Callable[..., Any]:
    def value_copy(value: Any) -> Any:
        return value if isinstance(value, _IMMUTABLE) else copy.deepcopy(value)

    def clone(node: Any, parent: Any) -> Any:
        copied = object.__new__(type(node))
        for name, value in node.__dict__.items():
            if name not in ("children", "parent"):
                copied.__dict__[name] = value_copy(value)
        copied.parent = parent
        copied.children = None
        if node.children is not None:
            copied.children = [
                clone(child, copied) if isinstance(child, Node) else value_copy(child)
                for child in node.children
            ]
        return copied

    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        """copy.deepcopy, where a whole expression tree (a root Node) is copied node by node: a node
        holds its type's name, its children and its parent, and the leaves are names, numbers and
        flags, which need no copy (anything else among them is deep-copied)."""
        if not isinstance(value, Node) or value.parent is not None or memo is not None:
            return original(value, memo)
        return clone(value, None)

    deepcopy.__wrapped__ = original  # type: ignore[attr-defined]
    return deepcopy


def _clause_counts_at_the_root(original: Callable[..., Any]) -> Callable[..., Any]:
    def verify_action_counts(self: Any, node: Any) -> Any:
        return node if node.parent is not None else original(self, node)

    return verify_action_counts


ITEM_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)


def _wire_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"not part of an item answer: {type(value).__name__}")


def item_answer(result: Any) -> str:
    """An item operation's result as DynamoDB's JSON body."""
    return json.dumps(result, default=_wire_value, separators=(",", ":"))


def _answers_directly(original: Callable[..., Any]) -> Callable[..., Any]:
    def execute_result(self: Any, context: Any) -> Any:
        if context.operation_model.name not in ITEM_OPERATIONS:
            return original(self, context)
        content_type = "application/x-amz-json-" + context.service_model.metadata.get("jsonVersion", "1.0")
        members = context.operation_model.output_shape.members  # what the wire has: moto adds a few more
        answer = {name: value for name, value in self.result.items() if name in members}
        return 200, {"Content-Type": content_type}, item_answer(answer)

    execute_result.__wrapped__ = original  # type: ignore[attr-defined]  # moto's own, for the test
    return execute_result


# moto's own limit (DynamoDB's 400 KB, measured to lie between 409 and 410 KB)
_ITEM_SIZE_LIMIT = 405000


def _sized_once(original: Callable[..., None]) -> Callable[..., None]:
    def init(self: Item, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
        self.hash_key = hash_key
        self.range_key = range_key
        converted = {key: DynamoType(value) for key, value in attrs.items()}
        if sum(bytesize(key) + value.size() for key, value in converted.items()) > _ITEM_SIZE_LIMIT:
            raise ItemSizeTooLarge
        self.attrs = LimitedSizeDict()
        dict.update(self.attrs, converted)

    init.__wrapped__ = original  # type: ignore[attr-defined]
    return init


def _top_level_projection(original: Callable[..., Item]) -> Callable[..., Item]:
    def project(self: Item, projection_expressions: list[list[str]]) -> Item:
        if any(len(path) != 1 or "[" in path[0] for path in projection_expressions):
            return original(self, projection_expressions)
        projected = Item(self.hash_key, self.range_key, {})
        for (name,) in projection_expressions:
            if name in self.attrs:
                dict.__setitem__(projected.attrs, name, copy.deepcopy(self.attrs[name]))
        return projected

    project.__wrapped__ = original  # type: ignore[attr-defined]
    return project


# Form fields a POST policy never names: the policy and its signature, the file, SigV2's key id.
_UNCONDITIONED = frozenset({"policy", "x-amz-signature", "signature", "awsaccesskeyid", "file"})
Refusal = tuple[int, str, str]  # HTTP status, S3's error code, its message


def post_policy_refusal(fields: Mapping[str, str], size: int, bucket: str, now: datetime) -> Refusal | None:
    """Why S3 refuses a browser's form upload of a `size`-byte file with `fields` into `bucket`;
    None when it takes it. Field names are compared in lower case, values exactly."""
    form = {name.lower(): value for name, value in fields.items()}
    if "policy" not in form:
        return 403, "AccessDenied", "Access Denied"
    try:
        policy = json.loads(base64.b64decode(form["policy"], validate=True))
        expiration = datetime.fromisoformat(str(policy["expiration"]))
        conditions = list(policy["conditions"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        return 400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."
    if expiration <= now:
        return 403, "AccessDenied", "Invalid according to Policy: Policy expired."
    named: set[str] = set()
    for condition in conditions:
        if isinstance(condition, dict):
            ((name, value),) = condition.items()
            operation, field, expected = "eq", str(name).lower(), str(value)
        elif isinstance(condition, list) and condition and condition[0] == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                return 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
            if size < low:
                return 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"
            continue
        else:
            operation, field, expected = (
                str(condition[0]),
                str(condition[1]).lstrip("$").lower(),
                str(condition[2]),
            )
        named.add(field)
        actual = bucket if field == "bucket" else form.get(field)
        held = actual is not None and (
            actual == expected
            if operation == "eq"
            else operation == "starts-with" and actual.startswith(expected)
        )
        if not held:
            return (
                403,
                "AccessDenied",
                f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}",
            )
    extra = sorted(
        name
        for name in form
        if name not in named and name not in _UNCONDITIONED and not name.startswith("x-ignore-")
    )
    if extra:
        return 403, "AccessDenied", f"Invalid according to Policy: Extra input fields: {', '.join(extra)}"
    return None


def _error_document(code: str, message: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
    )


def _form_uploads_held_to_their_policy(original: Callable[..., Any]) -> Callable[..., Any]:
    def bucket_response_post(self: Any, request: Any, bucket_name: str) -> Any:
        if self.is_delete_keys() or "key" not in self.form_data:
            return original(self, request, bucket_name)
        cors = self._get_cors_headers_other()
        file = self.raw_body if isinstance(self.raw_body, bytes) else str(self.raw_body or "").encode()
        refused = post_policy_refusal(dict(self.form_data), len(file), bucket_name, datetime.now(UTC))
        if refused is not None:
            status, code, message = refused
            return status, {**cors, "content-type": "application/xml"}, _error_document(code, message)
        status, headers, body = original(self, request, bucket_name)
        return status, {**headers, **cors}, body

    bucket_response_post.__wrapped__ = original  # type: ignore[attr-defined]
    return bucket_response_post


def apply() -> None:
    """Idempotent: patch the backend class once per process."""
    backend = dynamodb_models.DynamoDBBackend
    if getattr(backend.transact_write_items, "_copies_once", False):
        return
    handler_names = functools.cache(moto_responses.method_names_from_class)  # type: ignore[attr-defined]
    moto_responses.method_names_from_class = handler_names  # type: ignore[attr-defined]
    modules = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: modules
    Table.query, Table.all_items = _scoped_query(Table.query, Table.all_items)  # type: ignore[method-assign]
    DepthFirstTraverser.nodes_to_be_processed = _nodes_to_be_processed
    DepthFirstTraverser.process = _process
    DepthFirstTraverser.traverse = _walked(DepthFirstTraverser.traverse)
    validators.deepcopy = _copied_tree(validators.deepcopy)  # type: ignore[attr-defined]
    DynamoResult.execute_result = _answers_directly(DynamoResult.execute_result)  # type: ignore[method-assign]
    Item.__init__ = _sized_once(Item.__init__)  # type: ignore[method-assign]
    Item.project = _top_level_projection(Item.project)  # type: ignore[method-assign]
    parse = functools.lru_cache(maxsize=4096)(UpdateExpressionParser.make)
    UpdateExpressionParser.make = staticmethod(parse)
    ActionCountValidator.verify_action_counts = _clause_counts_at_the_root(  # type: ignore[method-assign]
        ActionCountValidator.verify_action_counts
    )
    original: Callable[..., None] = backend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = _saved_items(self, transact_items)
        _state.backups = {}
        try:
            original(self, transact_items)
        except Exception:
            for table_name, key, attributes in reversed(saved):
                if attributes is None:
                    if self.get_item(table_name, key) is not None:
                        self.delete_item(table_name, key)
                else:
                    self.put_item(table_name, attributes)
            raise
        finally:
            _state.backups = None

    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    for name in (*_WRITES, *_READS):
        setattr(backend, name, _serialised(getattr(backend, name)))
    backend.get_item = _read_whole(backend.get_item)  # type: ignore[method-assign]
    S3Response._bucket_response_post = _form_uploads_held_to_their_policy(  # type: ignore[method-assign]
        S3Response._bucket_response_post
    )
    backend.transact_write_items._copies_once = True  # type: ignore[attr-defined]
    setattr(dynamodb_models, "copy", _CopyOncePerTransaction())  # noqa: B010 - the module's own `copy` name


if __name__ == "__main__":
    import faulthandler
    import logging
    import signal

    from moto.server import main

    # SIGUSR1 prints every thread's stack to the log: what a hung emulator is doing (see
    # LocalRuntime.dump_emulator_stacks).
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    apply()
    main()
