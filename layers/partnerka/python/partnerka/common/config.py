"""Settings, read from a function's environment once, at cold start.

Each set of services declares the settings it is built from as a frozen dataclass, one field per
variable (the field's name in capitals), and a function reads the ones of the services it builds
when it starts; template.yaml gives each function exactly those variables. No setting that names a
resource has a default: a variable that is missing or malformed stops the cold start with a
ConfigurationError that names it, rather than letting the function talk to a table of a default
name. A field with a default is a tunable the template may leave out.

Plain dataclasses, no pydantic: the click and postback functions read their settings the same way.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from typing import Any, get_type_hints
from urllib.parse import urlsplit

TEMPLATE_HINT = "see the function's Environment in template.yaml"


class ConfigurationError(RuntimeError):
    """A setting the function cannot start without is missing or malformed: raised at cold start."""


def setting(
    parse: Callable[[str, str], Any] | None = None,
    hint: str = TEMPLATE_HINT,
    default: Any = dataclasses.MISSING,
) -> Any:
    """A settings field read by `parse(variable, value)` (which raises ConfigurationError for a value
    it cannot use); `hint` says where the value comes from when it is missing."""
    return dataclasses.field(default=default, metadata={"parse": parse, "hint": hint})


def _text(_: str, value: str) -> str:
    return value


def _whole_number(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} is '{value}': a whole number is required") from None


def _number(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ConfigurationError(f"{name} is '{value}': a number is required") from None


_PARSERS: dict[Any, Callable[[str, str], Any]] = {str: _text, int: _whole_number, float: _number}


def read_settings[S](kind: type[S], environ: Mapping[str, str] | None = None) -> S:
    """`kind` (a dataclass of settings) filled from `environ` (the process environment): each field
    from the variable of its name in capitals, blank counting as missing."""
    env = os.environ if environ is None else environ
    types = get_type_hints(kind)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(kind):  # type: ignore[arg-type]
        variable = field.name.upper()
        raw = env.get(variable, "").strip()
        if not raw:
            if field.default is dataclasses.MISSING:
                hint = field.metadata.get("hint", TEMPLATE_HINT)
                raise ConfigurationError(f"{variable} is not set ({hint})")
            values[field.name] = field.default
            continue
        parse = field.metadata.get("parse") or _PARSERS[types[field.name]]
        values[field.name] = parse(variable, raw)
    return kind(**values)


def base_url(name: str, value: str) -> str:
    """A public URL of the platform (https://app.example.com[/path]), without a trailing slash.

    Links in e-mails point at the configured URL, never at a request's Host or X-Forwarded-Host
    header: those are the caller's to choose, and a reset link on the caller's host would hand them
    the victim's token."""
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(
            f"{name} is '{value}': links in e-mails (verification, password reset, invitations) need the"
            " dashboard's public URL, such as https://app.example.com (the template's AppBaseUrl"
            " parameter)"
        )
    return value.rstrip("/")


APP_BASE_URL_HINT = (
    "the dashboard's public URL, such as https://app.example.com: the template's AppBaseUrl parameter"
)


def flag(name: str, value: str) -> bool:
    """`true` or `false` (a template parameter's AllowedValues), in any case."""
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise ConfigurationError(f"{name} is '{value}': true or false is required")
    return lowered == "true"


def host_names(_: str, value: str) -> tuple[str, ...]:
    """A comma-separated list of host names, lower-cased."""
    return tuple(d.strip().lower() for d in value.split(",") if d.strip())
