"""Each function reads its settings from its own environment at cold start: it starts with the
variables template.yaml gives it, and refuses to start without any one of them, naming it."""

from __future__ import annotations

from functools import cache

import pytest

from partnerka.common.config import ConfigurationError
from partnerka_local.template import SERVERLESS_FUNCTION, Template
from tests.conftest import TEST_STACK
from tests.integration.conftest import TEMPLATE, FunctionLoader

# Settings whose empty value means something, so they may be left out: an empty whitelist of postback
# domains (any public host), no platform domain of its own (the distribution's), the system's resolvers,
# Stripe's own API.
OPTIONAL = {
    "POSTBACK_ALLOWED_DOMAINS",
    "PLATFORM_DOMAINS",
    "DNS_NAMESERVERS",
    "STRIPE_API_BASE_URL",
    # the platform's legal details on its invoices: printed when given, left off when not
    "PLATFORM_LEGAL_NAME",
    "PLATFORM_LEGAL_ADDRESS",
    "PLATFORM_TAX_ID",
    "PLATFORM_BANK_DETAILS",
}


@cache  # both parametrizations below ask; each asking parsed the template again
def own_variables() -> list[tuple[str, str]]:
    """(function, variable) for each variable in a function's own Environment in the template (the
    Globals give Powertools' settings only)."""
    template = Template(TEMPLATE, TEST_STACK)
    return [
        (logical_id, name)
        for logical_id in template.of_type(SERVERLESS_FUNCTION)
        for name in template.resources[logical_id]["Properties"].get("Environment", {}).get("Variables", {})
    ]


def test_every_function_starts_from_its_template_environment(load_function: FunctionLoader) -> None:
    for logical_id in load_function.stack.of_type(SERVERLESS_FUNCTION):
        assert callable(load_function.load(logical_id, cold=True).handler), logical_id


@pytest.mark.parametrize(("function", "variable"), [c for c in own_variables() if c[1] not in OPTIONAL])
def test_a_cold_start_without_a_setting_fails_naming_it(
    load_function: FunctionLoader, function: str, variable: str
) -> None:
    with pytest.raises(ConfigurationError, match=rf"\b{variable}\b"):
        load_function.load(function, without={variable})


@pytest.mark.parametrize(("function", "variable"), [c for c in own_variables() if c[1] in OPTIONAL])
def test_a_setting_whose_empty_value_means_something_may_be_left_out(
    load_function: FunctionLoader, function: str, variable: str
) -> None:
    assert callable(load_function.load(function, without={variable}, cold=True).handler)
