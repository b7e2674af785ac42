"""Block lists on the click path: the real click handler on an offer whose advertiser keeps no block
list, next to one whose advertiser blocks 10,000 CIDR ranges and some of every other kind (ASNs,
countries, sub-ids, referrer domains, User-Agent patterns) that the visitor matches none of, so every
check runs to its end. The issue's budget: the listed click's CPU within 1.2x of the plain one's.

Both offers are clicked in turns against the same moto server (tests/bench/click_bench.py's
set-up), warm, so each click is its one write; the cache loads are timed apart (compiling the
list is what a cache miss adds). Prints per-click CPU and wall time of each, their ratio, the cost
of compiling the list and of one match. The last line is JSON for tests/bench/test_blocks_bench.py.
Run: `python -m tests.bench.blocks_bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections import Counter
from typing import Any

from tests.bench.click_bench import (
    GEO_DB,
    LAYER,
    ROOT,
    aws_environment,
    click_event,
    counter_on,
    deploy,
    edge_headers,
    load_click_handler,
    measure,
    seed,
)

ROUNDS = 3
ASN_RANGES = GEO_DB.parent / "asn.ranges"


def block_list_item(advertiser_id: str) -> dict[str, Any]:
    """10,000 CIDR ranges (9,000 IPv4 /24s in 10.0.0.0/8 and 100.64.0.0/10, 1,000 IPv6 /48s) and a
    hundred entries of each other kind."""
    v4 = [f"{10 + i // 4096 * 90}.{i // 64 % 64}.{i % 64 * 4}.0/24" for i in range(9_000)]
    v6 = [f"2001:db8:{i:x}::/48" for i in range(1_000)]
    return {
        "pk": f"ADV#{advertiser_id}",
        "sk": "BLOCKS",
        "advertiser_id": advertiser_id,
        "updated_at": "2026-12-07T12:00:00.000Z",
        "ips": "\n".join(v4 + v6),
        "asns": "\n".join(str(64_512 + i) for i in range(100)),
        "countries": "KP\nIR\nSY\nCU\nBY",
        "subs": {
            "sub1": "\n".join(f"spam-{i}" for i in range(100)),
            "sub2": "\n".join(f"bad-{i}" for i in range(100)),
        },
        "referrers": "\n".join(f"spam{i}.example" for i in range(100)),
        "user_agents": "\n".join(f"evilbot-{i}" for i in range(100)),
    }


def with_referrer(event: dict[str, Any]) -> dict[str, Any]:
    event["headers"]["referer"] = "https://www.news.example/article?id=7"
    return event


def compile_and_match_costs(item: dict[str, Any]) -> dict[str, float]:
    from partnerka.common import dynamo
    from partnerka.tracking.blocking import BlockList, Visit

    decoded = dynamo.decode(dynamo.encode(item))
    runs = []
    for _ in range(5):
        started = time.process_time()
        compiled = BlockList.from_item(decoded)
        runs.append(time.process_time() - started)
    visits = 20_000
    started = time.process_time()
    for n in range(visits):
        visit = Visit("81.2.69.160", "GB", {"sub1": f"campaign-{n}", "sub2": "banner"},
                      "https://www.news.example/a", "Mozilla/5.0 (iPhone) Mobile/15E148", lambda _: 13335)  # fmt: skip
        assert compiled.blocked_by(visit) is None
    return {
        "compile_ms": statistics.median(runs) * 1000,
        "match_us": (time.process_time() - started) / visits * 1e6,
    }


def reload_ms(routes: Any, offer_id: str, affiliate_id: str) -> float:
    """CPU of one cache miss on the offer (the batch read, decoded), median of five."""
    runs = []
    for _ in range(5):
        routes._entries.clear()  # the cache's lifetime has passed
        started = time.process_time()
        routes.routes(offer_id, affiliate_id)
        runs.append(time.process_time() - started)
    return statistics.median(runs) * 1000


def main() -> dict[str, Any]:
    sys.path[:0] = [str(LAYER), str(ROOT / "infra" / "local")]
    from partnerka_local.runtime import MotoServer

    moto = MotoServer(log_dir=None)
    moto.start()
    try:
        os.environ.update(aws_environment(moto.url))
        function_env = deploy(moto.url)
        os.environ.update(function_env)
        from partnerka.common import dynamo

        plain_offer, plain_affiliate = seed()
        listed_offer, listed_affiliate = seed()
        item = block_list_item(_advertiser_of(listed_offer))
        dynamo.client().put_item(TableName=os.environ["CORE_TABLE"], Item=dynamo.encode(item))
        edge = edge_headers(function_env["EDGE_SECRET_ARN"])
        handler = load_click_handler()
        calls: Counter[str] = counter_on(dynamo.client())
        rows: dict[str, list[dict[str, float]]] = {"plain": [], "listed": []}
        for _ in range(ROUNDS):
            for name, (offer, affiliate) in (
                ("plain", (plain_offer, plain_affiliate)),
                ("listed", (listed_offer, listed_affiliate)),
            ):

                def event_for(n: int, offer: str = offer, affiliate: str = affiliate) -> dict[str, Any]:
                    return with_referrer(click_event(offer, affiliate, n, edge))

                rows[name].append(measure(handler, event_for, calls))
        app = sys.modules["click_app"]
        asn_loaded = app.asns.loaded
        reloads = {name: reload_ms(app.routes, offer, affiliate) for name, offer, affiliate in (
            ("plain_reload_ms", plain_offer, plain_affiliate),
            ("listed_reload_ms", listed_offer, listed_affiliate),
        )}  # fmt: skip
        costs = compile_and_match_costs(item)
    finally:
        moto.stop()

    result: dict[str, Any] = {
        name: {key: statistics.fmean(r[key] for r in runs) for key in runs[0]} for name, runs in rows.items()
    }
    result["ratio"] = result["listed"]["cpu_ms_mean"] / result["plain"]["cpu_ms_mean"]
    result.update(costs)
    result.update(reloads)
    result["asn_database"] = asn_loaded
    clicks = int(os.environ.get("BENCH_CLICKS", "500"))
    print(f"block list benchmark: {ROUNDS} rounds of {clicks} warm clicks on each offer, in turns")
    print(f"{'offer':<34}{'CPU ms/click':>14}{'wall p50 ms':>13}{'reads':>8}{'writes':>8}")
    for name, label in (("plain", "no block list"), ("listed", "10,000 CIDR ranges + other kinds")):
        row = result[name]
        print(
            f"{label:<34}{row['cpu_ms_mean']:>14.3f}{row['wall_ms_p50']:>13.3f}"
            f"{row['reads_per_click']:>8.2f}{row['writes_per_click']:>8.2f}"
        )
    print(f"CPU ratio listed / plain: {result['ratio']:.3f}x (budget 1.2x)")
    print(
        f"a cache reload (every route cache lifetime, the list unchanged): {result['plain_reload_ms']:.1f} ms CPU"
        f" without a list, {result['listed_reload_ms']:.1f} ms with it (its 200 KB read and decoded, not compiled)"
    )
    print(
        f"compiling the list (once, and again only when it changes): {result['compile_ms']:.1f} ms; one click's checks against it: "
        f"{result['match_us']:.1f} us; ASN database {'loaded' if asn_loaded else f'absent ({ASN_RANGES})'}"
    )
    print(json.dumps(result))
    return result


def _advertiser_of(offer_id: str) -> str:
    from partnerka.common import dynamo

    item = dynamo.client().get_item(
        TableName=os.environ["CORE_TABLE"], Key={"pk": {"S": f"OFFER#{offer_id}"}, "sk": {"S": "ROUTE"}}
    )["Item"]
    return str(item["advertiser_id"]["S"])


if __name__ == "__main__":
    main()
