"""The template's functions, loaded as Lambda loads them and invoked with what each invocation costs
measured: its CPU (less the recorder's own), its DynamoDB calls, the bytes of the log lines it
writes (Powertools' logger and anything printed, EMF metrics included) and its answer's bytes.

Stream batches are read from the tables' own streams on the moto server, as Lambda's poller reads
them, so the orchestrator sees the records the click and postback functions really caused."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bench.cost.recorder import Recorder

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class LambdaContext:
    """The fields of the Lambda context that Powertools reads."""

    function_name = "cost-bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:cost-bench"
    memory_limit_in_mb = 512
    aws_request_id = "c0575e1e-0000-4000-8000-000000000000"
    log_group_name = "/aws/lambda/cost-bench"
    log_stream_name = "2026/12/07/[$LATEST]cost"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


class LogCounter(io.TextIOBase):
    """Stands in for stdout and stderr, and for the logger's stream: counts bytes and lines (each a
    log event in CloudWatch)."""

    def __init__(self) -> None:
        self.bytes = 0
        self.lines = 0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        self.lines += text.count("\n")
        return len(text)


@dataclass
class Tally:
    """One function's invocations during a measured stretch."""

    invocations: int = 0
    cpu_seconds: list[float] = field(default_factory=list)
    dynamodb_calls: int = 0
    log_bytes: int = 0
    log_events: int = 0
    response_bytes: int = 0


def load(code_dir: Path, name: str) -> Handler:
    """Import `code_dir`/app.py under its own module name (the functions' files share the name)."""
    spec = importlib.util.spec_from_file_location(name, code_dir / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # as an import leaves it (a settings dataclass looks it up)
    spec.loader.exec_module(module)
    return module.handler  # type: ignore[no-any-return]


def capture_logs() -> LogCounter:
    """Point the Powertools logger at a counter (the functions' logger is one, shared)."""
    from partnerka.common.observability import logger

    counter = LogCounter()
    for handler in logger.handlers:
        if hasattr(handler, "setStream"):
            handler.setStream(counter)
    return counter


def invoke(
    handler: Handler, event: dict[str, Any], tally: Tally, recorder: Recorder, logs: LogCounter
) -> dict[str, Any]:
    calls, overhead = recorder.dynamodb_calls, recorder.overhead_cpu
    written, lines = logs.bytes, logs.lines
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = logs
    started = time.process_time()
    try:
        response = handler(event, LambdaContext())
    finally:
        cpu = time.process_time() - started
        sys.stdout, sys.stderr = stdout, stderr
    tally.invocations += 1
    tally.cpu_seconds.append(max(0.0, cpu - (recorder.overhead_cpu - overhead)))
    tally.dynamodb_calls += recorder.dynamodb_calls - calls
    tally.log_bytes += logs.bytes - written
    tally.log_events += logs.lines - lines
    headers = response.get("headers") or {}
    tally.response_bytes += sum(len(f"{k}: {v}\r\n".encode()) for k, v in headers.items()) + len(
        str(response.get("body") or "").encode()
    )
    return response


class StreamReader:
    """A table's stream on the moto server, read from where the last read stopped."""

    def __init__(self, endpoint: str, table: str) -> None:
        import botocore.session

        session = botocore.session.get_session()
        ddb: Any = session.create_client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
        self.arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
        self.client: Any = session.create_client(
            "dynamodbstreams", endpoint_url=endpoint, region_name="us-east-1"
        )
        self.iterators: dict[str, str | None] = {}

    def new_records(self) -> list[dict[str, Any]]:
        shards = self.client.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]
        records: list[dict[str, Any]] = []
        for shard in shards:
            shard_id = shard["ShardId"]
            if shard_id not in self.iterators:
                self.iterators[shard_id] = self.client.get_shard_iterator(
                    StreamArn=self.arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            while self.iterators[shard_id]:
                answer = self.client.get_records(ShardIterator=self.iterators[shard_id], Limit=1000)
                self.iterators[shard_id] = answer.get("NextShardIterator")
                records.extend(self._as_lambda_delivers(record) for record in answer["Records"])
                if not answer["Records"]:
                    break
        return records

    def _as_lambda_delivers(self, record: dict[str, Any]) -> dict[str, Any]:
        change = dict(record["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, dt.datetime):
            change["ApproximateCreationDateTime"] = float(int(created.timestamp()))
        return {
            "eventID": record["eventID"],
            "eventName": record["eventName"],
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": change,
            "eventSourceARN": self.arn,
        }


def cold_import_ms(code_dir: Path, layer: Path, env: dict[str, str], runs: int) -> float:
    """Median over `runs` fresh interpreters of the time to import the function (its INIT phase)."""
    code = (
        f"import sys, time; sys.path[:0] = {[str(code_dir), str(layer)]!r}\n"
        "t = time.perf_counter(); import app; print((time.perf_counter() - t) * 1000)"
    )
    times = [
        float(
            subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        for _ in range(runs)
    ]
    return statistics.median(times)
