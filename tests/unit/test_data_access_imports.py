"""Only repositories touch AWS's SDKs: ARCHITECTURE §2 says "Nothing above a repository imports boto3
or pynamodb". Services, routes and handlers get domain types from repositories and never see a
PynamoDB item or a botocore client.

Allowed: every `repository.py`, the storage modules in `STORAGE` (the two DynamoDB helpers in
`common`, and a context's rows kept beside its repository), and the few adapters listed in
`ADAPTERS`, each with its reason. A context's private rows module is imported by its repository alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

SDKS = ("boto3", "botocore", "pynamodb")
PACKAGE = Path("layers/partnerka/python/partnerka")
STORAGE = {
    PACKAGE / "common" / "dynamo.py": "the codec and table helper every repository pages with",
    PACKAGE / "common" / "pynamo.py": "PynamoDB's base row of the core table",
    PACKAGE / "accounts" / "_rows.py": "accounts' PynamoDB rows (fifteen), split from its "
    "repository for length; only accounts/repository.py imports it",
}

ADAPTERS = {
    PACKAGE / "common" / "secrets.py": "reads Secrets Manager (the signing keys) for every context",
    PACKAGE / "common" / "aws.py": "the one botocore session every adapter makes its client from",
    PACKAGE / "notifications" / "email.py": "the SES port's implementation (sends the e-mails)",
    PACKAGE / "operations" / "queue.py": "the SQS port's implementation (enqueues background work)",
    PACKAGE / "stats" / "report_files.py": "the S3 port's implementation (report and export files)",
    PACKAGE / "domains" / "tenants.py": "the CloudFront port's implementation (advertisers' domains)",
    PACKAGE / "branding" / "assets.py": "the S3 port's implementation (brand images: uploads, publishing)",
    PACKAGE / "analytics" / "athena.py": "the query port's Athena implementation (reports in AWS)",
    PACKAGE / "analytics" / "objects.py": "the analytics bucket's S3 port (Parquet put, listed, copied)",
    Path("functions/billing/app.py"): "composition root: builds the S3 client the billing service takes",
    Path("functions/reports/app.py"): "composition root: builds the S3 client the report runner takes",
}


def sdk_imports(path: Path, root: Path = ROOT) -> list[str]:
    """`file:line module` for every import of an AWS SDK or PynamoDB in the file, also inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno} {n}" for n in names if n.split(".")[0] in SDKS]
    return found


def _code() -> list[Path]:
    return sorted([*(ROOT / PACKAGE).rglob("*.py"), *(ROOT / "functions").rglob("*.py")])


def _allowed(relative: Path) -> bool:
    return relative.name == "repository.py" or relative in STORAGE or relative in ADAPTERS


def test_only_repositories_and_named_adapters_import_aws_sdks_or_pynamodb() -> None:
    offending = [hit for path in _code() if not _allowed(path.relative_to(ROOT)) for hit in sdk_imports(path)]
    assert not offending, "move these behind a repository, or name the adapter in ADAPTERS:\n" + "\n".join(
        offending
    )


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports by absolute name (`from a.b import c` names `a.b` and `a.b.c`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_a_contexts_private_rows_are_imported_by_its_repository_alone() -> None:
    rows = [path for path in STORAGE if path.name == "_rows.py"]
    everything = sorted(
        [
            *_code(),
            *(ROOT / "tests").rglob("*.py"),
            *(ROOT / "scripts").rglob("*.py"),
            *(ROOT / "infra").rglob("*.py"),
        ]
    )
    for row_module in rows:
        name = ".".join(row_module.relative_to(PACKAGE.parent).with_suffix("").parts)
        repository = ROOT / row_module.with_name("repository.py")
        importers = [path for path in everything if path != repository and name in imported_modules(path)]
        assert not importers, f"{name} is private to {repository.relative_to(ROOT)}: {importers}"
        assert name in imported_modules(repository)


def test_an_import_of_a_private_rows_module_is_found(tmp_path: Path) -> None:
    # Given a service that takes a row from the rows module, one way or the other
    service = tmp_path / "service.py"
    service.write_text("from partnerka.accounts import _rows\nfrom partnerka.accounts._rows import UserRow\n")
    # When its imports are read, Then both name the private module
    assert {"partnerka.accounts._rows", "partnerka.accounts._rows.UserRow"} <= imported_modules(service)


def test_every_named_adapter_still_imports_an_sdk() -> None:
    # The list of exceptions stays short: a line whose file no longer needs an SDK goes.
    stale = [str(path) for path in ADAPTERS if not sdk_imports(ROOT / path)]
    assert not stale, f"no longer import an SDK, drop them from ADAPTERS: {stale}"


def test_an_sdk_import_in_a_service_is_found_also_inside_a_function(tmp_path: Path) -> None:
    # Given a service module that imports PynamoDB lazily, and botocore at the top
    service = tmp_path / "service.py"
    service.write_text(
        "from botocore.exceptions import ClientError\n"
        "from partnerka.common import dynamo\n"
        "def later():\n"
        "    import pynamodb.models\n"
    )
    # When its imports are read
    hits = sdk_imports(service, tmp_path)
    # Then both are named with their lines; the domain package's own helper is not
    assert hits == ["service.py:1 botocore.exceptions", "service.py:4 pynamodb.models"]
