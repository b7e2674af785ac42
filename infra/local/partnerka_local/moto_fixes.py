"""Two fixes for moto's DynamoDB emulation, applied wherever this project runs moto (server and tests).

Atomic conditional writes: DynamoDB evaluates a write's condition and applies the write as one step;
moto has no lock between the two, so under concurrent requests two conditional writes can both pass
where DynamoDB lets one through. Every write of the backend runs under one lock here, so tests of
concurrency (caps, postback claims) measure our code and not the emulator's race.

Transactions' backups: moto 5 backs up a table before a TransactWriteItems call so it can roll back, but it deep-copies the
whole table once per item of the transaction: a 100-item transaction on a table of 10,000 items copies
a million items. The orchestrator writes every rollup chunk as a 100-item transaction, so statistics
slowed to a crawl as the emulated tables filled. The fix makes the copies within one call share the
first: the backup is the same table state either way, as nothing is written before the copies end.

    python -m partnerka_local.moto_fixes -H 127.0.0.1 -p 5000   # moto's server, fixed
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models.table import Table

_state = threading.local()


class _CopyOncePerTransaction:
    """Stands in for the `copy` module inside moto's DynamoDB models."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        backups: dict[int, Any] | None = getattr(_state, "backups", None)
        if backups is None or not isinstance(value, Table):
            return copy.deepcopy(value, memo)
        if id(value) not in backups:
            backups[id(value)] = copy.deepcopy(value, memo)
        return backups[id(value)]

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
_write_lock = threading.RLock()  # re-entrant: a transaction calls the single-item writes inside


def _serialised(original: Callable[..., Any]) -> Callable[..., Any]:
    def write(*args: Any, **kwargs: Any) -> Any:
        with _write_lock:
            return original(*args, **kwargs)

    return write


def apply() -> None:
    """Idempotent: patch the backend class once per process."""
    backend = dynamodb_models.DynamoDBBackend
    if getattr(backend.transact_write_items, "_copies_once", False):
        return
    original: Callable[..., None] = backend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        _state.backups = {}
        try:
            original(self, transact_items)
        finally:
            _state.backups = None

    backend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    for name in _WRITES:
        setattr(backend, name, _serialised(getattr(backend, name)))
    backend.transact_write_items._copies_once = True  # type: ignore[attr-defined]
    setattr(dynamodb_models, "copy", _CopyOncePerTransaction())  # noqa: B010 - the module's own `copy` name


if __name__ == "__main__":
    from moto.server import main

    apply()
    main()
