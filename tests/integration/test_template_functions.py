"""template.yaml and the functions agree: every route of the dashboard API is declared with the one
function that serves it (by method and path, no catch-all), the document function documents exactly
those routes, and a call a function's policy does not allow fails the test that made it, naming it."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from partnerka_local.template import SERVERLESS_FUNCTION, Template
from tests.conftest import ROOT, TEST_STACK
from tests.integration import aws_calls
from tests.integration.api_client import Api
from tests.integration.conftest import CONTEXT, TEMPLATE, FunctionLoader, http_event
from tests.integration.functions import API
from tests.integration.iam_policies import function_grants, unauthorized

DOCUMENT = "ApiDocumentFunction"


def functions_of(template: Template) -> list[str]:
    return template.of_type(SERVERLESS_FUNCTION)


def api_functions(stack: Template) -> list[str]:
    return [lid for lid in functions_of(stack) if stack.function_spec(lid).code_dir == API]


def declared(stack: Template, logical_id: str) -> set[tuple[str, str]]:
    """(method, path) of each route the template gives the function."""
    events = stack.function_spec(logical_id).events.values()
    return {(e["Properties"]["Method"], e["Properties"]["Path"]) for e in events if e["Type"] == "HttpApi"}


def served(app: Any) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of each route a resolver has."""
    return {(route.method, route.openapi_path) for route in app._static_routes + app._dynamic_routes}


def test_every_api_route_is_declared_with_the_one_function_that_serves_it(
    load_function: FunctionLoader,
) -> None:
    gateway = load_function("api")
    stack = load_function.stack
    everything: Counter[tuple[str, str]] = Counter()
    for logical_id in api_functions(stack):
        everything.update(declared(stack, logical_id))
        routes, template_routes = served(gateway.function(logical_id).app), declared(stack, logical_id)
        assert routes - template_routes == set(), f"{logical_id} serves routes the template does not give it"
        assert template_routes - routes == set(), f"the template gives {logical_id} routes it does not serve"
    assert [route for route, functions in everything.items() if functions > 1] == []
    # The document: of its own routes and every context's, and no other.
    assert served(gateway.function(DOCUMENT).documented()) == set(everything)


def test_every_route_is_a_method_and_a_path() -> None:
    template = Template(TEMPLATE, TEST_STACK)
    for logical_id in functions_of(template):
        for name, event in template.function_properties(logical_id).get("Events", {}).items():
            if event["Type"] != "HttpApi":
                continue
            method, path = (
                event["Properties"].get("Method", "ANY"),
                event["Properties"].get("Path", "$default"),
            )
            assert method != "ANY", f"{logical_id}.{name}"
            assert path != "$default", f"{logical_id}.{name}"
            assert "+}" not in path, f"{logical_id}.{name}: a greedy path"


def test_a_payout_a_top_up_decision_and_a_click_inspection_are_two_hops_from_the_template(
    load_function: FunctionLoader,
) -> None:
    """Template route → the route function (in its context's route module) → one service call."""
    gateway = load_function("api")
    for method, path, module, service in (
        ("POST", "/api/finance/payouts", "routes.finance", "finance().payouts"),
        ("POST", "/api/finance/topup-requests/{request_id}/{decision}", "routes.finance", "finance().topups"),
        ("GET", "/api/clicks/{click_id}", "routes.clicks", "click_inspector()"),
    ):
        (route,) = [r for r in gateway.routes if (r.method, r.path) == (method, path)]
        app = gateway.function(route.function).app
        (func,) = [
            r.func
            for r in app._static_routes + app._dynamic_routes
            if (r.method, r.openapi_path) == (method, path)
        ]
        assert func.__module__ == module
        source = (ROOT / "functions" / "api" / module.replace(".", "/")).with_suffix(".py").read_text()
        body = source[source.index(f"def {func.__name__}(") :].split("\n\n\n")[0]
        assert service in body, (path, func.__name__)


# ---------------------------------------------------------------------- permissions
CUTS = [
    # The account function reading users by key: its core table's GetItem cut from one line.
    (
        "ApiAccountFunction",
        "[dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem,",
        "[dynamodb:Query, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem,",
        "dynamodb:GetItem",
        "CoreTable",
    ),
    # The click function loading an offer's route: its SAM policy template on the core table cut.
    (
        "ClickFunction",
        "            SecretArn: !Ref EdgeSecret\n        - DynamoDBReadPolicy:\n            TableName: !Ref CoreTable\n        - DynamoDBWritePolicy:\n            TableName: !Ref ClicksTable",
        "            SecretArn: !Ref EdgeSecret\n        - DynamoDBWritePolicy:\n            TableName: !Ref ClicksTable",
        "dynamodb:BatchGetItem",
        "CoreTable",
    ),
]


@pytest.mark.parametrize(("function", "line", "cut", "action", "table"), CUTS)
def test_a_call_the_policy_does_not_allow_is_named_with_its_function_action_and_resource(
    load_function: FunctionLoader,
    stack: Template,
    function: str,
    line: str,
    cut: str,
    action: str,
    table: str,
) -> None:
    text = TEMPLATE.read_text()
    assert text.count(line) == 1
    start = aws_calls.mark()
    if function == "ClickFunction":
        query = "o=01JZZ000000000000000000000&a=01JZZ000000000000000000001"  # ids of nothing
        click = load_function("click").handler(http_event("GET", "/click", query), CONTEXT)
        assert click["statusCode"] == 404
    else:
        assert Api(load_function("api")).call("GET", "/api/join/no-such-code").status == 404
    calls = aws_calls.since(start)
    assert unauthorized(calls, function_grants(text, stack)) == []
    problems = unauthorized(calls, function_grants(text.replace(line, cut), stack))
    arn = re.escape(stack.get_att(table, "Arn"))
    assert problems
    assert all(
        re.fullmatch(rf"{function} called \S+, which needs {action} on {arn}: .+", p) for p in problems
    )
