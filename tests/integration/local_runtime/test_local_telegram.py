"""The local platform's Telegram: the functions are pointed at the fake Bot API, and the bot's secret
is filled in with values the fake knows, so that its Start reaches the webhook with the right token."""

from __future__ import annotations

import json
from pathlib import Path

from partnerka_local.resources import make_client
from partnerka_local.runtime import LocalRuntime

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  TelegramApiBaseUrl:
    Type: String
    Default: https://api.telegram.org
Resources:
  TelegramBotSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: '{"token": "", "webhook_secret": "", "username": ""}'
"""


def test_the_local_bot_talks_to_the_fake_bot_api_with_a_filled_in_secret(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    runtime = LocalRuntime(
        template=template, port=0, stack_name="tg", log_dir=tmp_path / "logs", lazy_workers=True
    )
    try:
        runtime.start()
        fake = runtime.telegram
        assert fake is not None
        assert runtime.template is not None
        assert runtime.template.parameters["TelegramApiBaseUrl"] == fake.url
        arn = str(runtime.physical_id("TelegramBotSecret"))
        moto = runtime.aws_env["AWS_ENDPOINT_URL"]
        secret = json.loads(
            make_client("secretsmanager", moto).get_secret_value(SecretId=arn)["SecretString"]
        )
        assert secret["webhook_secret"] == fake.webhook_secret
        assert secret["username"] == fake.username
        assert secret["token"]
        assert fake.webhook_url == f"{runtime.url}/telegram/webhook"
    finally:
        runtime.stop()
    assert runtime.telegram is None
