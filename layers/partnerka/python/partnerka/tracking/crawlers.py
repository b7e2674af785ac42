"""Known crawlers, tools and link-preview fetchers: the maintained `crawler-user-agents` list.

The list (about 1,500 patterns, updated monthly) is a dependency of the layer, pinned in
`layers/partnerka/requirements.txt`. Its own matcher runs 60 regexes of 25 alternatives over each
User-Agent (~0.3 ms). Every pattern here is indexed instead by a stretch of text that all its
matches contain (the whole pattern, for the nine in ten that are plain text): a User-Agent's
three-character windows find the few candidates, and a pattern's regex runs only when its text is
there. Same answers as the list's own matcher (tests/unit/test_user_agents.py compares them), at a
fraction of the cost. Only the orchestrator and log readers import this module: building the index
takes tens of milliseconds, which the click path cannot afford.
"""

from __future__ import annotations

import re
from collections import defaultdict

from crawleruseragents import CRAWLER_USER_AGENTS_DATA

_KEY = 3
_ANCHORS = frozenset("^$")
# Patterns that name a phone's firmware build rather than a program: a scraper once spoofed that
# phone, but millions of real phones send the same build id (e.g. Android 15's AP3A.240617.008).
_DEVICE_BUILD = re.compile(r"^[A-Z0-9]{4}\\\.\d{6}\\\.\d{3}$")


def _alternatives(pattern: str) -> list[str]:
    """`a|b(c|d)` → [`a`, `b(c|d)`]: the pattern split at its top-level bars."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
        elif char == "[":
            index = pattern.index("]", index + 2)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*parts, pattern[start:]]


def _required_text(pattern: str) -> tuple[str, bool]:
    """The longest stretch of plain text every match of `pattern` (one without top-level bars)
    contains, and whether that text is the whole pattern (then no regex needs to run)."""
    best: list[str] = []
    run: list[str] = []
    plain = True
    depth = 0
    index = 0
    while index < len(pattern):
        char, piece = pattern[index], None
        if char == "\\" and index + 1 < len(pattern) and not pattern[index + 1].isalnum():
            piece, index = pattern[index + 1], index + 2
        elif char == "\\":
            index += 2  # \d, \s, \b: a class or an anchor
        elif char == "[":
            index = pattern.index("]", index + 2) + 1
        elif char in "()":
            depth += 1 if char == "(" else -1
            index += 1
        elif char in _ANCHORS:
            index += 1
            plain = False
            continue
        elif char == "{":
            index = pattern.index("}", index) + 1
        elif char in "?*+.":
            index += 1
        else:
            piece, index = char, index + 1
        following = pattern[index : index + 1]
        if piece is not None and depth == 0 and following not in ("?", "*", "{"):
            run.append(piece)
            if following != "+":
                continue
        else:
            plain = False
        best = max(best, run, key=len)
        run = []
    best = max(best, run, key=len)
    return "".join(best), plain and len(best) > 0


def _build() -> tuple[dict[str, tuple[tuple[str, re.Pattern[str] | None], ...]], list[re.Pattern[str]], int]:
    by_key: defaultdict[str, list[tuple[str, re.Pattern[str] | None]]] = defaultdict(list)
    unindexed: list[re.Pattern[str]] = []
    used = 0
    for entry in CRAWLER_USER_AGENTS_DATA:
        pattern = str(entry["pattern"])
        if _DEVICE_BUILD.match(pattern):
            continue
        used += 1
        for alternative in _alternatives(pattern):
            text, plain = _required_text(alternative)
            if len(text) < _KEY:
                unindexed.append(re.compile(alternative))
                continue
            by_key[text[:_KEY]].append((text, None if plain else re.compile(alternative)))
    return {key: tuple(found) for key, found in by_key.items()}, unindexed, used


_BY_KEY, _UNINDEXED, PATTERN_COUNT = _build()


def is_known_crawler(user_agent: str) -> bool:
    """Does the list name this User-Agent (case-sensitively, as its patterns are written)?"""
    for start in range(len(user_agent) - _KEY + 1):
        for text, regex in _BY_KEY.get(user_agent[start : start + _KEY], ()):
            if user_agent.startswith(text, start) and (regex is None or regex.search(user_agent)):
                return True
    return any(regex.search(user_agent) for regex in _UNINDEXED)
