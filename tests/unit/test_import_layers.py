"""No import runs upward between the bounded contexts of the domain package.

`LAYERS` lists the contexts of `layers/partnerka/python/partnerka`, lowest first, as ARCHITECTURE names
them; a module may import `common`, its own context and the contexts listed before its own, never one
after it. The order is what the code needs, read from the bottom up:

- common: money, ids, clock, errors, config, observability; it imports no context.
- audit: the audit trail every mutation writes.
- operations: the log of background work and the queues it runs on (every worker writes it; the
  monitor reads it and audits repairs).
- notifications: e-mail, in-app and webhook messages, sent as operations (in the brand they concern).
- billing: SaaS plans, subscriptions and the gate that holds their limits; below every context
  whose service asks the gate (domains, accounts, offers, branding), so what it needs of those
  (counts, the month's clicks) it asks through its ports (billing.ports), which they implement.
- domains: advertisers' own portal and tracking domains and their CloudFront tenants (audited, checked
  as operations, told to the advertiser); below accounts and tracking, which route by Host.
- accounts: users, advertisers, affiliates, memberships, permissions, tokens (sends e-mails).
- offers: offers, goals, landings, the affiliates' access, and the routes the hot paths read.
- branding: advertisers' brands and the portal a host belongs to (checks links by offers' rules).
- tracking: clicks, recorded on offers' and affiliates' routes; owns the `ClickRecorded` event.
- blocklists: the advertisers' and offers' block lists, kept in the spelling the click path
  (tracking.blocking) compiles, for offers of their own advertiser.
- conversions: conversions of clicks; owns the `ConversionChanged` event.
- postbacks: telling affiliates about clicks and conversions.
- stats: the projection of clicks and conversions into cubes and the click log, and reports on them.
- finance: the ledger that conversions move, payouts, top-ups, invoices (reads stats' names).
- orchestrator: decodes the streams' records into the events above and routes them; nothing
  imports it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "layers" / "partnerka" / "python" / "partnerka"

LAYERS = (
    "common",
    "audit",
    "operations",
    "notifications",
    "billing",
    "domains",
    "accounts",
    "offers",
    "branding",
    "tracking",
    "analytics",
    "blocklists",
    "conversions",
    "postbacks",
    "stats",
    "finance",
    "orchestrator",
)


@dataclass(frozen=True, slots=True)
class ContextImport:
    """One import of a module of `context` (the file `path`, relative to the package) from `target`."""

    path: str
    line: int
    context: str
    target: str
    module: str

    @property
    def upward(self) -> bool:
        return LAYERS.index(self.target) > LAYERS.index(self.context)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.context} → {self.target} ({self.module})"


def _imported_modules(node: ast.Import | ast.ImportFrom, package: str) -> Iterator[str]:
    """The absolute names an import statement loads (`package`: the importing module's package)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    module = node.module or ""
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        module = ".".join([*base, module] if module else base)
    if module == "partnerka":  # `from partnerka import stats`
        yield from (f"partnerka.{alias.name}" for alias in node.names)
    else:
        yield module


def context_imports(package: Path = PACKAGE) -> list[ContextImport]:
    """Every import, anywhere in a module (also inside functions and TYPE_CHECKING blocks), of one
    context from another."""
    found: list[ContextImport] = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if len(relative.parts) < 2:
            continue  # the package's own __init__
        context = relative.parts[0]
        dotted = ".".join(("partnerka", *relative.with_suffix("").parts))
        own_package = dotted if path.name == "__init__.py" else dotted.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for module in _imported_modules(node, own_package):
                parts = module.split(".")
                if parts[0] == "partnerka" and len(parts) > 1 and parts[1] != context:
                    found.append(ContextImport(relative.as_posix(), node.lineno, context, parts[1], module))
    return found


def upward_imports(imports: list[ContextImport]) -> list[ContextImport]:
    return [i for i in imports if i.upward]


def test_every_context_has_its_place_in_the_order() -> None:
    contexts = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert contexts == set(LAYERS), f"place each context in LAYERS: {sorted(contexts ^ set(LAYERS))}"


def test_no_context_imports_a_context_above_it() -> None:
    offending = upward_imports(context_imports())
    assert not offending, "imports that run upward between contexts:\n" + "\n".join(map(str, offending))


def test_an_upward_import_is_named_by_file_line_and_contexts(tmp_path: Path) -> None:
    # Given a package whose `common` imports a context, twice: at the top and inside a function
    (tmp_path / "common").mkdir()
    (tmp_path / "stats").mkdir()
    (tmp_path / "common" / "__init__.py").write_text("")
    (tmp_path / "stats" / "__init__.py").write_text("from . import cube\n")
    (tmp_path / "common" / "clock.py").write_text(
        "from partnerka.common.ids import new_id\n"
        "import partnerka.stats.cube\n"
        "def later():\n"
        "    from partnerka import stats\n"
        "    from ..stats.cube import Facts\n"
    )
    # When its imports are read
    offending = upward_imports(context_imports(tmp_path))
    # Then each upward one is named with its file, line and the two contexts; its own are not
    assert [str(i) for i in offending] == [
        "common/clock.py:2: common → stats (partnerka.stats.cube)",
        "common/clock.py:4: common → stats (partnerka.stats)",
        "common/clock.py:5: common → stats (partnerka.stats.cube)",
    ]
