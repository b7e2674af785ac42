"""The devices a user signs in from, so that a sign-in from one not seen before is told to its owner.

A device is the browser family on the OS family its User-Agent names ("Firefox on Linux"): coarse on
purpose, so a browser's update or a new address does not make a known device new, and never the full
User-Agent or the IP, which are not kept. A small parser of the common browsers and systems is enough
for that and costs the sign-in nothing (ua-parser compiles its regexes on first use, see
tracking.user_agent).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis

MAX_DEVICES = 20  # the devices remembered per user; the one seen longest ago makes room

# The first that matches names the browser: the order matters, as Chromium's offspring also say
# "Chrome" and "Safari", and Chrome says "Safari".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Yandex Browser", re.compile(r"\bYaBrowser/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|CriOS)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)
_SYSTEMS = (
    ("iOS", re.compile(r"\b(iPhone|iPad|iPod)\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
)
UNKNOWN = "an unknown browser"


@dataclass(frozen=True, slots=True)
class Device:
    browser: str
    os: str

    @property
    def label(self) -> str:
        return f"{self.browser} on {self.os}"

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.browser}\n{self.os}".encode()).hexdigest()


def device_of(user_agent: str) -> Device:
    browser = next((name for name, sign in _BROWSERS if sign.search(user_agent)), UNKNOWN)
    system = next((name for name, sign in _SYSTEMS if sign.search(user_agent)), "an unknown system")
    return Device(browser, system)


class KnownDevices(Protocol):
    def remember(self, user_id: str, fingerprint: str, at: datetime) -> bool | None:
        """Note the device as seen at `at`. None: the user's first device (nothing was known of it
        before); True: a device not seen before; False: a known one."""
        ...


class KnownDeviceRepository:
    """The devices a user signed in from. Key shape: core table, PK `USER#<user_id>`, SK `DEVICES`;
    `devices` maps a device's fingerprint to when it was last seen (ISO), at most MAX_DEVICES."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    @staticmethod
    def key(user_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": "DEVICES"}}

    def remember(self, user_id: str, fingerprint: str, at: datetime) -> bool | None:
        client = self._c()
        found = client.get_item(TableName=self._table, Key=self.key(user_id), ConsistentRead=True)
        stored = found.get("Item", {}).get("devices", {}).get("M")
        seen = {name: value["S"] for name, value in (stored or {}).items()}
        when = {"S": iso_millis(at)}
        if stored is None:
            # Two first sign-ins at once both write the whole map: either is right.
            client.update_item(
                TableName=self._table,
                Key=self.key(user_id),
                UpdateExpression="SET devices = :devices",
                ExpressionAttributeValues={":devices": {"M": {fingerprint: when}}},
            )
            return None
        names = {"#seen": fingerprint}
        expression = "SET devices.#seen = :at"
        if fingerprint not in seen and len(seen) >= MAX_DEVICES:
            names["#oldest"] = min(seen, key=lambda name: seen[name])
            expression += " REMOVE devices.#oldest"
        client.update_item(
            TableName=self._table,
            Key=self.key(user_id),
            UpdateExpression=expression,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={":at": when},
        )
        return fingerprint not in seen
