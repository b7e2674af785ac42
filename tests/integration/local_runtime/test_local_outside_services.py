"""The local platform's outside services, Telegram's Bot API and Stripe: the functions are pointed at
fakes on loopback, and the secrets an operator would fill in are filled in with values the fakes know,
so that a Start reaches the Telegram webhook with the right token and Stripe's events arrive signed
with the right secret."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from partnerka_local.resources import make_client
from partnerka_local.runtime import LocalRuntime

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  TelegramApiBaseUrl:
    Type: String
    Default: https://api.telegram.org
  StripeApiBaseUrl:
    Type: String
    Default: https://api.stripe.com
Resources:
  TelegramBotSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: '{"token": "", "webhook_secret": "", "username": ""}'
  StripeSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: '{"api_key": "", "webhook_secret": ""}'
"""


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntime]:
    folder = tmp_path_factory.mktemp("outside")
    template = folder / "template.yaml"
    template.write_text(TEMPLATE)
    started = LocalRuntime(
        template=template, port=0, stack_name="outside", log_dir=folder / "logs", lazy_workers=True
    )
    try:
        started.start()
        yield started
    finally:
        started.stop()
    assert started.telegram is None
    assert started.stripe is None


def secret_of(runtime: LocalRuntime, logical_id: str) -> dict[str, Any]:
    arn = str(runtime.physical_id(logical_id))
    moto = runtime.aws_env["AWS_ENDPOINT_URL"]
    found: dict[str, Any] = json.loads(
        make_client("secretsmanager", moto).get_secret_value(SecretId=arn)["SecretString"]
    )
    return found


def test_the_local_bot_talks_to_the_fake_bot_api_with_a_filled_in_secret(runtime: LocalRuntime) -> None:
    fake = runtime.telegram
    assert fake is not None
    assert runtime.template is not None
    assert runtime.template.parameters["TelegramApiBaseUrl"] == fake.url
    secret = secret_of(runtime, "TelegramBotSecret")
    assert secret["webhook_secret"] == fake.webhook_secret
    assert secret["username"] == fake.username
    assert secret["token"]
    assert fake.webhook_url == f"{runtime.url}/telegram/webhook"


def test_the_local_billing_pays_through_the_fake_stripe_whose_events_reach_the_billing_webhook(
    runtime: LocalRuntime,
) -> None:
    fake = runtime.stripe
    assert fake is not None
    assert runtime.template is not None
    assert runtime.template.parameters["StripeApiBaseUrl"] == fake.url
    assert secret_of(runtime, "StripeSecret") == {
        "api_key": fake.api_key,
        "webhook_secret": fake.webhook_secret,
    }
    assert fake.api_key.startswith("sk_test_")
    assert fake.webhook_secret.startswith("whsec_")
    assert fake.webhook_url == f"{runtime.url}/api/billing/stripe/webhook"
