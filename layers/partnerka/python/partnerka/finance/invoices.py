"""Monthly invoices: an advertiser's approved conversions of a month, by offer, and its paid clicks,
by offer and affiliate, from the ledger.

Every journal that moves spend or revenue is listed under its month's invoice index as it posts
(`finance.ledger`). Issuing an invoice for a month takes three steps, each safe to repeat:

1. close: put the invoice item (status `closing`). From then on the ledger refuses to book
   anything into that month (a condition on the item's absence) and books it into the next open
   month instead, so what the index lists for the month can no longer change;
2. read the month's index and sum it by offer and currency;
3. issue: in one transaction, write the lines and take the next invoice number from the platform's
   counter (a condition on the counter's value, so two numbers are never the same and none is
   skipped); a month with nothing in it is marked `empty` and takes no number.

An issued invoice never changes: its number, lines and items are those of a closed month. Before
its month is closed, the same reading of the index gives a live preview (status `open`).

Ledger table: the invoice `I#<advertiser>` / `M#<YYYY-MM>`; the counter `I#` / `N`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from partnerka.common import dynamo
from partnerka.common.clock import iso_millis, parse_iso
from partnerka.common.errors import Conflict
from partnerka.finance.ledger import Journal, JournalKind, invoice_index
from partnerka.finance.repository import LedgerStore, invoice_key


class InvoiceStatus(StrEnum):
    OPEN = "open"  # the month's books are open: a preview, not stored
    CLOSING = "closing"  # closed, its lines being summed
    ISSUED = "issued"
    EMPTY = "empty"  # closed with nothing to invoice: no number


class LineKind(StrEnum):
    CONVERSIONS = "conversions"  # an offer's approved conversions
    CLICKS = "clicks"  # an offer's clicks paid to one affiliate


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    offer_id: str
    currency: str
    conversions: int  # approved, less those reversed in the month
    payout: int  # minor units: what the conversions (or clicks) cost (the amount due)
    revenue: int
    kind: LineKind = LineKind.CONVERSIONS
    affiliate_id: str = ""  # a clicks line's affiliate
    clicks: int = 0  # a clicks line's paid clicks


@dataclass(frozen=True, slots=True)
class InvoiceItem:
    """One journal on an invoice: a conversion approved, an approval reversed, or an hour's paid clicks
    (`clicks` > 0, no conversion)."""

    conversion_id: str
    offer_id: str
    affiliate_id: str
    currency: str
    at: datetime
    reversed: bool
    payout: int  # signed: a reversal is negative
    revenue: int
    clicks: int = 0


@dataclass(frozen=True, slots=True)
class Invoice:
    advertiser_id: str
    month: str  # YYYY-MM
    status: InvoiceStatus
    number: str | None = None
    closed_at: datetime | None = None
    issued_at: datetime | None = None
    lines: list[InvoiceLine] = field(default_factory=list)
    documents: tuple[str, ...] = ()  # the languages whose PDF is stored

    def totals(self) -> dict[str, tuple[int, int, int]]:
        """currency → (conversions, payout, revenue)."""
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for line in self.lines:
            total = sums[line.currency]
            total[0] += line.conversions
            total[1] += line.payout
            total[2] += line.revenue
        return {currency: (c, p, r) for currency, (c, p, r) in sorted(sums.items())}


def month_of(day: date | datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: date | datetime) -> str:
    return f"{day.year - 1:04d}-12" if day.month == 1 else f"{day.year:04d}-{day.month - 1:02d}"


def invoice_items(journals: Iterable[Journal]) -> list[InvoiceItem]:
    """The invoice items of a month's listed journals, in the order they were booked."""
    items = []
    for journal in journals:
        payout = revenue = 0
        offer_id = currency = ""
        for entry in journal.entries:
            base, _, offer = entry.account.kind.partition(":")
            if base == "spend":
                payout += entry.account.shown(entry.amount)
            elif base == "revenue":
                revenue += entry.account.shown(entry.amount)
            else:
                continue
            offer_id, currency = offer, entry.account.currency
        if not offer_id:
            continue
        items.append(
            InvoiceItem(
                conversion_id=journal.detail.get("conversion_id", ""),
                offer_id=offer_id,
                affiliate_id=journal.detail.get("affiliate_id", ""),
                currency=currency,
                at=journal.created_at,
                reversed=journal.kind is JournalKind.REVERSAL,
                payout=payout,
                revenue=revenue,
                clicks=int(journal.detail.get("clicks", "0")) if journal.kind is JournalKind.CLICKS else 0,
            )
        )
    return items


def invoice_lines(items: Iterable[InvoiceItem]) -> list[InvoiceLine]:
    """An offer's conversions as one line per currency; its paid clicks as one line per affiliate
    and currency (the clicks' journals, an hour each, summed)."""
    conversions: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    clicks: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        if item.clicks:
            line = clicks[(item.offer_id, item.affiliate_id, item.currency)]
            line[0] += item.clicks
            line[1] += item.payout
            continue
        sums = conversions[(item.offer_id, item.currency)]
        sums[0] += -1 if item.reversed else 1
        sums[1] += item.payout
        sums[2] += item.revenue
    lines = [
        InvoiceLine(offer, currency, n, payout, revenue)
        for (offer, currency), (n, payout, revenue) in conversions.items()
    ]
    lines += [
        InvoiceLine(offer, currency, 0, payout, 0, LineKind.CLICKS, affiliate, count)
        for (offer, affiliate, currency), (count, payout) in clicks.items()
    ]
    return sorted(lines, key=lambda line: (line.offer_id, line.kind, line.affiliate_id, line.currency))


def _line_item(line: InvoiceLine) -> dict[str, Any]:
    item: dict[str, Any] = {
        "offer_id": line.offer_id,
        "currency": line.currency,
        "conversions": line.conversions,
        "payout": line.payout,
        "revenue": line.revenue,
    }
    if line.kind is LineKind.CLICKS:
        item.update(kind=line.kind.value, affiliate_id=line.affiliate_id, clicks=line.clicks)
    return item


def _invoice_of(item: dict[str, Any]) -> Invoice:
    return Invoice(
        advertiser_id=item["advertiser_id"],
        month=item["month"],
        status=InvoiceStatus(item["status"]),
        number=item.get("number"),
        closed_at=parse_iso(item["closed_at"]) if item.get("closed_at") else None,
        issued_at=parse_iso(item["issued_at"]) if item.get("issued_at") else None,
        lines=[
            InvoiceLine(
                line["offer_id"],
                line["currency"],
                int(line["conversions"]),
                int(line["payout"]),
                int(line["revenue"]),
                LineKind(line.get("kind", LineKind.CONVERSIONS.value)),
                str(line.get("affiliate_id", "")),
                int(line.get("clicks", 0)),
            )
            for line in item.get("lines") or []
        ],
        documents=tuple(sorted(item.get("documents") or [])),
    )


COUNTER_KEY = {"pk": {"S": "I#"}, "sk": {"S": "N"}}


def invoice_number(sequence: int) -> str:
    return f"PK-{sequence:06d}"


class InvoiceShelf(Protocol):
    """What the dashboard reads of the stored invoices."""

    def get(self, advertiser_id: str, month: str) -> Invoice | None: ...

    def issued(self, advertiser_id: str) -> list[Invoice]:
        """The advertiser's issued invoices, newest month first."""
        ...


class InvoiceRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def get(self, advertiser_id: str, month: str) -> Invoice | None:
        item = (
            self._c()
            .get_item(TableName=self._table, Key=invoice_key(advertiser_id, month), ConsistentRead=True)
            .get("Item")
        )
        return _invoice_of(dynamo.decode(item)) if item else None

    def issued(self, advertiser_id: str) -> list[Invoice]:
        """The advertiser's issued invoices, newest month first (one item a month: a few dozen)."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": f"I#{advertiser_id}"}, ":prefix": {"S": "M#"}},
            "ScanIndexForward": False,
        }
        found = [_invoice_of(dynamo.decode(raw)) for raw in dynamo.query(self._c(), request)]
        return [invoice for invoice in found if invoice.status is InvoiceStatus.ISSUED]

    def close(self, advertiser_id: str, month: str, now: datetime) -> Invoice:
        """The month's invoice, closing its books first when they are still open."""
        item = {
            "advertiser_id": advertiser_id,
            "month": month,
            "status": InvoiceStatus.CLOSING.value,
            "closed_at": iso_millis(now),
        }
        try:
            self._c().put_item(
                TableName=self._table,
                Item={**invoice_key(advertiser_id, month), **dynamo.encode(item)},
                ConditionExpression="attribute_not_exists(pk)",
            )
        except Exception as error:
            if not dynamo.is_condition_failure(error):
                raise
            found = self.get(advertiser_id, month)
            assert found is not None
            return found
        return _invoice_of(item)

    def issue(self, invoice: Invoice, lines: list[InvoiceLine], now: datetime) -> Invoice:
        """Write a closing invoice's lines under the next number (or mark it empty); the invoice as
        stored when another run issued it first."""
        key = invoice_key(invoice.advertiser_id, invoice.month)
        if not lines:
            self._finish(key, {"status": InvoiceStatus.EMPTY.value, "issued_at": iso_millis(now)})
            return self.get(invoice.advertiser_id, invoice.month) or invoice
        for _ in range(20):
            found = (
                self._c().get_item(TableName=self._table, Key=COUNTER_KEY, ConsistentRead=True).get("Item")
            )
            taken = int(found["seq"]["N"]) if found else 0
            values = {
                "status": InvoiceStatus.ISSUED.value,
                "number": invoice_number(taken + 1),
                "issued_at": iso_millis(now),
                "lines": [_line_item(line) for line in lines],
            }
            counter: dict[str, Any] = {
                "TableName": self._table,
                "Key": COUNTER_KEY,
                "UpdateExpression": "SET seq = :next",
                "ExpressionAttributeValues": {":next": {"N": str(taken + 1)}},
                "ConditionExpression": "attribute_not_exists(seq)",
            }
            if found:
                counter["ConditionExpression"] = "seq = :taken"
                counter["ExpressionAttributeValues"][":taken"] = {"N": str(taken)}
            client = self._c()
            try:
                client.transact_write_items(
                    TransactItems=[{"Update": self._finish_update(key, values)}, {"Update": counter}]
                )
            except client.exceptions.TransactionCanceledException as error:
                codes = [
                    r.get("Code") for r in getattr(error, "response", {}).get("CancellationReasons") or []
                ]
                if codes and codes[0] == "ConditionalCheckFailed":  # issued by another run
                    return self.get(invoice.advertiser_id, invoice.month) or invoice
                continue  # another invoice took the number: read the counter again
            return self.get(invoice.advertiser_id, invoice.month) or invoice
        raise Conflict("the invoice counter stayed busy; the next run issues this invoice")

    def _finish_update(self, key: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        names = {f"#{name}": name for name in values}
        return {
            "TableName": self._table,
            "Key": key,
            "UpdateExpression": "SET " + ", ".join(f"#{name} = :{name}" for name in values),
            "ConditionExpression": "#status = :closing",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {
                **{f":{name}": dynamo.encode_value(value) for name, value in values.items()},
                ":closing": {"S": InvoiceStatus.CLOSING.value},
            },
        }

    def _finish(self, key: dict[str, Any], values: dict[str, Any]) -> None:
        try:
            self._c().update_item(**self._finish_update(key, values))
        except Exception as error:
            if not dynamo.is_condition_failure(error):
                raise

    def add_document(self, advertiser_id: str, month: str, language: str) -> None:
        self._c().update_item(
            TableName=self._table,
            Key=invoice_key(advertiser_id, month),
            UpdateExpression="ADD documents :language",
            ExpressionAttributeValues={":language": {"SS": [language]}},
        )


def preview(ledger: LedgerStore, advertiser_id: str, month: str) -> tuple[Invoice, list[InvoiceItem]]:
    """What the month's invoice holds so far (status open), and its items."""
    items = invoice_items(ledger.listed(invoice_index(advertiser_id, month)))
    return Invoice(advertiser_id, month, InvoiceStatus.OPEN, lines=invoice_lines(items)), items


def stored_or_preview(
    ledger: LedgerStore, invoices: InvoiceShelf, advertiser_id: str, month: str
) -> tuple[Invoice, list[InvoiceItem]]:
    """The month's invoice as stored once its books are closed and summed (issued or empty), else
    the preview of what it holds so far; and its items."""
    stored = invoices.get(advertiser_id, month)
    opened, items = preview(ledger, advertiser_id, month)
    if stored is None or stored.status is InvoiceStatus.CLOSING:
        return opened, items
    return stored, items


def issue_invoice(
    ledger: LedgerStore, invoices: InvoiceRepository, advertiser_id: str, month: str, now: datetime
) -> Invoice:
    """Close the month's books and issue its invoice; safe to repeat at any point."""
    invoice = invoices.close(advertiser_id, month, now)
    if invoice.status is not InvoiceStatus.CLOSING:
        return invoice
    items = invoice_items(ledger.listed(invoice_index(advertiser_id, month)))
    return invoices.issue(invoice, invoice_lines(items), now)
