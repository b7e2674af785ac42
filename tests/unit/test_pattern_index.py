"""The crawler lists' index (tracking/pattern_index.py) finds what one alternation of the patterns
would find: in case-insensitive mode too, for every character Python's case folding treats as a
letter's twin, and for the pattern shapes the lists use."""

from __future__ import annotations

import re
import sys

import pytest

from partnerka.tracking.pattern_index import PatternIndex, branches, compile_folded, fold, required_text

PATTERNS = [
    "Googlebot",
    r"^Java\/",
    r"^Ruby|Ruby\/[0-9]",
    r"[a-z0-9\-_]*(bot|crawl|spider)",
    "Yandex(?!Search)",
    "ab+c",
    r"Daum(oa)?[ \/][0-9]",
    r"Sitemap(s)? Generator",
    r"Current[\s\S]*RSS Reader",
    r"Y!J-[A-Z][A-Z][A-Z]",
    r"Zend\\Http",
    r"Kit\/[0-9]",
    "ok",
]
TEXTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1)",
    "GOOGLEBOT",
    "java/1.8",
    "xJava/1.8",
    "Ruby",
    "a Ruby/3",
    "a Ruby",
    "\u017fpider",  # long s: "s" ignoring case
    "SP\u0130DER",  # dotted capital I: "i" ignoring case
    "SP\u0131DER",  # dotless i
    "\u212ait/1",  # the Kelvin sign: "k" ignoring case
    "YandexSearch",
    "YandexBot/3",
    "abbbc",
    "ac",
    "Daumoa 1",
    "Daum/2",
    "DaumX",
    "Sitemaps Generator",
    "Current 1.0 RSS Reader",
    "Y!J-ABC",
    "y!j-abc",
    "Zend\\Http\\Client",
    "Oké",
    "",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
]


def test_every_character_a_letter_matches_ignoring_case_folds_to_that_letter() -> None:
    # Given Python's case-insensitive matching, When every code point past ASCII is tried against
    # every ASCII character, Then the ones that match are exactly those `fold` maps to it
    ascii_class = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    twins = [chr(code) for code in range(128, sys.maxunicode + 1) if ascii_class.fullmatch(chr(code))]
    assert twins
    for twin in twins:
        assert fold(twin).isascii()
        assert re.fullmatch(re.escape(fold(twin)), twin, re.IGNORECASE)
    # Letters past ASCII that match no ASCII character stay as they are
    assert fold("Mozilla/5.0 ÉTÉ \u0130\u212a") == "mozilla/5.0 ÉtÉ ik"


@pytest.mark.parametrize("text", TEXTS)
def test_the_index_finds_what_the_alternation_finds(text: str) -> None:
    for flags in (0, re.IGNORECASE):
        alternation = re.compile("|".join(PATTERNS), flags)
        index = PatternIndex(PATTERNS, ignore_case=bool(flags))
        assert index.search(text) == bool(alternation.search(text)), (text, flags)


@pytest.mark.parametrize("text", TEXTS)
def test_a_folded_pattern_cuts_what_the_case_insensitive_one_cuts(text: str) -> None:
    pattern = r"Safari.[\d\.]*|Mozilla.[\d\.]*|(like )?Gecko(.[\d\.]*)?|CPU OS ([0-9_])* like Mac OS X|cubot|; M bot"
    assert compile_folded(pattern).sub("", fold(text)) == fold(
        re.compile(pattern, re.IGNORECASE).sub("", text)
    )


def test_a_pattern_whose_escape_changes_with_case_is_not_folded() -> None:
    with pytest.raises(ValueError, match="upper-case escape"):
        compile_folded(r"Current[\s\S]*Reader")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"[a-z0-9\-_]*(bot|crawl)", ["bot", "crawl"]),
        (r"^Ruby|Ruby\/[0-9]", ["^Ruby", r"Ruby\/[0-9]"]),
        ("(?:a|b)c", ["(?:a|b)c"]),
        ("Yandex(?!Search)", ["Yandex(?!Search)"]),
        (r"x?(?:a|b\|)", ["a", r"b\|"]),
    ],
)
def test_a_pattern_splits_into_branches_that_match_where_it_matches(
    pattern: str, expected: list[str]
) -> None:
    assert branches(pattern) == expected


@pytest.mark.parametrize(
    ("branch", "expected"),
    [
        (r"acebookexternalhit\/", ("acebookexternalhit/", True)),
        ("^Aether", ("Aether", False)),
        (r"Daum(oa)?[ \/][0-9]", ("Daum", False)),
        ("Sitemap(s)? Generator", (" Generator", False)),
        ("HAA(A)?RTLAND http client", ("RTLAND http client", False)),
        ("ab+cd", ("ab", False)),
        (r"Go [\d\.]* package http", (" package http", False)),
        (r"Zend\\Http\\Client", ("Zend\\Http\\Client", True)),
        (r"\x41bc", ("", False)),
    ],
)
def test_a_branch_is_indexed_by_text_every_match_contains(branch: str, expected: tuple[str, bool]) -> None:
    assert required_text(branch) == expected
