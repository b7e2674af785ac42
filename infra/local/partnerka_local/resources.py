"""Creating the template's stateful resources (tables, queues, secrets, buckets) in moto."""

from __future__ import annotations

import json
import logging
import secrets
import string
from collections.abc import Callable, Mapping
from typing import Any

import boto3
from botocore.config import Config

from .template import (
    ACCOUNT_ID,
    PARTITION,
    REGION,
    SERVERLESS_FUNCTION,
    SERVERLESS_LAYER,
    URL_SUFFIX,
    Template,
)

log = logging.getLogger(__name__)

# Types that exist only as configuration for the runtime itself: they get a Ref but nothing in moto.
_PASSIVE_TYPES = {
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::Api",
    "AWS::ApiGatewayV2::Api",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::Lambda::Permission",
    "AWS::Logs::LogGroup",
    "AWS::SQS::QueuePolicy",
    "AWS::CloudWatch::Alarm",
    # The edge: the local gateway plays CloudFront (its response headers policy and the dashboard's
    # routing, partnerka_local.edge); the local platform is reached directly, as the API's own URL,
    # on every host (advertisers' domains too: no connection group or tenant stands in front).
    "AWS::CloudFront::Distribution",
    "AWS::CloudFront::ConnectionGroup",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::Function",
    "AWS::CloudFront::CachePolicy",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::S3::BucketPolicy",
    # The analytics store's catalogue and query engine: locally DuckDB reads the objects themselves
    # (the AnalyticsEngine parameter, partnerka_local.template.LOCAL_DEFAULTS).
    "AWS::Glue::Database",
    "AWS::Glue::Table",
    "AWS::Athena::WorkGroup",
}

# Attributes of passive resources that functions may be given. Locally an advertiser's domain
# (partners.acme.localhost) resolves to loopback and the gateway answers every host: the CNAME target
# they would be shown is localhost.
PASSIVE_ATTRIBUTES = {"AWS::CloudFront::ConnectionGroup": {"RoutingEndpoint": "localhost"}}

# CloudFormation queue properties that map one-to-one onto SQS queue attributes.
_QUEUE_ATTRIBUTES = (
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoQueue",
    "FifoThroughputLimit",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "VisibilityTimeout",
)


def client_config() -> Config:
    # Without account_id_endpoint_mode disabled, botocore routes DynamoDB calls to account-specific
    # endpoints that moto does not serve.
    return Config(account_id_endpoint_mode="disabled", retries={"max_attempts": 3, "mode": "standard"})


def make_client(service: str, endpoint_url: str) -> Any:
    return boto3.client(  # type: ignore[call-overload]
        service,
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto accepts any credentials
        config=client_config(),
    )


def generate_secret(spec: Mapping[str, Any]) -> str:
    """A random string following the GenerateSecretString options."""
    alphabet = ""
    if not spec.get("ExcludeLowercase"):
        alphabet += string.ascii_lowercase
    if not spec.get("ExcludeUppercase"):
        alphabet += string.ascii_uppercase
    if not spec.get("ExcludeNumbers"):
        alphabet += string.digits
    if not spec.get("ExcludePunctuation"):
        alphabet += string.punctuation
    if spec.get("IncludeSpace"):
        alphabet += " "
    excluded = set(str(spec.get("ExcludeCharacters", "")))
    alphabet = "".join(c for c in alphabet if c not in excluded)
    if not alphabet:
        raise ValueError("GenerateSecretString excludes every character")
    length = int(spec.get("PasswordLength", 32))
    password = "".join(secrets.choice(alphabet) for _ in range(length))
    template_text = spec.get("SecretStringTemplate")
    key = spec.get("GenerateStringKey")
    if template_text and key:
        document = json.loads(str(template_text))
        document[str(key)] = password
        return json.dumps(document)
    return password


def name_bucket(template: Template, logical_id: str, props: Mapping[str, Any]) -> str:
    """Give the bucket its physical name and attributes in `template`, as CloudFormation would."""
    name = str(props.get("BucketName") or f"{template.stack_name}-{logical_id}".lower())
    template.refs[logical_id] = name
    template.attrs[(logical_id, "Arn")] = f"arn:{PARTITION}:s3:::{name}"
    template.attrs[(logical_id, "DomainName")] = f"{name}.s3.{URL_SUFFIX}"
    template.attrs[(logical_id, "RegionalDomainName")] = f"{name}.s3.{REGION}.{URL_SUFFIX}"
    return name


# CloudFormation's names of a CORS rule's parts → S3's API's.
_CORS_PARTS = {
    "AllowedHeaders": "AllowedHeaders",
    "AllowedMethods": "AllowedMethods",
    "AllowedOrigins": "AllowedOrigins",
    "ExposedHeaders": "ExposeHeaders",
    "Id": "ID",
    "MaxAge": "MaxAgeSeconds",
}


def _cors_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(rule) - set(_CORS_PARTS)
    if unknown:
        raise ValueError(f"CORS rule parts the local runtime does not know: {sorted(unknown)}")
    return {_CORS_PARTS[part]: int(value) if part == "MaxAge" else value for part, value in rule.items()}


class ResourceManager:
    """Registers every resource's physical id in the Template and creates the stateful ones in moto."""

    def __init__(self, template: Template, endpoint_url: str):
        self.template = template
        self.endpoint_url = endpoint_url
        self.created: dict[str, str] = {}
        self._creators: dict[str, Callable[[str, dict[str, Any]], None]] = {
            "AWS::DynamoDB::Table": self._table,
            "AWS::SQS::Queue": self._queue,
            "AWS::SecretsManager::Secret": self._secret,
            "AWS::S3::Bucket": self._bucket,
            "AWS::SES::EmailIdentity": self._email_identity,
        }

    def default_name(self, logical_id: str) -> str:
        return f"{self.template.stack_name}-{logical_id}"

    def create_all(self) -> None:
        tpl = self.template
        # Resources that live only in the runtime get their ids first so anything may refer to them.
        for logical_id, res in tpl.resources.items():
            rtype = str(res.get("Type"))
            if rtype == SERVERLESS_FUNCTION:
                name = str(tpl.resolve((res.get("Properties") or {}).get("FunctionName")) or "") or (
                    self.default_name(logical_id)
                )
                tpl.refs[logical_id] = name
                tpl.attrs[(logical_id, "Arn")] = (
                    f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT_ID}:function:{name}"
                )
            elif rtype == SERVERLESS_LAYER:
                tpl.refs[logical_id] = (
                    f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT_ID}:layer:{self.default_name(logical_id)}:1"
                )
            elif rtype not in self._creators:
                tpl.refs[logical_id] = logical_id.lower()
                tpl.attrs[(logical_id, "ApiEndpoint")] = "http://localhost"
                for attribute, value in PASSIVE_ATTRIBUTES.get(rtype, {}).items():
                    tpl.attrs[(logical_id, attribute)] = value
                if rtype not in _PASSIVE_TYPES:
                    log.warning("resource %s of type %s is not emulated; skipped", logical_id, rtype)
        for logical_id in tpl.creation_order():
            rtype = str(tpl.resources[logical_id].get("Type"))
            creator = self._creators.get(rtype)
            if creator is None:
                continue
            props = tpl.resolve(tpl.resources[logical_id].get("Properties") or {}) or {}
            creator(logical_id, props)
            self.created[logical_id] = rtype
            log.info("created %s %s -> %s", rtype, logical_id, tpl.refs[logical_id])

    # ------------------------------------------------------------------ creators
    def _table(self, logical_id: str, props: dict[str, Any]) -> None:
        ddb = make_client("dynamodb", self.endpoint_url)
        name = str(props.get("TableName") or self.default_name(logical_id))
        args: dict[str, Any] = {
            "TableName": name,
            "KeySchema": props["KeySchema"],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "BillingMode": props.get("BillingMode", "PROVISIONED"),
        }
        if args["BillingMode"] == "PROVISIONED":
            args["ProvisionedThroughput"] = props.get(
                "ProvisionedThroughput", {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
            )
        for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if props.get(key):
                indexes = [dict(ix) for ix in props[key]]
                for ix in indexes:
                    if args["BillingMode"] != "PROVISIONED" or key == "LocalSecondaryIndexes":
                        ix.pop("ProvisionedThroughput", None)
                    elif "ProvisionedThroughput" not in ix:
                        ix["ProvisionedThroughput"] = args["ProvisionedThroughput"]
                args[key] = indexes
        stream = props.get("StreamSpecification")
        if stream:
            args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
        description = ddb.create_table(**args)["TableDescription"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled", True):
            ddb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )
        tpl = self.template
        tpl.refs[logical_id] = name
        tpl.attrs[(logical_id, "Arn")] = description["TableArn"]
        if description.get("LatestStreamArn"):
            tpl.attrs[(logical_id, "StreamArn")] = description["LatestStreamArn"]

    def _queue(self, logical_id: str, props: dict[str, Any]) -> None:
        sqs = make_client("sqs", self.endpoint_url)
        fifo = bool(props.get("FifoQueue"))
        name = str(props.get("QueueName") or (self.default_name(logical_id) + (".fifo" if fifo else "")))
        attributes = {
            key: (str(props[key]).lower() if isinstance(props[key], bool) else str(props[key]))
            for key in _QUEUE_ATTRIBUTES
            if key in props
        }
        for key in ("RedrivePolicy", "RedriveAllowPolicy"):
            if key in props:
                value = props[key]
                attributes[key] = value if isinstance(value, str) else json.dumps(value)
        url = str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        tpl = self.template
        tpl.refs[logical_id] = url
        tpl.attrs[(logical_id, "QueueUrl")] = url
        tpl.attrs[(logical_id, "Arn")] = arn
        tpl.attrs[(logical_id, "QueueName")] = name

    def _secret(self, logical_id: str, props: dict[str, Any]) -> None:
        sm = make_client("secretsmanager", self.endpoint_url)
        name = str(props.get("Name") or self.default_name(logical_id))
        if "SecretString" in props:
            value = str(props["SecretString"])
        else:
            value = generate_secret(props.get("GenerateSecretString") or {})
        args: dict[str, Any] = {"Name": name, "SecretString": value}
        if props.get("Description"):
            args["Description"] = str(props["Description"])
        arn = sm.create_secret(**args)["ARN"]
        self.template.refs[logical_id] = arn
        self.template.attrs[(logical_id, "Id")] = arn

    def _bucket(self, logical_id: str, props: dict[str, Any]) -> None:
        s3 = make_client("s3", self.endpoint_url)
        name = name_bucket(self.template, logical_id, props)
        s3.create_bucket(Bucket=name)
        cors = (props.get("CorsConfiguration") or {}).get("CorsRules")
        if cors:
            # moto answers a browser's preflight and cross-origin requests by the bucket's own rules
            # (its global CORS is off in the local runtime, see runtime.MotoServer).
            s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [_cors_rule(r) for r in cors]})

    def _email_identity(self, logical_id: str, props: dict[str, Any]) -> None:
        # moto keeps what is sent through SES; its /moto-api/data.json shows the messages.
        identity = str(props["EmailIdentity"])
        ses = make_client("ses", self.endpoint_url)
        if "@" in identity:
            ses.verify_email_identity(EmailAddress=identity)
        else:
            ses.verify_domain_identity(Domain=identity)
        self.template.refs[logical_id] = identity
