"""Creates a platform owner (the first one, or another) with a verified e-mail.

    scripts/create-owner --email you@example.com --name "Your Name"      (asks for the password)

Against a deployed stack, the environment names its resources and settings (CORE_TABLE, AUDIT_TABLE,
OPERATIONS_TABLE, NOTIFY_QUEUE_URL, JWT_SECRET_ARN, APP_BASE_URL, AWS credentials); against the local
platform scripts/create-owner sets them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from partnerka.accounts.composition import AccountSettings, account_services
from partnerka.accounts.provisioning import create_owner
from partnerka.common.config import read_settings
from partnerka.common.errors import DomainError


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", required=True)
    args = parser.parse_args()
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
