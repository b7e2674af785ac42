"""Invoice drawing benchmark: one month's invoice with many conversions (BENCH_INVOICE_ITEMS, 2,000 by
default, across 5 offers and 50 affiliates, a few of them reversed), drawn as PDF in English and in
Russian as the nightly billing run draws it. Prints, per language, the wall and CPU time, the pages,
the size and the process's peak resident memory (BillingFunction has 1,024 MB), and leaves each PDF in `.local/` for the test
to read. The last line is JSON for
tests/bench/test_invoice_bench.py. Run: `scripts/bench` (or `python -m tests.bench.invoice_bench`).
"""

from __future__ import annotations

import json
import os
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from partnerka.finance.invoice_pdf import LANGUAGES, render_invoice
from partnerka.finance.invoices import Invoice, InvoiceItem, InvoiceStatus, invoice_lines

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / ".local" / "documents-layer" / "fonts"
ITEMS = int(os.environ.get("BENCH_INVOICE_ITEMS", "2000"))


def month_of_items(count: int) -> tuple[Invoice, list[InvoiceItem]]:
    start = datetime(2026, 10, 1, tzinfo=UTC)
    items = [
        InvoiceItem(
            conversion_id=f"01BENCH{n:019d}",
            offer_id=f"offer-{n % 5}",
            affiliate_id=f"affiliate-{n % 50}",
            currency="USD",
            at=start + timedelta(seconds=n * 1300),
            reversed=n % 97 == 0,
            payout=-1250 if n % 97 == 0 else 1250,
            revenue=-2000 if n % 97 == 0 else 2000,
        )
        for n in range(count)
    ]
    invoice = Invoice(
        "advertiser-1",
        "2026-10",
        InvoiceStatus.ISSUED,
        number="PK-000042",
        closed_at=start + timedelta(days=31),
        issued_at=start + timedelta(days=31, minutes=30),
        lines=invoice_lines(items),
    )
    return invoice, items


def main() -> None:
    invoice, items = month_of_items(ITEMS)
    names = {
        "offer": {f"offer-{n}": f"Offer number {n} — спортивная обувь" for n in range(5)},
        "affiliate": {f"affiliate-{n}": f"Partner {n} Media" for n in range(50)},
    }
    drawn: list[dict[str, Any]] = []
    for language in LANGUAGES:
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = render_invoice(invoice, items, language, "Acme Shoes", names, str(FONTS), "Acme Partners")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        drawn.append(
            {
                "language": language,
                "wall_s": round(wall, 3),
                "cpu_s": round(cpu, 3),
                "bytes": len(pdf),
                # the process's peak resident memory so far (Linux reports KiB): what Lambda's size bounds
                "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
        path = ROOT / ".local" / f"bench-invoice.{language}.pdf"
        path.write_bytes(pdf)
        drawn[-1]["path"] = str(path)
    print(f"invoice benchmark: {ITEMS} conversions on one invoice (5 offers, 50 affiliates), fpdf2")
    for row in drawn:
        print(
            f"  {row['language']}: {row['wall_s']:.2f} s wall, {row['cpu_s']:.2f} s CPU, "
            f"{row['bytes'] / 1024:.0f} KiB, process peak RSS {row['max_rss_mib']} MiB"
        )
    print(json.dumps({"items": ITEMS, "drawn": drawn}))


if __name__ == "__main__":
    main()
