"""Reading what the functions wrote to stdout: the EMF documents of Powertools Metrics (namespace
Partnerka) and the JSON log lines of its Logger."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from partnerka.common.observability import NAMESPACE, logger, metrics

Counted = Counter[tuple[str, frozenset[tuple[str, str]]]]


def _documents(output: str) -> list[dict[str, Any]]:
    found = []
    for line in output.splitlines():
        if line.startswith("{"):
            document = json.loads(line)
            if isinstance(document, dict):
                found.append(document)
    return found


def emitted(output: str) -> Counted:
    """(metric, its dimensions but `service`) → the sum of its values, over every EMF document in
    `output`. Checks each document as CloudWatch reads it: our namespace, the service dimension,
    every declared dimension and metric present at the top level, counts in unit Count."""
    counted: Counted = Counter()
    for document in _documents(output):
        if "_aws" not in document:
            continue
        (directive,) = document["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == NAMESPACE
        (dimension_names,) = directive["Dimensions"]
        assert "service" in dimension_names
        dimensions = frozenset((name, str(document[name])) for name in dimension_names if name != "service")
        for definition in directive["Metrics"]:
            assert definition["Unit"] == "Count"
            value = document[definition["Name"]]
            counted[(definition["Name"], dimensions)] += int(sum(value) if isinstance(value, list) else value)
    return counted


def metric(name: str, **dimensions: str) -> tuple[str, frozenset[tuple[str, str]]]:
    return name, frozenset(dimensions.items())


def log_lines(output: str, message: str) -> list[dict[str, Any]]:
    """The Logger's JSON lines in `output` whose message is `message`."""
    return [d for d in _documents(output) if "_aws" not in d and d.get("message") == message]


def flush_counts() -> None:
    """Write out what earlier code counted outside a handler (a test's own service calls)."""
    metrics.flush_metrics()


@contextmanager
def logging_to_stdout(level: str = "INFO") -> Iterator[None]:
    """Within: the Logger writes at `level` to the current stdout (the one capsys reads); its handler
    holds the stdout of the moment it was made."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    before = handler.setStream(sys.stdout)
    old_level = logger.log_level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(old_level)
        if before is not None:
            handler.setStream(before)
