"""Device, OS and browser derived from a stored User-Agent, off the click path; and whether it is a
bot, which is what statistics count.

ua-parser (with its ua-parser-rs accelerator) compiles its regexes on first use (~0.2 s) and the
crawler lists build their indexes (~20 ms), which is why the click function never imports this
module (it keeps its compact pattern, tracking/bots.py): the orchestrator and log readers do.

A bot is what any of these names: ua-parser's Spider family; either maintained crawler list,
crawler-user-agents or CrawlerDetect (tracking/crawlers.py); a few generic signs below.
tests/bench/bots_bench.py measures the catch rate and the false-positive rate of each and of all
together on public corpora, in-app browsers included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ua_parser import parse

from partnerka.tracking.crawlers import crawler_detect_names, crawler_detect_remainder, in_crawler_user_agents
from partnerka.tracking.pattern_index import compile_folded

# Generic signs of a program: bot/crawler words, headless engines, HTTP libraries, and a URL or
# e-mail address, which programs put in their User-Agent to introduce themselves and browsers never
# do. Searched in what CrawlerDetect's browser tokens leave, so phones called CUBOT or "M bot 60"
# are not taken for bots.
_GENERIC_SIGNS = compile_folded(
    r"bot\b|crawl|spider|slurp|headless|phantomjs|curl/|wget/|python-requests|python-httpx|aiohttp|"
    r"go-http-client|java/|okhttp|libwww|scrapy|httpclient|facebookexternalhit|preview|"
    r"https?://|www\.|@[a-z0-9-]+\.[a-z]{2,}\b"
)
_TABLET = re.compile(r"ipad|tablet|kindle|silk|playbook|(android(?!.*mobile))", re.IGNORECASE)
_MOBILE = re.compile(r"mobile|iphone|ipod|android|windows phone|opera mini", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class UserAgentInfo:
    device: str  # desktop | mobile | tablet | bot | unknown
    os: str
    browser: str

    @property
    def is_bot(self) -> bool:
        return self.device == "bot"


@lru_cache(maxsize=4096)
def describe_user_agent(user_agent: str) -> UserAgentInfo:
    """Classify a User-Agent; the same strings repeat a lot, hence the cache."""
    if not user_agent.strip():
        return UserAgentInfo(device="unknown", os="Other", browser="Other")
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else "Other"
    os_family = result.os.family if result.os else "Other"
    device_family = result.device.family if result.device else "Other"
    if device_family == "Spider" or is_bot_agent(user_agent):
        device = "bot"
    elif _TABLET.search(user_agent):
        device = "tablet"
    elif _MOBILE.search(user_agent):
        device = "mobile"
    else:
        device = "desktop"
    return UserAgentInfo(device=device, os=os_family, browser=browser)


def is_bot_agent(user_agent: str) -> bool:
    """A generic sign or either crawler list, cheapest first (ua-parser's Spider family is asked by
    `describe_user_agent`)."""
    remainder = crawler_detect_remainder(user_agent)
    return (
        _GENERIC_SIGNS.search(remainder) is not None
        or crawler_detect_names(remainder)
        or in_crawler_user_agents(user_agent)
    )
