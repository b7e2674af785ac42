"""What each stored item is for, by its table and its partition key's prefix: data, not code. A new
key shape needs one line here; one not listed is reported under its table and its own prefix, so
nothing the code writes is hidden from the cost report."""

from __future__ import annotations

# (table's logical id in template.yaml, partition key prefix up to its first "#") -> purpose;
# "*" stands for any prefix of that table. A key without "#" has the prefix "".
PURPOSES: dict[tuple[str, str], str] = {
    ("ClicksTable", "*"): "click items",
    ("StatsTable", "ADV#"): "statistics cubes",
    ("StatsTable", "JRN#"): "statistics journal",
    ("StatsTable", "FOLDQ#"): "statistics journal registry",
    ("StatsTable", "LOG#"): "click log",
    ("StatsTable", "UQ#"): "visitor windows",
    ("StatsTable", "IP#"): "address counts (per address, before issue 21)",
    ("StatsTable", "IPB#"): "address counts",
    ("StatsTable", "CQ#"): "click verdicts",
    ("StatsTable", "CQF#"): "flood verdicts",
    ("StatsTable", "BATCH#"): "batch range markers",
    ("CapsTable", "CAP#"): "cap counters",
    ("CoreTable", "CAP#"): "cap counters",
    ("CoreTable", "*"): "routes and settings",
    ("OperationsTable", "OP#"): "operations log",
    ("OperationsTable", "RATE#"): "operations hourly counters",
    ("OperationsTable", "*"): "operations (other)",
    ("ConversionsTable", "*"): "conversions",
    ("LedgerTable", "*"): "ledger",
}


def purpose_of(table: str, key_value: str) -> str:
    prefix = key_value.split("#", 1)[0] + "#" if "#" in key_value else ""
    found = PURPOSES.get((table, prefix)) or PURPOSES.get((table, "*"))
    return found or f"{table} {prefix or '(no prefix)'}"
