"""`multipart/form-data` bodies (RFC 7578) read into form fields, for the postback's POST.

Small on purpose: the hot path imports it, and a postback carries a handful of short text fields.
Files are skipped. A body that does not follow the format is refused whole (`MalformedBody`), never
half-read: a transaction id lost from a half-read body would make a second sale look like a repeat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partnerka.common.errors import ValidationFailed

MAX_BOUNDARY_LENGTH = 70  # RFC 2046
_PARAMETER = re.compile(r';\s*([A-Za-z0-9_.*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


class MalformedBody(ValidationFailed):
    """The request's body cannot be read as the Content-Type it declares."""


@dataclass(frozen=True, slots=True)
class FormPart:
    name: bytes
    value: bytes
    charset: str | None  # from the part's own Content-Type, when it names one


def header_parameters(value: str) -> tuple[str, dict[str, str]]:
    """`text/plain; charset="windows-1251"` → (`text/plain`, {`charset`: `windows-1251`}); names lowercased."""
    main, _, rest = value.partition(";")
    parameters: dict[str, str] = {}
    for match in _PARAMETER.finditer(";" + rest):
        raw = match.group(2).strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        parameters.setdefault(match.group(1).lower(), raw)
    return main.strip().lower(), parameters


def form_parts(body: bytes, boundary: str) -> list[FormPart]:
    """The text fields of a multipart/form-data body, in order."""
    if not boundary or len(boundary) > MAX_BOUNDARY_LENGTH or not boundary.isascii():
        raise MalformedBody(
            "a multipart/form-data body needs a boundary of 1 to 70 characters in its Content-Type"
        )
    delimiter = b"--" + boundary.encode("ascii")
    sections = body.split(delimiter)
    parts: list[FormPart] = []
    for index, section in enumerate(sections[1:], start=1):
        if section.startswith(b"--"):
            if index == 1:
                break
            return parts  # the closing delimiter: the epilogue after it is ignored
        if index == len(sections) - 1:
            raise MalformedBody("the multipart body ends before its closing boundary")
        parts.extend(_part(section))
    raise MalformedBody("the multipart body holds no part delimited by its boundary")


def _part(section: bytes) -> list[FormPart]:
    newline = b"\r\n" if section.startswith(b"\r\n") else b"\n"
    if not section.startswith(newline):
        raise MalformedBody("a multipart boundary is not followed by a line break")
    head, separator, value = section[len(newline) :].partition(newline * 2)
    if not separator:
        raise MalformedBody("a multipart part has no blank line after its headers")
    if value.endswith(b"\r\n"):
        value = value[:-2]
    elif value.endswith(b"\n"):
        value = value[:-1]
    else:
        raise MalformedBody("a multipart part does not end with a line break before the boundary")
    headers: dict[str, str] = {}
    for line in head.split(newline):
        name, colon, text = line.decode("latin-1").partition(":")
        if not colon:
            raise MalformedBody("a multipart part has a malformed header line")
        headers[name.strip().lower()] = text.strip()
    disposition, options = header_parameters(headers.get("content-disposition", ""))
    if disposition != "form-data" or "name" not in options:
        raise MalformedBody("a multipart part has no Content-Disposition: form-data with a name")
    if "filename" in options:
        return []
    charset = header_parameters(headers.get("content-type", ""))[1].get("charset")
    return [FormPart(options["name"].encode("latin-1", errors="replace"), value, charset)]
