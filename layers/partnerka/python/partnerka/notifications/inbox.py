"""The in-app inbox: the notices a person sees under the dashboard's bell, newest first, kept 90 days.

A notice keeps the event as it happened (its type and data), not a text: the API renders its title,
body and link when it is read, in the reader's language of the day. An affiliate works in one
advertiser's program at a time, so it sees its notices of that advertiser and those of no advertiser
(security notices), never another advertiser's: a notice's `scope` is the advertiser it happened in.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import NotFound, ValidationFailed
from partnerka.common.observability import logger
from partnerka.notifications.events import CATALOGUE, Event, EventType, Group, Side

KEPT = timedelta(days=90)
# The bell shows "99+" past this: counting further would read every unread notice of a person who
# never reads them (an affiliate told of each lead), on every poll.
UNREAD_COUNTED_UP_TO = 100
_TYPES = {type.value for type in EventType}


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice of one person. PK `INBOX#<user_id>`, SK `<iso created_at>#<event_id>` (the event's
    time, so the key is the same however often the event is fanned out); while unread, GSI1
    `UNREAD#<user_id>` / the SK as well (a sparse index: counting unread notices reads only those).
    `scope`: the advertiser the event happened in, "" for none; `expires_at`: TTL, 90 days on."""

    user_id: str
    event_id: str
    type: EventType
    created_at: str
    scope: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    read: bool = False
    expires_at: int = 0
    side: Side | None = None  # the reader's side of the program: its links go to its own pages

    @classmethod
    def of(cls, event: Event, user_id: str, side: Side | None = None) -> Notice:
        return cls(
            user_id=user_id,
            event_id=event.event_id,
            type=event.type,
            created_at=iso_millis(event.occurred_at),
            scope=event.advertiser_id,
            data=dict(event.data),
            expires_at=int((event.occurred_at + KEPT).timestamp()),
            side=side,
        )

    @property
    def sort_key(self) -> str:
        return f"{self.created_at}#{self.event_id}"

    @property
    def id(self) -> str:
        """The notice's id in URLs: its sort key, URL-safe (event ids hold any character)."""
        return notice_id(self.sort_key)

    def event(self) -> Event:
        """The event as far as its messages need it (whom it went to is the reader)."""
        return Event(self.event_id, self.type, parse_iso(self.created_at), self.scope, data=dict(self.data))

    def as_item(self) -> dynamo.AttributeMap:
        item: dynamo.AttributeMap = {
            "pk": {"S": f"INBOX#{self.user_id}"},
            "sk": {"S": self.sort_key},
            "user_id": {"S": self.user_id},
            "event_id": {"S": self.event_id},
            "type": {"S": self.type.value},
            "created_at": {"S": self.created_at},
            "scope": {"S": self.scope},  # "" stored as it is: the scope filter compares with it
            # JSON text: the event's data exactly as the producer sent it (empty strings, nulls).
            "data": {"S": json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))},
            "read": {"BOOL": self.read},
            "expires_at": {"N": str(self.expires_at)},
        }
        if self.side is not None:
            item["side"] = {"S": self.side.value}
        if not self.read:
            item["gsi1pk"] = {"S": f"UNREAD#{self.user_id}"}
            item["gsi1sk"] = {"S": self.sort_key}
        return item

    @classmethod
    def from_item(cls, raw: dynamo.AttributeMap) -> Notice:
        item = dynamo.decode(raw)
        data = json.loads(item.get("data") or "{}")
        return cls(
            user_id=item["user_id"],
            event_id=item["event_id"],
            type=EventType(item["type"]),
            created_at=item["created_at"],
            scope=item.get("scope") or "",
            data=data if isinstance(data, dict) else {},
            read=bool(item.get("read")),
            side=Side(item["side"]) if item.get("side") in set(Side) else None,
            expires_at=int(item.get("expires_at") or 0),
        )


def notice_id(sort_key: str) -> str:
    return base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def sort_key_of(notice_id: str) -> str:
    """The sort key a notice id (or a cursor) names; ValidationFailed for one that names none."""
    try:
        found = base64.urlsafe_b64decode(notice_id + "=" * (-len(notice_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationFailed("not a notification id") from None
    if "#" not in found:
        raise ValidationFailed("not a notification id")
    return found


@dataclass(frozen=True, slots=True)
class NoticePage:
    notices: list[Notice]
    cursor: str | None  # the id of the last notice, to read on after it; None at the end


class InboxStore(Protocol):
    """Each method's `scope` is the reader's advertiser ("" for none): it reaches the notices of that
    advertiser and of none."""

    def put(self, notice: Notice) -> bool:
        """Store the notice unless it is there already (False then: as read or unread as it was)."""
        ...

    def page(
        self, user_id: str, scope: str, limit: int, cursor: str | None, unread_only: bool = False
    ) -> NoticePage:
        """Newest first, from after `cursor` on; `unread_only`: only the notices not read yet."""
        ...

    def unread(self, user_id: str, scope: str, up_to: int = UNREAD_COUNTED_UP_TO) -> int:
        """How many are unread, counted up to `up_to`."""
        ...

    def mark_read(self, user_id: str, scope: str, sort_key: str) -> bool:
        """False when the person has no such notice in reach."""
        ...

    def mark_all_read(self, user_id: str, scope: str) -> None: ...


def _scope_filter(scope: str) -> tuple[str, dict[str, dict[str, str]]]:
    values = {":none": {"S": ""}, ":scope": {"S": scope}}
    return ("#scope IN (:none, :scope)", values) if scope else ("#scope = :none", {":none": {"S": ""}})


class InboxRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def put(self, notice: Notice) -> bool:
        """A conditional put: the fan-out of an event tried again writes its notices once, and never
        makes a read notice unread again."""
        try:
            self._c().put_item(
                TableName=self._table,
                Item=notice.as_item(),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except Exception as error:
            if dynamo.is_condition_failure(error):
                return False
            raise
        return True

    def page(
        self, user_id: str, scope: str, limit: int, cursor: str | None, unread_only: bool = False
    ) -> NoticePage:
        """Unread only: read from the sparse unread index, which orders by the same sort key, so one
        cursor (a notice's sort key) resumes either list; the notice it names may have been read
        since, and out of the index: a start key need not be an item that exists."""
        if unread_only:
            request = self._unread_request(user_id, scope)
            key_names: tuple[str, ...] = ("pk", "sk", "gsi1pk", "gsi1sk")
        else:
            condition, values = _scope_filter(scope)
            request = {
                "TableName": self._table,
                "KeyConditionExpression": "pk = :pk",
                "FilterExpression": condition,
                "ExpressionAttributeNames": {"#scope": "scope"},
                "ExpressionAttributeValues": {":pk": {"S": f"INBOX#{user_id}"}, **values},
            }
            key_names = ("pk", "sk")
        request["ScanIndexForward"] = False
        start = None
        if cursor:  # only ever a key of the reader's own partition
            sort_key = sort_key_of(cursor)
            start = {"pk": {"S": f"INBOX#{user_id}"}, "sk": {"S": sort_key}}
            if unread_only:
                start |= {"gsi1pk": {"S": f"UNREAD#{user_id}"}, "gsi1sk": {"S": sort_key}}
        raw, last = dynamo.query_page(self._c(), request, limit, start, key_names)
        notices = _readable(raw)
        return NoticePage(notices, notice_id(last["sk"]["S"]) if last else None)

    def _unread_request(self, user_id: str, scope: str) -> dict[str, Any]:
        condition, values = _scope_filter(scope)
        return {
            "TableName": self._table,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :unread",
            "FilterExpression": condition,
            "ExpressionAttributeNames": {"#scope": "scope"},
            "ExpressionAttributeValues": {":unread": {"S": f"UNREAD#{user_id}"}, **values},
        }

    def unread(self, user_id: str, scope: str, up_to: int = UNREAD_COUNTED_UP_TO) -> int:
        request = {**self._unread_request(user_id, scope), "Select": "COUNT"}
        count = 0
        while count < up_to:
            page = self._c().query(**request)
            count += int(page.get("Count", 0))
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return min(count, up_to)

    def mark_read(self, user_id: str, scope: str, sort_key: str) -> bool:
        condition, values = _scope_filter(scope)
        try:
            self._c().update_item(
                TableName=self._table,
                Key={"pk": {"S": f"INBOX#{user_id}"}, "sk": {"S": sort_key}},
                UpdateExpression="SET #read = :true REMOVE gsi1pk, gsi1sk",
                ConditionExpression=f"attribute_exists(pk) AND {condition}",
                ExpressionAttributeNames={"#read": "read", "#scope": "scope"},
                ExpressionAttributeValues={":true": {"BOOL": True}, **values},
            )
        except Exception as error:
            if dynamo.is_condition_failure(error):
                return False
            raise
        return True

    def mark_all_read(self, user_id: str, scope: str) -> None:
        """Every unread notice in reach written back read, out of the unread index (the index
        projects whole items, so each is put back as it is, read: 25 to a request)."""
        unread = list(dynamo.query(self._c(), self._unread_request(user_id, scope)))
        read = [
            {**{k: v for k, v in raw.items() if k not in ("gsi1pk", "gsi1sk")}, "read": {"BOOL": True}}
            for raw in unread
        ]
        dynamo.batch_put(self._c(), self._table, read)


def _readable(raw_items: list[dynamo.AttributeMap]) -> list[Notice]:
    found = []
    for raw in raw_items:
        if raw.get("type", {}).get("S") not in _TYPES:
            logger.warning("inbox notice of an unknown type left out", sk=raw.get("sk", {}).get("S"))
            continue
        found.append(Notice.from_item(raw))
    return found


class Rendered(Protocol):
    """A notice's text (notifications.messages.Message)."""

    @property
    def title(self) -> str: ...

    @property
    def body(self) -> str: ...

    @property
    def link(self) -> str: ...


Render = Callable[[Event, str, Side | None], Rendered]


@dataclass(frozen=True, slots=True)
class InboxItem:
    id: str
    type: EventType
    group: Group
    title: str
    body: str
    link: str
    advertiser_id: str | None
    created_at: str
    read: bool


@dataclass(frozen=True, slots=True)
class InboxPage:
    items: list[InboxItem]
    next_cursor: str | None
    unread: int


class InboxService:
    """The API's inbox. `render(event, locale)`: a notice's title, body and link in `locale`
    (notifications.messages.render). Each call names the reader and its scope (the advertiser it
    works in now, "" for none)."""

    def __init__(self, store: InboxStore, render: Render) -> None:
        self._store = store
        self._render = render

    def page(
        self, user_id: str, scope: str, locale: str, limit: int, cursor: str | None, unread_only: bool = False
    ) -> InboxPage:
        """Newest first, from `cursor` on (only the unread ones with `unread_only`), with the unread count."""
        page = self._store.page(user_id, scope, limit, cursor, unread_only)
        items = [self._item(notice, locale) for notice in page.notices]
        return InboxPage(items, page.cursor, self._store.unread(user_id, scope))

    def unread(self, user_id: str, scope: str) -> int:
        return self._store.unread(user_id, scope)

    def mark_read(self, user_id: str, scope: str, notice_id: str) -> int:
        """The unread count after; NotFound for a notice the reader has not (or not in reach)."""
        if not self._store.mark_read(user_id, scope, sort_key_of(notice_id)):
            raise NotFound(f"no notification '{notice_id}'")
        return self._store.unread(user_id, scope)

    def mark_all_read(self, user_id: str, scope: str) -> int:
        self._store.mark_all_read(user_id, scope)
        return 0

    def _item(self, notice: Notice, locale: str) -> InboxItem:
        message = self._render(notice.event(), locale, notice.side)
        return InboxItem(
            id=notice.id,
            type=notice.type,
            group=CATALOGUE[notice.type].group,
            title=message.title,
            body=message.body,
            link=message.link,
            advertiser_id=notice.scope or None,
            created_at=notice.created_at,
            read=notice.read,
        )
