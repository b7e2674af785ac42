"""Bot classification benchmark: how many known crawlers statistics count as bots, how many real
browsers they wrongly do, and what one classification costs.

Corpora (public; none committed but the in-app list):
- crawler-user-agents' own samples: the User-Agents the maintained list (a layer dependency)
  publishes with its patterns; on these today's hand-written pattern caught two thirds;
- CrawlerDetect's test fixtures (crawlers.txt and devices.txt from the `crawlerdetect` sdist on
  PyPI): another project's crawlers, never used to tune ours, and 165,000 device User-Agents,
  old feature phones included;
- the `user-agents` npm package: real browsers' User-Agents with their share of real traffic;
- tests/bench/corpus/in_app_browsers.txt: Instagram, Facebook, TikTok, Telegram, WeChat, LINE and
  other in-app browsers.
scripts/setup fetches the first-party-free corpora into .local/ua-corpus (UA_CORPUS_DIR overrides).

Prints catch and false-positive rates for the orchestrator's classification (what statistics
count) and for the click path's compact pattern (which only routes), CPU per classification, and
the cold import of the classifier. The last line is JSON for tests/bench/test_bots_bench.py.
Run: `scripts/bench` (or `python -m tests.bench.bots_bench`).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "partnerka" / "python"
CORPUS = Path(os.environ.get("UA_CORPUS_DIR", str(ROOT / ".local" / "ua-corpus")))
IN_APP = Path(__file__).parent / "corpus" / "in_app_browsers.txt"


def lines(path: Path) -> list[str]:
    if not path.exists():
        raise SystemExit(f"{path} is missing: scripts/setup fetches the User-Agent corpora")
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return list(dict.fromkeys(line.strip() for line in text if line.strip() and not line.startswith("#")))


def corpora() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, float]]:
    """Bots by source, browsers by source, and the real-traffic weight of each `user-agents` browser."""
    import crawleruseragents

    samples = [
        ua for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA for ua in entry.get("instances", [])
    ]
    weights: dict[str, float] = {}
    for entry in json.loads((CORPUS / "user-agents.json").read_text(encoding="utf-8")):
        weights[entry["userAgent"]] = weights.get(entry["userAgent"], 0.0) + float(entry["weight"])
    bots = {
        "crawler-user-agents samples": list(dict.fromkeys(samples)),
        "CrawlerDetect crawlers": lines(CORPUS / "crawlers.txt"),
    }
    browsers = {
        "user-agents (npm) browsers": list(weights),
        "CrawlerDetect devices": lines(CORPUS / "devices.txt"),
        "in-app browsers (committed)": lines(IN_APP),
    }
    return bots, browsers, weights


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


def cold_import_ms(module: str) -> float:
    code = f"import sys, time; sys.path[:0] = [{str(LAYER)!r}]; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    ]
    return statistics.median(runs)


def main() -> dict[str, Any]:
    sys.path[:0] = [str(LAYER)]
    import crawleruseragents

    from partnerka.tracking.bots import looks_like_bot
    from partnerka.tracking.crawlers import PATTERN_COUNT, is_known_crawler
    from partnerka.tracking.user_agent import describe_user_agent

    bots, browsers, weights = corpora()
    uncached = describe_user_agent.__wrapped__

    def statistics_bot(agent: str) -> bool:
        return uncached(agent).is_bot

    classifiers = {"statistics (orchestrator)": statistics_bot, "click pattern (routing)": looks_like_bot}
    figures: dict[str, Any] = {"catch": {}, "false_positive": {}, "weighted_false_positive": {}}
    for name, classify in classifiers.items():
        figures["catch"][name] = {source: rate(classify, agents) for source, agents in bots.items()}
        figures["false_positive"][name] = {
            source: rate(classify, agents) for source, agents in browsers.items()
        }
        flagged = sum(weight for agent, weight in weights.items() if classify(agent))
        figures["weighted_false_positive"][name] = flagged / sum(weights.values())
    sample = browsers["user-agents (npm) browsers"] + bots["crawler-user-agents samples"][:500]
    figures["cpu_us_per_classification"] = {
        "statistics: describe_user_agent, uncached (ua-parser + crawler list + signs)": cpu_us(
            statistics_bot, sample
        ),
        "crawler list alone (indexed)": cpu_us(is_known_crawler, sample),
        "crawler list, the package's own matcher (not used)": cpu_us(crawleruseragents.is_crawler, sample),
        "click pattern": cpu_us(looks_like_bot, sample),
    }
    figures["cold_import_ms"] = {
        "partnerka.tracking.crawlers": cold_import_ms("partnerka.tracking.crawlers"),
        "partnerka.tracking.bots (click path)": cold_import_ms("partnerka.tracking.bots"),
    }
    figures["sizes"] = {
        **{source: len(agents) for source, agents in {**bots, **browsers}.items()},
        "crawler-list patterns": PATTERN_COUNT,
    }

    print("bot classification: share of each corpus counted as bots")
    print(f"{'corpus':<34}{'size':>8}" + "".join(f"{name:>28}" for name in classifiers))
    for kind, corpus in (("catch", bots), ("false_positive", browsers)):
        for source, agents in corpus.items():
            cells = "".join(f"{figures[kind][name][source]:>27.2%} " for name in classifiers)
            print(f"{source:<34}{len(agents):>8}{cells}")
    cells = "".join(f"{figures['weighted_false_positive'][name]:>27.3%} " for name in classifiers)
    print(f"{'  ...weighted by browser traffic':<42}{cells}")
    for what, value in figures["cpu_us_per_classification"].items():
        print(f"CPU per classification, {what}: {value:.1f} us")
    for what, value in figures["cold_import_ms"].items():
        print(f"cold import of {what}: {value:.1f} ms")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
