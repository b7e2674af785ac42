"""Over a thousand crawler patterns searched at the cost of a few dict look-ups per User-Agent.

A maintained crawler list is a long set of regexes, searched as one alternation by the list's own
matcher: every alternative is tried at every position, 0.2 to 0.7 ms a User-Agent. Here every pattern
is indexed instead by a stretch of text that all its matches contain (the whole pattern, for the
nine in ten that are plain text): a text's three-character windows find the few candidates, and a
candidate's regex runs only when its stretch is there. The answer is the alternation's, which
tests/unit/test_user_agents.py checks against each list's own matcher on public corpora.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

_KEY = 3
_QUANTIFIERS = "?*+{"
# Under re.IGNORECASE an ASCII letter also matches these four characters (Python's case folding:
# capital I with a dot and dotless i are i, long s is s, the Kelvin sign is k). Folding them with the letters makes a
# case-insensitive match the same as a match in the folded text (tests/unit/test_pattern_index.py
# checks every code point).
_FOLD = str.maketrans(
    {
        **{chr(code): chr(code + 32) for code in range(ord("A"), ord("Z") + 1)},
        "\u0130": "i",  # capital I with a dot
        "\u0131": "i",  # dotless i
        "\u017f": "s",  # long s
        "\u212a": "k",  # the Kelvin sign
    }
)


def fold(text: str) -> str:
    """The text as a case-insensitive match sees it: one character for one, letters folded to a to z."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


_UPPER_ESCAPE = re.compile(r"\\[A-Z]")


def compile_folded(pattern: str) -> re.Pattern[str]:
    """`pattern` for folded text: in `fold(text)` it finds what `re.compile(pattern, re.IGNORECASE)`
    finds in `text`, at the same places, in a third of the time (re gives up its fast paths when it
    ignores case). Its letters are lowered, so an escape like \\S or \\D, whose meaning that would
    change, is refused."""
    if _UPPER_ESCAPE.search(pattern):
        raise ValueError(f"{pattern!r}: an upper-case escape cannot be folded")
    return re.compile(pattern.lower())


# Escapes that stand for one character written in several (\x41, \u0041, \N{...}, octal) or for
# a group's text (\1): a branch with one is never indexed, its regex runs on every text.
_CODED_ESCAPE = re.compile(r"\\[0-9xuUN]")
# Plain text, punctuation escaped or not: nine in ten patterns, recognised without parsing
_PLAIN = re.compile(r"(?:[^\\\[\](){}.*+?^$|]|\\[^0-9A-Za-z])+")
_ESCAPED = re.compile(r"\\(.)")


def _class_end(pattern: str, index: int) -> int:
    """Just past the `]` that closes the class opened at `index` (a `]` first in it is a member)."""
    index += 2 if pattern[index + 1 : index + 2] == "^" else 1
    index += 1  # the first member, even a `]`
    while pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index + 1


def _element_end(pattern: str, index: int) -> int:
    """Just past the element that starts at `index`: a character, an escape, a class or a group."""
    char = pattern[index]
    if char == "\\":
        return index + 2
    if char == "[":
        return _class_end(pattern, index)
    if char != "(":
        return index + 1
    depth = 0
    while True:
        if pattern[index] == "(":
            depth += 1
        elif pattern[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index = _element_end(pattern, index) if pattern[index] in "\\[" else index + 1


def _quantifier_end(pattern: str, index: int) -> tuple[int, bool]:
    """Just past the quantifier at `index` if there is one (else `index`), and whether it allows
    the element to match nothing."""
    char = pattern[index : index + 1]
    if not char or char not in _QUANTIFIERS:
        return index, False
    if char == "{":
        close = pattern.index("}", index)
        may_be_absent = pattern[index + 1 : close].split(",")[0] in ("", "0")
        index = close + 1
    else:
        may_be_absent = char != "+"
        index += 1
    if pattern[index : index + 1] in ("?", "+"):  # lazy or possessive
        index += 1
    return index, may_be_absent


def _top_level_bars(pattern: str) -> list[str]:
    """`a|b(c|d)` → [`a`, `b(c|d)`]."""
    parts, start, index = [], 0, 0
    while index < len(pattern):
        if pattern[index] == "|":
            parts.append(pattern[start:index])
            start = index + 1
            index += 1
        else:
            index = _element_end(pattern, index)
    return [*parts, pattern[start:]]


def branches(pattern: str) -> list[str]:
    """Patterns that, searched one by one, find a match wherever `pattern` finds one and nowhere else:
    the pattern split at its top-level bars; in each branch a leading element that may match nothing
    (`[a-z0-9]*bot`) dropped, since a search finds the rest wherever it finds the whole; a group
    around the whole branch (`(bot|crawl)`) opened and split in turn."""
    if _PLAIN.fullmatch(pattern):
        return [pattern]
    found: list[str] = []
    for branch in _top_level_bars(pattern):
        while branch and branch[0] not in "^$":
            end, may_be_absent = _quantifier_end(branch, _element_end(branch, 0))
            if not may_be_absent or end == len(branch):
                break
            branch = branch[end:]
        opening = 3 if branch.startswith("(?:") else 0 if branch.startswith("(?") else 1
        if branch.startswith("(") and opening and _element_end(branch, 0) == len(branch):
            found.extend(branches(branch[opening:-1]))
        else:
            found.append(branch)
    return found


def required_text(branch: str) -> tuple[str, bool]:
    """The longest stretch of plain text every match of `branch` (one without top-level bars)
    contains, and whether that text is the whole branch (then no regex needs to run)."""
    if _PLAIN.fullmatch(branch):
        return _ESCAPED.sub(r"\1", branch), True
    if _CODED_ESCAPE.search(branch):
        return "", False
    best = run = ""
    plain = True
    index = 0
    while index < len(branch):
        char = branch[index]
        end = _element_end(branch, index)
        after, may_be_absent = _quantifier_end(branch, end)
        literal: str | None = None
        if char == "\\" and not branch[index + 1].isalnum():
            literal = branch[index + 1]
        elif char not in "\\[(.^$":
            literal = char
        if literal is None or after != end:
            plain = False
        if literal is not None and after == end:
            run += literal
        elif literal is not None and not may_be_absent:
            # `ab+`: one b is always there, but what follows need not touch it
            best, run = max(best, run + literal, key=len), ""
        elif char not in "^$":  # an anchor matches no text: the stretch goes on around it
            best, run = max(best, run, key=len), ""
        index = after
    best = max(best, run, key=len)
    return best, plain and len(best) > 0


_Candidate = tuple[str, re.Pattern[str] | None]
_Key = tuple[str, ...]


class PatternIndex:
    """Whether any of a list's patterns is found in a text (`re.search`), as one alternation of all
    of them would say, with each pattern's regex run only when the text holds its required stretch."""

    def __init__(self, patterns: Iterable[str], *, ignore_case: bool = False) -> None:
        flags = re.IGNORECASE if ignore_case else 0
        self._ignore_case = ignore_case
        by_key: defaultdict[str, list[_Candidate]] = defaultdict(list)
        unindexed: list[re.Pattern[str]] = []
        for pattern in patterns:
            for branch in branches(pattern):
                text, plain = required_text(branch)
                if ignore_case:
                    text = fold(text)
                if len(text) < _KEY:
                    unindexed.append(re.compile(branch, flags))
                else:
                    by_key[text[:_KEY]].append((text, None if plain else re.compile(branch, flags)))
        self._by_key = {tuple(key): tuple(found) for key, found in by_key.items()}
        self._keys = frozenset(self._by_key)
        self._unindexed = tuple(unindexed)

    @property
    def unindexed(self) -> int:
        """How many branches have no stretch long enough to index (their regex runs on every text)."""
        return len(self._unindexed)

    def search(self, text: str) -> bool:
        probe = fold(text) if self._ignore_case else text
        # The text's three-character windows, made and looked up in C (zip, set): the few that
        # start a pattern's stretch name the candidates.
        for key in self._keys.intersection(zip(probe, probe[1:], probe[2:], strict=False)):
            for stretch, regex in self._by_key[key]:
                if stretch in probe and (regex is None or regex.search(text)):
                    return True
        return any(regex.search(text) for regex in self._unindexed)
