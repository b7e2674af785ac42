"""Filters the ASN database of `@ip-location-db/asn` down to the hosting networks the orchestrator
flags (partnerka.tracking.datacenter.HOSTING_NETWORKS) and writes them in DatacenterRanges' format.

    .venv/bin/python -m scripts.build_datacenter_ranges <unpacked package dir> <output file>

Adjacent ranges of one network are merged, so the file stays small (a few thousand lines).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "layers" / "partnerka" / "python"))

from partnerka.tracking.datacenter import HOSTING_NETWORKS  # noqa: E402

SOURCES = {4: "asn-ipv4-num.csv", 6: "asn-ipv6-num.csv"}


def hosting_ranges(package: Path, version: int) -> list[tuple[int, int, int]]:
    rows: list[tuple[int, int, int]] = []
    with open(package / SOURCES[version], newline="", encoding="utf-8") as source:
        for first, last, asn, *_ in csv.reader(source):
            if int(asn) in HOSTING_NETWORKS:
                rows.append((int(first), int(last), int(asn)))
    rows.sort()
    merged: list[tuple[int, int, int]] = []
    for start, end, network in rows:
        if merged and merged[-1][2] == network and merged[-1][1] + 1 >= start:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), network)
        else:
            merged.append((start, end, network))
    return merged


def main(package: Path, target: Path) -> None:
    lines = [
        f"{version} {first} {last} {asn}\n"
        for version in (4, 6)
        for first, last, asn in hosting_ranges(package, version)
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text("".join(lines), encoding="ascii")
    partial.replace(target)
    print(f"{len(lines)} datacenter ranges written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
