"""The visitor's country: CloudFront's header when present, else an mmdb lookup of the IP."""

from __future__ import annotations

import ipaddress
from typing import Any

from partnerka.common.observability import logger

UNKNOWN_COUNTRY = "ZZ"


class GeoLocator:
    """Country lookup over a country-level mmdb file (the CC0 geo-whois-asn-country or GeoLite2)."""

    def __init__(self, db_path: str) -> None:
        self._db_path = db_path
        self._reader: Any = None
        self._unavailable = False

    def country(self, ip: str, viewer_country: str | None = None) -> str:
        if viewer_country and len(viewer_country) == 2 and viewer_country.isalpha():
            return viewer_country.upper()
        reader = self._open()
        if reader is None:
            return UNKNOWN_COUNTRY
        try:
            record = reader.get(ipaddress.ip_address(ip))
        except ValueError:
            return UNKNOWN_COUNTRY
        return _country_code(record)

    def _open(self) -> Any:
        if self._reader is None and not self._unavailable:
            # Imported on the first lookup: behind the edge the country comes from CloudFront's
            # header, and maxminddb (with multiprocessing) costs some 15 ms of CPU at the cold start of
            # the click function and of every API function that imports the tracking service.
            import maxminddb

            try:
                self._reader = maxminddb.open_database(self._db_path)
            except (OSError, ValueError):
                # A missing database must not break tracking: clicks are kept with an unknown country.
                logger.warning("geo database unavailable", path=self._db_path)
                self._unavailable = True
        return self._reader


def _country_code(record: Any) -> str:
    if not isinstance(record, dict):
        return UNKNOWN_COUNTRY
    code = record.get("country_code")  # ip-location-db layout
    if code is None and isinstance(record.get("country"), dict):
        code = record["country"].get("iso_code")  # MaxMind GeoLite2/GeoIP2 layout
    return code.upper() if isinstance(code, str) and len(code) == 2 else UNKNOWN_COUNTRY
