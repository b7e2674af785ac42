"""A notification as it travels on the notify queue: a kind and its payload, general enough for every
channel the platform sends on (account and event e-mails, Telegram messages, and events to fan out).

The message body is JSON: `{"v": 1, "id", "kind", "created_at", "advertiser_id", "subject",
"payload": {...}}`. `id` (time-sortable) is the business key: the notifier's operation for the
notification has this id, so a message delivered twice is sent once. `subject` names whom it
concerns (`user:<id>`), for the monitor; the payload is the channel's own and may hold secrets (a
sign-in link), so it is never copied into logs or the operations log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from partnerka.common.clock import iso_millis, parse_iso

FORMAT_VERSION = 1
_SECRET_IN_LINK = re.compile(r"([?&](?:token|secret|key|code)=)[^&\"'\s\\]+", re.IGNORECASE)


class MalformedNotification(ValueError):
    """A message the notifier cannot read at all; it goes to the dead-letter queue as it is."""


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    kind: str
    created_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    advertiser_id: str = ""
    subject: str = ""

    def body(self) -> str:
        return json.dumps(
            {
                "v": FORMAT_VERSION,
                "id": self.id,
                "kind": self.kind,
                "created_at": iso_millis(self.created_at),
                "advertiser_id": self.advertiser_id,
                "subject": self.subject,
                "payload": self.payload,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def parse(cls, body: str) -> Notification:
        try:
            raw = json.loads(body)
            if not isinstance(raw, dict) or raw.get("v") != FORMAT_VERSION:
                raise MalformedNotification("not a notification of a known format")
            payload = raw.get("payload") or {}
            if not isinstance(payload, dict):
                raise MalformedNotification("the payload is not an object")
            found = cls(
                id=str(raw["id"]),
                kind=str(raw["kind"]),
                created_at=parse_iso(str(raw["created_at"])),
                payload=payload,
                advertiser_id=str(raw.get("advertiser_id") or ""),
                subject=str(raw.get("subject") or ""),
            )
        except MalformedNotification:
            raise
        except (ValueError, KeyError, TypeError) as error:
            raise MalformedNotification(f"unreadable notification: {type(error).__name__}") from None
        if not found.id or not found.kind:
            raise MalformedNotification("a notification needs an id and a kind")
        return found


def redact(body: str) -> str:
    """A queue message as a person may see it (the monitor): secrets in links become `***`."""
    return _SECRET_IN_LINK.sub(r"\1***", body)
