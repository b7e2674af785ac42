"""The functions of template.yaml, loaded in the test process as Lambda runs them: each handler module
imported with only its own environment and its own copies of the function's modules, as at a cold
start, and handed back warm to every later test that asks with the same environment (importing an API
function costs a fraction of a second; the stack is emptied between tests, so what a warm instance
keeps is its own caches, as on Lambda); the dashboard API behind API Gateway's routing, each request
handed to the function whose route matches. Every AWS call a function makes is attributed to it
(tests.integration.aws_calls)."""

from __future__ import annotations

import importlib.util
import os
import sys
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from partnerka_local.http import Route, find_route, function_routes
from partnerka_local.template import SERVERLESS_FUNCTION, FunctionSpec, Template
from tests.conftest import ROOT
from tests.integration import aws_calls

FUNCTIONS = (ROOT / "functions").resolve()
API = FUNCTIONS / "api"
# The layers' paths (the country database, the fonts): tests/conftest.py points them into .local.
LAYER_PATHS = ("GEOIP_DB_PATH", "FONTS_DIR")
# Warm instances: by function and the whole environment it started in.
_WARM: dict[tuple[str, frozenset[tuple[str, str]]], ModuleType] = {}
NOT_FOUND = {
    "statusCode": 404,
    "headers": {"content-type": "application/json"},
    "body": '{"message":"Not Found"}',
}


# Each template's function specs, with what they were resolved from.
_SPECS: weakref.WeakKeyDictionary[Template, tuple[Hashable, dict[str, FunctionSpec]]] = (
    weakref.WeakKeyDictionary()
)


def resolved_from(stack: Template) -> Hashable:
    """What a template's resolved values depend on besides its text: its parameters (a test may change
    one) and the physical ids and attributes known so far (a stack built anew may name its secrets
    differently)."""
    return (repr(sorted(stack.parameters.items())), tuple(stack.refs.items()), tuple(stack.attrs.items()))


def function_specs(stack: Template) -> dict[str, FunctionSpec]:
    """Every function's spec, resolved once for each set of parameters and names the stack has had: every
    test asks for them (its environment, each function it loads), and resolving the template's
    functions took 50 ms. The answer is shared: never change it."""
    state = resolved_from(stack)
    kept = _SPECS.get(stack)
    if kept is None or kept[0] != state:
        kept = (state, {lid: stack.function_spec(lid) for lid in stack.of_type(SERVERLESS_FUNCTION)})
        _SPECS[stack] = kept
    return kept[1]


def template_variables(stack: Template) -> dict[str, str]:
    """Every variable any function of the template is given, with its value (one value each)."""
    found: dict[str, str] = {}
    for spec in function_specs(stack).values():
        for name, value in spec.environment.items():
            assert found.setdefault(name, value) == value, f"{name} differs between functions"
    return found


class Functions:
    """Loads the functions of `stack`, each with its template environment only."""

    def __init__(self, stack: Template, add_path: Callable[[str], None]) -> None:
        self.stack = stack
        self.add_path = add_path
        self._variables = set(template_variables(stack))
        self.stand_ins: dict[str, str] = {}

    def stand_in(self, substitute: str, table: str) -> None:
        """A test's own table `substitute` plays the stack's `table` for a function (a fresh table per
        property run): the function's calls to it are authorized as calls to `table`."""
        self.stand_ins[substitute] = table

    def __call__(self, name: str) -> Any:
        """functions/<name>'s function, loaded; "api": the dashboard API behind API Gateway."""
        if name == "api":
            return ApiGateway(self)
        code_dir = FUNCTIONS / name
        (logical_id,) = [
            lid for lid in self.stack.of_type(SERVERLESS_FUNCTION) if self.spec(lid).code_dir == code_dir
        ]
        return self.load(logical_id)

    def spec(self, logical_id: str) -> FunctionSpec:
        return function_specs(self.stack)[logical_id]

    def load(
        self,
        logical_id: str,
        without: Iterable[str] = (),
        cold: bool = False,
        overrides: Mapping[str, str] | None = None,
    ) -> ModuleType:
        """`logical_id`'s handler module (its environment less the variables `without`, with
        `overrides`, as another stage's parameters would give it), whose handler's AWS calls are the
        function's: a warm instance when one started in the same environment, unless `cold`."""
        spec = self.spec(logical_id)
        environment = self._own_environment(spec, set(without)) | dict(overrides or {})
        instance = (logical_id, frozenset(i for i in environment.items() if i[0] != "PYTEST_CURRENT_TEST"))
        if instance in _WARM and not cold:
            return _WARM[instance]
        module_path, _, attribute = spec.handler.rpartition(".")
        source = spec.code_dir / f"{module_path.replace('.', '/')}.py"
        self.add_path(str(spec.code_dir))
        inside = f"{spec.code_dir}{os.sep}"
        for name in [
            n for n, m in sys.modules.items() if (getattr(m, "__file__", None) or "").startswith(inside)
        ]:
            del sys.modules[name]  # each function imports its own copies, as its own process would
        loader = importlib.util.spec_from_file_location(f"function_{logical_id}", source)
        assert loader is not None
        assert loader.loader is not None
        module = importlib.util.module_from_spec(loader)
        sys.modules[loader.name] = module  # as an import leaves it (dataclasses look their module up)
        with _environment(environment), aws_calls.running(logical_id):
            loader.loader.exec_module(module)
        setattr(module, attribute, aws_calls.as_function(logical_id, getattr(module, attribute)))
        _WARM[instance] = module
        return module

    def _own_environment(self, spec: FunctionSpec, without: set[str]) -> dict[str, str]:
        """The process environment as the function's own: none of the other functions' variables."""
        own = {k: v for k, v in os.environ.items() if k not in self._variables}
        for name, value in spec.environment.items():
            own[name] = os.environ[name] if name in LAYER_PATHS else value
        for name in without:
            own.pop(name, None)
        return own


@contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """Within: exactly `variables` as the process environment; after, the test's own again."""
    before = dict(os.environ)
    os.environ.clear()
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)


class ApiGateway:
    """The HTTP API of template.yaml in front of the API functions: a request goes to the function
    whose route matches its method and path (the most specific route first, as API Gateway picks),
    loaded at its first request; a request no route matches is API Gateway's own 404, which no
    function sees."""

    def __init__(self, functions: Functions) -> None:
        self.functions = functions
        api = [
            lid for lid in functions.stack.of_type(SERVERLESS_FUNCTION) if functions.spec(lid).code_dir == API
        ]
        self.routes = function_routes({lid: functions.spec(lid) for lid in api})
        self._loaded: dict[str, ModuleType] = {}

    def route(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        return find_route(self.routes, method, path)

    def function(self, logical_id: str) -> ModuleType:
        """The API function `logical_id`, loaded at its first use."""
        if logical_id not in self._loaded:
            self._loaded[logical_id] = self.functions.load(logical_id)
        return self._loaded[logical_id]

    def handler(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        found = self.route(event["requestContext"]["http"]["method"], event["rawPath"])
        if found is None:
            return dict(NOT_FOUND)
        route, parameters = found
        routed = {
            **event,
            "routeKey": route.route_key,
            "requestContext": {**event["requestContext"], "routeKey": route.route_key},
        }
        if parameters:
            routed["pathParameters"] = parameters
        result: dict[str, Any] = self.function(route.function).handler(routed, context)
        return result
