"""Landing-URL and postback-URL macros: `{name}` is replaced by the URL-encoded value."""

from __future__ import annotations

import re
from urllib.parse import quote

MACRO_PATTERN = re.compile(r"\{([A-Za-z0-9_]+)\}")


def fill_macros(template: str, values: dict[str, str]) -> str:
    """Every `{macro}` becomes its URL-encoded value; an unknown one or one without a value becomes
    empty, so a typo in a link never shows the visitor a raw `{macro}` (nor errors)."""

    def replace(match: re.Match[str]) -> str:
        return quote(values.get(match.group(1).lower(), ""), safe="")

    return MACRO_PATTERN.sub(replace, template)
