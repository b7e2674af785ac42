"""Statistics count crawlers, tools and preview fetchers as bots, and never a person's browser,
in-app browsers included (issue 14, item 16). The figures on public corpora are in
tests/bench/bots_bench.py; these are the rules."""

from __future__ import annotations

from pathlib import Path

import crawleruseragents
import pytest

from partnerka.tracking.bots import looks_like_bot
from partnerka.tracking.crawlers import is_known_crawler
from partnerka.tracking.user_agent import describe_user_agent

IN_APP = Path(__file__).parents[1] / "bench" / "corpus" / "in_app_browsers.txt"


def in_app_browsers() -> list[str]:
    lines = IN_APP.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def list_samples() -> list[str]:
    """The User-Agents the crawler list publishes with its patterns."""
    return list(
        dict.fromkeys(
            ua for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA for ua in entry.get("instances", [])
        )
    )


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0 A",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "Viber",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Go-http-client/2.0",
        "Mozilla/5.0 (compatible; SomeMonitor/1.0; +https://monitor.example/about)",
    ],
)
def test_crawlers_tools_and_preview_fetchers_are_bots(user_agent: str) -> None:
    assert describe_user_agent(user_agent).is_bot


@pytest.mark.parametrize("user_agent", in_app_browsers())
def test_in_app_browsers_are_people_for_statistics_and_for_the_click(user_agent: str) -> None:
    assert not describe_user_agent(user_agent).is_bot
    assert not looks_like_bot(user_agent)


@pytest.mark.parametrize(
    "user_agent",
    [
        # A phone brand that ends in "bot", and a browser whose version sits after an @
        "Mozilla/5.0 (Linux; Android 7.0; CUBOT CHEETAH 2 Build/NRD90M) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/61.0.3163.98 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Mobile "
        "Safari/537.36 (Ecosia android@150.0.0.0)",
    ],
)
def test_browsers_that_look_a_little_like_bots_are_not(user_agent: str) -> None:
    assert not describe_user_agent(user_agent).is_bot


def test_the_fast_matcher_answers_as_the_lists_own_matcher() -> None:
    samples = list_samples() + in_app_browsers()
    differ = [ua for ua in samples if is_known_crawler(ua) != crawleruseragents.is_crawler(ua)]
    # Only where a pattern names a phone's firmware build (AP3A.240617.008), left out on purpose
    assert differ
    assert all("Build/AP3A.240617.008" in ua for ua in differ)


def test_at_least_99_percent_of_the_lists_published_crawlers_count_as_bots() -> None:
    samples = list_samples()
    caught = sum(describe_user_agent(ua).is_bot for ua in samples)
    assert caught / len(samples) >= 0.99
