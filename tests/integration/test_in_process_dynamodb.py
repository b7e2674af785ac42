"""DynamoDB calls carried straight to in-process moto (tests/integration/in_process_dynamodb.py) answer
as moto's own path answers them: every item operation on every attribute type, and every kind of
error with its modelled fields; and they are carried that way, unsigned and past moto's rebuilt
HTTP request."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.core import botocore_stubber

from tests.integration.in_process_dynamodb import motos_own_way
from tests.integration.test_moto_fixes import _TABLE, _every_item_answer, table  # noqa: F401 - the fixture

KEY = {"pk": {"S": "E"}, "sk": {"S": "1"}}


def _every_error(client: Any) -> list[dict[str, Any]]:
    """One call of each kind DynamoDB refuses, and what botocore made of the refusal."""
    client.put_item(TableName=_TABLE, Item={**KEY, "n": {"N": "1"}})
    calls = [
        lambda: client.put_item(
            TableName=_TABLE,
            Item=KEY,
            ConditionExpression="attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ),
        lambda: client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": _TABLE, "Item": {"pk": {"S": "E"}, "sk": {"S": "2"}}}},
                {
                    "Update": {
                        "TableName": _TABLE,
                        "Key": KEY,
                        "UpdateExpression": "ADD n :one",
                        "ConditionExpression": "n > :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
            ]
        ),
        lambda: client.get_item(TableName=_TABLE, Key={"pk": {"S": "E"}}),
        lambda: client.get_item(TableName="no-such-table", Key=KEY),
        lambda: client.update_item(
            TableName=_TABLE,
            Key=KEY,
            UpdateExpression="SET pk = :v",
            ExpressionAttributeValues={":v": {"S": "x"}},
        ),
    ]
    refusals = []
    for call in calls:
        with pytest.raises(ClientError) as refused:
            call()
        answer = dict(refused.value.response)
        answer.pop("ResponseMetadata")
        refusals.append({"exception": type(refused.value).__name__, **answer})
    client.delete_item(TableName=_TABLE, Key=KEY)
    return refusals


def test_item_answers_carried_directly_read_as_motos_own(table: Any) -> None:  # noqa: F811
    direct = _every_item_answer(table)
    with motos_own_way():
        assert _every_item_answer(table) == direct


def test_refusals_carried_directly_read_as_motos_own(table: Any) -> None:  # noqa: F811
    direct = _every_error(table)
    assert [refusal["Error"]["Code"] for refusal in direct] == [
        "ConditionalCheckFailedException",
        "TransactionCanceledException",
        "ValidationException",
        "ResourceNotFoundException",
        "ValidationException",
    ]
    assert direct[0]["Item"] == {**KEY, "n": {"N": "1"}}  # a modelled field of the error
    assert [reason["Code"] for reason in direct[1]["CancellationReasons"]] == [
        "None",
        "ConditionalCheckFailed",
    ]
    with motos_own_way():
        assert _every_error(table) == direct


def test_dynamodb_calls_skip_the_signature_and_the_rebuilt_http_request(
    table: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed: list[bool] = []
    table.meta.events.register(
        "before-send.dynamodb", lambda request, **_: signed.append("Authorization" in request.headers)
    )

    def no_http_request(*_: Any) -> Any:
        raise AssertionError("moto rebuilt the HTTP request")

    table.get_item(TableName=_TABLE, Key=KEY)
    with monkeypatch.context() as rebuilding:
        rebuilding.setattr(botocore_stubber, "normalize_request", no_http_request)
        table.get_item(TableName=_TABLE, Key=KEY)
        with motos_own_way(), pytest.raises(AssertionError, match="rebuilt"):
            table.get_item(TableName=_TABLE, Key=KEY)
    with motos_own_way():
        table.get_item(TableName=_TABLE, Key=KEY)
    assert signed == [False, False, True, True]
