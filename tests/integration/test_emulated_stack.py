"""The session's emulated stack is handed to each test as just created, whatever the test before did."""

from __future__ import annotations

import boto3

from tests.integration.emulated_stack import EmulatedStack


def test_each_test_gets_the_stack_as_just_created(emulated_stack: EmulatedStack) -> None:
    with emulated_stack.fresh() as template:
        table = str(template.refs["CoreTable"])
        queue = str(template.refs["NotifyQueue"])
        bucket = str(template.refs["ReportsBucket"])
        ddb, sqs, s3 = boto3.client("dynamodb"), boto3.client("sqs"), boto3.client("s3")
        ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": "b"}})
        ddb.put_item(TableName=str(template.refs["ClicksTable"]), Item=_click())
        sqs.send_message(QueueUrl=str(template.refs["PostbackQueue"]), MessageBody="left over")
        s3.put_object(Bucket=bucket, Key="exports/x.csv", Body=b"1")
        ddb.create_table(
            TableName="a-test-of-its-own",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        sqs.delete_queue(QueueUrl=queue)  # a resource of the template itself: rebuilt

    with emulated_stack.fresh() as template:
        assert ddb.scan(TableName=table)["Items"] == []
        assert "a-test-of-its-own" not in ddb.list_tables()["TableNames"]
        assert sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
        assert "Messages" not in sqs.receive_message(QueueUrl=str(template.refs["PostbackQueue"]))
        assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
        assert _stream_records(str(template.attrs[("ClicksTable", "StreamArn")])) == []

    with emulated_stack.fresh() as template:  # emptied in place this time (nothing was deleted)
        ddb.put_item(TableName=str(template.refs["ClicksTable"]), Item=_click())
        sqs.send_message(QueueUrl=str(template.refs["PostbackQueue"]), MessageBody="left over")
    with emulated_stack.fresh() as template:
        assert _stream_records(str(template.attrs[("ClicksTable", "StreamArn")])) == []
        assert "Messages" not in sqs.receive_message(QueueUrl=str(template.refs["PostbackQueue"]))
        assert ddb.scan(TableName=str(template.refs["ClicksTable"]))["Items"] == []


def _click() -> dict[str, dict[str, str]]:
    return {"click_id": {"S": "c1"}}


def _stream_records(stream_arn: str) -> list[object]:
    streams = boto3.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )
    return list(streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"])
