"""The template's resources in in-process moto, created once per test session and put back to their
just-created state before each test.

Creating every table, queue, bucket and secret of template.yaml takes about a second; emptying them
takes milliseconds. Before each test: every table of the template is emptied (and its stream starts
over), every queue is emptied, the reports bucket is emptied, SES forgets what it sent and has the
template's identities again, and whatever a test created besides the template (a table of its own, a
secret) is removed. When a test took away a resource of the template itself (it deleted a queue) or
started a moto of its own that wiped everything, the whole stack is created again.

moto's patching is on only while a test that asked for the stack runs (its data stays between), so
tests that talk to a real endpoint (the local runtime's moto server, e2e) are never intercepted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto import mock_aws
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamShard
from moto.s3.models import s3_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.ses.models import ses_backends
from moto.sqs.models import sqs_backends

from partnerka_local import moto_fixes
from partnerka_local.resources import ResourceManager
from partnerka_local.template import ACCOUNT_ID, REGION, Template

_TABLE = "AWS::DynamoDB::Table"
_QUEUE = "AWS::SQS::Queue"
_BUCKET = "AWS::S3::Bucket"
_SECRET = "AWS::SecretsManager::Secret"


class EmulatedStack:
    def __init__(self, template: Template):
        self.template = template
        self._built: dict[str, Any] | None = None  # moto's containers as they were when built
        self._identities: dict[str, Any] = {}
        self._s3: Any = None

    @contextmanager
    def fresh(self) -> Iterator[Template]:
        """The stack as just created, with moto's patching on for the duration."""
        moto_fixes.apply()
        mock = mock_aws()
        mock.start(reset=False)
        try:
            if self._intact():
                self._empty()
            else:
                self._build(mock)
            yield self.template
        finally:
            mock.stop(remove_data=False)

    # ------------------------------------------------------------------ state

    @staticmethod
    def _containers() -> dict[str, Any]:
        return {
            "tables": dynamodb_backends[ACCOUNT_ID][REGION].tables,
            "queues": sqs_backends[ACCOUNT_ID][REGION].queues,
            "buckets": s3_backends[ACCOUNT_ID]["aws"].buckets,
            "secrets": secretsmanager_backends[ACCOUNT_ID][REGION].secrets,
            "identities": ses_backends[ACCOUNT_ID][REGION].email_identities,
        }

    def _names(self, resource_type: str, attribute: str | None = None) -> set[str]:
        """The physical names of the template's resources of one type (a Ref, or the attribute named)."""
        return {
            str(self.template.attrs[(lid, attribute)] if attribute else self.template.refs[lid])
            for lid in self.template.of_type(resource_type)
        }

    def _intact(self) -> bool:
        """True when moto still holds the containers this stack was built in, with every resource of the
        template in them (a wipe by another moto, or a deleted queue, says False)."""
        if self._built is None:
            return False
        now = self._containers()
        if any(now[key] is not self._built[key] for key in now):
            return False
        present = {
            "tables": (now["tables"], self._names(_TABLE)),
            "queues": (now["queues"], self._names(_QUEUE, "QueueName")),
            "buckets": (now["buckets"], self._names(_BUCKET)),
        }
        return all(names <= set(container) for container, names in present.values()) and len(
            self._secret_names()
        ) == len(self.template.of_type(_SECRET))

    def _secret_names(self) -> set[str]:
        arns = {str(self.template.refs[lid]) for lid in self.template.of_type(_SECRET)}
        store = secretsmanager_backends[ACCOUNT_ID][REGION].secrets
        return {name for name, secret in store.items() if secret.arn in arns}

    def _build(self, mock: Any) -> None:
        mock.reset()  # whatever is left of an earlier build, or of another test's own moto
        ResourceManager(self.template, None).create_all()  # type: ignore[arg-type]
        self._built = self._containers()
        self._identities = dict(self._built["identities"])

    def _empty(self) -> None:
        assert self._built is not None
        ddb = dynamodb_backends[ACCOUNT_ID][REGION]
        tables = self._names(_TABLE)
        for name in [n for n in ddb.tables if n not in tables]:
            ddb.delete_table(name)
        for table in ddb.tables.values():
            table.items = defaultdict(dict)
            if table.stream_shard is not None:
                table.stream_shard = StreamShard(table.account_id, table)
        queues = self._names(_QUEUE, "QueueName")
        sqs = sqs_backends[ACCOUNT_ID][REGION]
        for name in [n for n in sqs.queues if n not in queues]:
            del sqs.queues[name]
        for queue in sqs.queues.values():
            queue._messages = []
            queue._pending_messages = set()
            queue.deleted_messages = set()
            queue.last_purged_at = None
        s3 = self._s3 = self._s3 or boto3.client("s3", region_name=REGION)
        buckets = self._names(_BUCKET)
        stored = s3_backends[ACCOUNT_ID]["aws"].buckets
        for bucket in buckets:
            if not stored[bucket].keys:  # most tests write no object: no listing to ask for
                continue
            while listed := s3.list_objects_v2(Bucket=bucket).get("Contents", []):
                s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": o["Key"]} for o in listed]})
        for name in [n for n in stored if n not in buckets]:
            del stored[name]
        secrets = secretsmanager_backends[ACCOUNT_ID][REGION].secrets
        keep = self._secret_names()
        for name in [n for n in secrets if n not in keep]:
            del secrets[name]
        ses = ses_backends[ACCOUNT_ID][REGION]
        ses.sent_messages = []
        identities = self._built["identities"]
        identities.clear()
        identities.update(self._identities)
