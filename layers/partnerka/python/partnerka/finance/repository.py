"""The Ledger table: journals, their entries and every account's balance, written together.

    journal  PK `J#<key>`                          SK `J`
    entry    PK `E#<owner>#<kind>#<currency>`       SK `<created_at>#<journal key>`   amount
    balance  PK `B#<advertiser>`                   SK `<party>#<kind>#<currency>`     balance
    history  PK `H#<index>`                        SK `<created_at>#<journal key>`   the journal
    invoice  PK `I#<advertiser>`                   SK `M#<YYYY-MM>`                  (finance.invoices)

(party: `adv`, or `aff:<affiliate>`; index: `payouts#<advertiser>[#<affiliate>]`, `topups#<advertiser>`,
`invoice#<advertiser>#<YYYY-MM>`)

A journal posts in one transaction: the journal item on condition that its key is new (so a
redelivered event can never post twice), an entry per account, and an ADD to each account's balance,
on condition that a floored balance stays at or above zero (so concurrent payouts can never pay more
than was approved). A journal moving spend or revenue also checks that its month's invoice item does
not exist yet: once an invoice has closed a month, the journal is booked in the next open month. One Query of `B#<advertiser>` gives every balance in an advertiser's books, its
own and each of its affiliates', in every currency (a key prefix narrows it to one party); every
balance can be proven by its entries; payouts and top-ups are listed newest first by history items.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import Conflict
from partnerka.finance.ledger import Account, Entry, Journal, JournalKind, Side, floors, owner_parts


class InsufficientBalance(Conflict):
    """The journal would take a floored balance below zero."""


def invoice_key(advertiser_id: str, month: str) -> dict[str, Any]:
    """The item of an advertiser's invoice for a month; its existence closes the month's books."""
    return {"pk": {"S": f"I#{advertiser_id}"}, "sk": {"S": f"M#{month}"}}


def next_month(month: str) -> str:
    year, number = map(int, month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


class _BooksClosed(Exception):
    def __init__(self, month: str) -> None:
        super().__init__(month)
        self.month = month


class LedgerStore(Protocol):
    def post(self, journal: Journal) -> bool:
        """True when this call posted the journal, False when its key was posted before."""
        ...

    def get(self, key: str) -> Journal | None: ...

    def balances(self, owner: str) -> dict[Account, int]:
        """Every account of `owner` with its balance (debit-positive)."""
        ...

    def books(self, advertiser_id: str) -> dict[Account, int]:
        """Every account in the advertiser's books: its own and each of its affiliates'."""
        ...

    def history(self, index: str, limit: int) -> list[Journal]:
        """The journals listed under `index`, newest first."""
        ...

    def entries(self, account: Account) -> list[tuple[str, int]]:
        """(journal key, amount) of every entry of the account, oldest first."""
        ...

    def listed(self, index: str) -> list[Journal]:
        """Every journal listed under `index`, oldest first."""
        ...


def _balance_key(account: Account) -> dict[str, Any]:
    return {
        "pk": {"S": f"B#{account.advertiser_id}"},
        "sk": {"S": f"{account.party}#{account.kind}#{account.currency}"},
    }


def _entry_pk(account: Account) -> str:
    return f"E#{account.owner}#{account.kind}#{account.currency}"


def journal_item(journal: Journal) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": f"J#{journal.key}",
        "sk": "J",
        "kind": journal.kind.value,
        "advertiser_id": journal.advertiser_id,
        "created_at": iso_millis(journal.created_at),
        "entries": [[e.account.owner, e.account.kind, e.account.currency, e.amount] for e in journal.entries],
        "detail": journal.detail,
    }
    if journal.reverses:
        item["reverses"] = journal.reverses
    if journal.booked:
        item["booked"] = journal.booked
    return item


def journal_of(item: dict[str, Any]) -> Journal:
    return Journal(
        key=item["pk"].removeprefix("J#"),
        kind=JournalKind(item["kind"]),
        advertiser_id=item["advertiser_id"],
        entries=tuple(Entry(Account(o, k, c), int(a)) for o, k, c, a in item["entries"]),
        created_at=parse_iso(item["created_at"]),
        reverses=item.get("reverses"),
        detail=dict(item.get("detail") or {}),
        booked=item.get("booked"),
    )


def _listed_journal(raw: dict[str, Any]) -> Journal:
    """The journal of a history item (its key is the part of the sort key after the time)."""
    return journal_of({**dynamo.decode(raw), "pk": f"J#{raw['sk']['S'].split('#', 1)[1]}"})


class LedgerRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def post(self, journal: Journal) -> bool:
        for _ in range(36):
            try:
                return self._post(journal)
            except _BooksClosed as closed:
                journal = journal.rebooked(next_month(closed.month))
        raise Conflict(f"no open month to book journal {journal.key} in")

    def _post(self, journal: Journal) -> bool:
        floored = set(floors(journal))
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": dynamo.encode(journal_item(journal)),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
        ]
        month = journal.month
        if month:
            items.append(
                {
                    "ConditionCheck": {
                        "TableName": self._table,
                        "Key": invoice_key(journal.advertiser_id, month),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
        for entry in journal.entries:
            account = entry.account
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": {
                            "pk": {"S": _entry_pk(account)},
                            "sk": {"S": f"{iso_millis(journal.created_at)}#{journal.key}"},
                            "amount": {"N": str(entry.amount)},
                            "journal": {"S": journal.key},
                        },
                    }
                }
            )
            update: dict[str, Any] = {
                "TableName": self._table,
                "Key": _balance_key(account),
                "UpdateExpression": "ADD balance :amount SET #owner = :owner, kind = :kind, currency = :currency",
                "ExpressionAttributeNames": {"#owner": "owner"},
                "ExpressionAttributeValues": {
                    ":amount": {"N": str(entry.amount)},
                    ":owner": {"S": account.owner},
                    ":kind": {"S": account.kind},
                    ":currency": {"S": account.currency},
                },
            }
            if account in floored:
                # After the ADD the shown balance must stay >= 0: for a credit account,
                # balance + amount <= 0; for a debit one, balance + amount >= 0.
                limit = -entry.amount
                credit = account.side is Side.CREDIT
                update["ConditionExpression"] = "balance <= :limit" if credit else "balance >= :limit"
                update["ExpressionAttributeValues"][":limit"] = {"N": str(limit)}
            items.append({"Update": update})
        listed = dynamo.encode(
            {**journal_item(journal), "sk": f"{iso_millis(journal.created_at)}#{journal.key}"}
        )
        for index in journal.indexes:
            items.append({"Put": {"TableName": self._table, "Item": {**listed, "pk": {"S": f"H#{index}"}}}})
        client = self._c()
        try:
            client.transact_write_items(TransactItems=items)
        except client.exceptions.TransactionCanceledException as error:
            reasons = getattr(error, "response", {}).get("CancellationReasons") or []
            codes = [reason.get("Code") for reason in reasons]
            if codes and codes[0] == "ConditionalCheckFailed":
                return False
            if month and len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
                raise _BooksClosed(month) from None
            if "ConditionalCheckFailed" in codes:
                raise InsufficientBalance("the balance does not cover this amount") from None
            raise
        return True

    def get(self, key: str) -> Journal | None:
        item = (
            self._c()
            .get_item(
                TableName=self._table, Key={"pk": {"S": f"J#{key}"}, "sk": {"S": "J"}}, ConsistentRead=True
            )
            .get("Item")
        )
        return journal_of(dynamo.decode(item)) if item else None

    def balances(self, owner: str) -> dict[Account, int]:
        advertiser_id, party = owner_parts(owner)
        return self._balances(advertiser_id, f"{party}#")

    def books(self, advertiser_id: str) -> dict[Account, int]:
        return self._balances(advertiser_id, "")

    def _balances(self, advertiser_id: str, prefix: str) -> dict[Account, int]:
        request: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"B#{advertiser_id}"}},
        }
        if prefix:
            request["KeyConditionExpression"] += " AND begins_with(sk, :prefix)"
            request["ExpressionAttributeValues"][":prefix"] = {"S": prefix}
        return {
            Account(item["owner"], item["kind"], item["currency"]): int(item.get("balance", 0))
            for item in map(dynamo.decode, self._query(request))
        }

    def _query(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item a consistent Query answers, page after page."""
        return dynamo.query(self._c(), {"TableName": self._table, "ConsistentRead": True, **request})

    def history(self, index: str, limit: int) -> list[Journal]:
        page = self._c().query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"H#{index}"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [_listed_journal(raw) for raw in page.get("Items", [])]

    def entries(self, account: Account) -> list[tuple[str, int]]:
        request = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": _entry_pk(account)}},
        }
        return [(raw["journal"]["S"], int(raw["amount"]["N"])) for raw in self._query(request)]

    def listed(self, index: str) -> list[Journal]:
        request = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"H#{index}"}},
        }
        return [_listed_journal(raw) for raw in self._query(request)]
