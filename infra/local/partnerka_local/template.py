"""Reading a SAM template: parameters, conditions, intrinsic functions and the Globals merge."""

from __future__ import annotations

import base64
import copy
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samtranslator.yaml_helper import yaml_parse

log = logging.getLogger(__name__)

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
PARTITION = "aws"
URL_SUFFIX = "amazonaws.com"

SERVERLESS_FUNCTION = "AWS::Serverless::Function"
SERVERLESS_LAYER = "AWS::Serverless::LayerVersion"

_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


class TemplateError(Exception):
    """The template uses something this runtime cannot evaluate."""


class UnresolvedReference(TemplateError):
    """A Ref/GetAtt points at a resource whose physical id is not known yet."""


class _NoValue:
    """Marker for AWS::NoValue; removed from the enclosing dict or list after resolution."""


NO_VALUE = _NoValue()


@dataclass
class FunctionSpec:
    """Everything needed to run one AWS::Serverless::Function, with Globals merged and intrinsics resolved."""

    logical_id: str
    name: str
    arn: str
    code_dir: Path
    handler: str
    timeout: float
    memory_mb: int
    runtime: str
    environment: dict[str, str]
    layer_dirs: list[Path]
    events: dict[str, dict[str, Any]] = field(default_factory=dict)


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise TemplateError(f"expected a scalar, got {value!r}")


def merge_globals(global_props: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """SAM's Globals rule: maps merge recursively (the resource wins), lists concatenate (globals first)."""
    merged: dict[str, Any] = copy.deepcopy(dict(global_props))
    for key, value in own.items():
        base = merged.get(key)
        if isinstance(base, dict) and isinstance(value, dict):
            merged[key] = merge_globals(base, value)
        elif isinstance(base, list) and isinstance(value, list):
            merged[key] = base + copy.deepcopy(value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


# Parameters whose AWS default names a service the local platform plays otherwise: moto's Athena runs
# no SQL (it answers canned rows), so the local platform and the tests query the analytics store's
# Parquet with DuckDB. An override still wins.
LOCAL_DEFAULTS = {"AnalyticsEngine": "duckdb"}


class Template:
    """A parsed template plus the physical ids known so far; resolves intrinsics against both."""

    def __init__(self, path: Path, stack_name: str, parameter_overrides: Mapping[str, str] | None = None):
        self.path = path.resolve()
        self.base_dir = self.path.parent
        self.stack_name = stack_name
        doc = yaml_parse(self.path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict):
            raise TemplateError(f"{path}: not a template")
        self.doc: dict[str, Any] = doc
        self.parameters = self._parameters(parameter_overrides or {})
        self._conditions: dict[str, bool] = {}
        # Physical ids (what Ref returns) and attributes (what GetAtt returns), filled as resources appear.
        self.refs: dict[str, Any] = {}
        self.attrs: dict[tuple[str, str], Any] = {}
        self.resources: dict[str, dict[str, Any]] = {
            logical_id: res
            for logical_id, res in (self.doc.get("Resources") or {}).items()
            if self._resource_enabled(logical_id, res)
        }

    # ------------------------------------------------------------------ parameters and conditions
    def _parameters(self, overrides: Mapping[str, str]) -> dict[str, Any]:
        declared: dict[str, Any] = self.doc.get("Parameters") or {}
        unknown = set(overrides) - set(declared)
        if unknown:
            raise TemplateError(f"unknown parameters: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for name, decl in declared.items():
            if name in overrides:
                raw: Any = overrides[name]
            elif name in LOCAL_DEFAULTS:
                raw = LOCAL_DEFAULTS[name]
            elif "Default" in decl:
                raw = decl["Default"]
            else:
                raise TemplateError(f"parameter {name} has no default and no override")
            allowed = decl.get("AllowedValues")
            if allowed is not None and _stringify(raw) not in [_stringify(a) for a in allowed]:
                raise TemplateError(f"parameter {name}={raw!r} not in {allowed}")
            kind = str(decl.get("Type", "String"))
            if kind == "CommaDelimitedList" or kind.startswith("List<"):
                values[name] = (
                    raw if isinstance(raw, list) else [s.strip() for s in _stringify(raw).split(",")]
                )
            else:
                values[name] = _stringify(raw)
        return values

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            conditions: dict[str, Any] = self.doc.get("Conditions") or {}
            if name not in conditions:
                raise TemplateError(f"unknown condition {name}")
            self._conditions[name] = bool(self._condition_value(conditions[name]))
        return self._conditions[name]

    def _condition_value(self, expr: Any) -> Any:
        if isinstance(expr, dict) and len(expr) == 1:
            ((key, arg),) = expr.items()
            if key == "Condition":
                return self.condition(str(arg))
            if key == "Fn::Equals":
                left, right = (self._condition_value(a) for a in arg)
                return _stringify(left) == _stringify(right)
            if key == "Fn::Not":
                return not self._condition_value(arg[0])
            if key == "Fn::And":
                return all(self._condition_value(a) for a in arg)
            if key == "Fn::Or":
                return any(self._condition_value(a) for a in arg)
        return self.resolve(expr)

    def _resource_enabled(self, logical_id: str, res: Mapping[str, Any]) -> bool:
        cond = res.get("Condition")
        if cond is None:
            return True
        enabled = self.condition(str(cond))
        if not enabled:
            log.info("resource %s skipped: condition %s is false", logical_id, cond)
        return enabled

    # ------------------------------------------------------------------ intrinsics
    def pseudo(self, name: str) -> Any:
        return {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": f"arn:{PARTITION}:cloudformation:{REGION}:{ACCOUNT_ID}:stack/{self.stack_name}/local",
            "AWS::Partition": PARTITION,
            "AWS::URLSuffix": URL_SUFFIX,
            "AWS::NoValue": NO_VALUE,
            "AWS::NotificationARNs": [],
        }.get(name)

    def ref(self, name: str) -> Any:
        if name.startswith("AWS::"):
            value = self.pseudo(name)
            if value is None:
                raise TemplateError(f"unknown pseudo parameter {name}")
            return value
        if name in self.parameters:
            return self.parameters[name]
        if name in self.refs:
            return self.refs[name]
        if name in self.resources:
            raise UnresolvedReference(name)
        raise TemplateError(f"Ref to unknown name {name}")

    def get_att(self, logical_id: str, attr: str) -> Any:
        if (logical_id, attr) in self.attrs:
            return self.attrs[(logical_id, attr)]
        if logical_id in self.resources:
            if logical_id in self.refs:
                raise TemplateError(f"GetAtt {logical_id}.{attr} is not supported by the local runtime")
            raise UnresolvedReference(logical_id)
        raise TemplateError(f"GetAtt to unknown resource {logical_id}")

    def resolve(self, value: Any) -> Any:
        """Evaluate every intrinsic inside value; AWS::NoValue entries disappear."""
        result = self._resolve(value)
        return None if result is NO_VALUE else result

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self._resolve(v) for v in value]
            return [v for v in items if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(str(arg))
            if key.startswith("Fn::"):
                return self._function(key, arg)
        resolved = {k: self._resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def _function(self, key: str, arg: Any) -> Any:
        if key == "Fn::GetAtt":
            logical_id, attr = arg.split(".", 1) if isinstance(arg, str) else self._resolve(arg)
            return self.get_att(str(logical_id), str(attr))
        if key == "Fn::Sub":
            if isinstance(arg, list):
                text, variables = arg[0], self._resolve(arg[1])
            else:
                text, variables = arg, {}
            return self._sub(str(text), variables)
        if key == "Fn::Join":
            sep, items = arg[0], self._resolve(arg[1])
            return str(sep).join(_stringify(i) for i in items)
        if key == "Fn::Select":
            index, items = self._resolve(arg[0]), self._resolve(arg[1])
            return items[int(index)]
        if key == "Fn::Split":
            sep, text = arg[0], self._resolve(arg[1])
            return _stringify(text).split(str(sep))
        if key == "Fn::If":
            name, when_true, when_false = arg
            return self._resolve(when_true if self.condition(str(name)) else when_false)
        if key in ("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"):
            return self._condition_value({key: arg})
        if key == "Fn::Base64":
            return base64.b64encode(_stringify(self._resolve(arg)).encode()).decode()
        if key == "Fn::FindInMap":
            map_name, top, second = (_stringify(self._resolve(a)) for a in arg)
            return (self.doc.get("Mappings") or {})[map_name][top][second]
        if key == "Fn::GetAZs":
            return [f"{REGION}{z}" for z in "abc"]
        raise TemplateError(f"unsupported intrinsic {key}")

    def _sub(self, text: str, variables: Mapping[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return _stringify(variables[name])
            if "." in name and not name.startswith("AWS::"):
                logical_id, attr = name.split(".", 1)
                return _stringify(self.get_att(logical_id, attr))
            return _stringify(self.ref(name))

        return _SUB_VAR.sub(replace, text)

    # ------------------------------------------------------------------ structure
    def dependencies(self, logical_id: str) -> set[str]:
        """Other resources this one refers to (Ref, GetAtt, Sub, DependsOn)."""
        res = self.resources[logical_id]
        found: set[str] = set()
        depends = res.get("DependsOn") or []
        found.update([depends] if isinstance(depends, str) else depends)

        def walk(value: Any) -> None:
            if isinstance(value, list):
                for v in value:
                    walk(v)
            elif isinstance(value, dict):
                for key, arg in value.items():
                    if key == "Ref" and isinstance(arg, str):
                        found.add(arg)
                    elif key == "Fn::GetAtt":
                        found.add(arg.split(".", 1)[0] if isinstance(arg, str) else str(arg[0]))
                    elif key == "Fn::Sub":
                        text = arg[0] if isinstance(arg, list) else arg
                        for name in _SUB_VAR.findall(str(text)):
                            found.add(name.split(".", 1)[0])
                    walk(arg)

        walk(res.get("Properties") or {})
        return {d for d in found if d in self.resources and d != logical_id}

    def creation_order(self) -> list[str]:
        """Resources sorted so that every resource comes after the ones it refers to."""
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(logical_id: str, trail: tuple[str, ...]) -> None:
            if state.get(logical_id) == 2:
                return
            if state.get(logical_id) == 1:
                raise TemplateError(f"circular reference: {' -> '.join((*trail, logical_id))}")
            state[logical_id] = 1
            for dep in sorted(self.dependencies(logical_id)):
                visit(dep, (*trail, logical_id))
            state[logical_id] = 2
            order.append(logical_id)

        for logical_id in self.resources:
            visit(logical_id, ())
        return order

    def add_resources(self, resources: Mapping[str, Mapping[str, Any]]) -> None:
        """Resources beside the template's own (a benchmark's function and its table), written as
        the parsed template writes them ({"Ref": ...} for !Ref); a name already taken is refused."""
        taken = set(resources) & set(self.doc.get("Resources") or {})
        if taken:
            raise TemplateError(f"the template already declares {sorted(taken)}")
        for logical_id, resource in resources.items():
            self.doc.setdefault("Resources", {})[logical_id] = copy.deepcopy(dict(resource))
            if self._resource_enabled(logical_id, self.doc["Resources"][logical_id]):
                self.resources[logical_id] = self.doc["Resources"][logical_id]

    def of_type(self, resource_type: str) -> list[str]:
        return [lid for lid, res in self.resources.items() if res.get("Type") == resource_type]

    def function_properties(self, logical_id: str) -> dict[str, Any]:
        """Raw properties of a function with Globals.Function merged in (intrinsics not yet resolved)."""
        globals_fn: dict[str, Any] = (self.doc.get("Globals") or {}).get("Function") or {}
        return merge_globals(globals_fn, self.resources[logical_id].get("Properties") or {})

    def layer_python_dir(self, layer: dict[str, Any], content: str) -> Path:
        """The folder of a layer that lands at /opt/python on Lambda, as `sam build` lays it out.

        A layer is unpacked at /opt and Python finds /opt/python. Without a BuildMethod the layer is
        its ContentUri as it stands, so its `python/` folder is what Python sees; with one, SAM's
        builder installs the ContentUri (its requirements.txt and its source) into `python/`, so the
        ContentUri itself is what Python sees.
        """
        built = bool((layer.get("Metadata") or {}).get("BuildMethod"))
        root = self.base_dir / content
        return (root if built else root / "python").resolve()

    def function_spec(self, logical_id: str) -> FunctionSpec:
        raw = self.function_properties(logical_id)
        layer_dirs: list[Path] = []
        for layer in raw.get("Layers") or []:
            target = layer.get("Ref") if isinstance(layer, dict) else None
            res = self.resources.get(str(target)) if target else None
            if res is None or res.get("Type") != SERVERLESS_LAYER:
                log.warning("%s: layer %r is not a local LayerVersion; ignored", logical_id, layer)
                continue
            content = self.resolve((res.get("Properties") or {}).get("ContentUri"))
            if not isinstance(content, str):
                log.warning("%s: layer %s has no local ContentUri; ignored", logical_id, target)
                continue
            layer_dirs.append(self.layer_python_dir(res, content))
        props = self.resolve({k: v for k, v in raw.items() if k != "Layers"})
        code_uri = props.get("CodeUri")
        if not isinstance(code_uri, str):
            raise TemplateError(f"{logical_id}: CodeUri must be a local directory")
        variables = (props.get("Environment") or {}).get("Variables") or {}
        return FunctionSpec(
            logical_id=logical_id,
            name=str(self.refs[logical_id]),
            arn=str(self.attrs[(logical_id, "Arn")]),
            code_dir=(self.base_dir / code_uri).resolve(),
            handler=str(props.get("Handler", "app.handler")),
            timeout=float(props.get("Timeout", 3)),
            memory_mb=int(props.get("MemorySize", 128)),
            runtime=str(props.get("Runtime", "python3.13")),
            environment={str(k): _stringify(v) for k, v in variables.items()},
            layer_dirs=layer_dirs,
            events={str(k): v for k, v in (props.get("Events") or {}).items()},
        )
