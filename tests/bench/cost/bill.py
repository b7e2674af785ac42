"""The bill per million clicks, line by line, from one run's measured units (cost_bench.run).

What is measured: DynamoDB request units and stored bytes (by DynamoDB's rules, per request the code
made), each function's CPU, DynamoDB calls and log bytes per invocation, SQS payloads, EventBridge
entries and S3 writes. What is assumed is named in ASSUMPTIONS and printed with the figures."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from typing import Any

from tests.bench.cost.prices import price

GB = 2**30
DAYS_PER_MONTH = 365.25 / 12
ASSUMPTIONS: dict[str, Any] = {
    # Below 1,769 MB a function gets that share of one vCPU, so its CPU time stretches by 1769/memory.
    "full_vcpu_mb": 1769,
    # moto's latency is not DynamoDB's: every call the handler makes is charged this much wall time.
    "dynamodb_call_ms": 4.0,
    # AWS's analysis of production workloads: INIT (a cold start) in under 1% of invocations. Our
    # click traffic is steady; 1% is the upper end of that.
    "cold_start_rate": 0.01,
    # START, END and REPORT (with the X-Ray line, tracing being active): three events, about 340 bytes.
    "platform_log_bytes": 340,
    "platform_log_events": 3,
    "log_event_overhead_bytes": 26,  # counted per event as PutLogEvents counts it
    "log_retention_months": 12,  # the template sets no retention: a year is what the report charges
    # The status line and what CloudFront and the security-headers policy add to a 302.
    "edge_header_bytes": 450,
    # X-Ray's default sampling (1 a second, then 5%): at volume, 5% of requests are traced.
    "xray_sampled": 0.05,
    # Each message sent is received once and deleted once by its consumer (an upper bound: Lambda's
    # poller receives in batches).
    "sqs_consumer_requests_per_message": 2,
    "no_ttl_months": 12,
    "analytics_retention_days": 400,  # the AnalyticsBucket's lifecycle rule for clicks/ and conversions/  # storage of an item without a TTL is charged for a year
    "dynamodb_item_overhead_bytes": 100,  # DynamoDB's own bytes beside every stored item
}

# How the lines are computed, printed under the table.
NOTES = (
    "Lambda duration per invocation = measured CPU x 1769 / memory MB (below 1,769 MB a function gets that share"
    " of a vCPU) + 4 ms per DynamoDB call (moto's latency is not DynamoDB's; calls made in parallel are counted"
    " one after another), rounded up to 1 ms; GB-s = duration x memory / 1024; arm64 prices; local CPU counted"
    " as a Lambda vCPU.",
    "INIT is billed since 2025-08-01: each function's cold import (median of fresh interpreters) stretched the"
    " same way, on 1 invocation in 100 (AWS's analysis of production workloads: cold starts in under 1% of"
    " invocations; steady click traffic keeps environments warm, so 1% is the upper end).",
    "Logs: the bytes each invocation's handler wrote (Powertools' JSON lines, EMF metrics) + Lambda's"
    " START/END/REPORT lines (about 340 bytes, 3 events) + 26 bytes per event; kept 12 months (the template"
    " sets no retention).",
    "Storage: the bytes each write added (+100 bytes of DynamoDB's own per new item) for the item's TTL"
    " (its expires_at), 12 months where it has none.",
    "Edge: a click or a postback is one CloudFront HTTPS request, one CloudFront Function (viewer-request) and"
    " one HTTP API request; transfer out is the answer's headers and body + 450 bytes of CloudFront's headers.",
    "SQS: sends measured, one request per started 64 KB; each message is received and deleted once.",
    "Left out: free tiers, Secrets Manager reads of the edge secret (per cold start and refresh), the finance"
    " and notifier consumers' own Lambda time, CloudWatch custom metrics (flat per metric and month), DynamoDB"
    " point-in-time recovery storage.",
)


def duration_ms(cpu_seconds: float, calls: float, memory_mb: int) -> float:
    """Billed milliseconds of one invocation: its CPU stretched to its share of a vCPU, plus the
    assumed latency of its DynamoDB calls, rounded up to the millisecond."""
    share = min(1.0, memory_mb / ASSUMPTIONS["full_vcpu_mb"])
    return float(math.ceil(cpu_seconds * 1000 / share + calls * ASSUMPTIONS["dynamodb_call_ms"]))


def bill(result: dict[str, Any], memory: dict[str, int], cold_ms: dict[str, float]) -> dict[str, Any]:
    clicks = result["clicks"]
    lines: list[dict[str, Any]] = []

    def line(section: str, name: str, units: float, unit: str, usd_per_million: float) -> None:
        lines.append(
            {
                "section": section,
                "name": name,
                "units": units,
                "unit": unit,
                "usd_per_million": usd_per_million,
            }
        )

    writes: dict[tuple[str, str], float] = defaultdict(float)
    reads: dict[tuple[str, str], float] = defaultdict(float)
    for usage in result["usage"]:
        writes[(usage["table"], usage["purpose"])] += usage["write_units"]
        reads[(usage["table"], usage["purpose"])] += usage["read_units"]
    for (table, purpose), units in sorted(writes.items()):
        if units:
            line(
                "DynamoDB writes",
                f"{purpose} ({table})",
                units / clicks,
                "WRU",
                units / clicks * price("dynamodb_write"),
            )
    for (table, purpose), units in sorted(reads.items()):
        if units:
            line(
                "DynamoDB reads",
                f"{purpose} ({table})",
                units / clicks,
                "RRU",
                units / clicks * price("dynamodb_read"),
            )
    line("DynamoDB reads", "streams read by Lambda (free)", 0.0, "-", 0.0)

    details = {}
    traced = 0
    for name, tally in result["functions"].items():
        calls = tally["dynamodb_calls"] / max(1, tally["invocations"])
        billed = [duration_ms(cpu, calls, memory[name]) for cpu in tally["cpu_seconds"]]
        gb = memory[name] / 1024
        invocations = tally["invocations"] / clicks
        compute = sum(billed) / 1000 * gb / clicks
        init_ms = duration_ms(cold_ms[name] / 1000, 0, memory[name])
        init = invocations * ASSUMPTIONS["cold_start_rate"] * init_ms / 1000 * gb
        line("Lambda", f"{name}: requests", invocations, "req", invocations * price("lambda_request"))
        line("Lambda", f"{name}: duration", compute, "GB-s", compute * 1e6 * price("lambda_arm_gb_second"))
        line(
            "Lambda",
            f"{name}: INIT (billed cold starts)",
            init,
            "GB-s",
            init * 1e6 * price("lambda_arm_gb_second"),
        )
        log_bytes = tally["log_bytes"] + tally["invocations"] * ASSUMPTIONS["platform_log_bytes"]
        events = tally["log_events"] + tally["invocations"] * ASSUMPTIONS["platform_log_events"]
        ingested = (log_bytes + events * ASSUMPTIONS["log_event_overhead_bytes"]) / clicks
        line(
            "CloudWatch Logs",
            f"{name}: ingestion",
            ingested,
            "bytes",
            ingested / GB * 1e6 * price("logs_ingestion"),
        )
        kept = ingested / GB * ASSUMPTIONS["log_retention_months"]
        line(
            "CloudWatch Logs",
            f"{name}: storage ({ASSUMPTIONS['log_retention_months']} months)",
            ingested,
            "bytes",
            kept * 1e6 * price("logs_storage"),
        )
        traced += tally["invocations"]
        details[name] = {
            "invocations_per_click": invocations,
            "cpu_ms_mean": sum(tally["cpu_seconds"]) / max(1, tally["invocations"]) * 1000,
            "dynamodb_calls_per_invocation": calls,
            "billed_ms_mean": sum(billed) / max(1, len(billed)),
            "init_billed_ms": init_ms,
            "memory_mb": memory[name],
            "log_bytes_per_invocation": tally["log_bytes"] / max(1, tally["invocations"]),
        }
    sampled = traced / clicks * ASSUMPTIONS["xray_sampled"]
    line("X-Ray", "traces recorded (5% sampled)", sampled, "traces", sampled * price("xray_trace"))

    edge = (
        result["functions"]["click"]["invocations"] + result["functions"]["postback"]["invocations"]
    ) / clicks
    out = (
        result["functions"]["click"]["response_bytes"] + result["functions"]["postback"]["response_bytes"]
    ) / clicks + edge * ASSUMPTIONS["edge_header_bytes"]
    line("Edge", "CloudFront HTTPS requests", edge, "req", edge * price("cloudfront_https_request"))
    line("Edge", "CloudFront Function (viewer-request)", edge, "req", edge * price("cloudfront_function"))
    line("Edge", "HTTP API requests", edge, "req", edge * price("http_api_request"))
    line(
        "Edge",
        "CloudFront data transfer out",
        out,
        "bytes",
        out / GB * 1e6 * price("cloudfront_transfer_out"),
    )

    for queue, requests in sorted(result["sqs_requests"].items()):
        rate = price("sqs_fifo_request" if queue.endswith(".fifo") else "sqs_request")
        sent = requests / clicks
        line("SQS", f"sends to {queue}", sent, "req", sent * rate)
        consumed = result["sqs_messages"][queue] * ASSUMPTIONS["sqs_consumer_requests_per_message"] / clicks
        line("SQS", f"receives and deletes from {queue}", consumed, "req", consumed * rate)
    events = result["other_requests"].get("eventbridge events", 0) / clicks
    line("EventBridge", "events put", events, "events", events * price("eventbridge_event"))
    s3 = result["other_requests"].get("s3 writes", 0) / clicks
    line("S3", "objects written", s3, "req", s3 * price("s3_put"))
    # The analytics store's Parquet, kept as long as its lifecycle rule keeps it (the hourly
    # compaction rewrites it smaller: the batch objects' bytes are an upper bound).
    kept = result["other_requests"].get("s3 bytes", 0) / clicks
    months = ASSUMPTIONS["analytics_retention_days"] / DAYS_PER_MONTH
    line(
        "S3",
        f"analytics Parquet stored {ASSUMPTIONS['analytics_retention_days']} days",
        kept,
        "bytes",
        kept * months / GB * 1e6 * price("s3_storage"),
    )

    now = time.time()
    stored: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for item in result["stored"]:
        added = item["added_bytes"] + (ASSUMPTIONS["dynamodb_item_overhead_bytes"] if item["created"] else 0)
        if item["expires_at"] is None:
            months, kept = float(ASSUMPTIONS["no_ttl_months"]), "no TTL: 12 months"
        else:
            days = max(0.0, (item["expires_at"] - now) / 86400)
            months, kept = days / DAYS_PER_MONTH, f"TTL {round(days)} d"
        entry = stored[(item["table"], item["purpose"], kept)]
        entry[0] += added
        entry[1] += added * months
    for (table, purpose, kept), (added, byte_months) in sorted(stored.items()):
        line(
            "DynamoDB storage",
            f"{purpose} ({table}, {kept})",
            added / clicks,
            "bytes",
            byte_months / clicks / GB * 1e6 * price("dynamodb_storage"),
        )

    total = sum(entry["usd_per_million"] for entry in lines)
    return {
        "batch_size": result["batch_size"],
        "clicks": clicks,
        "lines": lines,
        "total_usd_per_million": total,
        "write_units_per_click": sum(writes.values()) / clicks,
        "read_units_per_click": sum(reads.values()) / clicks,
        "functions": details,
        "assumptions": ASSUMPTIONS,
    }
