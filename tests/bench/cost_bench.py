"""Cost benchmark: dollars per million clicks, line by line, from the units the real code uses.

Against a moto server with the template's tables, queues and streams: the click function's handler
takes N clicks of a stated traffic mix (tests/bench/cost/traffic.py), the postback function's
handler reports the converting share's sales, and the orchestrator's handler reads both streams as
Lambda's poller would, in batches of 10, 100 and 1,000 (a fresh advertiser for each size, so that
its figures do not mix with another's). Every DynamoDB request is priced by DynamoDB's own rules
(tests/bench/cost/recorder.py), every function's CPU, calls and log bytes are measured per
invocation, and tests/bench/cost/bill.py turns them into the bill. The last line is JSON for
tests/bench/test_cost_bench.py. Run: `scripts/cost` (or `python -m tests.bench.cost_bench`);
BENCH_COST_CLICKS=N, BENCH_COLD_RUNS=N.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "partnerka" / "python"
GEO_DB = ROOT / ".local" / "geo-layer" / "geo" / "country.mmdb"
CLICKS = int(os.environ.get("BENCH_COST_CLICKS", "2000"))
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
BATCH_SIZES = (10, 100, 1000)
FUNCTIONS = {
    "click": "functions/click",
    "postback": "functions/postback",
    "orchestrator": "functions/orchestrator",
}
TABLES = (
    "ClicksTable",
    "ConversionsTable",
    "CoreTable",
    "CapsTable",
    "StatsTable",
    "OperationsTable",
    "LedgerTable",
    "AuditTable",
)
SEED = 20261207


def deploy(endpoint: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Create the template's resources; the three functions' specs and the tables' logical ids by name."""
    from partnerka_local.resources import ResourceManager
    from partnerka_local.template import SERVERLESS_FUNCTION, Template

    template = Template(ROOT / "template.yaml", stack_name="cost")
    ResourceManager(template, endpoint).create_all()
    specs = {}
    for logical_id in template.of_type(SERVERLESS_FUNCTION):
        spec = template.function_spec(logical_id)
        for name, code in FUNCTIONS.items():
            if spec.code_dir == (ROOT / code).resolve():
                specs[name] = spec
    return specs, {str(template.refs[name]): name for name in TABLES if name in template.refs}


def seed(run: int) -> tuple[str, list[str], list[str], dict[str, str]]:
    """An advertiser with three offers (each refusing one country) and ten approved affiliates."""
    from partnerka.accounts import provisioning as accounts
    from partnerka.accounts.models import MembershipStatus
    from partnerka.accounts.repository import AccountRepository
    from partnerka.common.pynamo import use_core_table
    from partnerka.offers.repository import OfferRepository
    from partnerka.offers.service import create_offer
    from tests.bench.cost.traffic import DENIED_COUNTRY

    use_core_table(os.environ["CORE_TABLE"])
    repo = AccountRepository()
    advertiser = accounts.create_advertiser(repo, f"Cost advertiser {run}")
    affiliates = []
    for n in range(10):
        affiliate = accounts.create_affiliate(repo, f"Affiliate {n}", f"aff{run}-{n}@example.com")
        accounts.set_membership(repo, advertiser.id, affiliate.affiliate_id, MembershipStatus.ACTIVE)
        affiliates.append(affiliate.affiliate_id)
    landing = "https://shop.example/?cid={click_id}&s1={sub1}&aff={affiliate_id}"
    offers, secrets = [], {}
    for n in range(3):
        offer = create_offer(
            OfferRepository(),
            advertiser.id,
            f"Offer {n}",
            "CPA",
            landing,
            "10",
            "15",
            "USD",
            geo_deny=[DENIED_COUNTRY],
        )
        offers.append(offer.offer_id)
        secrets[offer.offer_id] = offer.postback_secret
    return advertiser.id, offers, affiliates, secrets


def api_event(path: str, query: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": f"GET {path}",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"accept-language": "en-US,en;q=0.9", **headers},
        "requestContext": {"http": {"method": "GET", "path": path, "sourceIp": "130.176.1.10"}},
        "isBase64Encoded": False,
    }


def run(
    batch_size: int,
    handlers: dict[str, Any],
    edge: dict[str, str],
    streams: dict[str, Any],
    recorder: Any,
    logs: Any,
) -> dict[str, Any]:
    from tests.bench.cost.functions import Tally, invoke
    from tests.bench.cost.traffic import MIX, repeat_share, visits

    advertiser_id, offers, affiliates, secrets = seed(batch_size)
    drawn = visits(offers, affiliates, CLICKS, SEED)  # the same traffic for each batch size
    tallies = {name: Tally() for name in FUNCTIONS}
    for stream in streams.values():
        stream.new_records()  # what earlier runs left
    recorder.reset()
    recorder.active = True
    recorder.phase = "click"
    accepted = []
    for visit in drawn:
        headers = {
            **edge,
            "cloudfront-viewer-address": f"{visit.ip}:51324",
            "cloudfront-viewer-country": visit.country,
            "user-agent": visit.user_agent,
        }
        query = urlencode({"o": visit.offer_id, "a": visit.affiliate_id, "sub1": visit.sub1})
        response = invoke(
            handlers["click"], api_event("/click", query, headers), tallies["click"], recorder, logs
        )
        if response["statusCode"] == 302:
            accepted.append((visit, parse_qs(urlsplit(response["headers"]["location"]).query)["cid"][0]))
    recorder.phase = "postback"
    rng = random.Random(SEED)
    converted = [(visit, cid) for visit, cid in accepted if rng.random() < MIX["conversion_rate"]]
    for n, (visit, cid) in enumerate(converted):
        query = urlencode(
            {
                "click_id": cid,
                "status": "sale",
                "txn_id": f"T{batch_size}-{n}",
                "secret": secrets[visit.offer_id],
            }
        )
        headers = {**edge, "cloudfront-viewer-address": "203.0.113.9:443", "user-agent": "shop-server/1.0"}
        response = invoke(
            handlers["postback"], api_event("/postback", query, headers), tallies["postback"], recorder, logs
        )
        assert response["statusCode"] == 200, response
    recorder.phase = "orchestrator"
    records = {name: stream.new_records() for name, stream in streams.items()}
    for batch in (
        part[first : first + batch_size]
        for part in records.values()
        for first in range(0, len(part), batch_size)
    ):
        answer = invoke(handlers["orchestrator"], {"Records": batch}, tallies["orchestrator"], recorder, logs)
        assert answer["batchItemFailures"] == [], answer
    recorder.active = False
    stored_clicks = stored_items(recorder, os.environ["CLICKS_TABLE"], advertiser_id)
    return {
        "clicks_table": stored_clicks,
        "batch_size": batch_size,
        "clicks": len(drawn),
        "accepted": len(accepted),
        "conversions": len(converted),
        "repeat_share": repeat_share(drawn),
        "stream_records": {name: len(found) for name, found in records.items()},
        "usage": [
            {"phase": phase, "table": table, "purpose": purpose, **vars(usage)}
            for (phase, table, purpose), usage in sorted(recorder.usage.items())
        ],
        "stored": [vars(item) for item in recorder.stored],
        "stored_bytes": stored_bytes(recorder),
        "sqs_requests": dict(recorder.sqs_requests),
        "sqs_messages": dict(recorder.sqs_messages),
        "other_requests": dict(recorder.other_requests),
        "functions": {name: vars(tally) for name, tally in tallies.items()},
    }


def stored_bytes(recorder: Any) -> dict[str, int]:
    """Bytes the run's writes added, per table and purpose (items shrunk count negative)."""
    added: dict[str, int] = {}
    for item in recorder.stored:
        name = f"{item.table}/{item.purpose}"
        added[name] = added.get(name, 0) + item.added_bytes
    return added


def stored_items(recorder: Any, table: str, advertiser_id: str) -> dict[str, int]:
    """The advertiser's items as the table holds them after the run, sized by the same rules: what
    the recorder's stored bytes are checked against."""
    from tests.bench.cost.units import item_size

    count = size = 0
    pages = recorder.measure.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression="advertiser_id = :a",
        ExpressionAttributeValues={":a": {"S": advertiser_id}},
    )
    for page in pages:
        count += len(page["Items"])
        size += sum(item_size(item) for item in page["Items"])
    return {"items": count, "bytes": size}


def main() -> dict[str, Any]:
    sys.path[:0] = [str(LAYER), str(ROOT / "infra" / "local")]
    from partnerka_local.runtime import MotoServer
    from tests.bench.click_bench import aws_environment, edge_headers
    from tests.bench.cost.bill import bill
    from tests.bench.cost.functions import StreamReader, capture_logs, cold_import_ms, load
    from tests.bench.cost.recorder import Recorder
    from tests.bench.cost.report import report

    moto = MotoServer(log_dir=None)
    moto.start()
    try:
        os.environ.update(aws_environment(moto.url))
        # The template's level: the log lines a deployed function writes are what is billed.
        os.environ.update({"POWERTOOLS_LOG_LEVEL": "INFO", "POWERTOOLS_TRACE_DISABLED": "true"})
        specs, tables = deploy(moto.url)
        for spec in specs.values():
            os.environ.update({**spec.environment, "GEOIP_DB_PATH": str(GEO_DB)})
        recorder = Recorder(moto.url, tables)
        recorder.install()
        logs = capture_logs()
        handlers = {name: load(ROOT / code, f"cost_{name}_app") for name, code in FUNCTIONS.items()}
        edge = edge_headers(os.environ["EDGE_SECRET_ARN"])
        names = {logical: name for name, logical in tables.items()}
        streams = {
            "clicks": StreamReader(moto.url, names["ClicksTable"]),
            "conversions": StreamReader(moto.url, names["ConversionsTable"]),
        }
        runs = [run(size, handlers, edge, streams, recorder, logs) for size in BATCH_SIZES]
        env = {**os.environ}
        cold = {name: cold_import_ms(ROOT / code, LAYER, env, COLD_RUNS) for name, code in FUNCTIONS.items()}
    finally:
        moto.stop()
    memory = {name: spec.memory_mb for name, spec in specs.items()}
    ttl_days = int(specs["click"].environment.get("CLICK_TTL_DAYS", "30"))
    bills = [bill(result, memory, cold) for result in runs]
    result = {
        "clicks": CLICKS,
        "runs": runs,
        "bills": bills,
        "cold_import_ms": cold,
        "memory_mb": memory,
        "click_ttl_days": ttl_days,
    }
    report(result)
    print(
        json.dumps(
            {
                "clicks": CLICKS,
                "bills": bills,
                # Each run less what the bills already sum up (the stored items, each invocation's CPU)
                "runs": [_summary(r) for r in runs],
            }
        )
    )
    return result


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    summary = {k: v for k, v in run.items() if k != "stored"}
    if isinstance(summary.get("functions"), dict):
        summary["functions"] = {
            name: {k: v for k, v in tally.items() if k != "cpu_seconds"} if isinstance(tally, dict) else tally
            for name, tally in summary["functions"].items()
        }
    return summary


if __name__ == "__main__":
    main()
