"""Creates a platform owner (the first one, or another) with a verified e-mail.

    scripts/create-owner --email you@example.com --name "Your Name"      (asks for the password)
    scripts/create-owner --stage dev --email you@example.com --name "Your Name"

With --stage, against that deployed stage (samconfig.toml names its stack and region; AWS
credentials from the environment): the settings are the account function's own, read from its
configuration. Without it, against the local platform (scripts/create-owner reads them from
.local/runtime-env.json), or whatever the environment names (CORE_TABLE, AUDIT_TABLE,
OPERATIONS_TABLE, NOTIFY_QUEUE_URL, JWT_SECRET_ARN, APP_BASE_URL).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.provisioning import create_owner
from partnerka.common.config import read_settings
from partnerka.common.errors import DomainError

ACCOUNT_FUNCTION = "ApiAccountFunction"  # template.yaml: it signs people up and in


def stage_settings(cloudformation: Any, lambda_client: Any, stack_name: str) -> dict[str, str]:
    """The environment of the stage's account function: the settings an owner is created with."""
    resource = cloudformation.describe_stack_resource(
        StackName=stack_name, LogicalResourceId=ACCOUNT_FUNCTION
    )
    name = resource["StackResourceDetail"]["PhysicalResourceId"]
    configuration = lambda_client.get_function_configuration(FunctionName=name)
    return dict(configuration.get("Environment", {}).get("Variables", {}))


def use_stage(stage_name: str) -> None:
    import boto3

    from scripts.deploy import read_stage

    stage = read_stage(stage_name)
    settings = stage_settings(
        boto3.client("cloudformation", region_name=stage.region),
        boto3.client("lambda", region_name=stage.region),
        stage.stack_name,
    )
    os.environ.update(settings)
    os.environ["AWS_REGION"] = os.environ["AWS_DEFAULT_REGION"] = stage.region


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--stage", help="a deployed stage of samconfig.toml (dev, prod)")
    args = parser.parse_args()
    if args.stage:
        use_stage(args.stage)
    password = os.environ.get("PARTNERKA_OWNER_PASSWORD") or getpass.getpass("Password (10+ characters): ")
    service, _ = account_services(read_settings(AccountSettings))
    try:
        user = create_owner(service, args.email, password, args.name)
    except DomainError as error:
        print(f"not created: {error.message}", file=sys.stderr)
        return 1
    print(f"owner {user.email} created (id {user.user_id})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
