"""The compact bot pattern that decides routing at click time (compiles in well under a millisecond).

The full classification (ua-parser's Spider family plus a crawler list) runs in the orchestrator and
is what statistics count; this one only keeps obvious robots away from the advertiser's landing.
"""

from __future__ import annotations

import re

_BOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|headless|phantomjs|curl/|wget/|python-|httpx|aiohttp|go-http-client|"
    r"java/|okhttp|libwww|scrapy|httpclient|facebookexternalhit|lighthouse|pingdom|uptime",
    re.IGNORECASE,
)


def looks_like_bot(user_agent: str) -> bool:
    """An empty User-Agent counts too: browsers always send one."""
    return not user_agent.strip() or bool(_BOT.search(user_agent))
