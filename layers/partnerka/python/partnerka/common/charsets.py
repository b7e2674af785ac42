"""Text out of request bytes that are not always UTF-8.

Russian advertisers' systems often send postbacks in Windows-1251. Read as UTF-8 with replacement
characters, `%C7%C0%CA%C0%C7-1` and `%C7%C0%CA%C0%C8-1` (two Cyrillic order numbers in cp1251)
became the same string of U+FFFD, two sales collapsed into one transaction id, and the second was
dropped as a duplicate. The rule here never merges two byte strings into one value:

1. a declared charset (a `charset` parameter or the Content-Type's) decodes strictly when it can;
2. otherwise UTF-8, when the bytes are valid UTF-8;
3. otherwise Windows-1251, when that reads as Cyrillic words (no Cyrillic letter touches a Latin
   one: Latin-1 `Müller` would read as `Mьller`, which is not a word in either alphabet);
4. otherwise UTF-8 with each undecodable byte kept as `\\xNN`.

Each step is one-to-one on its own bytes, so two different byte strings that take the same step
never give the same text. Across steps the same text means the same characters: a Cyrillic word
sent in cp1251 and in UTF-8 is one id. (Only a value that literally spells `\\xNN` could meet the
escape of a raw byte; no system writes such transaction ids.) Stdlib only: the hot paths import it.
"""

from __future__ import annotations

import codecs
import re

# What every charset a form or query can be written in keeps as is: the bytes of `a=b&%+;`.
_ASCII_PROBE = "a=b&%+;"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MIXED_WORD = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def codec_for(charset: str) -> str | None:
    """Python's codec for a charset name as HTTP writes it (`windows-1251`, `"UTF-8"`, `koi8-r`);
    None when the name is unknown or names no ASCII-compatible text encoding (UTF-16, base64)."""
    name = charset.strip().strip("\"'").strip()
    if not name or len(name) > 40:
        return None
    try:
        codec = codecs.lookup(name).name
        if _ASCII_PROBE.encode(codec) != _ASCII_PROBE.encode("ascii"):
            return None
    except (LookupError, ValueError, UnicodeError):
        return None
    return codec


def decode_text(raw: bytes, codec: str | None = None) -> str:
    """`raw` as text by the rule above; `codec` is the declared one (see `codec_for`), if any."""
    if codec is not None:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass  # declared wrongly: read it as if nothing had been declared
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        cyrillic = raw.decode("cp1251")
    except UnicodeDecodeError:
        cyrillic = ""
    if _CYRILLIC.search(cyrillic) and not _MIXED_WORD.search(cyrillic):
        return cyrillic
    return raw.decode("utf-8", errors="backslashreplace")
