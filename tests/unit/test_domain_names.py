"""The portal and tracking domains an advertiser may claim: typed or pasted, mapped by IDNA 2008 and
UTS 46 into the stored A-label form, and refused, with the reason, where a tenant cannot own the name
or point a CNAME at the edge from it (issue 17)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerka.common.errors import ErrorCode, ValidationFailed
from partnerka.domains.names import DomainName, parse_domain
from tests.conftest import examples, thorough

PLATFORM = ("partnerka.io", "partnerka.localhost")
LDH_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")

# typed → (stored, shown)
ACCEPTED = {
    "partners.acme.com": ("partners.acme.com", "partners.acme.com"),
    "  Partners.ACME.com.\n": ("partners.acme.com", "partners.acme.com"),
    "https://partners.acme.com/": ("partners.acme.com", "partners.acme.com"),
    "HTTP://track.acme.com": ("track.acme.com", "track.acme.com"),
    "partners.acme.com/": ("partners.acme.com", "partners.acme.com"),
    "Partners.ÄCME.com": ("partners.xn--cme-pla.com", "partners.äcme.com"),
    "partners.xn--cme-pla.com": ("partners.xn--cme-pla.com", "partners.äcme.com"),
    "партнёры.пример.рф": ("xn--80a0aefbk9d3b.xn--e1afmkfd.xn--p1ai", "партнёры.пример.рф"),
    "ПАРТНЁРЫ.Пример.РФ": ("xn--80a0aefbk9d3b.xn--e1afmkfd.xn--p1ai", "партнёры.пример.рф"),
    # full-width letters and an ideographic full stop, as an East Asian keyboard types them
    "ＰＡＲＴＮＥＲＳ。acme．com": ("partners.acme.com", "partners.acme.com"),
    "ｈｔｔｐｓ：／／ｐａｒｔｎｅｒｓ．ａｃｍｅ．ｃｏｍ／": ("partners.acme.com", "partners.acme.com"),
    "straße.acme.de": ("xn--strae-oqa.acme.de", "straße.acme.de"),
    "go.acme.co.uk": ("go.acme.co.uk", "go.acme.co.uk"),
    "a-b.c-d.acme.com": ("a-b.c-d.acme.com", "a-b.c-d.acme.com"),
    "1st.acme.com": ("1st.acme.com", "1st.acme.com"),
    "partners.acme.localhost": ("partners.acme.localhost", "partners.acme.localhost"),
    "a.b.acme.localhost": ("a.b.acme.localhost", "a.b.acme.localhost"),
    # the platform's own domain is refused only with the names under it, not one that ends alike
    "partners.notpartnerka.io": ("partners.notpartnerka.io", "partners.notpartnerka.io"),
    "a" * 63 + ".acme.com": ("a" * 63 + ".acme.com", "a" * 63 + ".acme.com"),
}

# typed → words the refusal must contain
REFUSED = {
    "": "enter a domain name",
    "   ": "enter a domain name",
    "https://": "enter a domain name",
    "https://partners.acme.com:8443/": "port",
    "partners.acme.com:443": "port",
    "partners.acme.com:": "port",
    "https://partners.acme.com/portal": "path",
    "partners.acme.com//": "path",
    "https://partners.acme.com/?ref=1": "query",
    "partners.acme.com#top": "fragment",
    "https://partners.acme.com/#top": "fragment",
    "https://partners.acme.com/portal?ref=1": "path",
    "https://user:secret@partners.acme.com/": "user name",
    "partners@acme.com": "e-mail",
    "ftp://partners.acme.com/": "http:// or https://",
    "1.2.3.4": "IP address",
    "http://1.2.3.4/": "IP address",
    "2001:db8::1": "IP address",
    "[2001:db8::1]": "IP address",
    "https://[::1]:8443/": "IP address",
    "127.1": "IP address",
    "0x7f.1": "IP address",
    "partners.acme.0x1f": "IP address",
    "partners.acme.123": "IP address",
    "１２７．０．０．１": "IP address",
    "*.acme.com": "wildcard",
    "partners.*.acme.com": "wildcard",
    "＊.acme.com": "wildcard",
    "com": "single name",
    "localhost": "single name",
    "partners": "single name",
    "co.uk": "public suffix",
    "github.io": "public suffix",
    "公司.cn": "public suffix",
    "city.kobe.jp": "registered domain",  # an exception to the `*.kobe.jp` wildcard
    "anything.kobe.jp": "public suffix",
    "acme.com": "registered domain",
    "ACME.com.": "registered domain",
    "acme.co.uk": "registered domain",
    "acme.github.io": "registered domain",
    "acme.localhost": "registered domain",
    "пример.рф": "registered domain",
    "partnerka.io": "belong to the platform",
    "app.partnerka.io": "belong to the platform",
    "Partners.Acme.Partnerka.io.": "belong to the platform",
    "demo.partnerka.localhost": "belong to the platform",
    "d111111abcdef8.cloudfront.net": "cloudfront.net belong to AWS",
    "cloudfront.net": "cloudfront.net belong to AWS",
    "acme.s3.amazonaws.com": "amazonaws.com belong to AWS",
    "acme.awsapps.com": "awsapps.com belong to AWS",
    "abc.lambda-url.us-east-1.on.aws": "on.aws belong to AWS",
    "partners_eu.acme.com": "“_” (U+005F)",
    "partners eu.acme.com": "a space",
    "partners\t.acme.com": "control character (U+0009)",
    "partners\x00.acme.com": "control character (U+0000)",
    "part\u202eners.acme.com": "control character (U+202E)",
    "partners!.acme.com": "“!” (U+0021)",
    "partners\udcff.acme.com": "U+DCFF",
    "☃.acme.com": "“☃” (U+2603)",
    "-partners.acme.com": "starts or ends with a hyphen",
    "partners-.acme.com": "starts or ends with a hyphen",
    "pa--rtners.acme.com": "third and fourth places",
    "xn--zz.acme.com": "xn--",
    "partners..acme.com": "empty part",
    ".partners.acme.com": "empty part",
    "partners.acme.com..": "empty part",
    "a" * 64 + ".acme.com": "longer than 63",
    "ä" * 60 + ".acme.com": "longer than 63",  # 60 characters, but over 63 octets as an A-label
    ".".join(["a" * 63] * 4) + ".com": "longer than 253",
    "x" * 5000: "longer than 253",
    "foo\u200d.acme.com": "U+200D) in a place where a domain name does not allow it",
    "shopא.acme.com": "right-to-left",
    "\u0301partners.acme.com": "combining mark",
}


@pytest.mark.parametrize(("typed", "stored", "shown"), [(t, s, u) for t, (s, u) in ACCEPTED.items()])
def test_a_typed_or_pasted_domain_is_stored_as_lowercase_a_labels_and_shown_as_unicode(
    typed: str, stored: str, shown: str
) -> None:
    name = parse_domain(typed, PLATFORM)
    assert name == DomainName(stored)
    assert name.unicode == shown


@pytest.mark.parametrize(("typed", "says"), REFUSED.items())
def test_a_domain_no_tenant_can_claim_is_refused_with_its_reason(typed: str, says: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_domain(typed, PLATFORM)
    assert says in refused.value.message
    assert refused.value.code is ErrorCode.VALIDATION_ERROR


def test_an_apex_refusal_suggests_a_subdomain_of_the_domain_typed() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_domain("ACME.co.uk", PLATFORM)
    assert "CNAME" in refused.value.message
    assert "such as partners.acme.co.uk" in refused.value.message


def test_a_refusal_never_repeats_the_typed_text() -> None:
    # Given input that would be unpleasant to echo into a page or a log line
    typed = "<img src=x onerror=alert(1)>\r\n.acme.com"
    # When it is refused
    with pytest.raises(ValidationFailed) as refused:
        parse_domain(typed, PLATFORM)
    # Then the message names the character, not the text
    assert "<img" not in refused.value.message
    assert "“<” (U+003C)" in refused.value.message


def test_the_platform_domains_count_however_they_are_written() -> None:
    with pytest.raises(ValidationFailed, match="belong to the platform"):
        parse_domain("app.partnerka.io", [" Partnerka.IO. "])


def test_with_no_platform_domains_only_the_general_rules_apply() -> None:
    assert parse_domain("app.partnerka.io", []) == DomainName("app.partnerka.io")


# Labels of letters that IDNA treats specially: ß and final sigma (deviations), Hebrew (bidi),
# tatweel, joiners and a combining accent (context rules), full-width letters, Arabic-Indic digits.
ODD = "äßöя公Σσςאבـ\u200c\u200d\u0301ＡＺ١"
LABEL = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-" + ODD), min_size=1, max_size=12)
DOMAIN_LIKE = st.lists(st.tuples(LABEL, st.sampled_from(".。．")), min_size=2, max_size=5).map(
    lambda parts: "".join(label + dot for label, dot in parts)[:-1]
)
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
WELL_FORMED = st.builds(
    lambda sub, domain, tld: f"{sub}.{domain}.{tld}",
    st.from_regex(r"[a-zа-яё0-9]([a-zа-яё0-9-]{0,10}[a-zа-яё0-9])?", fullmatch=True),
    st.from_regex(r"[a-zäö0-9]{1,12}", fullmatch=True),
    st.sampled_from(["com", "co.uk", "рф", "localhost", "io", "de"]),
)


@given(st.one_of(ANY_TEXT, DOMAIN_LIKE, WELL_FORMED))
@settings(max_examples=examples(200, 3000), deadline=None, derandomize=not thorough())
def test_any_text_is_either_a_domain_that_parses_back_to_itself_or_refused(typed: str) -> None:
    # When arbitrary text (surrogates, controls, look-alike dots and symbols) is parsed
    try:
        name = parse_domain(typed, PLATFORM)
    except ValidationFailed:
        return  # refused, never another exception
    # Then its stored and displayed forms are the same domain again
    assert parse_domain(name.ascii, PLATFORM) == name
    assert parse_domain(name.unicode, PLATFORM) == name
    # and what is stored is letters, digits and inner hyphens, label by label, within DNS's limits
    assert all(LDH_LABEL.fullmatch(label) for label in name.ascii.split("."))
    assert len(name.ascii) <= 253
