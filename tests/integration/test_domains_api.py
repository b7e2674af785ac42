"""Custom domains through the real functions: the advertiser adds a domain and checks it through the
API, which goes as far as DNS takes it and hands the edge's part over to the DomainCheckFunction by
its queue; the function, woken by the message as Lambda's SQS poller delivers it (or by its
schedule's event), makes the tenant and follows the certificate. DNS is the loopback server the
functions ask (DnsNameservers); the edge is the local platform's (TenantEdge=direct)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from partnerka_local.dns import LocalDns
from partnerka_local.template import Template
from tests.integration.api_client import Api, sqs_record
from tests.integration.conftest import CONTEXT, FunctionLoader
from tests.integration.world import PASSWORD, build_world

SCHEDULED = {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "123456789012",
    "time": "2026-12-07T10:00:00Z",
    "region": "us-east-1",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/DomainCheckFunctionEveryFiveMinutes"],
    "detail": {},
}


def queued(stack: Template) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    found = sqs.receive_message(
        QueueUrl=stack.refs["DomainCheckQueue"], MaxNumberOfMessages=10, VisibilityTimeout=30
    )
    return list(found.get("Messages", []))


def test_a_check_by_hand_goes_as_far_as_dns_and_the_woken_function_makes_the_domain_active(
    load_function: FunctionLoader, stack: Template, local_dns: LocalDns
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    # Given a domain the advertiser added, and the records it was shown, created at its DNS provider
    added = api.call(
        "POST", "/api/domains", {"name": "Partners.Acme-Api.example", "kind": "portal"}, token=boss
    )
    assert added.status == 201, added.body
    domain = added.body
    txt, cname = domain["dns_records"]
    assert (txt["type"], cname["type"], domain["status"]) == ("TXT", "CNAME", "pending_dns")
    local_dns.set_txt(txt["name"], [txt["value"]])
    local_dns.set_cname(cname["name"], cname["value"])
    # When it checks by hand: DNS proves it, and the edge's part is handed over
    checked = api.call(
        "POST", "/api/domains/{domain_id}/check".replace("{domain_id}", domain["id"]), token=boss
    )
    assert checked.status == 200, checked.body
    assert checked.body["status"] == "issuing_certificate"
    assert [r["found"] for r in checked.body["dns_records"]] == [True, True]
    (message,) = queued(stack)
    assert json.loads(message["Body"]) == {"advertiser_id": world.advertiser_id, "domain_id": domain["id"]}
    # Then the DomainCheckFunction, woken by that message as Lambda delivers it, makes it active
    worker = load_function("domain_check")
    record = sqs_record(message, stack.get_att("DomainCheckQueue", "Arn"))
    assert worker.handler({"Records": [record, record]}, CONTEXT) == {"batchItemFailures": []}  # twice: once
    listed = api.call("GET", "/api/domains", token=boss).body
    (active,) = listed["items"]
    assert (active["status"], active["display_name"]) == ("active", "partners.acme-api.example")
    # and the advertiser's team is told (an event for the notifier to fan out)
    told = boto3.client("sqs").receive_message(QueueUrl=stack.refs["NotifyQueue"], MaxNumberOfMessages=10)
    notices = [json.loads(m["Body"]) for m in told.get("Messages", [])]
    assert [
        (n["kind"], n["payload"]["type"], n["payload"]["audience"]["advertiser_team"]) for n in notices
    ] == [("event", "domain.status_changed", True)]
    assert notices[0]["payload"]["data"] == {
        "domain": "partners.acme-api.example",
        "status": "active",
        "reason": "",
    }
    assert notices[0]["payload"]["event_id"].startswith(f"{domain['id']}.active.")
    # and a message that names no domain is dropped, not retried for ever
    junk = {**record, "messageId": "junk", "body": "\xff not json"}
    assert worker.handler({"Records": [junk]}, CONTEXT) == {"batchItemFailures": []}
    # When the CNAME moves away, the scheduled run (as EventBridge invokes it) marks it broken once due
    local_dns.set_cname(cname["name"], "elsewhere.example.net")
    assert worker.handler(SCHEDULED, CONTEXT)["checked"] == 0  # an active domain is looked at daily
    # Removing it goes through the edge too: removing, then gone once the worker has run
    removed = api.call("DELETE", "/api/domains/{domain_id}".replace("{domain_id}", domain["id"]), token=boss)
    assert removed.status == 204
    assert api.call("GET", "/api/domains", token=boss).body["items"][0]["status"] == "removing"
    (wake,) = queued(stack)
    worker.handler({"Records": [sqs_record(wake, stack.get_att("DomainCheckQueue", "Arn"))]}, CONTEXT)
    assert api.call("GET", "/api/domains", token=boss).body["items"] == []


def test_another_advertisers_domain_is_not_found_and_a_taken_host_is_refused(
    load_function: FunctionLoader, stack: Template
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    owner = api.login(world.emails["owner"], PASSWORD)["access_token"]
    mine = api.call(
        "POST", "/api/domains", {"name": "track.acme-two.example", "kind": "tracking"}, token=boss
    ).body
    # staff act on an advertiser they name; the same host for another advertiser is refused
    other = build_world().advertiser_id
    taken = api.call(
        "POST",
        "/api/domains",
        {"name": "track.acme-two.example", "kind": "portal"},
        token=owner,
        advertiser_id=other,
    )
    assert taken.status == 409
    assert "in use by another account" in taken.body["error"]["detail"]
    refused = api.call(
        "POST",
        "/api/domains/{domain_id}/check".replace("{domain_id}", mine["id"]),
        token=owner,
        advertiser_id=other,
    )
    assert refused.status == 404
    for bad in ("10.1.2.3", "*.acme.example", "co.uk", "app.partnerka.test", "https://x.acme.example:8443/"):
        answer = api.call("POST", "/api/domains", {"name": bad, "kind": "portal"}, token=boss)
        assert (answer.status, answer.body["error"]["code"]) == (400, "validation_error"), bad


def test_a_wake_whose_check_breaks_is_delivered_again_alone(
    load_function: FunctionLoader, stack: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(with_people=True)
    api = Api(load_function("api"))
    boss = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    names = ("one.acme-wake.example", "two.acme-wake.example")
    ids = [
        api.call("POST", "/api/domains", {"name": n, "kind": "portal"}, token=boss).body["id"] for n in names
    ]
    worker = load_function("domain_check")
    real = worker.domains.check_woken

    def flaky(advertiser_id: str, domain_id: str) -> Any:
        if domain_id == ids[0]:
            raise RuntimeError("storage fault")
        return real(advertiser_id, domain_id)

    monkeypatch.setattr(worker.domains, "check_woken", flaky)
    records = [
        {"messageId": f"m{n}", "body": json.dumps({"advertiser_id": world.advertiser_id, "domain_id": d})}
        for n, d in enumerate(ids)
    ]
    assert worker.handler({"Records": records}, CONTEXT) == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
