"""A hot offer's caps at 5,000 clicks a second: the sharded cap counters against a store that throttles
a partition key past 1,000 write units a second (tests/unit/hot_offer.py), on a simulated clock, next
to the same traffic on one counter per cap (the layout before sharding).

The caps scale with the run so that they fill at about 60 % of it: a click cap of 0.4 x the clicks,
the heavy affiliate's own of 0.16 x, a conversion cap of half the conversions. Prints what each run
took and refused, its writes and reads, throttles, the busiest partition key's busiest second, and the
caps' final levels. The last line is JSON for tests/bench/test_hot_cap_bench.py.
BENCH_HOT_SECONDS (default 60) and BENCH_HOT_INSTANCES (default 100) change the run.
Run: `python -m tests.bench.hot_cap_bench`.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from tests.unit.hot_offer import HotOffer, Run, drive, total


def summary(hot: HotOffer, run: Run, seconds: float) -> dict[str, Any]:
    return {
        "seconds": seconds,
        "clicks": int(seconds * hot.rate),
        "taken": run.taken,
        "refused": run.refused,
        "errors": run.errors,
        "writes": run.writes,
        "reads": run.reads,
        "throttled": run.store.throttled,
        "busiest_key_second": run.store.busiest_second(),
        "levels": {name: total(run.store, slot) for name, slot in hot.caps().items()},
        "limits": {
            "clicks": hot.click_cap,
            "own_clicks": hot.own_click_cap,
            "conversions": hot.conversion_cap,
            "payout": hot.payout_budget,
        },
    }


def main() -> dict[str, Any]:
    seconds = float(os.environ.get("BENCH_HOT_SECONDS", "60"))
    instances = int(os.environ.get("BENCH_HOT_INSTANCES", "100"))
    clicks = int(seconds * 5000)
    hot = HotOffer(
        click_cap=int(clicks * 0.4),
        own_click_cap=int(clicks * 0.16),
        conversion_cap=clicks // 25 // 2,
        payout_budget=10**12,
        instances=instances,
    )
    started = time.process_time()
    sharded = summary(hot, drive(hot, seconds), seconds)
    cpu = time.process_time() - started
    unsharded = summary(hot, drive(hot, min(seconds, 2.0), shards=1), min(seconds, 2.0))
    print(f"hot offer: {hot.rate} clicks/s, {instances} warm instances, 1 in {hot.converting} converting")
    print(
        f"{'layout':<12}{'s':>5}{'taken':>9}{'refused':>9}{'raised':>8}{'writes':>9}{'reads':>7}"
        f"{'throttled':>11}{'busiest key-s':>15}"
    )
    for name, result in (("sharded", sharded), ("one counter", unsharded)):
        print(
            f"{name:<12}{result['seconds']:>5.0f}{result['taken']:>9}{result['refused']:>9}{result['errors']:>8}"
            f"{result['writes']:>9}{result['reads']:>7}{result['throttled']:>11}{result['busiest_key_second']:>15}"
        )
    print(f"sharded caps, level / limit: {sharded['levels']} / {sharded['limits']}")
    extra = sharded["writes"] - sharded["taken"]
    print(f"sharded: {extra} writes beyond one per counted event; {cpu:.1f} s CPU for {clicks} clicks")
    result = {"sharded": sharded, "unsharded": unsharded}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
