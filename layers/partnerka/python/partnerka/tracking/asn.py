"""Which autonomous system announces an address: the lookup behind ASN block lists.

The file (`asn.ranges` in the GeoLayer, beside the country database) is built by `scripts/setup`
(through `python -m scripts.build_asn_ranges`) from every range of the npm package
`@ip-location-db/asn` (RouteViews and DB-IP, CC-BY-4.0). It is a header and six little-endian arrays,
read with `array.frombytes`, never parsed: `PKASN1\\0\\0`, the IPv4 and IPv6 row counts (uint32 each),
then IPv4 starts, ends and ASNs (uint32), IPv6 starts and ends (uint64: the upper 64 bits, the
routing prefix, as BGP announces nothing longer than a /64) and ASNs (uint32). Rows are sorted and
never overlap. About 7 MB (12 bytes an IPv4 row, 20 an IPv6 one; 410,000 and 100,000 rows), read
whole in some 15 ms; loaded only when a cached block list names an ASN, so a click function
with no ASN rules never reads it.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from pathlib import Path

from partnerka.common.observability import logger
from partnerka.tracking.blocking import Address

MAGIC = b"PKASN1\0\0"
HEADER_SIZE = len(MAGIC) + 8


class AsnRanges:
    """Sorted, non-overlapping address ranges with the ASN announcing each."""

    def __init__(
        self, v4: tuple[array[int], array[int], array[int]], v6: tuple[array[int], array[int], array[int]]
    ) -> None:
        self._v4 = v4
        self._v6 = v6

    @classmethod
    def read(cls, data: bytes) -> AsnRanges:
        if data[: len(MAGIC)] != MAGIC:
            raise ValueError("not an ASN ranges file")
        counts = array("I")
        counts.frombytes(data[len(MAGIC) : HEADER_SIZE])
        offset = HEADER_SIZE

        def take(typecode: str, count: int) -> array[int]:
            nonlocal offset
            values = array(typecode)
            size = values.itemsize * count
            values.frombytes(data[offset : offset + size])
            offset += size
            if sys.byteorder == "big":
                values.byteswap()
            return values

        if sys.byteorder == "big":
            counts.byteswap()
        n4, n6 = counts
        v4 = (take("I", n4), take("I", n4), take("I", n4))
        v6 = (take("Q", n6), take("Q", n6), take("I", n6))
        return cls(v4, v6)

    def asn(self, address: Address) -> int | None:
        version, value = address
        starts, ends, asns = self._v4 if version == 4 else self._v6
        key = value if version == 4 else value >> 64
        index = bisect_right(starts, key) - 1
        if index >= 0 and key <= ends[index]:
            return asns[index]
        return None


class AsnDatabase:
    """The ASN file, opened on the first look-up; a missing or damaged file answers None (a click is
    never refused for want of it, and the warning says why ASN rules do not bite)."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)
        self._ranges: AsnRanges | None = None
        self._unavailable = False

    @property
    def loaded(self) -> bool:
        return self._ranges is not None

    def asn(self, address: Address) -> int | None:
        if self._ranges is None and not self._unavailable:
            try:
                self._ranges = AsnRanges.read(self._path.read_bytes())
            except (OSError, ValueError):
                logger.warning("asn database unavailable", path=str(self._path))
                self._unavailable = True
        return self._ranges.asn(address) if self._ranges is not None else None
