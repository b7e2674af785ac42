"""Notifications' storage in the Core table: Telegram links and their one-time codes (key shapes on
notifications.telegram's TelegramLink and LinkCode)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis
from partnerka.notifications.telegram import LinkCode, LinkedChat, TelegramLink


class TelegramLinkRepository:
    """Links and codes in the Core table (keys on TelegramLink and LinkCode)."""

    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _db(self) -> Any:
        return self._client or dynamo.client()

    def chats_of(self, user_ids: Sequence[str]) -> dict[str, int]:
        keys = [TelegramLink.key(u) for u in dict.fromkeys(user_ids)]
        found = dynamo.batch_get(
            self._db(),
            self._table,
            keys,
            ProjectionExpression="pk, chat_id",
        )
        return {
            str(item["pk"]["S"]).removeprefix("USER#"): int(item["chat_id"]["N"])
            for item in found
            if "chat_id" in item
        }

    def link_of(self, user_id: str) -> TelegramLink | None:
        item = self._db().get_item(TableName=self._table, Key=TelegramLink.key(user_id)).get("Item")
        return _link_of(user_id, item) if item else None

    def save_code(self, code: LinkCode) -> None:
        self._db().put_item(
            TableName=self._table,
            Item={
                **LinkCode.key(code.code),
                **dynamo.encode(
                    {"user_id": code.user_id, "locale": code.locale, "expires_at": code.expires_at}
                ),
            },
            ConditionExpression="attribute_not_exists(pk)",
        )

    def link_with_code(self, code: str, chat_id: int, username: str, now: datetime) -> LinkedChat | None:
        """Bind `chat_id` to the code's user and use the code up, in one transaction: the code is
        deleted on the condition that it is still there and unexpired, so of two updates carrying it
        (Telegram retries a webhook) one links and the other finds nothing. None: no such code, or
        it expired or was used."""
        db = self._db()
        found = db.get_item(TableName=self._table, Key=LinkCode.key(code), ConsistentRead=True).get("Item")
        epoch = int(now.timestamp())
        if not found or int(found.get("expires_at", {}).get("N", "0")) <= epoch:
            return None
        user_id, locale = found["user_id"]["S"], found.get("locale", {}).get("S", "en")
        mine = self.link_of(user_id)
        owner = db.get_item(TableName=self._table, Key=TelegramLink.owner_key(chat_id), ConsistentRead=True)
        previous_owner = owner.get("Item", {}).get("user_id", {}).get("S")
        link = {"chat_id": chat_id, "username": username, "linked_at": iso_millis(now)}
        writes: list[dict[str, Any]] = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": LinkCode.key(code),
                    "ConditionExpression": "attribute_exists(pk) AND expires_at > :now",
                    "ExpressionAttributeValues": {":now": {"N": str(epoch)}},
                }
            },
            {"Put": {"TableName": self._table, "Item": {**TelegramLink.key(user_id), **dynamo.encode(link)}}},
            {
                "Put": {
                    "TableName": self._table,
                    "Item": {**TelegramLink.owner_key(chat_id), "user_id": {"S": user_id}},
                }
            },
        ]
        if previous_owner and previous_owner != user_id:
            writes.append(self._delete_link_of(previous_owner, chat_id))
        if mine is not None and mine.chat_id != chat_id:
            writes.append(self._delete_owner(mine.chat_id, user_id))
        try:
            db.transact_write_items(TransactItems=writes)
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return None  # another update used the code first
            raise
        moved_from = previous_owner if previous_owner and previous_owner != user_id else None
        return LinkedChat(user_id, locale, moved_from)

    def unlink(self, user_id: str, chat_id: int | None = None) -> TelegramLink | None:
        """Remove the user's link (only while it is to `chat_id`, when given: a chat the user has
        replaced since is not the one to drop); the link removed, or None."""
        mine = self.link_of(user_id)
        if mine is None or (chat_id is not None and mine.chat_id != chat_id):
            return None
        db = self._db()
        try:
            db.delete_item(
                TableName=self._table,
                Key=TelegramLink.key(user_id),
                ConditionExpression="chat_id = :chat",
                ExpressionAttributeValues={":chat": {"N": str(mine.chat_id)}},
            )
        except ClientError as error:
            if not dynamo.is_condition_failure(error):
                raise
            return None  # linked again meanwhile, to another chat: that link stands
        try:
            db.delete_item(
                TableName=self._table,
                Key=TelegramLink.owner_key(mine.chat_id),
                ConditionExpression="user_id = :user",
                ExpressionAttributeValues={":user": {"S": user_id}},
            )
        except ClientError as error:
            if not dynamo.is_condition_failure(error):
                raise  # the chat moved to another user meanwhile: its pointer is theirs now
        return mine

    def unlink_chat(self, chat_id: int) -> TelegramLink | None:
        owner = self._db().get_item(TableName=self._table, Key=TelegramLink.owner_key(chat_id)).get("Item")
        if not owner:
            return None
        return self.unlink(owner["user_id"]["S"], chat_id)

    def _delete_link_of(self, user_id: str, chat_id: int) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": TelegramLink.key(user_id),
                "ConditionExpression": "attribute_not_exists(pk) OR chat_id = :chat",
                "ExpressionAttributeValues": {":chat": {"N": str(chat_id)}},
            }
        }

    def _delete_owner(self, chat_id: int, user_id: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": TelegramLink.owner_key(chat_id),
                "ConditionExpression": "attribute_not_exists(pk) OR user_id = :user",
                "ExpressionAttributeValues": {":user": {"S": user_id}},
            }
        }


def _link_of(user_id: str, item: dynamo.AttributeMap) -> TelegramLink:
    found = dynamo.decode(item)
    return TelegramLink(
        user_id=user_id,
        chat_id=int(found["chat_id"]),
        username=str(found.get("username") or ""),
        linked_at=str(found.get("linked_at") or ""),
    )
