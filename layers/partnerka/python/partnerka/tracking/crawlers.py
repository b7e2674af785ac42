"""Known crawlers, tools and link-preview fetchers: two maintained lists, both layer dependencies
pinned in `layers/dependencies/requirements.txt`.

- `crawler-user-agents` (about 1,500 patterns, updated monthly), case-sensitive as its own
  `is_crawler` reads them;
- CrawlerDetect, as the `crawlerdetect` package ships the PHP project's data: 1,462 patterns,
  case-insensitive, searched in what is left once the browser tokens of its exclusions list
  ("Safari/604.1", "Mozilla/5.0", "Build", the phone brand CUBOT) are cut out.

Each list misses many crawlers the other names (CrawlerDetect 14 % of crawler-user-agents'
samples, crawler-user-agents 53 % of CrawlerDetect's; tests/bench/bots_bench.py prints both on
both corpora), so statistics count a User-Agent either list names. Both are searched
through a `PatternIndex` rather than their own matchers (0.2 to 0.7 ms a User-Agent): same answers,
which tests/unit/test_user_agents.py checks on the public corpora. Only the orchestrator and log
readers import this module: building the indexes takes tens of milliseconds, which the click path
cannot afford.
"""

from __future__ import annotations

import re

from crawlerdetect.providers.crawlers import data as crawler_detect_patterns
from crawlerdetect.providers.exclusions import data as crawler_detect_exclusions
from crawleruseragents import CRAWLER_USER_AGENTS_DATA

from partnerka.tracking.pattern_index import PatternIndex, compile_folded, fold

# Patterns that name a phone's firmware build rather than a program: a scraper once spoofed that
# phone, but millions of real phones send the same build id (e.g. Android 15's AP3A.240617.008).
_DEVICE_BUILD = re.compile(r"^[A-Z0-9]{4}\\\.\d{6}\\\.\d{3}$")
# Browsers, apps and phones whose names a crawler-user-agents pattern also matches, cut out before
# the list is searched (as CrawlerDetect cuts its browser tokens): HTC's Butterfly phones (Topsy's
# crawler is "Butterfly/1.0"), Opera Mini's build number (Advanced Web Ranking's bot is "008/"),
# Sogou's mobile browser (its spiders are "Sogou web spider", "Sogou News Spider", ...), the
# Blackboard app (the crawler is "Blackboard Safeassign").
_BROWSER_NAMES = re.compile(
    r"Butterfly(?!/)|Opera Mini/[\d.]+/|Sogou(?:MSE|MobileBrowser|Explorer)|Blackboard/\d"
)

_CRAWLER_USER_AGENTS_PATTERNS = [
    pattern for entry in CRAWLER_USER_AGENTS_DATA if not _DEVICE_BUILD.match(pattern := str(entry["pattern"]))
]
_CRAWLER_USER_AGENTS = PatternIndex(_CRAWLER_USER_AGENTS_PATTERNS)
_CRAWLER_DETECT = PatternIndex(crawler_detect_patterns, ignore_case=True)
# CrawlerDetect cuts these case-insensitively; the same cut in folded text is three times faster
_CRAWLER_DETECT_BROWSER_TOKENS = compile_folded("|".join(crawler_detect_exclusions))

PATTERN_COUNTS = {
    "crawler-user-agents": len(_CRAWLER_USER_AGENTS_PATTERNS),
    "CrawlerDetect": len(crawler_detect_patterns),
}


def without_browser_names(user_agent: str) -> str:
    """The User-Agent with the browser, app and phone names that crawler-user-agents mistakes for
    crawlers cut out."""
    return _BROWSER_NAMES.sub("", user_agent)


def in_crawler_user_agents(user_agent: str) -> bool:
    """Does `crawler-user-agents` name this User-Agent?"""
    return _CRAWLER_USER_AGENTS.search(without_browser_names(user_agent))


def crawler_detect_remainder(user_agent: str) -> str:
    """What CrawlerDetect searches: the User-Agent without its browser tokens ("Safari/604.1",
    "Mozilla/5.0", "Build", phone models such as CUBOT or "M bot"), folded (`fold`)."""
    return _CRAWLER_DETECT_BROWSER_TOKENS.sub("", fold(user_agent.strip()))


def crawler_detect_names(remainder: str) -> bool:
    """Does CrawlerDetect name a User-Agent, given what its browser tokens leave of it?"""
    return _CRAWLER_DETECT.search(remainder)


def in_crawler_detect(user_agent: str) -> bool:
    """Does CrawlerDetect name this User-Agent?"""
    return crawler_detect_names(crawler_detect_remainder(user_agent))
