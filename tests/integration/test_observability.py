"""What the functions tell CloudWatch, loaded from the template as Lambda runs them: business metrics
written by each handler's `log_metrics` (and counted once however often a record comes), the tenant
on every log line written while serving it, and X-Ray on every function."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import pytest

from partnerka.common.observability import logger
from partnerka.finance.ledger import ConversionMoney
from partnerka.finance.service import FinanceEvent, FinanceEventKind
from partnerka.offers.service import OfferService
from partnerka_local.template import Template
from tests.conftest import ROOT
from tests.integration.api_client import sqs_record
from tests.integration.conftest import CONTEXT, FunctionLoader, http_event
from tests.integration.iam_policies import translated
from tests.integration.test_finance_machine import Message, sqs_event
from tests.integration.test_orchestrator_and_api import signed_in, stream_event
from tests.integration.world import build_world
from tests.metrics_output import emitted, flush_counts, log_lines, logging_to_stdout, metric

AT = datetime(2026, 11, 27, 12, tzinfo=UTC)
FINANCE_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:finance.fifo"


@pytest.fixture(autouse=True)
def nothing_counted_before(capsys: pytest.CaptureFixture[str]) -> None:
    flush_counts()
    capsys.readouterr()


def finance_messages(stack: Template) -> list[dict[str, Any]]:
    """The finance queue's messages as Lambda's SQS event source hands them over."""
    messages = boto3.client("sqs").receive_message(
        QueueUrl=stack.refs["FinanceQueue"], MaxNumberOfMessages=10, AttributeNames=["All"]
    )["Messages"]
    return [sqs_record(m, FINANCE_QUEUE_ARN) for m in messages]


def test_clicks_conversions_and_postings_are_counted_once_by_the_functions_that_see_them(
    load_function: FunctionLoader, stack: Template, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a click sent to the landing, a click of an affiliate not yet approved, and a sale
    world = build_world()
    click = load_function("click")
    sent = click.handler(
        http_event("GET", "/click", urlencode({"o": world.offer.offer_id, "a": world.affiliate_id})), CONTEXT
    )
    click.handler(
        http_event("GET", "/click", urlencode({"o": world.offer.offer_id, "a": world.outsider_affiliate_id})),
        CONTEXT,
    )
    click_id = parse_qs(urlsplit(sent["headers"]["location"]).query)["cid"][0]
    sale = {"click_id": click_id, "status": "sale", "txn_id": "T-1", "secret": world.offer.postback_secret}
    answer = load_function("postback").handler(http_event("GET", "/postback", urlencode(sale)), CONTEXT)
    assert answer["statusCode"] == 200

    # When the orchestrator gets both streams twice (a batch retried whole) and the finance worker
    # gets its messages twice (a crash before the acknowledgement)
    orchestrator = load_function("orchestrator")
    for _ in range(2):
        for table in ("ClicksTable", "ConversionsTable"):
            assert orchestrator.handler(stream_event(stack, table), CONTEXT) == {"batchItemFailures": []}
    records = finance_messages(stack)
    worker = load_function("finance")
    for _ in range(2):
        assert worker.handler({"Records": records}, CONTEXT) == {"batchItemFailures": []}

    # Then the handlers wrote each event once: the clicks, the refusal by reason, the sale under
    # its status, and the arrival's posting
    counts = emitted(capsys.readouterr().out)
    assert {key: n for key, n in counts.items() if key[0] != "ColdStart"} == {
        metric("ClicksStored"): 2,
        metric("ClicksRefused", reason="affiliate_not_approved"): 1,
        metric("Conversions", status="pending"): 1,  # the offer's sales wait for the advertiser
        metric("LedgerPostings", kind="conversion"): 1,
    }


def test_an_error_logged_while_serving_an_advertiser_names_its_tenant_and_stays_with_that_request(
    load_function: FunctionLoader,
    stack: Template,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an advertiser signed in, and an offers store that fails
    world = build_world(with_people=True)
    api = load_function("api")
    headers = signed_in(api, world.emails["advertiser"])

    def failing(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the offers table cannot be reached")

    monkeypatch.setattr(OfferService, "list_offers", failing)

    # When it lists its offers
    with logging_to_stdout():
        answer = api.handler(http_event("GET", "/api/offers", "", headers, request_id="req-77"), CONTEXT)

    # Then the error's line carries its tenant, who it is, as what, and the request
    assert answer["statusCode"] == 500
    (line,) = log_lines(capsys.readouterr().out, "unhandled error")
    assert line["tenant_id"] == world.advertiser_id
    assert line["role"] == "advertiser"
    assert line["user_id"]
    assert line["correlation_id"] == "req-77"
    # And the next request served by this instance starts without them
    assert not {"tenant_id", "user_id", "role"} & set(logger.get_current_keys())


def test_a_worker_logs_each_record_with_its_own_tenant(
    load_function: FunctionLoader, stack: Template, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given one batch of the finance queue with a conversion of advertiser A, then one of B
    def message(n: int, advertiser: str) -> Message:
        money = ConversionMoney(f"cv{n}", advertiser, f"AFF{n}", "OFF", "USD", payout_minor=100)
        event = FinanceEvent(FinanceEventKind.ARRIVAL, money, False, AT)
        return Message(f"m{n}", f"aff:{advertiser}:AFF{n}", event.as_message(), event.event_id)

    batch = sqs_event([message(1, "ADV-A"), message(2, "ADV-B")])

    # When the finance worker handles it
    with logging_to_stdout():
        assert load_function("finance").handler(batch, CONTEXT) == {"batchItemFailures": []}

    # Then each record's line names that record's tenant (and affiliate), none the other's
    lines = log_lines(capsys.readouterr().out, "finance event")
    assert [(x["event_id"], x["tenant_id"], x["affiliate_id"]) for x in lines] == [
        ("cv1.arrival", "ADV-A", "AFF1"),
        ("cv2.arrival", "ADV-B", "AFF2"),
    ]
    assert "tenant_id" not in logger.get_current_keys()


def test_every_function_is_traced_by_x_ray_with_the_permission_to_send_its_segments() -> None:
    resources = translated((ROOT / "template.yaml").read_text())["Resources"]
    functions = {k: r for k, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    assert functions
    for logical_id, function in functions.items():
        assert function["Properties"]["TracingConfig"] == {"Mode": "Active"}, logical_id
        role = resources[function["Properties"]["Role"]["Fn::GetAtt"][0]]
        assert "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess" in role["Properties"]["ManagedPolicyArns"]
