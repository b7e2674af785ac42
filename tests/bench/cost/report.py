"""The cost benchmark's figures as a table a person reads: a line per cost, a column pair (units per
click, dollars per million clicks) per stream batch size, then the totals next to the market's
price and to each of our plans."""

from __future__ import annotations

from typing import Any

from tests.bench.cost.bill import NOTES
from tests.bench.cost.prices import PRICES, VOLUUM_OVERAGE_PER_MILLION
from tests.bench.cost.traffic import MIX

NAME = 58
COLUMN = 22


def _row(label: str, cells: list[str]) -> str:
    return f"{label[:NAME]:<{NAME}}" + "".join(f"{cell:>{COLUMN}}" for cell in cells)


def report(result: dict[str, Any]) -> None:
    bills, runs = result["bills"], result["runs"]
    print(
        f"cost benchmark: {result['clicks']} clicks per batch size through the click, postback and orchestrator handlers, moto endpoint"
    )
    print(
        "traffic mix: "
        + ", ".join(f"{name.replace('_', ' ')} {share:.0%}" for name, share in MIX.items())
        + "; measured: "
        + ", ".join(
            f"batch {r['batch_size']}: {r['accepted'] / r['clicks']:.1%} accepted, {r['conversions']} conversions, "
            f"{r['repeat_share']:.1%} repeat visitors"
            for r in runs
        )
    )
    print(_row("line (units per click, $ per million clicks)", [f"batch {b['batch_size']}" for b in bills]))
    keys: list[tuple[str, str]] = []
    for entry in (entry for b in bills for entry in b["lines"]):
        if (entry["section"], entry["name"]) not in keys:
            keys.append((entry["section"], entry["name"]))
    section = ""
    for key in sorted(keys, key=lambda k: [e for e in _SECTIONS].index(k[0]) if k[0] in _SECTIONS else 99):
        if key[0] != section:
            section = key[0]
            print(f"{section}")
        cells = []
        for b in bills:
            found = next((e for e in b["lines"] if (e["section"], e["name"]) == key), None)
            cells.append(f"{_units(found)} ${found['usd_per_million']:8.3f}" if found else "-")
        print(_row(f"  {key[1]}", cells))
    _tables(bills)
    for label, name in (
        ("DynamoDB write units per click", "write_units_per_click"),
        ("DynamoDB read units per click", "read_units_per_click"),
    ):
        print(_row(label, [f"{b[name]:.3f}" for b in bills]))
    print(_row("TOTAL $ per million clicks", [f"${b['total_usd_per_million']:.2f}" for b in bills]))
    low, high = VOLUUM_OVERAGE_PER_MILLION
    print(f"Voluum's published overage: ${low:.0f}-{high:.0f} per million events")
    print(
        "write units per click (DynamoDB, everything a click causes, the click itself included): "
        + ", ".join(f"batch {b['batch_size']} {b['write_units_per_click']:.3f}" for b in bills)
    )
    _plans(bills)
    _functions(bills, result)
    for note in NOTES:
        print(f"note: {note}")
    print("assumptions: " + "; ".join(f"{k}={v}" for k, v in bills[0]["assumptions"].items()))
    print(
        "prices (us-east-1, on-demand): "
        + "; ".join(f"{k} ${p.usd} per {p.per} ({p.source}, {p.read})" for k, p in PRICES.items())
    )


_SECTIONS = (
    "DynamoDB writes",
    "DynamoDB reads",
    "DynamoDB storage",
    "Lambda",
    "X-Ray",
    "Edge",
    "SQS",
    "EventBridge",
    "CloudWatch Logs",
    "S3",
)


def _units(entry: dict[str, Any]) -> str:
    value = entry["units"]
    return f"{value:9.3g}" if entry["unit"] in ("GB-s", "traces") else f"{value:9.3f}"


def _plans(bills: list[dict[str, Any]]) -> None:
    from partnerka.billing.catalogue import default_plans

    print(
        "per plan (USD): included clicks a month, our cost for them at batch "
        + "/".join(str(b["batch_size"]) for b in bills)
        + ", the plan's price"
    )
    for plan in default_plans():
        clicks = plan.limits.clicks_per_month
        price = plan.monthly_prices.get("USD")
        overage = plan.overage_per_1000.get("USD")
        if clicks is None:
            costs = "/".join(f"${b['total_usd_per_million']:.2f}" for b in bills) + " per million"
            print(f"  {plan.name:<11} unlimited clicks, our cost {costs}, price: custom terms")
            continue
        costs = "/".join(f"${b['total_usd_per_million'] * clicks / 1e6:.2f}" for b in bills)
        line = (
            f"  {plan.name:<11} {clicks:>10,} clicks, our cost {costs}, price ${price / 100:.2f}"
            if price
            else ""
        )
        if overage:
            line += f", overage ${overage / 100 * 1000:.0f} per million clicks"
        print(line)


def _functions(bills: list[dict[str, Any]], result: dict[str, Any]) -> None:
    for b in bills:
        print(
            f"batch {b['batch_size']}: "
            + "; ".join(
                f"{name} {d['invocations_per_click']:.3f} inv/click, CPU {d['cpu_ms_mean']:.2f} ms, "
                f"{d['dynamodb_calls_per_invocation']:.1f} DynamoDB calls, billed {d['billed_ms_mean']:.1f} ms at {d['memory_mb']} MB, "
                f"log {d['log_bytes_per_invocation']:.0f} B/inv"
                for name, d in b["functions"].items()
            )
        )
    print(
        "cold import (INIT, fresh interpreter): "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in result["cold_import_ms"].items())
    )


def _tables(bills: list[dict[str, Any]]) -> None:
    """Write and read units per click for each table, the purposes' lines added up."""
    for section in ("DynamoDB writes", "DynamoDB reads"):
        tables = sorted(
            {
                e["name"].rsplit("(", 1)[-1].rstrip(")")
                for b in bills
                for e in b["lines"]
                if e["section"] == section and e["units"]
            }
        )
        for table in tables:
            cells = []
            for b in bills:
                found = [
                    e for e in b["lines"] if e["section"] == section and e["name"].endswith(f"({table})")
                ]
                cells.append(
                    f"{sum(e['units'] for e in found):9.3f} ${sum(e['usd_per_million'] for e in found):8.3f}"
                )
            print(_row(f"{section.split()[1]} per table: {table}", cells))
