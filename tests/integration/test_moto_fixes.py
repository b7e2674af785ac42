"""moto_fixes: partition-scoped queries answer exactly what DynamoDB answers: the same items in the same
order, page by page, for the table and for an index, forwards and backwards, with key conditions;
and a browser's form upload is held to its presigned policy as S3 holds it.

The expected answers come from a model of DynamoDB's rules written here (a partition's items ordered
by sort key; an index holds only items that carry its keys), not from moto, so the test fails if the
fix drops an item, leaks one from another partition or changes an order.
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from partnerka_local.moto_fixes import post_policy_refusal
from partnerka_local.template import Template

_TABLE = "moto-query-check"


@pytest.fixture
def table(stack: Template) -> Iterator[Any]:
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(
        TableName=_TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "gpk", "gsk")
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [
                    {"AttributeName": "gpk", "KeyType": "HASH"},
                    {"AttributeName": "gsk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    yield client
    client.delete_table(TableName=_TABLE)


def _items(rng: random.Random) -> list[dict[str, str]]:
    items = []
    for p in range(6):
        for s in rng.sample(range(1000), 40):
            item = {"pk": f"P{p}", "sk": f"S{s:04d}", "v": str(rng.random())}
            if rng.random() < 0.7:  # the rest are not in the index
                item["gpk"] = f"G{rng.randrange(3)}"
                item["gsk"] = f"K{rng.randrange(20):02d}"  # repeats: ties are ordered by the table's keys
            items.append(item)
    return items


def _all_pages(client: Any, **query: Any) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    start: dict[str, Any] | None = None
    while True:
        page = client.query(
            TableName=_TABLE, Limit=7, **query, **({"ExclusiveStartKey": start} if start else {})
        )
        keys += [(item["pk"]["S"], item["sk"]["S"]) for item in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            return keys


def test_queries_of_the_table_and_of_an_index_answer_like_dynamodb(table: Any) -> None:
    rng = random.Random(15)
    items = _items(rng)
    for item in items:
        table.put_item(TableName=_TABLE, Item={name: {"S": value} for name, value in item.items()})

    for forward in (True, False):
        partition = sorted((i["pk"], i["sk"]) for i in items if i["pk"] == "P3")
        assert _all_pages(
            table,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "P3"}},
            ScanIndexForward=forward,
        ) == (partition if forward else partition[::-1])

        between = [key for key in partition if "S0200" <= key[1] <= "S0600"]
        assert _all_pages(
            table,
            KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
            ExpressionAttributeValues={":p": {"S": "P3"}, ":a": {"S": "S0200"}, ":b": {"S": "S0600"}},
            ScanIndexForward=forward,
        ) == (between if forward else between[::-1])

        indexed = sorted(
            (i["gsk"], i["pk"], i["sk"]) for i in items if i.get("gpk") == "G1" and i["gsk"] >= "K05"
        )
        expected = [(pk, sk) for _, pk, sk in indexed]
        assert _all_pages(
            table,
            IndexName="by-g",
            KeyConditionExpression="gpk = :g AND gsk >= :k",
            ExpressionAttributeValues={":g": {"S": "G1"}, ":k": {"S": "K05"}},
            ScanIndexForward=forward,
        ) == (expected if forward else expected[::-1])

    assert (
        _all_pages(table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "P9"}})
        == []
    )
    scanned = table.scan(TableName=_TABLE)["Items"]  # a scan still sees every item
    assert len(scanned) == len(items)


def test_update_expressions_are_still_validated_and_applied_per_item(table: Any) -> None:
    """The kept parse and the once-built validator maps: the same expression on two items changes each
    by its own values, and what DynamoDB refuses is still refused."""
    update = "ADD n :one, #s :tag SET #v = if_not_exists(#v, :zero) + :one REMOVE gone"
    names = {"#s": "tags", "#v": "total"}
    for pk, tag in (("A", "x"), ("B", "y"), ("A", "z")):
        table.update_item(
            TableName=_TABLE,
            Key={"pk": {"S": pk}, "sk": {"S": "1"}},
            UpdateExpression=update,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={":one": {"N": "1"}, ":tag": {"SS": [tag]}, ":zero": {"N": "0"}},
        )
    a = table.get_item(TableName=_TABLE, Key={"pk": {"S": "A"}, "sk": {"S": "1"}})["Item"]
    b = table.get_item(TableName=_TABLE, Key={"pk": {"S": "B"}, "sk": {"S": "1"}})["Item"]
    assert (a["n"], a["total"], sorted(a["tags"]["SS"])) == ({"N": "2"}, {"N": "2"}, ["x", "z"])
    assert (b["n"], b["total"], b["tags"]) == ({"N": "1"}, {"N": "1"}, {"SS": ["y"]})

    refused = {
        "ADD n :one ADD m :one": 'The "ADD" section can only be used once in an update expression',
        "SET n = :one SET m = :one": 'The "SET" section can only be used once in an update expression',
        "ADD n :text": "An operand in the update expression has an incorrect data type",
        "SET pk = :text": "Cannot update attribute pk. This attribute is part of the key",
    }
    for expression, message in refused.items():
        with pytest.raises(table.exceptions.ClientError, match="ValidationException") as error:
            table.update_item(
                TableName=_TABLE,
                Key={"pk": {"S": "A"}, "sk": {"S": "1"}},
                UpdateExpression=expression,
                ExpressionAttributeValues={
                    name: value
                    for name, value in {":one": {"N": "1"}, ":text": {"S": "t"}}.items()
                    if name in expression
                },
            )
        assert message in str(error.value), (expression, str(error.value))


def _every_item_answer(client: Any) -> list[Any]:
    """One call of each item operation, on items holding every attribute type."""
    item = {
        "pk": {"S": "T"},
        "sk": {"S": "1"},
        "n": {"N": "-12.50"},
        "b": {"B": b"\x00\xffbytes"},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["1", "2.5"]},
        "bs": {"BS": [b"\x01", b"\x02"]},
        "m": {"M": {"inner": {"L": [{"S": "x"}, {"N": "1"}, {"NULL": True}, {"BOOL": False}]}}},
        "text": {"S": "ünïcode ✓"},
    }
    key = {"pk": {"S": "T"}, "sk": {"S": "1"}}
    other = {"pk": {"S": "T"}, "sk": {"S": "2"}}
    answers = [
        client.put_item(TableName=_TABLE, Item=item, ReturnValues="ALL_OLD"),
        client.put_item(TableName=_TABLE, Item={**item, "n": {"N": "7"}}, ReturnValues="ALL_OLD"),
        client.get_item(TableName=_TABLE, Key=key),
        client.get_item(TableName=_TABLE, Key={"pk": {"S": "none"}, "sk": {"S": "1"}}),
        client.update_item(
            TableName=_TABLE,
            Key=key,
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="ALL_NEW",
            ReturnConsumedCapacity="TOTAL",
        ),
        client.batch_write_item(RequestItems={_TABLE: [{"PutRequest": {"Item": {**item, **other}}}]}),
        client.query(
            TableName=_TABLE,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "T"}},
            Limit=1,
        ),
        client.scan(TableName=_TABLE, Select="COUNT"),
        client.batch_get_item(
            RequestItems={_TABLE: {"Keys": [key, other], "ProjectionExpression": "pk, sk, b, m"}}
        ),
        client.get_item(
            TableName=_TABLE,
            Key=key,
            ProjectionExpression="#t, n, ss, bs, ns, absent",
            ExpressionAttributeNames={"#t": "text"},
        ),
        client.get_item(TableName=_TABLE, Key=key, ProjectionExpression="m.inner[1], b"),
        client.query(
            TableName=_TABLE,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "T"}},
            ProjectionExpression="sk, m, n",
        ),
        client.transact_get_items(TransactItems=[{"Get": {"TableName": _TABLE, "Key": key}}]),
        client.transact_write_items(
            TransactItems=[{"Delete": {"TableName": _TABLE, "Key": other}}], ReturnConsumedCapacity="TOTAL"
        ),
        client.delete_item(TableName=_TABLE, Key=key, ReturnValues="ALL_OLD"),
    ]
    for answer in answers:
        answer.pop("ResponseMetadata")
    return answers


def test_item_answers_written_directly_read_as_motos_own(table: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.dynamodb.responses import DynamoResult

    direct = _every_item_answer(table)
    assert direct[2]["Item"]["b"] == {"B": b"\x00\xffbytes"}  # bytes survive the wire both ways
    monkeypatch.setattr(DynamoResult, "execute_result", DynamoResult.execute_result.__wrapped__)
    assert _every_item_answer(table) == direct


def _sets_sorted(answer: Any) -> Any:
    """Moto's own projection passes values through Python sets: their order is the hash's."""
    if isinstance(answer, dict):
        return {
            key: sorted(value) if key in ("SS", "NS", "BS") else _sets_sorted(value)
            for key, value in answer.items()
        }
    if isinstance(answer, list):
        return [_sets_sorted(value) for value in answer]
    return answer


def test_items_built_and_projected_directly_read_as_motos_own(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.dynamodb.models.dynamo_type import Item

    direct = _every_item_answer(table)
    assert direct[10]["Item"] == {
        "m": {"M": {"inner": {"L": [{"N": "1"}]}}},
        "b": direct[2]["Item"]["b"],
    }
    assert set(direct[9]["Item"]) == {"text", "n", "ss", "bs", "ns"}
    monkeypatch.setattr(Item, "__init__", Item.__init__.__wrapped__)
    monkeypatch.setattr(Item, "project", Item.project.__wrapped__)
    assert _sets_sorted(_every_item_answer(table)) == _sets_sorted(direct)


# Update expressions of every kind of node moto's validators process: names and values, nested paths
# and list indexes, functions, arithmetic, each clause, and what they refuse.
UPDATES: list[tuple[str, dict[str, str]]] = [
    ("SET #d = if_not_exists(#d, :day) ADD clicks :one, #u :one", {"#d": "day", "#u": "unique"}),
    ("SET #t = if_not_exists(#t, :zero) + :one, m.#i = :text", {"#t": "total", "#i": "inner"}),
    ("SET l = list_append(if_not_exists(l, :empty), :list)", {}),
    ("SET l[0] = :text, m.deep = :map REMOVE gone, m.#i", {"#i": "inner"}),
    ("SET #n = clicks - :one DELETE tags :tag", {"#n": "net"}),
    ("ADD tags :tags SET m.deep.leaf = :one", {}),
    ("SET l[1] = l[0], #t = #t + #t DELETE tags :tag", {"#t": "total"}),
    ("SET missing_base = absent + :one", {}),  # refused: a path the item does not hold
    ("ADD #d :one", {"#d": "day"}),  # refused: a number added to a string
    ("SET pk = :text", {}),  # refused: part of the key
    ("SET a = :one, a = :zero", {}),  # refused: two paths overlap
]
VALUES = {
    ":day": {"S": "2026-12-06"},
    ":one": {"N": "1"},
    ":zero": {"N": "0"},
    ":text": {"S": "t"},
    ":empty": {"L": []},
    ":list": {"L": [{"S": "a"}, {"N": "2"}]},
    ":map": {"M": {"leaf": {"N": "5"}}},
    ":tag": {"SS": ["x"]},
    ":tags": {"SS": ["x", "y"]},
}


def _updated(client: Any) -> list[Any]:
    """Each update in turn on one item, and the item (or the refusal) after each."""
    key = {"pk": {"S": "U"}, "sk": {"S": "1"}}
    client.put_item(TableName=_TABLE, Item={**key, "m": {"M": {"inner": {"S": "i"}}}, "gone": {"S": "g"}})
    seen: list[Any] = []
    for expression, names in UPDATES:
        used = {name: value for name, value in VALUES.items() if re.search(f"{name}\\b", expression)}
        try:
            client.update_item(
                TableName=_TABLE,
                Key=key,
                UpdateExpression=expression,
                **({"ExpressionAttributeNames": names} if names else {}),
                **({"ExpressionAttributeValues": used} if used else {}),
            )
            seen.append(_sets_sorted(client.get_item(TableName=_TABLE, Key=key)["Item"]))
        except client.exceptions.ClientError as refused:
            seen.append(refused.response["Error"])
    client.delete_item(TableName=_TABLE, Key=key)
    return seen


def test_update_expressions_walked_and_copied_directly_act_as_motos_own(
    table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk of each validator over an expression's tree, and the tree's copy for each update,
    done moto's way and this project's, change items and refuse updates alike."""
    from moto.dynamodb.parsing import validators
    from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser

    direct = _updated(table)
    assert (direct[0]["day"], direct[0]["clicks"]) == ({"S": "2026-12-06"}, {"N": "1"})
    assert direct[2]["l"] == {"L": [{"S": "a"}, {"N": "2"}]}
    assert [seen.get("Code") for seen in direct[-4:]] == ["ValidationException"] * 4
    monkeypatch.setattr(DepthFirstTraverser, "traverse", DepthFirstTraverser.traverse.__wrapped__)
    monkeypatch.setattr(validators, "deepcopy", validators.deepcopy.__wrapped__)
    assert _updated(table) == direct


def test_an_item_over_the_size_limit_is_still_refused(table: Any) -> None:
    key = {"pk": {"S": "big"}, "sk": {"S": "1"}}
    table.put_item(TableName=_TABLE, Item={**key, "a": {"S": "x" * 200_000}})
    with pytest.raises(table.exceptions.ClientError, match="Item size has exceeded"):
        table.put_item(TableName=_TABLE, Item={**key, "a": {"S": "x" * 200_000}, "b": {"S": "y" * 206_000}})
    with pytest.raises(table.exceptions.ClientError, match="Item size"):
        table.update_item(
            TableName=_TABLE,
            Key=key,
            UpdateExpression="SET b = :b",
            ExpressionAttributeValues={":b": {"S": "y" * 206_000}},
        )
    stored = table.get_item(TableName=_TABLE, Key=key)["Item"]
    assert set(stored) == {"pk", "sk", "a"}


def test_a_read_beside_writes_sees_each_item_whole(table: Any) -> None:
    """moto changes a stored item in place, one action of an update after another: a read beside it
    must see the item before or after the update, never between (the demo seed once read a cube item
    that had its counters but not yet its day)."""
    import threading

    keys = [{"pk": {"S": "W"}, "sk": {"S": f"{n:04d}"}} for n in range(40)]
    stop = threading.Event()
    torn: list[dict[str, Any]] = []

    def read() -> None:
        while not stop.is_set():
            found = table.batch_get_item(RequestItems={_TABLE: {"Keys": keys}})["Responses"][_TABLE]
            torn.extend(item for item in found if {"day", "clicks", "unique"} - set(item))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(5):
            for key in keys:
                table.update_item(
                    TableName=_TABLE,
                    Key=key,
                    UpdateExpression="SET #d = if_not_exists(#d, :day) ADD clicks :one, #u :one",
                    ExpressionAttributeNames={"#d": "day", "#u": "unique"},
                    ExpressionAttributeValues={":day": {"S": "2026-12-06"}, ":one": {"N": "1"}},
                )
            for key in keys:
                table.delete_item(TableName=_TABLE, Key=key)
    finally:
        stop.set()
        reader.join()
    assert torn == []


NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def signed_form(conditions: list[Any], expires: datetime = NOW + timedelta(minutes=5)) -> dict[str, str]:
    policy = {"expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ"), "conditions": conditions}
    return {
        "key": "uploads/acme/abc",
        "Content-Type": "image/png",
        "x-amz-algorithm": "AWS4-HMAC-SHA256",
        "policy": base64.b64encode(json.dumps(policy).encode()).decode(),
        "x-amz-signature": "0" * 64,
    }


CONDITIONS = [
    {"Content-Type": "image/png"},
    ["content-length-range", 1, 100],
    {"bucket": "brand"},
    ["starts-with", "$key", "uploads/acme/"],
    {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
]


@pytest.mark.parametrize(
    ("fields", "size", "refusal"),
    [
        ({}, 50, None),
        ({}, 100, None),
        ({"x-ignore-note": "the browser's own"}, 50, None),
        ({}, 101, (400, "EntityTooLarge")),
        ({}, 0, (400, "EntityTooSmall")),
        ({"Content-Type": "image/svg+xml"}, 50, (403, "AccessDenied")),
        ({"key": "uploads/globex/abc"}, 50, (403, "AccessDenied")),
        ({"acl": "public-read"}, 50, (403, "AccessDenied")),  # a field the policy does not name
        ({"policy": "not base64 json"}, 50, (400, "InvalidPolicyDocument")),
    ],
)
def test_a_form_upload_is_held_to_its_policy_as_s3_holds_it(
    fields: dict[str, str], size: int, refusal: tuple[int, str] | None
) -> None:
    form = {**signed_form(CONDITIONS), **fields}
    found = post_policy_refusal(form, size, "brand", NOW)
    assert (found[:2] if found else None) == refusal


def test_an_expired_policy_a_missing_one_and_another_bucket_are_refused() -> None:
    expired = signed_form(CONDITIONS, NOW - timedelta(seconds=1))
    assert post_policy_refusal(expired, 50, "brand", NOW) == (
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy expired.",
    )
    anonymous = {k: v for k, v in signed_form(CONDITIONS).items() if k != "policy"}
    assert post_policy_refusal(anonymous, 50, "brand", NOW) == (403, "AccessDenied", "Access Denied")
    refused = post_policy_refusal(signed_form(CONDITIONS), 50, "another-bucket", NOW)
    assert refused is not None
    assert refused[2] == 'Invalid according to Policy: Policy Condition failed: {"bucket": "brand"}'
