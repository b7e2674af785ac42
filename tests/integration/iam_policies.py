"""What each function of template.yaml may do: its role's policies as aws-sam-translator writes them
(SAM policy templates expanded by SAM itself), resolved against a stack's physical names, and the
calls a function made that they do not allow."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import weakref
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import samtranslator
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

from partnerka_local.template import REGION, Template
from tests.integration.aws_calls import UNKNOWN, Access, Call
from tests.integration.functions import resolved_from


class StubPolicyLoader:
    """Managed-policy ARNs without calling IAM (the translator only needs names to resolve)."""

    def load(self) -> dict[str, str]:
        return {}


def translate(text: str) -> dict[str, Any]:
    """Translate as `sam deploy` would after `sam package`: code locations become S3 URIs."""
    document = yaml_parse(text)
    for resource in document["Resources"].values():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str):
                props[key] = f"s3://partnerka-artifacts/{props[key].strip('/')}.zip"
    return transform(document, {"AWS::Region": REGION}, StubPolicyLoader())  # type: ignore[no-any-return]


CACHE = Path(__file__).resolve().parents[2] / ".local" / "cache" / "sam-translated"
# Translations kept on disk, the most recently used: the template's own, and the few altered copies
# tests translate on every run (test_template_functions cuts a line from one function's policy).
# Keeping only the latest one made each run translate the template anew after those copies.
KEPT_TRANSLATIONS = 8


@cache
def translated(text: str) -> dict[str, Any]:
    """`translate`, once per process for each text, and kept on disk by the text's and the
    translator's digest: it takes seconds of CPU, which every test process would otherwise spend
    again on every run. The answer is shared: never change it."""
    digest = hashlib.sha256(f"{samtranslator.__version__}\n{text}".encode()).hexdigest()
    kept = CACHE / f"{digest}.json"
    try:
        document: dict[str, Any] = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    else:
        with contextlib.suppress(OSError):  # used: the last to go
            kept.touch()
        return document
    document = translate(text)
    CACHE.mkdir(parents=True, exist_ok=True)
    by_use = sorted(CACHE.glob("*.json"), key=_last_use, reverse=True)
    for old in by_use[KEPT_TRANSLATIONS - 1 :]:  # older templates', or copies no test makes any more
        old.unlink(missing_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.tmp")  # two processes may write it at once
    partial.write_text(json.dumps(document), encoding="utf-8")
    partial.replace(kept)
    return document


def _last_use(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # another process took it away
        return 0.0


def _pattern(value: str, case_sensitive: bool) -> re.Pattern[str]:
    """An IAM wildcard (`*` any run, `?` one character) as a regular expression."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in value)
    return re.compile(f"^{body}$", 0 if case_sensitive else re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Grant:
    """One Allow statement: its actions and resources, as patterns."""

    actions: tuple[re.Pattern[str], ...]
    resources: tuple[re.Pattern[str], ...]

    def allows(self, access: Access) -> bool:
        return any(a.match(access.action) for a in self.actions) and any(
            r.match(access.resource) for r in self.resources
        )


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _grants(document: Mapping[str, Any], where: str) -> list[Grant]:
    grants = []
    for statement in _listed(document.get("Statement", [])):
        unsupported = set(statement) - {"Effect", "Action", "Resource", "Sid"}
        if unsupported or statement.get("Effect") != "Allow":
            # Deny, NotAction, Condition...: nothing here writes them, and this check would misjudge them.
            raise ValueError(f"{where}: a statement this check cannot evaluate: {statement}")
        grants.append(
            Grant(
                tuple(_pattern(str(a), False) for a in _listed(statement["Action"])),
                tuple(_pattern(str(r), True) for r in _listed(statement["Resource"])),
            )
        )
    return grants


# Each template's grants, by the text they were read from and what they were resolved from.
_GRANTS: weakref.WeakKeyDictionary[Template, dict[tuple[str, Hashable], dict[str, list[Grant]]]] = (
    weakref.WeakKeyDictionary()
)


def function_grants(text: str, stack: Template) -> dict[str, list[Grant]]:
    """Each function's inline role policies (template `text`), resolved with `stack`'s names: once for
    each text and state of the stack, since every test that loads a function checks its calls against
    them, and resolving them and their six hundred patterns took 60 ms. The answer is shared: never
    change it."""
    kept = _GRANTS.setdefault(stack, {})
    key = (text, resolved_from(stack))
    if key not in kept:
        kept[key] = _resolved_grants(text, stack)
    return kept[key]


def _resolved_grants(text: str, stack: Template) -> dict[str, list[Grant]]:
    resources = translated(text)["Resources"]
    found: dict[str, list[Grant]] = {}
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        role = resource["Properties"]["Role"]
        if not (isinstance(role, dict) and "Fn::GetAtt" in role):
            raise ValueError(f"{logical_id}: a role from outside the template cannot be checked")
        role_id = role["Fn::GetAtt"][0]
        grants: list[Grant] = []
        for policy in resources[role_id]["Properties"].get("Policies", []):
            grants += _grants(stack.resolve(policy["PolicyDocument"]), f"{logical_id}.{policy['PolicyName']}")
        found[logical_id] = grants
    return found


def unauthorized(
    calls: Iterable[Call], grants: Mapping[str, list[Grant]], stand_ins: Mapping[str, str] | None = None
) -> list[str]:
    """What the functions did that their policies do not allow, one line per (function, action,
    resource), first seen first. `stand_ins`: a test's own table → the stack's table it plays."""
    problems: dict[str, None] = {}
    for call in calls:
        allowed = grants.get(call.function)
        for needed in call.needs:
            access = _as_stack_table(needed, stand_ins or {})
            if access.resource == UNKNOWN:
                problems[f"{call.function}: {call.operation} on a resource this check cannot name"] = None
            elif allowed is None:
                problems[f"{call.function}: not a function of the template ({access.action})"] = None
            elif not any(grant.allows(access) for grant in allowed):
                problems[
                    f"{call.function} called {call.operation}, which needs {access.action} on "
                    f"{access.resource}: its policy does not allow it"
                ] = None
    return list(problems)


def _as_stack_table(access: Access, stand_ins: Mapping[str, str]) -> Access:
    table, _, rest = access.resource.partition(":table/")
    name, slash, index = rest.partition("/")
    if rest and name in stand_ins:
        return Access(access.action, f"{table}:table/{stand_ins[name]}{slash}{index}")
    return access
