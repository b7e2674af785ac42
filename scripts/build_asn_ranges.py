"""Writes every range of the ASN database of `@ip-location-db/asn` in AsnRanges' binary format
(partnerka.tracking.asn), for the click path's ASN block lists.

    .venv/bin/python -m scripts.build_asn_ranges <unpacked package dir> <output file>

Adjacent ranges of one network are merged. IPv6 ranges keep their upper 64 bits (no route is longer
than a /64); the rare ranges that share a /64 with the range before them are dropped, so the rows
never overlap and a bisection finds the one that holds an address.
"""

from __future__ import annotations

import csv
import sys
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "layers" / "partnerka" / "python"))

from partnerka.tracking.asn import MAGIC  # noqa: E402

SOURCES = {4: "asn-ipv4-num.csv", 6: "asn-ipv6-num.csv"}


def asn_ranges(package: Path, version: int) -> list[tuple[int, int, int]]:
    shift = 0 if version == 4 else 64
    rows: list[tuple[int, int, int]] = []
    with open(package / SOURCES[version], newline="", encoding="utf-8") as source:
        for first, last, asn, *_ in csv.reader(source):
            rows.append((int(first) >> shift, int(last) >> shift, int(asn)))
    rows.sort()
    kept: list[tuple[int, int, int]] = []
    for start, end, network in rows:
        if kept and start <= kept[-1][1]:
            continue
        if kept and kept[-1][2] == network and kept[-1][1] + 1 == start:
            kept[-1] = (kept[-1][0], end, network)
        else:
            kept.append((start, end, network))
    return kept


def encode(v4: list[tuple[int, int, int]], v6: list[tuple[int, int, int]]) -> bytes:
    arrays = [array("I", [len(v4), len(v6)])]
    for typecode, rows in (("I", v4), ("Q", v6)):
        arrays += [array(typecode, [r[0] for r in rows]), array(typecode, [r[1] for r in rows])]
        arrays.append(array("I", [r[2] for r in rows]))
    if sys.byteorder == "big":
        for values in arrays:
            values.byteswap()
    return MAGIC + b"".join(values.tobytes() for values in arrays)


def main(package: Path, target: Path) -> None:
    v4, v6 = asn_ranges(package, 4), asn_ranges(package, 6)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(encode(v4, v6))
    partial.replace(target)
    print(f"{len(v4)} IPv4 and {len(v6)} IPv6 ASN ranges written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
