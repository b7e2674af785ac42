"""The one table helper every repository pages with (`common/dynamo.py`), against moto's DynamoDB."""

from __future__ import annotations

import os
from typing import Any

from partnerka.common import dynamo
from partnerka_local.template import Template


def _put_rows(client: Any, table: str, partition: str, count: int, **extra: str) -> None:
    for n in range(count):
        row = {"pk": partition, "sk": f"ROW#{n:04d}", **extra}
        client.put_item(TableName=table, Item=dynamo.encode(row))


def _rows(table: str, partition: str, **request: Any) -> dict[str, Any]:
    return {
        "TableName": table,
        "KeyConditionExpression": "pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": partition}},
        **request,
    }


def test_query_follows_every_page_to_the_last_item(stack: Template) -> None:
    # Given 23 rows read 5 to a page (DynamoDB's 1 MB page, made small)
    client, table = dynamo.client(), os.environ["CORE_TABLE"]
    _put_rows(client, table, "HELPER#paged", 23)
    # When the helper reads them
    found = [raw["sk"]["S"] for raw in dynamo.query(client, _rows(table, "HELPER#paged", Limit=5))]
    # Then every row comes once, in key order, across the five pages
    assert found == [f"ROW#{n:04d}" for n in range(23)]


def test_query_stops_at_its_limit(stack: Template) -> None:
    client, table = dynamo.client(), os.environ["CORE_TABLE"]
    _put_rows(client, table, "HELPER#limit", 12)
    found = list(dynamo.query(client, _rows(table, "HELPER#limit", Limit=5), limit=7))
    assert [raw["sk"]["S"] for raw in found] == [f"ROW#{n:04d}" for n in range(7)]


def test_query_page_resumes_after_the_last_item_returned_when_a_filter_reads_ahead(stack: Template) -> None:
    # Given 40 rows of which every other one matches a filter
    client, table = dynamo.client(), os.environ["CORE_TABLE"]
    for n in range(40):
        row = {"pk": "HELPER#filtered", "sk": f"ROW#{n:04d}", "colour": "red" if n % 2 else "blue"}
        client.put_item(TableName=table, Item=dynamo.encode(row))
    request = _rows(
        table,
        "HELPER#filtered",
        FilterExpression="colour = :c",
        ExpressionAttributeValues={":pk": {"S": "HELPER#filtered"}, ":c": {"S": "red"}},
    )
    # When they are read 3 to a page, each page starting from the key the previous one gave
    seen: list[str] = []
    start = None
    while True:
        items, start = dynamo.query_page(client, request, 3, start, ("pk", "sk"))
        assert len(items) <= 3
        seen += [raw["sk"]["S"] for raw in items]
        if start is None:
            break
    # Then every match comes exactly once although each read took 25 rows ahead of the page's end
    assert seen == [f"ROW#{n:04d}" for n in range(1, 40, 2)]


def test_query_page_gives_no_key_when_its_last_item_ends_the_range(stack: Template) -> None:
    client, table = dynamo.client(), os.environ["CORE_TABLE"]
    _put_rows(client, table, "HELPER#exact", 4)
    items, start = dynamo.query_page(client, _rows(table, "HELPER#exact"), 4, None, ("pk", "sk"))
    assert len(items) == 4
    assert start is None


def test_batch_get_reads_more_keys_than_one_request_takes(stack: Template) -> None:
    # Given 130 rows (BatchGetItem takes 100 keys a request) and 5 keys of rows that do not exist
    client, table = dynamo.client(), os.environ["CORE_TABLE"]
    _put_rows(client, table, "HELPER#batch", 130, colour="red")
    keys = [{"pk": {"S": "HELPER#batch"}, "sk": {"S": f"ROW#{n:04d}"}} for n in range(135)]
    # When the helper reads them all, projecting one attribute
    found = list(
        dynamo.batch_get(
            client, table, keys, ProjectionExpression="sk, #c", ExpressionAttributeNames={"#c": "colour"}
        )
    )
    # Then each existing row comes once, with only the attributes asked for
    assert sorted(raw["sk"]["S"] for raw in found) == [f"ROW#{n:04d}" for n in range(130)]
    assert all(set(raw) == {"sk", "colour"} for raw in found)


def test_batch_put_writes_more_items_than_one_request_takes_and_sends_again_what_was_left(
    stack: Template,
) -> None:
    # Given 60 rows (BatchWriteItem takes 25 a request) and a DynamoDB that leaves the last two items
    # of its first answer unprocessed, as it does under throttling
    client, table = dynamo.client(), os.environ["CORE_TABLE"]
    rows = [dynamo.encode({"pk": "HELPER#put", "sk": f"ROW#{n:04d}"}) for n in range(60)]
    requests: list[int] = []

    class Throttled:
        def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803
            puts = RequestItems[table]
            requests.append(len(puts))
            if len(requests) == 1:
                client.batch_write_item(RequestItems={table: puts[:-2]})
                return {"UnprocessedItems": {table: puts[-2:]}}
            return client.batch_write_item(RequestItems=RequestItems)  # type: ignore[no-any-return]

    # When the helper puts them all
    dynamo.batch_put(Throttled(), table, rows)
    # Then every row is stored once, in requests of at most 25, the two left over sent again
    stored = list(dynamo.query(client, _rows(table, "HELPER#put")))
    assert [raw["sk"]["S"] for raw in stored] == [f"ROW#{n:04d}" for n in range(60)]
    assert requests == [25, 2, 25, 10]
