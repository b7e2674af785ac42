"""What an advertiser types as a portal or tracking domain, turned into the name the platform keeps.

The stored form is lowercase A-labels without a trailing dot (`partners.xn--cme-pla.com`), which is
what DNS, CloudFront and ACM take; people see U-labels (`partners.äcme.com`). Input goes through
IDNA 2008 with the UTS 46 mapping, as browsers do: upper case, full-width letters and ideographic
dots are mapped, and what IDNA refuses is refused with its reason.

A name is accepted only where a tenant can really own it and point it at the edge:
- not an IP address, nor a name that ends in a number (browsers read `127.1` or `a.0x7f` as one);
- not a wildcard, not a single label;
- not a public suffix (`com`, `co.uk`, `github.io`: no one owns them) and not a registrable domain
  itself (`acme.com`): the platform asks for a CNAME, and a CNAME cannot sit at a zone apex beside
  the zone's SOA and NS records;
- not the platform's own domains, nor a name under the AWS suffixes the edge itself is served from,
  where a claim could capture another customer's distribution or endpoint.

An unknown top-level label counts as a one-label public suffix, as it does for `com`: so
`partners.acme.localhost` (browsers send every `*.localhost` to loopback, and the local platform uses
such names) is accepted by the same rule as `partners.acme.com`, and `acme.localhost` is an apex.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import idna
from publicsuffixlist import PublicSuffixList

from partnerka.common.errors import ValidationFailed

# The edge and AWS's endpoints live under these; nobody may claim a name there.
INFRASTRUCTURE_SUFFIXES = ("cloudfront.net", "amazonaws.com", "awsapps.com", "on.aws")
MAX_LENGTH = 253
MAX_LABEL_LENGTH = 63
EXAMPLE = "partners.acme.com"

# WHATWG URL's "ends in a number": such a host is parsed as an IPv4 address, never looked up.
_NUMERIC_LABEL = re.compile(r"(?:[0-9]+|0x[0-9a-f]*)\Z")
_PORT = re.compile(r":[0-9]*\Z")
_AUTHORITY_END = re.compile(r"[/?#]")
_QUERY_OR_FRAGMENT = re.compile(r"[?#]")
_JUST_THE_NAME = f"enter just the domain name, such as {EXAMPLE}"


@dataclass(frozen=True, slots=True)
class DomainName:
    """A domain a tenant may point at the platform; `ascii` is the stored form (lowercase A-labels,
    no trailing dot)."""

    ascii: str

    @property
    def unicode(self) -> str:
        """The name as people read it (U-labels)."""
        return idna.decode(self.ascii)


@cache
def _public_suffixes() -> PublicSuffixList:
    # The bundled list (ICANN and private sections), parsed once per process on first use: parsing
    # takes about 0.1 s, which a function that never checks a domain should not pay at cold start.
    return PublicSuffixList(accept_unknown=True)


def parse_domain(raw: str, platform_domains: Iterable[str]) -> DomainName:
    """The domain `raw` names, as typed or pasted (`https://Partners.ACME.com/`), if a tenant may
    claim it; raises ValidationFailed saying why not. `platform_domains` are the platform's own
    domains, in ASCII: neither they nor any name under them may be claimed."""
    text = raw.strip()
    if not text:
        raise ValidationFailed(f"enter a domain name, such as {EXAMPLE}")
    host = _host(_mapped(text))
    _refuse_address_or_port(host)
    if "*" in host:
        raise ValidationFailed(f"a wildcard (*) cannot be claimed: enter one name, such as {EXAMPLE}")
    name = DomainName(_encoded(host))
    _refuse_unclaimable(name, platform_domains)
    return name


def _mapped(text: str) -> str:
    """The UTS 46 mapping alone (lowercase, full-width forms and ideographic dots folded), so the URL
    and address checks below see a full-width colon, slash or full stop as the ASCII it stands for."""
    try:
        return idna.uts46_remap(text, std3_rules=False)
    except idna.IDNAError as error:
        raise _refusal(error) from None


def _host(text: str) -> str:
    """The host of a pasted web address (`https://host/`), or the text itself; refuses user-info, a
    path, a query or a fragment."""
    scheme, separator, after_scheme = text.partition("://")
    if separator:
        if scheme not in ("http", "https"):
            raise ValidationFailed(
                f"only a web address (http:// or https://) can be pasted: {_JUST_THE_NAME}"
            )
        text = after_scheme
    end = _AUTHORITY_END.search(text)
    authority = text[: end.start()] if end else text
    if "@" in authority:
        raise ValidationFailed(
            f"the domain carries a user name (user@host) or is an e-mail address: {_JUST_THE_NAME}"
        )
    rest = text[end.start() :] if end else ""
    path = _QUERY_OR_FRAGMENT.split(rest, maxsplit=1)[0]
    if path not in ("", "/"):
        raise ValidationFailed(f"the domain is followed by a path (/…): {_JUST_THE_NAME}")
    if rest != path:  # a single trailing slash is no path, but `?` or `#` after it is something
        what = "a query (?…)" if rest[len(path)] == "?" else "a fragment (#…)"
        raise ValidationFailed(f"the domain is followed by {what}: {_JUST_THE_NAME}")
    text = authority
    if not text:
        raise ValidationFailed(f"enter a domain name, such as {EXAMPLE}")
    return text


def _refuse_address_or_port(host: str) -> None:
    """An IP address (also bracketed, with or without a port), a port, or a name ending in a number;
    the address first, as an IPv6 literal is full of colons."""
    bracketed = host.startswith("[") and "]" in host
    literal = host[1 : host.index("]")] if bracketed else host
    try:
        ipaddress.ip_address(literal)
    except ValueError:
        pass
    else:
        raise ValidationFailed(f"an IP address cannot be claimed: enter a domain name, such as {EXAMPLE}")
    if _PORT.search(host) and not bracketed:
        raise ValidationFailed(f"the domain has a port (:…) after it: {_JUST_THE_NAME}")
    last_label = host.removesuffix(".").rsplit(".", 1)[-1]
    if _NUMERIC_LABEL.match(last_label):
        raise ValidationFailed(
            f"the domain ends in a number, so browsers read it as an IP address: enter a domain name, such as {EXAMPLE}"
        )


def _encoded(host: str) -> str:
    try:
        encoded = idna.encode(host, uts46=True, std3_rules=True).decode("ascii")
    except UnicodeError as error:  # IDNAError, and the punycode codec's own errors
        raise _refusal(error) from None
    return encoded.removesuffix(".")


def _refuse_unclaimable(name: DomainName, platform_domains: Iterable[str]) -> None:
    if "." not in name.ascii:
        raise ValidationFailed(
            f"a single name is not a domain a browser can reach: enter a full one, such as {EXAMPLE}"
        )
    for suffix in INFRASTRUCTURE_SUFFIXES:
        if _within(name.ascii, suffix):
            raise ValidationFailed(f"names under {suffix} belong to AWS and cannot be claimed")
    for own in platform_domains:
        own = own.strip().removesuffix(".").lower()
        if _within(name.ascii, own):
            raise ValidationFailed(
                f"{own} and the names under it belong to the platform and cannot be claimed"
            )
    suffixes = _public_suffixes()
    if suffixes.is_public(name.ascii):
        raise ValidationFailed(
            f"the domain is a public suffix (like com or co.uk) that no one owns: use a subdomain of your own domain, such as {EXAMPLE}"
        )
    if suffixes.privatesuffix(name.ascii) == name.ascii:
        raise ValidationFailed(
            "the domain is a registered domain itself, and a CNAME record cannot sit at a zone apex:"
            f" use a subdomain, such as partners.{name.unicode}"
        )


def _within(name: str, domain: str) -> bool:
    return name == domain or name.endswith("." + domain)


def _refusal(error: UnicodeError) -> ValidationFailed:
    """What IDNA refused, in words for the advertiser (by idna's stable error codes, not its wording)."""
    code = getattr(error, "code", None)
    codepoint = getattr(error, "codepoint", None)
    if code in ("input_too_long", "domain_too_long"):
        return ValidationFailed(f"the domain is longer than {MAX_LENGTH} characters (encoded for DNS)")
    if code == "label_too_long":
        return ValidationFailed(
            f"a part of the domain between dots is longer than {MAX_LABEL_LENGTH} characters (encoded for DNS)"
        )
    if code in ("empty_label", "empty_domain"):
        return ValidationFailed("the domain has an empty part: two dots in a row, or a dot at the start")
    if code == "hyphen_start_end":
        return ValidationFailed("a part of the domain starts or ends with a hyphen")
    if code == "hyphen_3_4":
        return ValidationFailed(
            "a part of the domain has hyphens in its third and fourth places, which are kept for encoded names (xn--)"
        )
    if code in ("invalid_alabel", "non_canonical_alabel", "invalid_ascii"):
        return ValidationFailed("a part of the domain starting xn-- is not a valid encoded name")
    if code == "leading_combiner":
        return ValidationFailed(
            "a part of the domain starts with a combining mark (an accent without its letter)"
        )
    if code is not None and code.startswith("bidi_"):
        return ValidationFailed(
            "the domain mixes right-to-left and left-to-right text in a way domain names do not allow"
        )
    if code in ("contextj", "contexto") and codepoint is not None:
        return ValidationFailed(
            f"the domain has {_character(codepoint)} in a place where a domain name does not allow it"
        )
    if codepoint is not None:
        return ValidationFailed(
            f"the domain contains {_character(codepoint)}, which a domain name cannot hold: use letters, digits and hyphens"
        )
    return ValidationFailed("the domain is not a valid domain name")


def _character(codepoint: int) -> str:
    """A character named so the message shows it safely (a control or invisible one by number only)."""
    character = chr(codepoint)
    if character == " ":
        return "a space"
    if character.isprintable() and not character.isspace():
        return f"“{character}” (U+{codepoint:04X})"
    return f"an invisible or control character (U+{codepoint:04X})"
