"""Property-based fuzzing of the whole dashboard API from its own OpenAPI document (schemathesis),
for every role, each request an API Gateway HTTP API 2.0 event (tests/integration/api_gateway_wsgi.py)
answered by the API function over moto.

For every operation and every role (anonymous, Owner, Platform Admin, Support, advertiser, the
advertiser's API key, affiliate): requests the document says are valid, and (for a signed-in role)
requests it says are not. Every answer must be no 5xx, of a documented status, content type, headers
and schema; an invalid request must be refused (4xx); an anonymous call to a protected operation must
be a 401. Operations with ids in their path are also called with the ids of real objects.

The normal run is bounded and derandomized (the same requests every time); `--thorough` (or
PARTNERKA_THOROUGH=1, as `scripts/test --thorough` sets it) runs many more, with a fresh seed each time.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from partnerka.accounts import provisioning
from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.models import MembershipStatus, Role
from partnerka.common.config import read_settings
from tests.conftest import Figures
from tests.integration.api_client import Api
from tests.integration.api_gateway_wsgi import api_gateway_app
from tests.integration.conftest import FunctionLoader
from tests.integration.test_isolation_matrix import PASSWORD, PUBLIC_OPERATIONS, build_tenant, path_values

CONFORMANCE = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True)
class Budget:
    positive: int  # valid requests per operation and role
    negative: int  # invalid requests per operation and signed-in role
    negative_roles: tuple[str, ...]
    derandomize: bool
    # the roles every operation is asked as; None: all of them. Every day, one of each kind of
    # answer: staff allowed everything (the owner), a tenant's person, an API key, an affiliate; the
    # platform admin and support (mostly the owner's answers or 403s) and the anonymous (401 from
    # every route but the public ones, which test_isolation_matrix asks of each) thorough.
    roles: tuple[str, ...] | None = None


NORMAL = Budget(
    positive=1,
    negative=2,
    negative_roles=("owner",),
    derandomize=True,
    roles=("owner", "advertiser", "api_key", "affiliate"),
)
THOROUGH = Budget(
    positive=10,
    negative=10,
    negative_roles=("owner", "platform_admin", "support", "advertiser", "api_key", "affiliate"),
    derandomize=False,
)


@dataclass
class Tally:
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    called: set[tuple[str, str]] = field(default_factory=set)  # (operation, role) with a valid request
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def thorough(config: pytest.Config) -> bool:
    return bool(config.getoption("--thorough")) or os.environ.get("PARTNERKA_THOROUGH") == "1"


def signed_in_world(api: Api) -> tuple[dict[str, str | None], dict[str, str]]:
    """A token for every role (None: anonymous), and the ids of real objects of advertiser A."""
    service, _ = account_services(read_settings(AccountSettings))
    staff = {
        role: provisioning.create_verified_user(
            service, f"{role.value}@fuzz.example", PASSWORD, "Staff", role
        )
        for role in (Role.OWNER, Role.PLATFORM_ADMIN, Role.SUPPORT)
    }
    owner = api.login(staff[Role.OWNER].email, PASSWORD)["access_token"]
    tenant, _ = build_tenant(api, owner, "Alpha Shop", "198.51.100.0/24")
    advertiser = api.login("boss@alpha.example", PASSWORD)["access_token"]
    # The fuzzer may revoke the tenant's first key (its id is among the real ids): sign with a second.
    key = api.call("POST", "/api/api-keys", {"label": "fuzz"}, token=advertiser).body["secret"]
    affiliate = provisioning.create_affiliate(service.accounts, "Fuzzy", "fuzzy@aff.example")
    provisioning.set_membership(
        service.accounts, tenant.advertiser_id, affiliate.affiliate_id, MembershipStatus.ACTIVE
    )
    provisioning.create_verified_user(
        service, affiliate.email, PASSWORD, "F", Role.AFFILIATE, affiliate_id=affiliate.affiliate_id
    )
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "owner": owner,
        "platform_admin": api.login(staff[Role.PLATFORM_ADMIN].email, PASSWORD)["access_token"],
        "support": api.login(staff[Role.SUPPORT].email, PASSWORD)["access_token"],
        "advertiser": advertiser,
        "api_key": key,
        "affiliate": api.login(affiliate.email, PASSWORD)["access_token"],
    }
    return tokens, path_values(tenant)


def drawn(
    operation: APIOperation,
    mode: GenerationMode,
    examples: int,
    token: str | None,
    budget: Budget,
    path_parameters: dict[str, str] | None = None,
) -> list[Case]:
    """Up to `examples` requests of `mode` drawn for `operation` (none when nothing of it can be sent
    invalid: no parameters, or none constrained), with `token`'s Authorization header fixed, never
    generated: the invalid part of a request is elsewhere."""
    headers = {"Authorization": f"Bearer {token}"} if token else None
    strategy = operation.as_strategy(mode, headers=headers, path_parameters=path_parameters)
    cases: list[Case] = []

    @settings(
        max_examples=examples,
        derandomize=budget.derandomize,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def draw(case: Case) -> None:
        cases.append(case)

    with contextlib.suppress(Unsatisfiable):
        draw()
    return cases


class Draws:
    """The requests drawn for one operation, by mode. Derandomized, hypothesis draws the same requests
    for every signed-in role (a token is a fixed value, not a draw), so they are drawn once and sent
    as each role: drawing them again took a third of the fuzzer's time. With a fresh seed
    (`--thorough`) every role gets draws of its own, for variety. The anonymous, whose requests carry
    no token at all, always has its own."""

    def __init__(self, operation: APIOperation, budget: Budget) -> None:
        self.operation = operation
        self.budget = budget
        self._kept: dict[tuple[GenerationMode, str | bool | None, bool], list[Case]] = {}

    def __call__(
        self,
        mode: GenerationMode,
        examples: int,
        token: str | None,
        path_parameters: dict[str, str] | None = None,
    ) -> list[Case]:
        holder = token is None if self.budget.derandomize else token
        key = (mode, holder, path_parameters is not None)
        if key not in self._kept:
            self._kept[key] = drawn(self.operation, mode, examples, token, self.budget, path_parameters)
        return self._kept[key]


def send(case: Case, mode: GenerationMode, token: str | None, label: str, tally: Tally) -> None:
    """Send `case` as the holder of `token`, and check the answer."""
    operation = case.operation
    public = f"{operation.method.upper()} {operation.path}" in PUBLIC_OPERATIONS
    checks = [*CONFORMANCE, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CONFORMANCE
    headers = {"Authorization": f"Bearer {token}"} if token else None
    if token is None:  # anonymous: no token at all, not a generated one (its draws are its own)
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    where = f"{label} {mode.value} {operation.label}"
    response = case.call(headers=headers)
    tally.requests[mode.value] += 1
    if mode is GenerationMode.POSITIVE:
        tally.called.add((operation.label, label))
    tally.statuses[response.status_code] += 1
    if token is None and not public and response.status_code != 401:
        tally.violations.append(f"{where}: anonymous got {response.status_code}, not 401")
    try:
        case.validate_response(response, checks=[not_a_server_error], headers=headers)
    except FailureGroup as failures:
        tally.server_errors += [f"{where}: {f.title}: {response.text[:300]}" for f in failures.exceptions]
        return
    try:
        case.validate_response(response, checks=checks, headers=headers)
    except FailureGroup as failures:
        curl = case.as_curl_command(headers=headers)
        tally.violations += [
            f"{where}: {f.title}: {f.message[:400]}\n    {curl[:600]}" for f in failures.exceptions
        ]


def test_no_role_gets_a_5xx_or_an_answer_the_document_does_not_describe(
    load_function: FunctionLoader, request: pytest.FixtureRequest, figures: Figures
) -> None:
    started = time.perf_counter()
    budget = THOROUGH if thorough(request.config) else NORMAL
    module = load_function("api")
    tokens, real_ids = signed_in_world(Api(module))
    app = api_gateway_app(module)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    tally = Tally()
    asked = {label: token for label, token in tokens.items() if budget.roles is None or label in budget.roles}
    for operation in operations:
        names = [p.name for p in operation.path_parameters]
        real = {name: real_ids[name] for name in names if name in real_ids}
        draws = Draws(operation, budget)
        for label, token in asked.items():
            for case in draws(GenerationMode.POSITIVE, budget.positive, token):
                send(case, GenerationMode.POSITIVE, token, label, tally)
            if real and token is not None:
                for case in draws(GenerationMode.POSITIVE, budget.positive, token, real):
                    send(case, GenerationMode.POSITIVE, token, label, tally)
            if label in budget.negative_roles:
                for case in draws(GenerationMode.NEGATIVE, budget.negative, token):
                    send(case, GenerationMode.NEGATIVE, token, label, tally)
    elapsed = time.perf_counter() - started
    figures(
        f"api fuzz ({'thorough' if budget is THOROUGH else 'normal'}): {len(operations)} operations × "
        f"{len(asked)} roles → {sum(tally.requests.values())} requests "
        f"({tally.requests['positive']} valid, {tally.requests['negative']} invalid), "
        f"{len(tally.server_errors)} 5xx, {len(tally.violations)} schema violations, {elapsed:.1f} s; "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )
    assert tally.server_errors == tally.violations == [], "\n".join(tally.server_errors + tally.violations)
    assert len(tally.called) == len(operations) * len(asked), "some operation was not called by every role"
