"""Landing-URL and postback-URL macros: `{name}` is replaced by the URL-encoded value."""

from __future__ import annotations

import re
from urllib.parse import quote

_MACRO = re.compile(r"\{([A-Za-z0-9_]+)\}")


def fill_macros(template: str, values: dict[str, str]) -> str:
    """Known macros get their URL-encoded value (empty when the visitor sent none); unknown ones stay.

    Leaving an unknown `{macro}` as is lets the advertiser see it in their own logs and fix the link,
    instead of the visitor getting an error.
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if name not in values:
            return match.group(0)
        return quote(values[name], safe="")

    return _MACRO.sub(replace, template)
