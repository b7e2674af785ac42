"""Click-path benchmark: the real click handler next to a bare one-PutItem-and-302 baseline.

Both run in this process against the same moto server (a child process, so its CPU is not ours),
with the template's own tables, and every click arrives as CloudFront sends it (the edge's secret
header and the viewer's address and country, which the click function checks: the cold start reads
the secret). Prints per-click CPU and wall time, DynamoDB calls per warm click, and the cold import
time of the click function next to importing botocore alone. The last line is
JSON for tests/bench/test_click_bench.py. Run: `scripts/bench` (or `python -m tests.bench.click_bench`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "partnerka" / "python"
CLICK_DIR = ROOT / "functions" / "click"
CLICKS = int(os.environ.get("BENCH_CLICKS", "500"))
WARMUP = 20
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "5"))
GEO_DB = ROOT / ".local" / "geo-layer" / "geo" / "country.mmdb"


def aws_environment(endpoint: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }


def deploy(endpoint: str) -> dict[str, str]:
    """Create the template's resources; return the click function's environment."""
    from partnerka_local.resources import ResourceManager
    from partnerka_local.template import SERVERLESS_FUNCTION, Template

    template = Template(ROOT / "template.yaml", stack_name="bench")
    ResourceManager(template, endpoint).create_all()
    for logical_id in template.of_type(SERVERLESS_FUNCTION):
        spec = template.function_spec(logical_id)
        if spec.code_dir == CLICK_DIR.resolve():
            return {**spec.environment, "GEOIP_DB_PATH": str(GEO_DB)}
    raise SystemExit("template.yaml declares no function with CodeUri functions/click/")


@dataclass(frozen=True)
class Program:
    """An advertiser's offer and an affiliate enrolled in it: what a tracking link needs."""

    advertiser_id: str
    offer_id: str
    affiliate_id: str


def seed() -> tuple[str, str]:
    program = seed_program()
    return program.offer_id, program.affiliate_id


def seed_program() -> Program:
    from partnerka.accounts import provisioning as accounts
    from partnerka.accounts.models import MembershipStatus
    from partnerka.accounts.repository import AccountRepository
    from partnerka.common.pynamo import use_core_table
    from partnerka.offers.repository import OfferRepository
    from partnerka.offers.service import create_offer

    use_core_table(os.environ["CORE_TABLE"])
    repo = AccountRepository()
    advertiser = accounts.create_advertiser(repo, "Bench Advertiser")
    affiliate = accounts.create_affiliate(repo, "Bench Affiliate", "bench@example.com")
    accounts.set_membership(repo, advertiser.id, affiliate.affiliate_id, MembershipStatus.ACTIVE)
    landing = "https://shop.example/?cid={click_id}&s1={sub1}&s2={sub2}&aff={affiliate_id}"
    offer = create_offer(OfferRepository(), advertiser.id, "Bench offer", "CPA", landing, "10", "15", "USD")
    return Program(advertiser.id, offer.offer_id, affiliate.affiliate_id)


def edge_headers(secret_arn: str) -> dict[str, str]:
    """What CloudFront adds to a request it sends to the API (template.yaml: the distribution)."""
    from partnerka.common.secrets import secret_string

    return {
        "x-partnerka-edge": json.loads(secret_string(secret_arn))["current"],
        "cloudfront-viewer-address": "81.2.69.160:51324",
        "cloudfront-viewer-country": "GB",
    }


def click_event(offer_id: str, affiliate_id: str, n: int, edge: dict[str, str]) -> dict[str, Any]:
    query = f"o={offer_id}&a={affiliate_id}&sub1=campaign-{n}&sub2=banner"
    return {
        "version": "2.0",
        "routeKey": "GET /click",
        "rawPath": "/click",
        "rawQueryString": query,
        "headers": {
            "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "accept-language": "en-US,en;q=0.9",
            **edge,
        },
        "requestContext": {"http": {"method": "GET", "path": "/click", "sourceIp": "130.176.1.10"}},
        "isBase64Encoded": False,
    }


def load_click_handler() -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    sys.path.insert(0, str(CLICK_DIR))
    spec = importlib.util.spec_from_file_location("click_app", CLICK_DIR / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import leaves it (its settings dataclass looks it up)
    spec.loader.exec_module(module)
    return module.handler  # type: ignore[no-any-return]


def baseline_handler(table: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The least a click can do: one PutItem of a similar item and a 302."""
    import uuid

    import botocore.session

    client = botocore.session.get_session().create_client("dynamodb")

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        click_id = str(uuid.uuid4())
        item = {
            "click_id": {"S": click_id},
            "q": {"S": event["rawQueryString"]},
            "ua": {"S": event["headers"]["user-agent"]},
            "ip": {"S": event["requestContext"]["http"]["sourceIp"]},
            "ts": {"N": str(int(time.time()))},
        }
        client.put_item(TableName=table, Item=item)
        return {
            "statusCode": 302,
            "headers": {"location": f"https://shop.example/?cid={click_id}"},
            "body": "",
        }

    handler.client = client  # type: ignore[attr-defined]
    return handler


def measure(
    handler: Callable[[dict[str, Any], Any], dict[str, Any]],
    event_for: Callable[[int], dict[str, Any]],
    calls: Counter[str],
) -> dict[str, float]:
    for n in range(WARMUP):
        assert handler(event_for(n), None)["statusCode"] == 302
    calls.clear()
    cpu, wall = [], []
    for n in range(CLICKS):
        event = event_for(n)
        c0, w0 = time.process_time(), time.perf_counter()
        response = handler(event, None)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        assert response["statusCode"] == 302
    reads = sum(v for k, v in calls.items() if k in ("GetItem", "BatchGetItem", "Query", "Scan"))
    writes = sum(
        v for k, v in calls.items() if k in ("PutItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems")
    )
    return {
        "cpu_ms_mean": statistics.fmean(cpu) * 1000,
        "wall_ms_p50": statistics.median(wall) * 1000,
        "wall_ms_p95": statistics.quantiles(wall, n=20)[18] * 1000,
        "reads_per_click": reads / CLICKS,
        "writes_per_click": writes / CLICKS,
    }


def cold_import_ms(statement: str, env: dict[str, str], paths: list[Path]) -> float:
    """Median over COLD_RUNS fresh interpreters of the time to run `statement` (an import)."""
    code = (
        "import sys, time; sys.path[:0] = " + repr([str(p) for p in paths]) + "\n"
        f"t = time.perf_counter(); {statement}; print((time.perf_counter() - t) * 1000)"
    )
    runs = []
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def counter_on(client: Any) -> Counter[str]:
    calls: Counter[str] = Counter()
    client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.update([model.name]))
    return calls


def main() -> dict[str, Any]:
    sys.path[:0] = [str(LAYER), str(ROOT / "infra" / "local")]
    from partnerka_local.runtime import MotoServer

    moto = MotoServer(log_dir=None)
    moto.start()
    try:
        os.environ.update(aws_environment(moto.url))
        function_env = deploy(moto.url)
        os.environ.update(function_env)
        offer_id, affiliate_id = seed()
        edge = edge_headers(function_env["EDGE_SECRET_ARN"])

        handler = load_click_handler()
        from partnerka.common import dynamo

        click = measure(
            handler, lambda n: click_event(offer_id, affiliate_id, n, edge), counter_on(dynamo.client())
        )
        bare = baseline_handler(function_env["CLICKS_TABLE"])
        base = measure(bare, lambda n: click_event(offer_id, affiliate_id, n, edge), counter_on(bare.client))  # type: ignore[attr-defined]

        env = {**os.environ}
        event = json.dumps(click_event(offer_id, affiliate_id, 0, edge))
        baseline_start = (
            "import botocore.session, uuid; c = botocore.session.get_session().create_client('dynamodb'); "
            f"c.put_item(TableName={function_env['CLICKS_TABLE']!r}, Item={{'click_id': {{'S': str(uuid.uuid4())}}}})"
        )
        click_start = (
            f"import json, app; assert app.handler(json.loads({event!r}), None)['statusCode'] == 302"
        )
        imports = {
            "botocore_ms": cold_import_ms("import botocore.session", env, []),
            "click_function_ms": cold_import_ms("import app", env, [CLICK_DIR, LAYER]),
            # A cold start as Lambda sees it: a fresh interpreter up to the first answer.
            "baseline_cold_start_ms": cold_import_ms(baseline_start, env, []),
            "click_cold_start_ms": cold_import_ms(click_start, env, [CLICK_DIR, LAYER]),
        }
    finally:
        moto.stop()

    print(f"click benchmark: {CLICKS} warm clicks each, same moto endpoint ({moto.url})")
    print(
        f"{'handler':<22}{'CPU ms/click':>14}{'wall p50 ms':>13}{'wall p95 ms':>13}{'reads':>8}{'writes':>8}"
    )
    for name, row in (("click (partnerka)", click), ("baseline PutItem+302", base)):
        print(
            f"{name:<22}{row['cpu_ms_mean']:>14.3f}{row['wall_ms_p50']:>13.3f}{row['wall_ms_p95']:>13.3f}"
            f"{row['reads_per_click']:>8.2f}{row['writes_per_click']:>8.2f}"
        )
    print(
        f"cold import: click function {imports['click_function_ms']:.1f} ms, botocore alone {imports['botocore_ms']:.1f} ms"
    )
    print(
        f"cold start to first answer: click function {imports['click_cold_start_ms']:.1f} ms, "
        f"botocore + client + PutItem {imports['baseline_cold_start_ms']:.1f} ms "
        f"({imports['click_cold_start_ms'] / imports['baseline_cold_start_ms']:.2f}x)"
    )
    result = {"click": click, "baseline": base, "imports": imports, "clicks": CLICKS}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
