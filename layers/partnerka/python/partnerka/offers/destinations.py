"""Where a click may send a visitor: the rule for landing and fallback URL templates.

A template is an absolute http(s) URL whose scheme, host and port are fixed when the offer is saved;
macros (`{click_id}`, `{sub1}`, …) may fill only its path, query and fragment, where their values are
URL-encoded. Otherwise `https://{sub1}/` would let any visitor choose where the platform's link
redirects (an open redirect on the advertiser's tracking domain). Control characters are refused
too: a CR/LF in a `Location` header injects headers into the click's response.

The rule belongs to offers, whose landings and fallback it guards: the offers service refuses such
templates when they are saved; the click path asks again before it redirects (cached per template),
so an offer stored before the rule existed falls back instead. Postback URLs share its control
character test. Stdlib only: the click path imports this module.
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_URL_LENGTH = 2000
# C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_IPV6_HOST = re.compile(r"^\[[0-9A-Fa-f:.]+\]$")


def has_control_character(text: str) -> bool:
    """A line break, tab or other control character: never part of a URL the platform sends or
    redirects to (a CR/LF injects headers)."""
    return _CONTROL.search(text) is not None


def destination_problem(template: str) -> str | None:
    """Why `template` may not be a landing or fallback URL, in words for the advertiser; None if it may."""
    if len(template) > MAX_URL_LENGTH:
        return f"is longer than {MAX_URL_LENGTH} characters"
    if has_control_character(template):
        return "contains a control character (a line break, tab or similar)"
    if "\\" in template:
        # Browsers read a backslash as a slash, so the host they see may differ from the one checked here.
        return "contains a backslash"
    if not _SCHEME.match(template):
        return "is not an absolute http(s) URL (https://host/path)"
    rest = template.split("://", 1)[1]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "{" in authority or "}" in authority:
        return "has a macro in its host or port: macros may fill only the path, query and fragment"
    if "@" in authority:
        return "names a user or password before its host (user@host), which hides the real destination"
    return _authority_problem(authority)


def _authority_problem(authority: str) -> str | None:
    host, port = authority, ""
    if authority.startswith("["):
        end = authority.find("]")
        host, port = authority[: end + 1], authority[end + 1 :]
        if end < 0 or not _IPV6_HOST.match(host) or (port and not port.startswith(":")):
            return "has a malformed host"
        port = port[1:]
    elif ":" in authority:
        host, port = authority.split(":", 1)
    labels = host.split(".") if not host.startswith("[") else []
    if not host or any(not label or not all(ch.isalnum() or ch == "-" for ch in label) for label in labels):
        return "has a malformed host"
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return "has a malformed port"
    return None


@lru_cache(maxsize=512)
def is_safe_destination(template: str) -> bool:
    """The click path's second look at a stored template (offers are few, so the cache holds them)."""
    return destination_problem(template) is None
