"""Core-table storage of SaaS billing: plans and their versions, subscriptions, billing profiles, the
platform's invoices and their number series, marks of what was done once, and the churn counters.

    plan          PK `PLANS`                SK `<code>`                    the current version
    plan version  PK `PLANS`                SK `<code>#v<version:06d>`     every version billed
    subscription  PK `ADV#<advertiser>`     SK `SUBSCRIPTION`              GSI1 `SUBSCRIPTIONS` / `<state>#<advertiser>`
    profile       PK `ADV#<advertiser>`     SK `BILLING_PROFILE`
    invoice       PK `ADV#<advertiser>`     SK `PINV#<invoice_id>`         GSI1 `PINVOICES` / `<status>#<due_at>#<invoice_id>`
    number series PK `PINVOICE_NUMBERS`     SK `<year>`                    seq
    mark          PK `ADV#<advertiser>`     SK `BILLING_MARK#<name>`       (a payment event applied, a warning told)
    churn         PK `BILLING_CHURN`        SK `<YYYY-MM>`                 joined, left

Every change of a subscription goes through `commit`: one TransactWriteItems with the subscription
(on condition that its revision is the one read, or that none is stored), the invoices it issues (on
condition that their deterministic ids are new, each numbered from its year's series on condition
that the series is where it was read), the invoices it changes (on condition that they are as read),
the marks it sets (on condition that they are new) and the churn counters it moves. So a rerun, a
redelivered webhook or two runs at once either find their work done or do all of it, never half; only
a race for the next number is retried here, the rest is the caller's to read again and decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from partnerka.billing.models import (
    BillingProfile,
    CustomTerms,
    Interval,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    PaymentMethod,
    PendingChange,
    Plan,
    PlanLimits,
    PlatformInvoice,
    Subscription,
    SubscriptionState,
)
from partnerka.common import dynamo
from partnerka.common.errors import Conflict

PLANS = "PLANS"
SUBSCRIPTIONS = "SUBSCRIPTIONS"
INVOICES = "PINVOICES"
NUMBERS = "PINVOICE_NUMBERS"
CHURN = "BILLING_CHURN"
GSI1 = "gsi1"
NUMBER_RACE_ATTEMPTS = 10


class PlanChanged(Conflict):
    """The plan moved on to another version since it was read."""


class BillingChanged(Conflict):
    """The subscription or an invoice changed since it was read: read again and decide again."""


class AlreadyRecorded(Conflict):
    """What the commit records was recorded before: an invoice of its id, or a mark of its name."""


@dataclass(frozen=True, slots=True)
class Commit:
    """One advertiser's change, written together or not at all. `subscription` carries the revision
    it was read at (0: not stored yet); `new_invoices` have no number yet; `changed_invoices` are
    (as read, as to be written); `marks` are names recorded once; `counts` are churn counters
    (month, name) to add one to."""

    advertiser_id: str
    subscription: Subscription | None = None
    new_invoices: tuple[PlatformInvoice, ...] = ()
    changed_invoices: tuple[tuple[PlatformInvoice, PlatformInvoice], ...] = ()
    marks: tuple[str, ...] = ()
    counts: tuple[tuple[str, str], ...] = ()
    at: str = ""


@dataclass(frozen=True, slots=True)
class Committed:
    subscription: Subscription | None  # as stored (its revision one up)
    invoices: tuple[PlatformInvoice, ...]  # the new ones, numbered


class PlanStore(Protocol):
    def add_plan(self, plan: Plan) -> bool:
        """Store a new plan's first version; False when a plan of its code is stored already."""
        ...

    def save_plan(self, plan: Plan) -> None:
        """Store `plan` as its code's next version (PlanChanged when the current one is not
        `plan.version - 1`); every earlier version stays as it was."""
        ...

    def plan(self, code: str) -> Plan | None:
        """The current version of a plan."""
        ...

    def plan_version(self, code: str, version: int) -> Plan | None: ...

    def plans(self) -> list[Plan]:
        """The current version of every plan."""
        ...


class BillingStore(PlanStore, Protocol):
    def subscription(self, advertiser_id: str) -> Subscription | None: ...

    def subscriptions(self, state: SubscriptionState | None = None) -> Iterator[Subscription]:
        """Every stored subscription (in `state`), page by page through GSI1."""
        ...

    def commit(self, commit: Commit) -> Committed:
        """Write a change (see the module's docstring); BillingChanged or AlreadyRecorded when a
        condition fails, nothing written."""
        ...

    def profile(self, advertiser_id: str) -> BillingProfile:
        """The advertiser's billing profile (an empty one when it never saved one)."""
        ...

    def save_profile(self, profile: BillingProfile) -> None: ...

    def invoice(self, advertiser_id: str, invoice_id: str) -> PlatformInvoice | None: ...

    def invoices(self, advertiser_id: str) -> list[PlatformInvoice]:
        """The advertiser's invoices, the latest issued first."""
        ...

    def invoices_in(self, status: InvoiceStatus, due_before: str | None = None) -> Iterator[PlatformInvoice]:
        """Every invoice in `status` (due before `due_before`), the earliest due first, through GSI1."""
        ...

    def marked(self, advertiser_id: str, name: str) -> bool: ...

    def mark(self, advertiser_id: str, name: str, at: str) -> bool:
        """Record `name` once; False when it was recorded before."""
        ...

    def churn(self) -> dict[str, dict[str, int]]:
        """month → its counters (`joined`, `left`)."""
        ...


# ------------------------------------------------------------------------------------------- keys
def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def plan_key(code: str, version: int | None = None) -> dict[str, Any]:
    return _key(PLANS, code if version is None else f"{code}#v{version:06d}")


def subscription_key(advertiser_id: str) -> dict[str, Any]:
    return _key(f"ADV#{advertiser_id}", "SUBSCRIPTION")


def profile_key(advertiser_id: str) -> dict[str, Any]:
    return _key(f"ADV#{advertiser_id}", "BILLING_PROFILE")


def invoice_key(advertiser_id: str, invoice_id: str) -> dict[str, Any]:
    return _key(f"ADV#{advertiser_id}", f"PINV#{invoice_id}")


def mark_key(advertiser_id: str, name: str) -> dict[str, Any]:
    return _key(f"ADV#{advertiser_id}", f"BILLING_MARK#{name}")


def number_key(year: str) -> dict[str, Any]:
    return _key(NUMBERS, year)


def invoice_number(year: str, sequence: int) -> str:
    """The platform's own series, one a year: `P-2026-000001`."""
    return f"P-{year}-{sequence:06d}"


# ------------------------------------------------------------------------------------------ items
def _limits_item(limits: PlanLimits) -> dict[str, Any]:
    return {
        "clicks_per_month": limits.clicks_per_month,
        "active_offers": limits.active_offers,
        "approved_affiliates": limits.approved_affiliates,
        "team_seats": limits.team_seats,
        "custom_domains": limits.custom_domains,
        "white_label": limits.white_label,
    }


def _limits_of(item: dict[str, Any]) -> PlanLimits:
    def count(name: str) -> int | None:
        value = item.get(name)
        return None if value is None else int(value)

    return PlanLimits(
        clicks_per_month=count("clicks_per_month"),
        active_offers=count("active_offers"),
        approved_affiliates=count("approved_affiliates"),
        team_seats=count("team_seats"),
        custom_domains=count("custom_domains"),
        white_label=bool(item.get("white_label")),
    )


def plan_item(plan: Plan) -> dict[str, Any]:
    return {
        "code": plan.code,
        "name": plan.name,
        "version": plan.version,
        "monthly_prices": dict(plan.monthly_prices),
        "overage_per_1000": dict(plan.overage_per_1000),
        "limits": _limits_item(plan.limits),
        "contact_us": plan.contact_us,
        "public": plan.public,
        "rank": plan.rank,
        "updated_at": plan.updated_at,
    }


def _amounts(value: Any) -> dict[str, int]:
    return {currency: int(amount) for currency, amount in (value or {}).items()}


def plan_of(item: dict[str, Any]) -> Plan:
    return Plan(
        code=item["code"],
        name=item["name"],
        version=int(item["version"]),
        monthly_prices=_amounts(item.get("monthly_prices")),
        limits=_limits_of(item.get("limits") or {}),
        overage_per_1000=_amounts(item.get("overage_per_1000")),
        contact_us=bool(item.get("contact_us")),
        public=bool(item.get("public", True)),
        rank=int(item.get("rank", 0)),
        updated_at=item.get("updated_at", ""),
    )


def subscription_item(sub: Subscription) -> dict[str, Any]:
    terms = sub.custom_terms
    return {
        "gsi1pk": SUBSCRIPTIONS,
        "gsi1sk": f"{sub.state.value}#{sub.advertiser_id}",
        "advertiser_id": sub.advertiser_id,
        "plan_code": sub.plan_code,
        "plan_version": sub.plan_version,
        "interval": sub.interval.value,
        "currency": sub.currency,
        "state": sub.state.value,
        "price": sub.price,
        "period_start": sub.period_start,
        "period_end": sub.period_end,
        "created_at": sub.created_at,
        "revision": sub.revision,
        "trial_end": sub.trial_end,
        "cancel_at_period_end": sub.cancel_at_period_end,
        "pending": (
            {"plan_code": sub.pending.plan_code, "interval": sub.pending.interval.value}
            if sub.pending
            else None
        ),
        "payment_method": sub.payment_method.value,
        "past_due_since": sub.past_due_since,
        "reminders_sent": sub.reminders_sent,
        "custom_terms": (
            {
                "monthly_price": terms.monthly_price,
                "limits": _limits_item(terms.limits),
                "overage_per_1000": terms.overage_per_1000,
                "note": terms.note,
            }
            if terms
            else None
        ),
        "canceled_at": sub.canceled_at,
        "updated_at": sub.updated_at,
        "anchor_day": sub.anchor_day,
        "period_cost": sub.period_cost,
    }


def subscription_of(item: dict[str, Any]) -> Subscription:
    pending = item.get("pending")
    terms = item.get("custom_terms")
    overage = (terms or {}).get("overage_per_1000")
    return Subscription(
        advertiser_id=item["advertiser_id"],
        plan_code=item["plan_code"],
        plan_version=int(item["plan_version"]),
        interval=Interval(item["interval"]),
        currency=item["currency"],
        state=SubscriptionState(item["state"]),
        price=int(item["price"]),
        period_start=item["period_start"],
        period_end=item["period_end"],
        created_at=item["created_at"],
        revision=int(item.get("revision", 0)),
        trial_end=item.get("trial_end"),
        cancel_at_period_end=bool(item.get("cancel_at_period_end")),
        pending=PendingChange(pending["plan_code"], Interval(pending["interval"])) if pending else None,
        payment_method=PaymentMethod(item.get("payment_method", PaymentMethod.CARD.value)),
        past_due_since=item.get("past_due_since"),
        reminders_sent=int(item.get("reminders_sent", 0)),
        custom_terms=(
            CustomTerms(
                monthly_price=int(terms["monthly_price"]),
                limits=_limits_of(terms.get("limits") or {}),
                overage_per_1000=None if overage is None else int(overage),
                note=terms.get("note", ""),
            )
            if terms
            else None
        ),
        canceled_at=item.get("canceled_at"),
        updated_at=item.get("updated_at", ""),
        anchor_day=int(item.get("anchor_day", 0)),
        period_cost=int(item.get("period_cost", 0)),
    )


def profile_item(profile: BillingProfile) -> dict[str, Any]:
    return {
        "advertiser_id": profile.advertiser_id,
        "legal_name": profile.legal_name,
        "address": profile.address,
        "tax_id": profile.tax_id,
        "email": profile.email,
        "locale": profile.locale,
        "provider_customer": profile.provider_customer,
        "has_card": profile.has_card,
        "updated_at": profile.updated_at,
    }


def profile_of(item: dict[str, Any]) -> BillingProfile:
    return BillingProfile(
        advertiser_id=item["advertiser_id"],
        legal_name=item.get("legal_name", ""),
        address=item.get("address", ""),
        tax_id=item.get("tax_id", ""),
        email=item.get("email", ""),
        locale=item.get("locale", "en"),
        provider_customer=item.get("provider_customer"),
        has_card=bool(item.get("has_card")),
        updated_at=item.get("updated_at", ""),
    )


def invoice_item(invoice: PlatformInvoice) -> dict[str, Any]:
    return {
        "gsi1pk": INVOICES,
        "gsi1sk": f"{invoice.status.value}#{invoice.due_at}#{invoice.invoice_id}",
        "invoice_id": invoice.invoice_id,
        "number": invoice.number,
        "advertiser_id": invoice.advertiser_id,
        "kind": invoice.kind.value,
        "period_start": invoice.period_start,
        "period_end": invoice.period_end,
        "currency": invoice.currency,
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_amount": line.unit_amount,
                "amount": line.amount,
            }
            for line in invoice.lines
        ],
        "total": invoice.total,
        "status": invoice.status.value,
        "issued_at": invoice.issued_at,
        "due_at": invoice.due_at,
        "plan_code": invoice.plan_code,
        "interval": invoice.interval.value,
        "paid_at": invoice.paid_at,
        "payment_reference": invoice.payment_reference,
        "provider_payment": invoice.provider_payment,
        "attempts": invoice.attempts,
        "buyer": profile_item(invoice.buyer) if invoice.buyer else None,
        "announced": invoice.announced,
    }


def invoice_of(item: dict[str, Any]) -> PlatformInvoice:
    buyer = item.get("buyer")
    return PlatformInvoice(
        invoice_id=item["invoice_id"],
        number=item.get("number", ""),
        advertiser_id=item["advertiser_id"],
        kind=InvoiceKind(item["kind"]),
        period_start=item["period_start"],
        period_end=item["period_end"],
        currency=item["currency"],
        lines=tuple(
            InvoiceLine(
                description=line.get("description", ""),
                quantity=int(line["quantity"]),
                unit_amount=int(line["unit_amount"]),
                amount=int(line["amount"]),
            )
            for line in item.get("lines") or []
        ),
        total=int(item["total"]),
        status=InvoiceStatus(item["status"]),
        issued_at=item["issued_at"],
        due_at=item["due_at"],
        plan_code=item["plan_code"],
        interval=Interval(item["interval"]),
        paid_at=item.get("paid_at"),
        payment_reference=item.get("payment_reference"),
        provider_payment=item.get("provider_payment"),
        attempts=int(item.get("attempts", 0)),
        buyer=profile_of(buyer) if buyer else None,
        announced=bool(item.get("announced")),
    )


# What may change on an issued invoice: a change is written only over these as they were read.
INVOICE_MOVING_PARTS = ("status", "attempts", "announced", "provider_payment", "payment_reference", "paid_at")


def _as_read_condition(
    item: dict[str, Any], names: Sequence[str], prefix: str
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """A condition that each of `names` is as in `item` (absent where it holds nothing)."""
    clauses: list[str] = []
    attribute_names: dict[str, str] = {}
    values: dict[str, Any] = {}
    for index, name in enumerate(names):
        alias = f"#{prefix}{index}"
        attribute_names[alias] = name
        value = item.get(name)
        if value is None or value == "":
            clauses.append(f"attribute_not_exists({alias})")
        else:
            value_ref = f":{prefix}{index}"
            clauses.append(f"{alias} = {value_ref}")
            values[value_ref] = dynamo.encode_value(value)
    return " AND ".join(clauses), attribute_names, values


class _NumberRace(Exception):
    """A series moved on between reading it and taking its next numbers."""


class BillingRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def _get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        found = self._c().get_item(TableName=self._table, Key=key, ConsistentRead=True).get("Item")
        return dynamo.decode(found) if found else None

    def _put(self, key: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
        return {**key, **dynamo.encode(item)}

    # ------------------------------------------------------------------------------------ plans
    def add_plan(self, plan: Plan) -> bool:
        item = plan_item(plan)
        client = self._c()
        try:
            client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": self._put(plan_key(plan.code), item),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": self._put(plan_key(plan.code, plan.version), item),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except client.exceptions.TransactionCanceledException as error:
            if "ConditionalCheckFailed" in _reasons(error):
                return False
            raise
        return True

    def save_plan(self, plan: Plan) -> None:
        item = plan_item(plan)
        client = self._c()
        try:
            client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": self._put(plan_key(plan.code), item),
                            "ConditionExpression": "version = :previous",
                            "ExpressionAttributeValues": {":previous": {"N": str(plan.version - 1)}},
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": self._put(plan_key(plan.code, plan.version), item),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except client.exceptions.TransactionCanceledException as error:
            if "ConditionalCheckFailed" in _reasons(error):
                raise PlanChanged(f"the plan '{plan.code}' was changed meanwhile; try again") from None
            raise

    def plan(self, code: str) -> Plan | None:
        found = self._get(plan_key(code))
        return plan_of(found) if found else None

    def plan_version(self, code: str, version: int) -> Plan | None:
        found = self._get(plan_key(code, version))
        return plan_of(found) if found else None

    def plans(self) -> list[Plan]:
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": PLANS}},
            "ConsistentRead": True,
        }
        return [
            plan_of(dynamo.decode(raw))
            for raw in dynamo.query(self._c(), request)
            if "#" not in raw["sk"]["S"]  # the versions sit beside the current items
        ]

    # ---------------------------------------------------------------------------- subscriptions
    def subscription(self, advertiser_id: str) -> Subscription | None:
        found = self._get(subscription_key(advertiser_id))
        return subscription_of(found) if found else None

    def subscriptions(self, state: SubscriptionState | None = None) -> Iterator[Subscription]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": GSI1,
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": SUBSCRIPTIONS}},
        }
        if state is not None:
            request["KeyConditionExpression"] += " AND begins_with(gsi1sk, :state)"
            request["ExpressionAttributeValues"][":state"] = {"S": f"{state.value}#"}
        for raw in dynamo.query(self._c(), request):
            yield subscription_of(dynamo.decode(raw))

    def commit(self, commit: Commit) -> Committed:
        for _ in range(NUMBER_RACE_ATTEMPTS):
            try:
                return self._commit(commit)
            except _NumberRace:
                continue
        raise Conflict("the invoice number series stayed busy; the next run issues this invoice")

    def _commit(self, commit: Commit) -> Committed:
        items: list[dict[str, Any]] = []
        kinds: list[str] = []  # what each transaction item is, to read its cancellation reason by
        written: Subscription | None = None
        if commit.subscription is not None:
            read = commit.subscription
            written = replace(read, revision=read.revision + 1)
            put: dict[str, Any] = {
                "TableName": self._table,
                "Item": self._put(subscription_key(read.advertiser_id), subscription_item(written)),
            }
            if read.revision == 0:
                put["ConditionExpression"] = "attribute_not_exists(pk)"
            else:
                put["ConditionExpression"] = "revision = :read"
                put["ExpressionAttributeValues"] = {":read": {"N": str(read.revision)}}
            items.append({"Put": put})
            kinds.append("subscription")
        numbered, counters = self._numbered(commit.new_invoices)
        for invoice in numbered:
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": self._put(
                            invoice_key(invoice.advertiser_id, invoice.invoice_id), invoice_item(invoice)
                        ),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
            kinds.append("new invoice")
        for year, (taken, last) in counters.items():
            update: dict[str, Any] = {
                "TableName": self._table,
                "Key": number_key(year),
                "UpdateExpression": "SET seq = :last",
                "ExpressionAttributeValues": {":last": {"N": str(last)}},
                "ConditionExpression": "attribute_not_exists(seq)",
            }
            if taken:
                update["ConditionExpression"] = "seq = :taken"
                update["ExpressionAttributeValues"][":taken"] = {"N": str(taken)}
            items.append({"Update": update})
            kinds.append("number")
        for before, after in commit.changed_invoices:
            condition, names, values = _as_read_condition(invoice_item(before), INVOICE_MOVING_PARTS, "r")
            put = {
                "TableName": self._table,
                "Item": self._put(invoice_key(after.advertiser_id, after.invoice_id), invoice_item(after)),
                "ConditionExpression": f"attribute_exists(pk) AND {condition}",
                "ExpressionAttributeNames": names,
            }
            if values:
                put["ExpressionAttributeValues"] = values
            items.append({"Put": put})
            kinds.append("changed invoice")
        for name in commit.marks:
            items.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": self._put(mark_key(commit.advertiser_id, name), {"at": commit.at}),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
            kinds.append("mark")
        by_month: dict[str, list[str]] = {}
        for month, name in commit.counts:
            by_month.setdefault(month, []).append(name)
        for month, added in sorted(by_month.items()):
            counted = sorted(set(added))
            items.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": _key(CHURN, month),
                        "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counted))),
                        "ExpressionAttributeNames": {f"#c{i}": name for i, name in enumerate(counted)},
                        "ExpressionAttributeValues": {
                            f":c{i}": {"N": str(added.count(name))} for i, name in enumerate(counted)
                        },
                    }
                }
            )
            kinds.append("count")
        if not items:
            return Committed(None, ())
        client = self._c()
        try:
            client.transact_write_items(TransactItems=items)
        except client.exceptions.TransactionCanceledException as error:
            failed = {kinds[i] for i, code in enumerate(_reasons(error)) if code == "ConditionalCheckFailed"}
            if failed & {"subscription", "changed invoice"}:
                raise BillingChanged("the subscription changed meanwhile; try again") from None
            if failed & {"new invoice", "mark"}:
                raise AlreadyRecorded("this was recorded before") from None
            if "number" in failed:
                raise _NumberRace from None
            raise
        return Committed(written, tuple(numbered))

    def _numbered(
        self, invoices: Sequence[PlatformInvoice]
    ) -> tuple[list[PlatformInvoice], dict[str, tuple[int, int]]]:
        """The invoices with their numbers, and each series' (number read, last number taken)."""
        counters: dict[str, tuple[int, int]] = {}
        numbered = []
        for invoice in invoices:
            year = invoice.issued_at[:4]
            if year not in counters:
                found = self._get(number_key(year))
                taken = int(found["seq"]) if found else 0
                counters[year] = (taken, taken)
            taken, last = counters[year]
            counters[year] = (taken, last + 1)
            numbered.append(replace(invoice, number=invoice_number(year, last + 1)))
        return numbered, counters

    # --------------------------------------------------------------------------------- profiles
    def profile(self, advertiser_id: str) -> BillingProfile:
        found = self._get(profile_key(advertiser_id))
        return profile_of(found) if found else BillingProfile(advertiser_id)

    def save_profile(self, profile: BillingProfile) -> None:
        self._c().put_item(
            TableName=self._table,
            Item=self._put(profile_key(profile.advertiser_id), profile_item(profile)),
        )

    # --------------------------------------------------------------------------------- invoices
    def invoice(self, advertiser_id: str, invoice_id: str) -> PlatformInvoice | None:
        found = self._get(invoice_key(advertiser_id, invoice_id))
        return invoice_of(found) if found else None

    def invoices(self, advertiser_id: str) -> list[PlatformInvoice]:
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": f"ADV#{advertiser_id}"}, ":prefix": {"S": "PINV#"}},
            "ConsistentRead": True,
        }
        found = [invoice_of(dynamo.decode(raw)) for raw in dynamo.query(self._c(), request)]
        return sorted(found, key=lambda invoice: (invoice.issued_at, invoice.number), reverse=True)

    def invoices_in(self, status: InvoiceStatus, due_before: str | None = None) -> Iterator[PlatformInvoice]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": GSI1,
            "KeyConditionExpression": "gsi1pk = :pk AND begins_with(gsi1sk, :status)",
            "ExpressionAttributeValues": {":pk": {"S": INVOICES}, ":status": {"S": f"{status.value}#"}},
        }
        if due_before is not None:
            request["KeyConditionExpression"] = "gsi1pk = :pk AND gsi1sk BETWEEN :status AND :before"
            request["ExpressionAttributeValues"][":before"] = {"S": f"{status.value}#{due_before}"}
        for raw in dynamo.query(self._c(), request):
            yield invoice_of(dynamo.decode(raw))

    # ---------------------------------------------------------------------------- marks, churn
    def marked(self, advertiser_id: str, name: str) -> bool:
        return self._get(mark_key(advertiser_id, name)) is not None

    def mark(self, advertiser_id: str, name: str, at: str) -> bool:
        client = self._c()
        try:
            client.put_item(
                TableName=self._table,
                Item=self._put(mark_key(advertiser_id, name), {"at": at}),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def churn(self) -> dict[str, dict[str, int]]:
        request = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": CHURN}},
        }
        months: dict[str, dict[str, int]] = {}
        for raw in dynamo.query(self._c(), request):
            item = dynamo.decode(raw)
            months[item["sk"]] = {
                name: int(value) for name, value in item.items() if name not in ("pk", "sk")
            }
        return months


def _reasons(error: Exception) -> list[str]:
    """The code of each transaction item's cancellation reason, in the items' order."""
    reasons = getattr(error, "response", {}).get("CancellationReasons") or []
    return [str(reason.get("Code", "")) for reason in reasons]
