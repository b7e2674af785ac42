"""In-memory stand-ins for the repositories (fakes over mocks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from partnerka.accounts.devices import MAX_DEVICES
from partnerka.accounts.models import (
    Advertiser,
    AdvertiserSettings,
    Affiliate,
    ApiKey,
    ApiKeyDigest,
    JoinCode,
    Membership,
    MembershipStatus,
    OneTimeToken,
    RefreshToken,
    RegistrationLink,
    Role,
    SessionChain,
    TokenState,
    User,
)
from partnerka.accounts.routing import AccountStatus, AdvertiserRoute, AffiliateRoute
from partnerka.accounts.suspension import AccountSuspended
from partnerka.audit.models import AuditEntry
from partnerka.audit.service import Actor
from partnerka.billing.models import (
    BillingProfile,
    Entitlements,
    Limit,
    Plan,
    PlanLimits,
    PlatformInvoice,
    Subscription,
    SubscriptionState,
)
from partnerka.billing.models import (
    InvoiceStatus as BillingInvoiceStatus,
)
from partnerka.billing.payments import Checkout, PaymentEvent
from partnerka.billing.repository import (
    INVOICE_MOVING_PARTS,
    AlreadyRecorded,
    BillingChanged,
    Committed,
    PlanChanged,
    invoice_number,
)
from partnerka.billing.repository import Commit as BillingCommit
from partnerka.blocklists.models import BlockList
from partnerka.blocklists.repository import ListChanged
from partnerka.branding.assets import IMMUTABLE, Upload
from partnerka.branding.models import ASSET_FIELDS, AssetKind, Brand, UploadForm
from partnerka.branding.repository import FORM_FIELDS
from partnerka.common import dynamo
from partnerka.common.clock import iso_millis
from partnerka.common.errors import Conflict, NotFound
from partnerka.conversions.models import Conversion, ConversionStatus
from partnerka.conversions.screening import NO_RULES, ClickSignals, FraudRules
from partnerka.domains.claims import DomainClaim
from partnerka.domains.dns import DnsUnavailable
from partnerka.domains.models import Domain, DomainStatus
from partnerka.domains.repository import DomainChanged
from partnerka.domains.repository import DomainTaken as HostTaken
from partnerka.domains.tenants import (
    DomainNotPointed,
    DomainTaken,
    Tenant,
    TenantGone,
    TenantState,
    certificate_of,
)
from partnerka.finance.invoices import Invoice, InvoiceStatus
from partnerka.finance.ledger import Account, Journal, floors
from partnerka.finance.repository import InsufficientBalance
from partnerka.finance.requests import MoneyRequest, RequestKind, RequestStatus
from partnerka.finance.settings import FinanceSettings
from partnerka.notifications.email import MailBrand
from partnerka.notifications.events import Channel, Event, EventType
from partnerka.notifications.inbox import UNREAD_COUNTED_UP_TO, Notice, NoticePage, sort_key_of
from partnerka.notifications.preferences import Preferences
from partnerka.notifications.telegram import LinkCode, LinkedChat, TelegramLink
from partnerka.notifications.telegram_bot import BotAnswer
from partnerka.notifications.webhooks import EndpointOwner, WebhookEndpoint
from partnerka.offers.models import Offer, OfferAccess
from partnerka.offers.routing import (
    AccessRoute,
    AmountType,
    Goal,
    Landing,
    OfferRoute,
    OfferStatus,
    PayoutModel,
)
from partnerka.operations.models import (
    NO_OWNER,
    Attempt,
    Operation,
    OperationStatus,
    OperationType,
    RateCounts,
)
from partnerka.operations.queue import PeekedMessage, QueueDepth
from partnerka.operations.repository import Filters, Page
from partnerka.stats.click_log import LoggedClick
from partnerka.stats.cube import TOTAL, CubeKey, merge_into
from partnerka.stats.cube_store import CubeItem
from partnerka.stats.exports import ExportJob
from partnerka.stats.models import Increments
from partnerka.stats.projection import StatsStores
from partnerka.stats.quality import ClickQuality, IpHourKey, VisitorClaim, VisitorKey, VisitWindow
from partnerka.stats.report_files import CSV, StoredFile
from partnerka.stats.repository import RangeMarker, key_chunks
from partnerka.tracking.blocking import BlockList as CompiledBlockList
from partnerka.tracking.caps import CapSlot
from partnerka.tracking.models import Click
from partnerka.tracking.repository import ClickRoutes, ConversionRoutes, PostbackRules

ADVERTISER = "01JAD0000000000000000000AA"
OFFER = "01J0FFER00000000000000000A"
AFFILIATE = "01JAFF0000000000000000000A"


def offer_route(**changes: object) -> OfferRoute:
    values: dict[str, object] = {
        "offer_id": OFFER,
        "advertiser_id": ADVERTISER,
        "status": OfferStatus.ACTIVE,
        "model": PayoutModel.CPA,
        "landings": (Landing("https://shop.example/?cid={click_id}&s1={sub1}&aff={affiliate_id}", 1),),
        "currency": "USD",
        "goals": (Goal("sale", "Sale", AmountType.FIXED, 1250, AmountType.FIXED, 2000),),
        "postback_secret": "s3cret",
    }
    values.update(changes)
    return OfferRoute(**values)  # type: ignore[arg-type]


def affiliate_route(**changes: object) -> AffiliateRoute:
    values: dict[str, object] = {
        "affiliate_id": AFFILIATE,
        "status": AccountStatus.ACTIVE,
        "approved_advertisers": frozenset({ADVERTISER}),
    }
    values.update(changes)
    return AffiliateRoute(**values)  # type: ignore[arg-type]


class FakeRoutes:
    def __init__(self, offers: list[OfferRoute], affiliates: list[AffiliateRoute]) -> None:
        self.offers = {o.offer_id: o for o in offers}
        self.affiliates = {a.affiliate_id: a for a in affiliates}
        self.rules: dict[str, PostbackRules] = {}
        self.access: dict[tuple[str, str], AccessRoute] = {}
        self.host_owners: dict[str, str] = {}  # custom domain → its advertiser
        # Fraud rules as stored: by advertiser, and by (advertiser, offer).
        self.fraud_rules: dict[str, dict[str, Any]] = {}
        self.offer_fraud_rules: dict[tuple[str, str], dict[str, Any]] = {}
        self.advertisers: dict[str, AdvertiserRoute] = {}
        self.blocks: dict[
            tuple[str, str | None], CompiledBlockList
        ] = {}  # (advertiser, offer or None) → list
        self.lookups = 0

    def routes(self, offer_id: str, affiliate_id: str | None, host: str = "") -> ClickRoutes:
        self.lookups += 1
        owner, offer = self.host_owners.get(host), self.offers.get(offer_id)
        advertiser_id = offer.advertiser_id if offer else ""
        advertiser = self.advertisers.get(advertiser_id)
        blocks = tuple(
            self.blocks[key]
            for key in ((advertiser_id, None), (advertiser_id, offer_id))
            if key in self.blocks
        )
        if affiliate_id is None:
            return ClickRoutes(offer, None, None, owner, advertiser, blocks)
        access = self.access.get((offer_id, affiliate_id), AccessRoute(offer_id, affiliate_id))
        return ClickRoutes(offer, self.affiliates.get(affiliate_id), access, owner, advertiser, blocks)

    def click_routes(
        self, pairs: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[OfferRoute | None, AccessRoute]]:
        self.lookups += 1
        return {
            (o, a): (self.offers.get(o), self.access.get((o, a), AccessRoute(o, a))) for o, a in set(pairs)
        }

    def conversion_routes(
        self, offer_id: str, affiliate_id: str, advertiser_id: str, host: str = ""
    ) -> ConversionRoutes:
        self.lookups += 1
        access = self.access.get((offer_id, affiliate_id), AccessRoute(offer_id, affiliate_id))
        return ConversionRoutes(
            self.offers.get(offer_id),
            access,
            self.rules.get(advertiser_id, PostbackRules()),
            self.host_owners.get(host),
            self.fraud_rules.get(advertiser_id),
            self.offer_fraud_rules.get((advertiser_id, offer_id)),
        )


class FakeClicks:
    def __init__(self, fail: bool = False) -> None:
        self.items: dict[str, Click] = {}
        self.fail = fail

    def put(self, click: Click) -> None:
        if self.fail:
            raise ConnectionError("dynamodb unavailable")
        self.items[click.click_id] = click

    def get(self, click_id: str) -> Click | None:
        return self.items.get(click_id)


class FakeConversions:
    def __init__(self) -> None:
        self.items: dict[str, Conversion] = {}

    def insert(self, conversion: Conversion) -> str | None:
        if conversion.dedupe_key in self.items:
            return self.items[conversion.dedupe_key].conversion_id
        self.items[conversion.dedupe_key] = conversion
        return None

    def get(self, dedupe_key: str) -> Conversion | None:
        return self.items.get(dedupe_key)

    def transition(
        self, conversion: Conversion, to: ConversionStatus, reason: str | None, now: datetime
    ) -> bool:
        current = self.items.get(conversion.dedupe_key)
        if current is None or current.status is not conversion.status:
            return False
        self.items[conversion.dedupe_key] = replace(
            current, status=to, reason=reason or current.reason, updated_at=now
        )
        return True

    def by_id(self, conversion_id: str) -> Conversion | None:
        return next((c for c in self.items.values() if c.conversion_id == conversion_id), None)

    def by_txn(self, advertiser_id: str, txn_id: str) -> list[Conversion]:
        return [c for c in self.items.values() if c.advertiser_id == advertiser_id and c.txn_id == txn_id]

    def awaiting_review(self, advertiser_id: str, limit: int) -> list[Conversion]:
        """Like the by_review index: newest first."""
        waiting = [c for c in self.items.values() if c.advertiser_id == advertiser_id and c.awaits_review]
        return sorted(waiting, key=lambda c: c.created_at, reverse=True)[:limit]

    def due_holds(self, months: list[str], now: datetime) -> list[Conversion]:
        """Like the by_hold index: only the months asked for are read."""
        return [
            c
            for c in self.items.values()
            if c.status is ConversionStatus.HOLD
            and c.hold_until
            and c.hold_until <= now
            and f"{c.hold_until:%Y-%m}" in months
        ]


class FakeClickSignals:
    """What traffic quality knows of each click, by click id (a click not named is clean)."""

    def __init__(self, known: dict[str, ClickSignals] | None = None) -> None:
        self.known = dict(known or {})
        self.asked: list[str] = []

    def signals(self, click: Click) -> ClickSignals:
        self.asked.append(click.click_id)
        return self.known.get(click.click_id, ClickSignals())


class FakeFraudRules:
    """Fraud rules by (advertiser, offer or None)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str | None], FraudRules] = {}

    def get(self, advertiser_id: str, offer_id: str | None = None) -> FraudRules:
        return self.items.get((advertiser_id, offer_id), NO_RULES)

    def put(self, advertiser_id: str, offer_id: str | None, rules: FraudRules) -> None:
        self.items[(advertiser_id, offer_id)] = rules

    def delete(self, advertiser_id: str, offer_id: str) -> None:
        self.items.pop((advertiser_id, offer_id), None)


class FakeCubes:
    """The cubes in a dict, with the range markers and plans of stats.repository; `calls` counts the
    transactions, and the one numbered `fail_on_call` fails before it is applied."""

    def __init__(self, fail_on_call: int | None = None) -> None:
        self.rows: dict[CubeKey, Increments] = {}
        self.markers: dict[str, RangeMarker] = {}
        self.plans: dict[tuple[str, int], dict[CubeKey, Increments]] = {}
        self.calls = 0
        self.fail_on_call = fail_on_call

    def _transaction(self) -> None:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise ConnectionError("transaction cancelled")

    def marker(self, token: str) -> RangeMarker | None:
        return self.markers.get(token)

    def chunk(self, increments: dict[CubeKey, Increments]) -> list[dict[CubeKey, Increments]]:
        return key_chunks(increments)

    def begin(self, token: str, records: Sequence[str], chunks: Sequence[dict[CubeKey, Increments]]) -> bool:
        self._transaction()
        if token in self.markers:
            return False
        self.markers[token] = RangeMarker(token, tuple(records), token, len(chunks), 1 if chunks else 0)
        for index, chunk in enumerate(chunks[1:], start=1):
            self.plans[token, index] = dict(chunk)
        if chunks:
            merge_into(self.rows, chunks[0])
        return True

    def advance(self, token: str, index: int, chunk: dict[CubeKey, Increments] | None = None) -> bool:
        self._transaction()
        marker = self.markers.get(token)
        if marker is None or marker.done != index:
            return False
        self.markers[token] = replace(marker, done=index + 1)
        merge_into(self.rows, chunk if chunk is not None else self.plans[token, index])
        return True

    def split(self, token: str, records: Sequence[str], owner: str) -> None:
        self.markers.setdefault(token, RangeMarker(token, tuple(records), owner, 0, 0))

    def days(
        self, advertiser_id: str, dimension: str, first_day: str, last_day: str, attributes: Any = ()
    ) -> Iterator[CubeItem]:
        for key, values in sorted(self.rows.items()):
            if (key.advertiser_id, key.dimension) == (
                advertiser_id,
                dimension,
            ) and first_day <= key.day <= last_day:
                kept = {n: v for n, v in values.items() if not attributes or n in attributes}
                yield CubeItem(key.day, key.value, kept)

    def levels(self, keys: Sequence[CubeKey]) -> dict[CubeKey, Increments]:
        return {key: dict(self.rows[key]) for key in keys if key in self.rows}

    def exact(self, advertiser_id: str, dimension: str, value: str, days: Any) -> list[CubeItem]:
        return [
            CubeItem(day, value, dict(self.rows[key]))
            for day in sorted(set(days))
            if (key := CubeKey(advertiser_id, dimension, day, value)) in self.rows
        ]

    def totals(self) -> Increments:
        """Day figures of the total cube, summed over every advertiser and day."""
        summed: Increments = {}
        for key, values in self.rows.items():
            if key.dimension == TOTAL:
                for name, amount in values.items():
                    if "@" not in name and amount:
                        summed[name] = summed.get(name, 0) + amount
        return summed


class FakeClickLog:
    def __init__(self) -> None:
        self.chunks: dict[tuple[str, str, str], dict[str, LoggedClick]] = {}

    def write(self, clicks: Iterable[LoggedClick], token: str, expires_at: int) -> int:
        """Puts under (advertiser, day, affiliate#hour#token): writing a chunk again changes nothing."""
        written = 0
        for click in clicks:
            f = click.facts
            self.chunks.setdefault((f.advertiser_id, f.hour[:10], f"{f.affiliate}#{f.hour}#{token}"), {})[
                click.click_id
            ] = click
            written += 1
        return written

    def read(self, advertiser_id: str, day: str, affiliate: str | None = None) -> Iterator[LoggedClick]:
        """Like the repository: a click written into two chunks of its hour is read once."""
        seen: set[tuple[str, str]] = set()
        for (advertiser, on, sk), clicks in sorted(self.chunks.items()):
            if (advertiser, on) == (advertiser_id, day) and (
                affiliate is None or sk.startswith(f"{affiliate}#")
            ):
                hour = sk.rsplit("#", 1)[0]
                for click in clicks.values():
                    if (hour, click.click_id) not in seen:
                        seen.add((hour, click.click_id))
                        yield click

    def all(self) -> list[LoggedClick]:
        days = sorted({(advertiser, day) for advertiser, day, _ in self.chunks})
        return [click for advertiser, day in days for click in self.read(advertiser, day)]


def fake_stats(fail_on_call: int | None = None) -> StatsStores:
    return StatsStores(FakeCubes(fail_on_call), FakeClickLog())


class FakeCaps:
    """Counters in a dict, with the same all-or-nothing rule as the DynamoDB one."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = {}
        self.reads = 0

    def take(self, slots: list[CapSlot]) -> bool:
        if any(self.counts.get((s.pk, s.sk), 0) + s.amount > s.limit for s in slots):
            return False
        for slot in slots:
            self.counts[(slot.pk, slot.sk)] = self.counts.get((slot.pk, slot.sk), 0) + slot.amount
        return True

    def levels(self, slots: list[CapSlot]) -> dict[tuple[str, str], int]:
        self.reads += 1
        return {(s.pk, s.sk): self.counts.get((s.pk, s.sk), 0) for s in slots}


class FakeQuality:
    """Visitor windows, address counts and verdicts in dicts, counting the writes each would cost."""

    def __init__(self) -> None:
        self.windows: dict[VisitorKey, tuple[str, int]] = {}
        self.counts: dict[IpHourKey, int] = {}
        self.verdicts: dict[str, ClickQuality] = {}
        self.writes: Counter[str] = Counter()

    def claim_visitors(self, claims: list[VisitorClaim], window: int) -> set[VisitorKey]:
        held: set[VisitorKey] = set()
        for claim in claims:
            self.writes["claim"] += 1
            current = self.windows.get(claim.visitor)
            if current is None or current[1] <= claim.at or current[0] == claim.click_id:
                self.windows[claim.visitor] = (claim.click_id, claim.at + window)
                held.add(claim.visitor)
        return held

    def ip_counts(self, keys: Iterable[IpHourKey]) -> dict[IpHourKey, int]:
        return {key: self.counts[key] for key in keys if key in self.counts}

    def add_ip_counts(self, counts: dict[IpHourKey, int], token: str) -> None:
        self.writes["ip"] += len({(key.advertiser_id, key.hour) for key in counts})
        for key, amount in counts.items():
            self.counts[key] = self.counts.get(key, 0) + amount

    def save_verdicts(self, verdicts: list[tuple[Click, ClickQuality]], token: str) -> None:
        self.writes["verdict"] += len(verdicts)
        self.verdicts.update({click.click_id: verdict for click, verdict in verdicts})

    def verdict(self, click: Click) -> ClickQuality | None:
        return self.verdicts.get(click.click_id)

    def visit_window(self, visitor: VisitorKey) -> VisitWindow | None:
        held = self.windows.get(visitor)
        return VisitWindow(*held) if held is not None else None


@dataclass
class FakeClock:
    """Time that moves only when the test moves it."""

    at: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 10, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.at


class FakeOperations:
    """The operations log in a dict, with the Operations table's conditions (operations.repository):
    an attempt is claimed only by moving the count from n to n+1 when due and not leased, and its
    outcome is written only by its holder. `down` makes every call fail like an unreachable table."""

    def __init__(self, down: bool = False) -> None:
        self.items: dict[str, Operation] = {}
        self.counted: Counter[str] = Counter()
        self.dead_lettered: list[str] = []
        self.down = down

    def _up(self) -> None:
        if self.down:
            raise ConnectionError("the operations table cannot be reached")

    def create(self, operation: Operation) -> bool:
        self._up()
        if operation.op_id in self.items:
            return False
        self.items[operation.op_id] = operation
        return True

    def get(self, op_id: str) -> Operation | None:
        self._up()
        return self.items.get(op_id)

    def claim(self, operation: Operation, now: datetime, lease_until: datetime, owner: str) -> bool:
        self._up()
        found = self.items.get(operation.op_id)
        if (
            found is None
            or found.attempts != operation.attempts
            or found.attempts >= found.max_attempts
            or found.status not in (OperationStatus.PENDING, OperationStatus.RETRYING)
            or (found.lease_until is not None and found.lease_until >= now)
            or (found.next_attempt_at is not None and found.next_attempt_at > now)
        ):
            return False
        self.items[operation.op_id] = replace(
            found, attempts=found.attempts + 1, lease_until=lease_until, owner=owner, updated_at=now
        )
        return True

    def finish_attempt(
        self,
        operation: Operation,
        attempt: Attempt,
        status: OperationStatus,
        next_attempt_at: datetime | None,
        owner: str,
    ) -> bool:
        self._up()
        found = self.items.get(operation.op_id)
        if found is None or found.attempts != attempt.number or found.owner != owner:
            return False
        self.items[operation.op_id] = replace(
            found,
            status=status,
            updated_at=attempt.at,
            history=(*found.history, attempt),
            last_error="" if attempt.ok else attempt.error or attempt.error_class,
            next_attempt_at=next_attempt_at,
            lease_until=None,
            finished_at=attempt.at if status in (OperationStatus.SUCCESS, OperationStatus.FAILED) else None,
        )
        return True

    def replay(self, op_id: str, now: datetime, extra_attempts: int) -> Operation | None:
        self._up()
        found = self.items.get(op_id)
        if found is None or (
            not found.terminal and found.lease_until is not None and found.lease_until >= now
        ):
            return None
        replayed = replace(
            found,
            status=OperationStatus.RETRYING,
            max_attempts=found.attempts + extra_attempts,
            next_attempt_at=now,
            owner=NO_OWNER,
            replays=found.replays + 1,
            finished_at=None,
            lease_until=None,
            dead_lettered=False,
        )
        self.items[op_id] = replayed
        return replayed

    def mark_dead_lettered(self, op_id: str) -> None:
        self._up()
        self.dead_lettered.append(op_id)
        self.items[op_id] = replace(self.items[op_id], dead_lettered=True)

    def record_batch(self, operation: Operation) -> None:
        self._up()
        self.items[operation.op_id] = operation

    def count(self, type: OperationType, at: datetime, **counters: int) -> None:
        self._up()
        for name, amount in counters.items():
            self.counted[f"{type.value}.{name}"] += amount


class FakeQueue:
    """A queue that keeps what is sent, or refuses everything when `refuses`."""

    def __init__(self, refuses: bool = False) -> None:
        self.bodies: list[str] = []
        self.refuses = refuses

    def send(self, bodies: list[str]) -> None:
        if self.refuses:
            raise ConnectionError("the queue cannot be reached")
        self.bodies.extend(bodies)


# ---------------------------------------------------------------------- finance
class FakeLedger:
    """The Ledger table in dicts, with its conditions (finance.repository): a journal posts once by
    its key, all of it or nothing, and never takes a floored balance below zero. (Invoices never
    close a month here: every journal is booked in its own month.)"""

    def __init__(self) -> None:
        self.journals: dict[str, Journal] = {}
        self.balance: dict[Account, int] = {}
        self.indexed: dict[str, list[Journal]] = {}

    def post(self, journal: Journal) -> bool:
        if journal.key in self.journals:
            return False
        after = {e.account: self.balance.get(e.account, 0) + e.amount for e in journal.entries}
        if any(account.shown(after[account]) < 0 for account in floors(journal)):
            raise InsufficientBalance("the balance does not cover this amount")
        self.journals[journal.key] = journal
        self.balance.update(after)
        for index in journal.indexes:
            self.indexed.setdefault(index, []).append(journal)
        return True

    def get(self, key: str) -> Journal | None:
        return self.journals.get(key)

    def balances(self, owner: str) -> dict[Account, int]:
        return {account: amount for account, amount in self.balance.items() if account.owner == owner}

    def books(self, advertiser_id: str) -> dict[Account, int]:
        return {a: amount for a, amount in self.balance.items() if a.advertiser_id == advertiser_id}

    def history(self, index: str, limit: int) -> list[Journal]:
        return self.listed(index)[::-1][:limit]

    def entries(self, account: Account) -> list[tuple[str, int]]:
        return [
            (journal.key, entry.amount)
            for journal in sorted(self.journals.values(), key=_booked_order)
            for entry in journal.entries
            if entry.account == account
        ]

    def listed(self, index: str) -> list[Journal]:
        return sorted(self.indexed.get(index, []), key=_booked_order)

    def shown(self, account: Account) -> int:
        """What a person is shown of the account's balance."""
        return account.shown(self.balance.get(account, 0))


def _booked_order(journal: Journal) -> tuple[datetime, str]:
    return journal.created_at, journal.key  # the ledger's sort key: `<created_at>#<journal key>`


class FakeMoneyRequests:
    """Payout and top-up requests in a dict; one is answered only while it is open (the repository's
    condition). `lose_next_close` makes the next answer fail as a lost connection would."""

    def __init__(self) -> None:
        self.items: dict[tuple[RequestKind, str, str], MoneyRequest] = {}
        self.lose_next_close = False

    def add(self, request: MoneyRequest) -> None:
        self.items[(request.kind, request.advertiser_id, request.request_id)] = request

    def of_advertiser(
        self, kind: RequestKind, advertiser_id: str, affiliate_id: str | None = None, limit: int = 200
    ) -> list[MoneyRequest]:
        mine = [r for (k, a, _), r in self.items.items() if (k, a) == (kind, advertiser_id)]
        newest = sorted(mine, key=lambda r: r.request_id, reverse=True)[:limit]
        return [r for r in newest if affiliate_id is None or r.affiliate_id == affiliate_id]

    def get(self, kind: RequestKind, advertiser_id: str, request_id: str) -> MoneyRequest | None:
        return self.items.get((kind, advertiser_id, request_id))

    def close(self, request: MoneyRequest, status: RequestStatus, answer: str) -> bool:
        if self.lose_next_close:
            self.lose_next_close = False
            raise ConnectionError("the core table cannot be reached")
        key = (request.kind, request.advertiser_id, request.request_id)
        found = self.items.get(key)
        if found is None or found.status is not RequestStatus.OPEN:
            return False
        self.items[key] = replace(request, status=status, answer=answer)
        return True


class FakeFinanceSettings:
    def __init__(self) -> None:
        self.items: dict[str, FinanceSettings] = {}

    def get(self, advertiser_id: str) -> FinanceSettings:
        return self.items.get(advertiser_id, FinanceSettings(advertiser_id))

    def save(self, settings: FinanceSettings) -> None:
        self.items[settings.advertiser_id] = settings


class FakeLowBalanceFlags:
    """finance.low_balance.LowBalanceFlags in a dict, with the repository's condition: a flag is
    raised when there is none, or by the crossing that raised it."""

    def __init__(self) -> None:
        self.flags: dict[tuple[str, str], str] = {}

    def raise_flag(self, advertiser_id: str, currency: str, crossing: str, at: datetime) -> bool:
        held = self.flags.setdefault((advertiser_id, currency), crossing)
        return held == crossing

    def lower_flag(self, advertiser_id: str, currency: str) -> None:
        self.flags.pop((advertiser_id, currency), None)


class FakeInvoices:
    def __init__(self, *invoices: Invoice) -> None:
        self.items = {(invoice.advertiser_id, invoice.month): invoice for invoice in invoices}

    def get(self, advertiser_id: str, month: str) -> Invoice | None:
        return self.items.get((advertiser_id, month))

    def issued(self, advertiser_id: str) -> list[Invoice]:
        return [
            invoice
            for (advertiser, _), invoice in sorted(self.items.items(), reverse=True)
            if advertiser == advertiser_id and invoice.status is InvoiceStatus.ISSUED
        ]


# ---------------------------------------------------------------------- the dashboard's services
@dataclass(frozen=True)
class AuditRecord:
    actor: Actor
    tenant_id: str | None
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class FakeAudit:
    """The audit log as a list, in the order the entries were written."""

    def __init__(self) -> None:
        self.records: list[AuditRecord] = []

    def record(
        self,
        actor: Actor,
        tenant_id: str | None,
        action: str,
        target: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.records.append(AuditRecord(actor, tenant_id, action, target, before, after))

    def actions(self) -> list[str]:
        return [record.action for record in self.records]


@dataclass
class FakeDirectory:
    """Names by id: affiliates and advertisers platform-wide, offers by advertiser."""

    affiliates: dict[str, str] = field(default_factory=dict)
    offers: dict[str, dict[str, str]] = field(default_factory=dict)
    advertiser_names: dict[str, str] = field(default_factory=dict)

    def affiliate_names(self, advertiser_id: str, affiliate_ids: Iterable[str]) -> dict[str, str]:
        return {i: self.affiliates[i] for i in set(affiliate_ids) if i in self.affiliates}

    def offer_names(self, advertiser_id: str) -> dict[str, str]:
        return dict(self.offers.get(advertiser_id, {}))

    def advertisers(self) -> dict[str, str]:
        return dict(self.advertiser_names)


class FakeNames:
    """Names in dicts (offers.names.NameBook): offer names by advertiser, affiliates', advertisers'."""

    def __init__(
        self,
        offers: dict[str, dict[str, str]] | None = None,
        affiliates: dict[str, str] | None = None,
        advertisers: dict[str, str] | None = None,
    ) -> None:
        self.offer_names = offers or {}
        self.affiliate_names = affiliates or {}
        self.advertiser_names = advertisers or {}

    def offers(self, advertisers: Iterable[str]) -> dict[str, str]:
        return {o: name for a in advertisers for o, name in self.offer_names.get(a, {}).items()}

    def affiliates(self, affiliate_ids: Iterable[str]) -> dict[str, str]:
        return {a: self.affiliate_names[a] for a in affiliate_ids if a in self.affiliate_names}

    def advertisers(self, advertiser_ids: Iterable[str]) -> dict[str, str]:
        return {a: self.advertiser_names[a] for a in advertiser_ids if a in self.advertiser_names}


class FakeConversionLog(FakeConversions):
    """FakeConversions with the indexes people read through: by click and by advertiser and time."""

    def of_click(self, click_id: str) -> list[Conversion]:
        found = [c for c in self.items.values() if c.click_id == click_id]
        return sorted(found, key=lambda c: c.created_at)

    def of_advertiser(self, advertiser_id: str, first: str, last: str, limit: int) -> list[Conversion]:
        found = [
            c
            for c in self.items.values()
            if c.advertiser_id == advertiser_id and first <= iso_millis(c.created_at) <= last
        ]
        return sorted(found, key=lambda c: c.created_at, reverse=True)[:limit]


class FakeExports:
    """Export jobs by (user, export id), like the Core table's EXPORTS#<user> items."""

    def __init__(self) -> None:
        self.jobs: dict[tuple[str, str], ExportJob] = {}

    def create(self, job: ExportJob) -> None:
        assert (job.user_id, job.export_id) not in self.jobs, "an export is created once"
        self.jobs[job.user_id, job.export_id] = job

    def get(self, user_id: str, export_id: str) -> ExportJob | None:
        return self.jobs.get((user_id, export_id))

    def of_user(self, user_id: str, limit: int = 50) -> list[ExportJob]:
        mine = [job for (user, _), job in self.jobs.items() if user == user_id]
        return sorted(mine, key=lambda job: job.export_id, reverse=True)[:limit]


class FakeReportFiles:
    """The reports bucket as sizes by key (stats.report_files.ReportFiles); links name the file."""

    def __init__(self, sizes: dict[str, int] | None = None) -> None:
        self.sizes = dict(sizes or {})

    def listed(self, prefix: str) -> Iterator[StoredFile]:
        for key in sorted(self.sizes):
            if key.startswith(prefix):
                yield StoredFile(key, self.sizes[key])

    def exists(self, key: str) -> bool:
        return key in self.sizes

    def link(self, key: str, file_name: str, content_type: str = CSV) -> str:
        return f"https://reports.example/{key}?as={file_name}"


class FakeOperationsLog(FakeOperations):
    """FakeOperations with what the monitor and the click inspection read: batches by id, hourly
    rates (set by the test), the latest and the open operations."""

    def __init__(self, down: bool = False) -> None:
        super().__init__(down)
        self.rate_counts: dict[OperationType, list[RateCounts]] = {}

    def get_many(self, op_ids: list[str]) -> list[Operation]:
        self._up()
        return [self.items[op_id] for op_id in dict.fromkeys(op_ids) if op_id in self.items]

    def rates(self, type: OperationType, now: datetime, hours: int) -> list[RateCounts]:
        self._up()
        return self.rate_counts.get(type, [])

    def recent(self, now: datetime, filters: Filters, limit: int, cursor: str | None) -> Page:
        self._up()
        newest = sorted(self.items.values(), key=lambda op: op.created_at, reverse=True)
        return Page(newest[:limit], None)

    def open_of(self, type: OperationType, limit: int, cursor: str | None) -> Page:
        self._up()
        found = [op for op in self.items.values() if op.type is type and not op.terminal]
        return Page(sorted(found, key=lambda op: op.created_at)[:limit], None)

    def oldest_open(self, type: OperationType) -> datetime | None:
        return min((op.created_at for op in self.open_of(type, 1000, None).items), default=None)


class FakeMessages:
    """An SQS queue's messages in a list (operations.monitor.MonitoredQueue)."""

    def __init__(self, bodies: Iterable[str] = (), sent_at_ms: int = 1_764_583_200_000) -> None:
        self.messages = [PeekedMessage(f"m{n}", body, sent_at_ms, 1) for n, body in enumerate(bodies)]
        self.sent: list[str] = []

    def depth(self) -> QueueDepth:
        return QueueDepth(visible=len(self.messages), in_flight=0, delayed=0)

    def peek(self, limit: int = 10) -> list[PeekedMessage]:
        return self.messages[:limit]

    def take(self, limit: int = 10) -> list[tuple[str, str]]:
        return [(m.body, m.message_id) for m in self.messages[:limit]]

    def delete(self, receipt_handle: str) -> None:
        self.messages = [m for m in self.messages if m.message_id != receipt_handle]

    def send(self, bodies: list[str]) -> None:
        self.sent.extend(bodies)


def stored_conversion(**changes: object) -> Conversion:
    """A pending 12.50 USD sale (20.00 revenue) of OFFER by AFFILIATE, as stored; `changes` override."""
    values: dict[str, object] = {
        "conversion_id": "conv-1",
        "dedupe_key": "key-1",
        "click_id": "click-1",
        "offer_id": OFFER,
        "affiliate_id": AFFILIATE,
        "advertiser_id": ADVERTISER,
        "goal": "sale",
        "status": ConversionStatus.PENDING,
        "payout_minor": 1250,
        "revenue_minor": 2000,
        "currency": "USD",
        "created_at": datetime(2026, 11, 27, 12, 0, tzinfo=UTC),
    }
    values.update(changes)
    return Conversion(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- the core table's entities
@dataclass(frozen=True, slots=True)
class EmailClaim:
    """The item that makes an e-mail address unique (PK `EMAIL#<email>`, SK `USER`)."""

    user_id: str


@dataclass(frozen=True, slots=True)
class TeamEntry:
    """An advertiser's team member (PK `ADV#<advertiser>`, SK `USER#<user>`)."""

    user_id: str


class FakeCoreTable:
    """Core-table entities in a dict by their (pk, sk) key, queried in key order. The entities are
    frozen, so what is stored is what was written, and a change replaces it."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], object] = {}

    def _insert(self, key: tuple[str, str], item: object, conflict: str) -> None:
        if key in self.items:
            raise Conflict(conflict)
        self.items[key] = item

    def _get[T](self, kind: type[T], key: tuple[str, str]) -> T | None:
        found = self.items.get(key)
        return found if isinstance(found, kind) else None

    def _found[T](self, kind: type[T], key: tuple[str, str], missing: str) -> T:
        """Like a repository's getter: the entity, or `NotFound` saying what is missing."""
        found = self._get(kind, key)
        if found is None:
            raise NotFound(missing)
        return found

    def _query[T](self, kind: type[T], pk: str, sk_prefix: str) -> list[T]:
        return [
            item
            for (p, s), item in sorted(self.items.items(), key=lambda pair: pair[0])
            if p == pk and s.startswith(sk_prefix) and isinstance(item, kind)
        ]

    def _all[T](self, kind: type[T]) -> list[T]:
        return [item for item in self.items.values() if isinstance(item, kind)]


class FakeAccounts(FakeCoreTable):
    """accounts.repository.AccountStore with the repository's conditions: one account per e-mail, a
    user saved only over the copy it was read as (its version), a TOTP step accepted once."""

    def add_advertiser(self, advertiser: Advertiser) -> None:
        self._insert(Advertiser.key(advertiser.id), advertiser, f"advertiser {advertiser.id} exists")

    def get_advertiser(self, advertiser_id: str) -> Advertiser:
        return self._found(Advertiser, Advertiser.key(advertiser_id), f"no advertiser '{advertiser_id}'")

    def list_advertisers(self) -> list[Advertiser]:
        return sorted(self._all(Advertiser), key=lambda advertiser: advertiser.id)

    def get_settings(self, advertiser_id: str) -> AdvertiserSettings | None:
        return self._get(AdvertiserSettings, AdvertiserSettings.key(advertiser_id))

    def save_settings(self, settings: AdvertiserSettings) -> None:
        self.items[AdvertiserSettings.key(settings.advertiser_id)] = settings

    def add_affiliate(self, affiliate: Affiliate) -> None:
        key = Affiliate.key(affiliate.affiliate_id)
        self._insert(key, affiliate, f"affiliate {affiliate.affiliate_id} exists")

    def get_affiliate(self, affiliate_id: str) -> Affiliate:
        return self._found(Affiliate, Affiliate.key(affiliate_id), f"no affiliate '{affiliate_id}'")

    def save_membership(self, membership: Membership) -> None:
        affiliate = self.get_affiliate(membership.affiliate_id)
        self.items[Membership.key(membership.advertiser_id, membership.affiliate_id)] = membership
        mirror = {membership.advertiser_id}
        if membership.status is MembershipStatus.ACTIVE:
            approved = affiliate.approved_advertisers | mirror
        else:
            approved = affiliate.approved_advertisers - mirror
        if membership.suspended:
            suspended = affiliate.suspended_advertisers | mirror
        else:
            suspended = affiliate.suspended_advertisers - mirror
        self.items[Affiliate.key(affiliate.affiliate_id)] = replace(
            affiliate, approved_advertisers=approved, suspended_advertisers=suspended
        )

    def affiliates(self, affiliate_ids: Iterable[str]) -> list[Affiliate]:
        found = (self._get(Affiliate, Affiliate.key(affiliate_id)) for affiliate_id in set(affiliate_ids))
        return [affiliate for affiliate in found if affiliate is not None]

    def save_advertiser_status(self, advertiser: Advertiser) -> bool:
        stored = self.get_advertiser(advertiser.id)
        if stored.status is advertiser.status:
            return False
        self.items[Advertiser.key(advertiser.id)] = replace(
            stored,
            status=advertiser.status,
            suspended_at=advertiser.suspended_at,
            suspension_reason=advertiser.suspension_reason,
        )
        return True

    def save_affiliate_status(self, affiliate: Affiliate) -> bool:
        stored = self.get_affiliate(affiliate.affiliate_id)
        if stored.status is affiliate.status:
            return False
        self.items[Affiliate.key(affiliate.affiliate_id)] = replace(
            stored,
            status=affiliate.status,
            suspended_at=affiliate.suspended_at,
            suspension_reason=affiliate.suspension_reason,
        )
        return True

    def get_membership(self, advertiser_id: str, affiliate_id: str) -> Membership | None:
        return self._get(Membership, Membership.key(advertiser_id, affiliate_id))

    def memberships_of_advertiser(self, advertiser_id: str) -> list[Membership]:
        return self._query(Membership, f"ADV#{advertiser_id}", "MEMBER#")

    def memberships_of_affiliate(self, affiliate_id: str) -> list[Membership]:
        found = [m for m in self._all(Membership) if m.affiliate_id == affiliate_id]
        return sorted(found, key=lambda membership: membership.advertiser_id)

    def add_user(self, user: User) -> User:
        claim = (f"EMAIL#{user.email}", "USER")
        if claim in self.items or User.key(user.user_id) in self.items:
            raise Conflict("an account with this e-mail already exists")
        self.items[claim] = EmailClaim(user.user_id)
        stored = self._save_version(user)
        if user.advertiser_id and user.role is Role.ADVERTISER:
            self.items[(f"ADV#{user.advertiser_id}", f"USER#{user.user_id}")] = TeamEntry(user.user_id)
        return stored

    def _save_version(self, user: User) -> User:
        """PynamoDB's VersionAttribute: the write holds only over the version read, and counts one up."""
        stored = self._get(User, User.key(user.user_id))
        if (stored.version if stored else None) != user.version:
            raise Conflict("the account was changed at the same time; try again")
        saved = replace(user, version=(user.version or 0) + 1)
        self.items[User.key(user.user_id)] = saved
        return saved

    def get_user(self, user_id: str) -> User:
        return self._found(User, User.key(user_id), f"no user '{user_id}'")

    def find_user_by_email(self, email: str) -> User | None:
        claim = self._get(EmailClaim, (f"EMAIL#{email}", "USER"))
        return self.get_user(claim.user_id) if claim else None

    def save_user(self, user: User) -> User:
        return self._save_version(user)

    def list_users(self) -> list[User]:
        return sorted(self._all(User), key=lambda user: f"{user.created_at}#{user.user_id}")

    def team_of(self, advertiser_id: str) -> list[User]:
        members = self._query(TeamEntry, f"ADV#{advertiser_id}", "USER#")
        return sorted((self.get_user(m.user_id) for m in members), key=lambda user: user.created_at)

    def users_of_affiliate(self, affiliate_id: str) -> list[User]:
        affiliate = self._get(Affiliate, Affiliate.key(affiliate_id))
        user = self.find_user_by_email(affiliate.email) if affiliate else None
        return [user] if user is not None and user.affiliate_id == affiliate_id else []

    def record_mfa_step(self, user: User, step: int) -> User | None:
        stored = self._get(User, User.key(user.user_id))
        if stored is None or stored.version != user.version or not stored.mfa_last_step < step:
            return None
        saved = replace(stored, mfa_last_step=step, version=(stored.version or 0) + 1)
        self.items[User.key(user.user_id)] = saved
        return saved  # an update answers the item as it now is

    def add_link(self, link: RegistrationLink) -> None:
        key, lookup = RegistrationLink.key(link.advertiser_id, link.code), JoinCode.key(link.code)
        if key in self.items or lookup in self.items:
            raise Conflict(f"registration link {link.code} exists")
        self.items[key] = link
        self.items[lookup] = JoinCode(link.code, link.advertiser_id, link.label, link.active)

    def links_of(self, advertiser_id: str) -> list[RegistrationLink]:
        return self._query(RegistrationLink, f"ADV#{advertiser_id}", "LINK#")

    def get_link(self, advertiser_id: str, code: str) -> RegistrationLink:
        return self._found(
            RegistrationLink, RegistrationLink.key(advertiser_id, code), f"no registration link '{code}'"
        )

    def find_join_code(self, code: str) -> JoinCode | None:
        return self._get(JoinCode, JoinCode.key(code))

    def deactivate_link(self, link: RegistrationLink) -> None:
        key, lookup = RegistrationLink.key(link.advertiser_id, link.code), JoinCode.key(link.code)
        self.items[key] = replace(self._found(RegistrationLink, key, link.code), active=False)
        self.items[lookup] = replace(self._found(JoinCode, lookup, link.code), active=False)

    def add_api_key(self, key: ApiKey) -> None:
        stored, lookup = ApiKey.key(key.advertiser_id, key.key_id), ApiKeyDigest.key(key.digest)
        if stored in self.items or lookup in self.items:
            raise Conflict(f"API key {key.key_id} exists")
        self.items[stored] = key
        self.items[lookup] = ApiKeyDigest(key.key_id, key.advertiser_id)

    def api_keys_of(self, advertiser_id: str) -> list[ApiKey]:
        return self._query(ApiKey, f"ADV#{advertiser_id}", "APIKEY#")

    def get_api_key(self, advertiser_id: str, key_id: str) -> ApiKey:
        return self._found(ApiKey, ApiKey.key(advertiser_id, key_id), f"no API key '{key_id}'")

    def revoke_api_key(self, key: ApiKey) -> None:
        stored, lookup = ApiKey.key(key.advertiser_id, key.key_id), ApiKeyDigest.key(key.digest)
        self.items[stored] = replace(self._found(ApiKey, stored, key.key_id), revoked=True)
        self.items[lookup] = replace(self._found(ApiKeyDigest, lookup, key.key_id), revoked=True)

    def find_api_key(self, digest: str) -> ApiKeyDigest | None:
        return self._get(ApiKeyDigest, ApiKeyDigest.key(digest))

    def touch_api_key(self, advertiser_id: str, key_id: str, at: str) -> None:
        key = ApiKey.key(advertiser_id, key_id)
        self.items[key] = replace(self._found(ApiKey, key, key_id), last_used_at=at)


class FakeSessions(FakeCoreTable):
    """accounts.repository.SessionStore: a refresh token used once, a link token consumed once, and
    failure windows that count up to their limit and no further."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: Counter[tuple[str, str, int]] = Counter()

    def add_chain(self, chain: SessionChain) -> None:
        self.items[SessionChain.key(chain.chain_id)] = chain

    def get_chain(self, chain_id: str) -> SessionChain | None:
        return self._get(SessionChain, SessionChain.key(chain_id))

    def revoke_chain(self, chain_id: str) -> None:
        chain = self.get_chain(chain_id)
        if chain is not None:
            self.items[SessionChain.key(chain_id)] = replace(chain, revoked=True)

    def add_refresh_token(self, token: RefreshToken) -> None:
        self._insert(RefreshToken.key(token.digest), token, "refresh token exists")

    def get_refresh_token(self, digest: str) -> RefreshToken | None:
        return self._get(RefreshToken, RefreshToken.key(digest))

    def mark_refresh_token_used(self, token: RefreshToken) -> bool:
        stored = self.get_refresh_token(token.digest)
        if stored is None or stored.state is not TokenState.ACTIVE:
            return False
        self.items[RefreshToken.key(token.digest)] = replace(stored, state=TokenState.USED)
        return True

    def add_one_time_token(self, token: OneTimeToken) -> None:
        self._insert(OneTimeToken.key(token.digest), token, "one-time token exists")

    def consume_one_time_token(self, digest: str, purpose: str, now: int) -> OneTimeToken | None:
        token = self._get(OneTimeToken, OneTimeToken.key(digest))
        if token is None or token.purpose != purpose or token.expires_at <= now:
            return None
        del self.items[OneTimeToken.key(digest)]
        return token

    def revoke_one_time_tokens(self, user_id: str, purpose: str) -> int:
        mine = [
            key
            for key, item in self.items.items()
            if isinstance(item, OneTimeToken) and item.user_id == user_id and item.purpose == purpose
        ]
        for key in mine:
            del self.items[key]
        return len(mine)

    def take_failure_slot(
        self, scope: str, subject: str, window_start: int, limit: int, expires_at: int
    ) -> bool:
        if self.failures[(scope, subject, window_start)] >= limit:
            return False
        self.failures[(scope, subject, window_start)] += 1
        return True

    def release_failure_slot(self, scope: str, subject: str, window_start: int) -> None:
        if self.failures[(scope, subject, window_start)] > 0:
            self.failures[(scope, subject, window_start)] -= 1


class FakeKnownDevices:
    """accounts.devices.KnownDevices: each user's devices (fingerprint → last seen), capped as the
    repository caps them; `fail` makes it raise as an unreachable table would."""

    def __init__(self) -> None:
        self.devices: dict[str, dict[str, datetime]] = {}
        self.fail = False

    def remember(self, user_id: str, fingerprint: str, at: datetime) -> bool | None:
        if self.fail:
            raise ConnectionError("the core table is unreachable")
        seen = self.devices.get(user_id)
        if seen is None:
            self.devices[user_id] = {fingerprint: at}
            return None
        new = fingerprint not in seen
        if new and len(seen) >= MAX_DEVICES:
            del seen[min(seen, key=lambda name: seen[name])]
        seen[fingerprint] = at
        return new


class FakeOffers:
    """offers.repository.OfferStore: offers and accesses by their keys (frozen, so stored as given),
    keeping the tracker's copies (route items) beside each write."""

    def __init__(self) -> None:
        self.offers: dict[tuple[str, str], Offer] = {}
        self.access: dict[tuple[str, str], OfferAccess] = {}
        self.routes: dict[str, OfferRoute] = {}
        self.access_routes: dict[tuple[str, str], AccessRoute] = {}

    def save(self, offer: Offer) -> None:
        self.offers[Offer.key(offer.advertiser_id, offer.offer_id)] = offer
        self.routes[offer.offer_id] = offer.route()

    def get(self, advertiser_id: str, offer_id: str) -> Offer:
        found = self.offers.get(Offer.key(advertiser_id, offer_id))
        if found is None:
            raise NotFound(f"no offer '{offer_id}'")
        return found

    def list_offers(self, advertiser_id: str) -> list[Offer]:
        return [offer for key, offer in sorted(self.offers.items()) if key[0] == f"ADV#{advertiser_id}"]

    def save_access(self, access: OfferAccess) -> None:
        self.access[OfferAccess.key(access.advertiser_id, access.offer_id, access.affiliate_id)] = access
        self.access_routes[(access.offer_id, access.affiliate_id)] = access.route()

    def get_access(self, advertiser_id: str, offer_id: str, affiliate_id: str) -> OfferAccess | None:
        return self.access.get(OfferAccess.key(advertiser_id, offer_id, affiliate_id))

    def accesses(self, advertiser_id: str, offer_id: str | None = None) -> list[OfferAccess]:
        prefix = f"ACCESS#{offer_id}#" if offer_id else "ACCESS#"
        return [
            access
            for (pk, sk), access in sorted(self.access.items())
            if pk == f"ADV#{advertiser_id}" and sk.startswith(prefix)
        ]


class FakeAuditStore:
    """audit.repository.AuditStore: entries in the order written, read newest first."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def append(self, entry: AuditEntry) -> None:
        assert all(e.id != entry.id for e in self.entries), "an audit entry is written once"
        self.entries.append(entry)

    def of_tenant(self, tenant_id: str | None, first_day: str, last_day: str) -> Iterator[AuditEntry]:
        yield from (
            e
            for e in reversed(self.entries)
            if e.tenant_id == tenant_id and first_day <= e.at[:10] <= last_day
        )

    def of_day(self, day: str) -> Iterator[AuditEntry]:
        yield from (e for e in reversed(self.entries) if e.at[:10] == day)

    def actions(self) -> list[str]:
        return [e.action for e in self.entries]


@dataclass
class FakeStandings:
    """finance.payouts.Standings over sets: the advertisers suspended, the affiliates suspended
    everywhere, and (advertiser, affiliate) pairs suspended in one program."""

    advertisers: set[str] = field(default_factory=set)
    affiliates: set[str] = field(default_factory=set)
    programs: set[tuple[str, str]] = field(default_factory=set)

    def ensure_advertiser_active(self, advertiser_id: str) -> None:
        if advertiser_id in self.advertisers:
            raise AccountSuspended("the advertiser is suspended")

    def ensure_affiliate_active(self, advertiser_id: str, affiliate_id: str) -> None:
        if self.affiliate_suspended(advertiser_id, affiliate_id):
            raise AccountSuspended("the affiliate is suspended")

    def affiliate_suspended(self, advertiser_id: str, affiliate_id: str) -> bool:
        return affiliate_id in self.affiliates or (advertiser_id, affiliate_id) in self.programs


class FakeNotifications:
    """accounts.service.Notifications: what was queued for the notifier, in order."""

    def __init__(self) -> None:
        self.posted: list[tuple[str, dict[str, Any]]] = []

    def post(self, kind: str, payload: dict[str, Any], subject: str = "", advertiser_id: str = "") -> str:
        self.posted.append((kind, payload))
        return f"notification-{len(self.posted)}"

    def link_tokens(self, to: str, purpose: str) -> list[str]:
        """The tokens of the links e-mailed to `to` for `purpose` (verify, reset, invite), oldest first."""
        return [
            parse_qs(urlsplit(payload["link"]).query)["token"][0]
            for _, payload in self.posted
            if payload["to"] == to and payload["purpose"] == purpose
        ]


class FakeNotices:
    """notifications.events.Notices: the events producers sent, in order."""

    def __init__(self) -> None:
        self.sent: list[Event] = []

    def send(self, event: Event) -> None:
        self.sent.append(event)

    def send_all(self, events: Sequence[Event]) -> None:
        self.sent.extend(events)

    def of_type(self, type: EventType) -> list[Event]:
        return [event for event in self.sent if event.type is type]


class FakeNoticeNames:
    """notifications.fanout.Names over dicts: offers by (advertiser, offer id), advertisers by id."""

    def __init__(self, offers: dict[tuple[str, str], str], advertisers: dict[str, str]) -> None:
        self.offers = offers
        self.advertisers = advertisers

    def offer_name(self, advertiser_id: str, offer_id: str) -> str | None:
        return self.offers.get((advertiser_id, offer_id))

    def advertiser_name(self, advertiser_id: str) -> str | None:
        return self.advertisers.get(advertiser_id)


class FakeWebhookEndpoints:
    """notifications.webhooks.WebhookEndpointRepository in a dict by (owner, endpoint id); `reads`
    counts the owners' partitions read (the dispatcher reads each with one Query)."""

    def __init__(self, *endpoints: WebhookEndpoint) -> None:
        self.items: dict[tuple[EndpointOwner, str], WebhookEndpoint] = {
            (e.owner, e.endpoint_id): e for e in endpoints
        }
        self.reads: list[EndpointOwner] = []

    def of_owner(self, owner: EndpointOwner) -> list[WebhookEndpoint]:
        self.reads.append(owner)
        return [e for (o, _), e in sorted(self.items.items(), key=lambda kv: kv[0][1]) if o == owner]

    def get(self, owner: EndpointOwner, endpoint_id: str) -> WebhookEndpoint | None:
        return self.items.get((owner, endpoint_id))

    def save(self, endpoint: WebhookEndpoint) -> None:
        self.items[(endpoint.owner, endpoint.endpoint_id)] = endpoint

    def delete(self, owner: EndpointOwner, endpoint_id: str) -> None:
        self.items.pop((owner, endpoint_id), None)


class FakeAttemptCounters:
    """postbacks.failing.AttemptCounters: (attempts, failures) per (affiliate, URL hash, window);
    `down` makes it raise as an unreachable table would."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, datetime], tuple[int, int]] = {}
        self.down = False

    def add(self, affiliate_id: str, url_hash: str, window: datetime, failed: bool) -> tuple[int, int]:
        if self.down:
            raise ConnectionError("the operations table is unreachable")
        attempts, failures = self.counts.get((affiliate_id, url_hash, window), (0, 0))
        counted = (attempts + 1, failures + (1 if failed else 0))
        self.counts[(affiliate_id, url_hash, window)] = counted
        return counted


# ---------------------------------------------------------------------- custom domains
def _dns_key(name: str) -> str:
    return name.lower().removesuffix(".")


class FakeDns:
    """domains.dns.DnsLookup over dicts, answering as a recursive resolver does: names are
    case-insensitive, a TXT lookup follows a CNAME, and a name set to fail raises DnsUnavailable (as a
    timeout or SERVFAIL would). `asked` lists the lookups made, in order."""

    def __init__(self) -> None:
        self.txt_records: dict[str, list[str]] = {}
        self.cnames: dict[str, str] = {}
        self.failures: dict[str, str] = {}
        self.asked: list[tuple[str, str]] = []

    def set_txt(self, name: str, values: Iterable[str | bytes]) -> None:
        """`name`'s TXT records, one per value (a CNAME of the name goes, as in DNS)."""
        self.remove(name)
        self.txt_records[_dns_key(name)] = [
            value.decode("utf-8", "replace") if isinstance(value, bytes) else value for value in values
        ]

    def set_cname(self, name: str, target: str) -> None:
        self.remove(name)
        self.cnames[_dns_key(name)] = _dns_key(target)

    def fail(self, name: str, reason: str = "SERVFAIL") -> None:
        self.remove(name)
        self.failures[_dns_key(name)] = reason

    def remove(self, name: str) -> None:
        for records in (self.txt_records, self.cnames, self.failures):
            records.pop(_dns_key(name), None)

    def txt(self, name: str) -> list[str]:
        self.asked.append(("TXT", name))
        key = self._answering(name)
        for _ in range(8):  # a resolver follows a chain of CNAMEs, and gives up on a loop
            if key not in self.cnames:
                return list(self.txt_records.get(key, []))
            key = self._answering(self.cnames[key])
        return []

    def cname(self, name: str) -> str | None:
        self.asked.append(("CNAME", name))
        return self.cnames.get(self._answering(name))

    def _answering(self, name: str) -> str:
        key = _dns_key(name)
        if key in self.failures:
            raise DnsUnavailable(name, self.failures[key])
        return key


# ---------------------------------------------------------------------- custom domains' edge
@dataclass
class EdgeTenant:
    """A distribution tenant as FakeTenantEdge keeps it; `certificate` is CloudFront's own word."""

    tenant_id: str
    name: str
    domain: str
    tags: dict[str, str]
    enabled: bool = True
    deployed: bool = False
    certificate: str = "pending-validation"
    attached: bool = False


class CloudFrontMovesOn:
    """The verbs a test moves CloudFront's side with, as CloudFront would move on its own: shared by
    FakeTenantEdge and the Stubber scenarios' simulation (tests/unit/test_domain_tenants.py), which
    keep `tenants` (with `deployed` and `certificate`), `unpointed`, `elsewhere` and `raced`."""

    tenants: Mapping[str, Any]
    unpointed: set[str]
    elsewhere: set[str]
    raced: set[str]

    def unpoint(self, domain: str) -> None:
        self.unpointed.add(domain)

    def point(self, domain: str) -> None:
        self.unpointed.discard(domain)

    def serve_elsewhere(self, domain: str) -> None:
        self.elsewhere.add(domain)

    def deploy(self, tenant_id: str) -> None:
        self.tenants[tenant_id].deployed = True

    def issue(self, tenant_id: str) -> None:
        self.tenants[tenant_id].certificate = "issued"

    def fail_certificate(self, tenant_id: str, status: str = "validation-timed-out") -> None:
        self.tenants[tenant_id].certificate = status

    def race(self, tenant_id: str) -> None:
        self.raced.add(tenant_id)

    def vanish(self, tenant_id: str) -> None:
        del self.tenants[tenant_id]  # type: ignore[attr-defined]


class FakeTenantEdge(CloudFrontMovesOn):
    """domains.tenants.TenantEdge as CloudFront SaaS Manager behaves (the order in that module's
    docstring), moved on by the test as CloudFront would move on its own:

    - a tenant is created only for a domain that points here (`unpoint` one to see the refusal), and
      not for one another CloudFront resource serves (`serve_elsewhere`); created again under its
      name it is the same tenant, under another name its domain is taken;
    - a new tenant is InProgress with its certificate pending: `deploy` (the change reached the edge),
      `issue`, `fail_certificate`;
    - attaching the issued certificate and disabling are changes: InProgress until `deploy`;
    - a tenant is deleted only disabled and deployed;
    - `race` changes a tenant behind the caller's back: its next change is refused (a stale ETag);
    - `vanish` deletes one outside the platform."""

    def __init__(self) -> None:
        self.tenants: dict[str, EdgeTenant] = {}
        self.unpointed: set[str] = set()
        self.elsewhere: set[str] = set()
        self.raced: set[str] = set()
        self.created = 0

    # --- the port
    def create(self, domain: str, name: str, tags: Mapping[str, str]) -> Tenant:
        if domain in self.unpointed:
            raise DomainNotPointed("InvalidArgument", f"Could not verify Domain Name ownership of {domain}")
        if domain in self.elsewhere:
            raise DomainTaken("CNAMEAlreadyExists", f"{domain} is served by another distribution")
        for tenant in self.tenants.values():
            if tenant.name == name and tenant.domain == domain:
                return Tenant(tenant.tenant_id, name, domain)
            if tenant.name == name or tenant.domain == domain:
                raise DomainTaken("EntityAlreadyExists", f"{domain} is served by tenant {tenant.tenant_id}")
        self.created += 1
        tenant = EdgeTenant(f"dt_fake{self.created}", name, domain, dict(tags))
        self.tenants[tenant.tenant_id] = tenant
        return Tenant(tenant.tenant_id, name, domain)

    def state(self, tenant_id: str) -> TenantState:
        tenant = self._tenant(tenant_id)
        certificate, reason = certificate_of(tenant.certificate)
        return TenantState(
            tenant_id=tenant_id,
            enabled=tenant.enabled,
            deployed=tenant.deployed,
            domain_active=tenant.enabled and tenant.attached,
            certificate=certificate,
            certificate_status=tenant.certificate,
            certificate_reason=reason,
            certificate_attached=tenant.attached,
        )

    def attach_certificate(self, tenant_id: str) -> bool:
        tenant = self._tenant(tenant_id)
        if tenant.certificate != "issued":
            return False
        if tenant.attached:
            return True
        if self._raced(tenant_id):
            return False
        tenant.attached, tenant.deployed = True, False
        return True

    def remove(self, tenant_id: str) -> bool:
        tenant = self.tenants.get(tenant_id)
        if tenant is None:
            return True
        if tenant.enabled:
            if not self._raced(tenant_id):
                tenant.enabled, tenant.deployed = False, False
            return False
        if not tenant.deployed or self._raced(tenant_id):
            return False
        del self.tenants[tenant_id]
        return True

    def find(self, name: str) -> Tenant | None:
        for tenant in self.tenants.values():
            if tenant.name == name:
                return Tenant(tenant.tenant_id, name, tenant.domain)
        return None

    def _tenant(self, tenant_id: str) -> EdgeTenant:
        found = self.tenants.get(tenant_id)
        if found is None:
            raise TenantGone("EntityNotFound", f"no tenant {tenant_id}")
        return found

    def _raced(self, tenant_id: str) -> bool:
        if tenant_id in self.raced:
            self.raced.discard(tenant_id)
            return True
        return False


class FakeBrands(FakeCoreTable):
    """branding.repository.BrandStore: each write names only its own fields, as the repository's
    updates do, so a saved form and an attached image never undo each other."""

    def get(self, advertiser_id: str) -> Brand | None:
        return self._get(Brand, Brand.key(advertiser_id))

    def save_form(self, brand: Brand) -> Brand:
        current = self.get(brand.advertiser_id) or brand
        form: dict[str, Any] = {name: getattr(brand, name) for name in FORM_FIELDS}
        saved = replace(current, **form, updated_at=brand.updated_at)
        self.items[Brand.key(brand.advertiser_id)] = saved
        return saved

    def set_asset(
        self, advertiser_id: str, kind: AssetKind, path: str | None, updated_at: str, portal_name: str
    ) -> Brand:
        current = self.get(advertiser_id) or Brand(advertiser_id, portal_name)
        image: dict[str, Any] = {ASSET_FIELDS[kind]: path}
        saved = replace(current, **image, updated_at=updated_at)
        self.items[Brand.key(advertiser_id)] = saved
        return saved


@dataclass
class FakePortalHosts:
    """branding.repository.PortalHosts: host → (advertiser, kind) as the domains' claims hold them."""

    claims: dict[str, tuple[str, str]] = field(default_factory=dict)

    def owner(self, host: str) -> str | None:
        advertiser_id, kind = self.claims.get(host, ("", ""))
        return advertiser_id if kind == "portal" else None


@dataclass
class FakeBrandFiles:
    """branding.assets.BrandFiles: the bucket as a dict of key → (Content-Type, bytes); `post` plays
    the browser posting a file with the form (the fake takes it as given: the policy is S3's to hold,
    see the integration tests)."""

    objects: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    forms: list[UploadForm] = field(default_factory=list)
    published: dict[str, str] = field(default_factory=dict)  # key → Cache-Control

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> UploadForm:
        form = UploadForm(
            "https://brand.example/", {"key": key, "Content-Type": content_type}, key, max_bytes
        )
        self.forms.append(form)
        return form

    def post(self, form: UploadForm, data: bytes, content_type: str | None = None) -> None:
        self.objects[form.key] = (content_type or form.fields["Content-Type"], data)

    def read_upload(self, key: str, max_bytes: int) -> Upload | None:
        found = self.objects.get(key)
        return Upload(found[0], found[1][: max_bytes + 1]) if found else None

    def publish(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = (content_type, data)
        self.published[key] = IMMUTABLE

    def discard(self, key: str) -> None:
        self.objects.pop(key, None)


class FakeBrandBook:
    """accounts.service.Brands over a dict: the advertisers that saved a brand, by id."""

    def __init__(
        self, brands: dict[str, MailBrand] | None = None, platform_name: str = "Platform Co"
    ) -> None:
        self.brands = dict(brands or {})
        self.platform_name = platform_name

    def mail_brand(self, advertiser_id: str, base_url: str) -> MailBrand | None:
        brand = self.brands.get(advertiser_id)
        if brand is None or not brand.logo_url:
            return brand
        return replace(brand, logo_url=f"{base_url}{brand.logo_url}")

    def issuer(self, advertiser_id: str | None) -> str:
        brand = self.brands.get(advertiser_id or "")
        return brand.name if brand else self.platform_name


# ---------------------------------------------------------------------- Telegram
class FakeTelegramLinks:
    """notifications.telegram.TelegramLinkStore over dicts, with the repository's rules: a code is
    used once and not after it expires, a chat belongs to one user, a user has one chat."""

    def __init__(self) -> None:
        self.links: dict[str, TelegramLink] = {}
        self.codes: dict[str, LinkCode] = {}

    def chats_of(self, user_ids: Sequence[str]) -> dict[str, int]:
        return {u: self.links[u].chat_id for u in user_ids if u in self.links}

    def link_of(self, user_id: str) -> TelegramLink | None:
        return self.links.get(user_id)

    def save_code(self, code: LinkCode) -> None:
        if code.code in self.codes:
            raise Conflict("the code exists")
        self.codes[code.code] = code

    def link_with_code(self, code: str, chat_id: int, username: str, now: datetime) -> LinkedChat | None:
        found = self.codes.get(code)
        if found is None or found.expires_at <= int(now.timestamp()):
            return None
        del self.codes[code]
        moved_from = next(
            (u for u, link in self.links.items() if link.chat_id == chat_id and u != found.user_id), None
        )
        if moved_from is not None:
            del self.links[moved_from]
        self.links[found.user_id] = TelegramLink(found.user_id, chat_id, username, iso_millis(now))
        return LinkedChat(found.user_id, found.locale, moved_from)

    def unlink(self, user_id: str, chat_id: int | None = None) -> TelegramLink | None:
        found = self.links.get(user_id)
        if found is None or (chat_id is not None and found.chat_id != chat_id):
            return None
        return self.links.pop(user_id)

    def unlink_chat(self, chat_id: int) -> TelegramLink | None:
        owner = next((u for u, link in self.links.items() if link.chat_id == chat_id), None)
        return self.unlink(owner, chat_id) if owner else None


@dataclass
class FakeBot:
    """The Bot API as notifications.telegram.BotApi sees it: what was sent, and the answers a test
    queues (each used once; then `ok`)."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    answers: list[BotAnswer] = field(default_factory=list)

    def send_message(self, chat_id: int, html_text: str) -> BotAnswer:
        self.sent.append((chat_id, html_text))
        return self.answers.pop(0) if self.answers else BotAnswer(status=200, ok=True)

    def masked_url(self, method: str) -> str:
        return f"https://api.telegram.test/bot***/{method}"


# ---------------------------------------------------------------------- unsubscribing
class FakePreferenceSwitch:
    """notifications.unsubscribe.PreferenceSwitch: the (user, type, channel) turned off, in order."""

    def __init__(self) -> None:
        self.turned_off: list[tuple[str, EventType, Channel]] = []

    def turn_off(self, user_id: str, type: EventType, channel: Channel, actor: Actor) -> None:
        self.turned_off.append((user_id, type, channel))


class FakeAddresses:
    """notifications.unsubscribe.Addresses over a dict of user id → address."""

    def __init__(self, emails: dict[str, str]) -> None:
        self.emails = emails

    def email_of(self, user_id: str) -> str | None:
        return self.emails.get(user_id)


# ---------------------------------------------------------------------- notifications: preferences, inbox, fan-out
class FakePreferences:
    """notifications.preferences.PreferenceStore over a dict; `batch_reads` counts get_many calls."""

    def __init__(self) -> None:
        self.saved: dict[str, Preferences] = {}
        self.batch_reads = 0

    def get(self, user_id: str) -> Preferences:
        return self.saved.get(user_id) or Preferences(user_id)

    def get_many(self, user_ids: Sequence[str]) -> dict[str, Preferences]:
        self.batch_reads += 1
        return {user_id: self.get(user_id) for user_id in user_ids}

    def save(self, preferences: Preferences) -> None:
        self.saved[preferences.user_id] = preferences


class FakeInbox:
    """notifications.inbox.InboxStore over a dict keyed as the table is (user, sort key); `puts`
    counts the writes that stored a notice."""

    def __init__(self) -> None:
        self.notices: dict[tuple[str, str], Notice] = {}
        self.puts = 0

    def put(self, notice: Notice) -> bool:
        key = (notice.user_id, notice.sort_key)
        if key in self.notices:
            return False
        self.notices[key] = notice
        self.puts += 1
        return True

    def _reach(self, user_id: str, scope: str) -> list[Notice]:
        mine = [n for (owner, _), n in self.notices.items() if owner == user_id and n.scope in ("", scope)]
        return sorted(mine, key=lambda n: n.sort_key, reverse=True)

    def page(
        self, user_id: str, scope: str, limit: int, cursor: str | None, unread_only: bool = False
    ) -> NoticePage:
        found = [n for n in self._reach(user_id, scope) if not (unread_only and n.read)]
        if cursor:
            found = [n for n in found if n.sort_key < sort_key_of(cursor)]
        page = found[:limit]
        return NoticePage(page, page[-1].id if len(found) > limit else None)

    def unread(self, user_id: str, scope: str, up_to: int = UNREAD_COUNTED_UP_TO) -> int:
        return min(up_to, sum(1 for n in self._reach(user_id, scope) if not n.read))

    def mark_read(self, user_id: str, scope: str, sort_key: str) -> bool:
        found = self.notices.get((user_id, sort_key))
        if found is None or found.scope not in ("", scope):
            return False
        self.notices[(user_id, sort_key)] = replace(found, read=True)
        return True

    def mark_all_read(self, user_id: str, scope: str) -> None:
        for notice in self._reach(user_id, scope):
            self.notices[(user_id, notice.sort_key)] = replace(notice, read=True)

    def of(self, user_id: str) -> list[Notice]:
        return [n for (owner, _), n in sorted(self.notices.items()) if owner == user_id]


class FakeFoldCounts:
    """notifications.folding.FoldCounts over dicts: each window's first event and counted events."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], str] = {}
        self.counted: dict[tuple[str, str], set[str]] = {}

    def first_of(self, fold_key: str, window: str, event_id: str, expires_at: int) -> str:
        return self.first.setdefault((fold_key, window), event_id)

    def count(self, fold_key: str, window: str, event_id: str, expires_at: int) -> None:
        self.counted.setdefault((fold_key, window), set()).add(event_id)

    def folded(self, fold_key: str, window: str) -> int:
        return len(self.counted.get((fold_key, window), set()))


class FakeTelegramChats:
    """notifications.fanout.TelegramChats: the chats linked, by user id."""

    def __init__(self, chats: dict[str, int] | None = None) -> None:
        self.chats = dict(chats or {})

    def chats_of(self, user_ids: Sequence[str]) -> dict[str, int]:
        return {user_id: self.chats[user_id] for user_id in user_ids if user_id in self.chats}


class FakeWebhookDispatch:
    """notifications.fanout.WebhookDispatch: the events handed over, in order; raises while `failing`."""

    def __init__(self) -> None:
        self.dispatched: list[Event] = []
        self.failing = False

    def dispatch(self, event: Event) -> None:
        if self.failing:
            raise ConnectionError("the postback queue is not answering")
        self.dispatched.append(event)


class FakePortalBases:
    """notifications.fanout.PortalBases: an advertiser's portal URL where it has one."""

    def __init__(self, platform: str, portals: dict[str, str] | None = None) -> None:
        self.platform = platform
        self.portals = dict(portals or {})

    def portal_base(self, advertiser_id: str) -> str:
        return self.portals.get(advertiser_id, self.platform)


# ---------------------------------------------------------------------- plans
def _plan(code: str, rank: int, limits: PlanLimits, monthly_usd: int | None) -> Plan:
    prices = {"USD": monthly_usd} if monthly_usd is not None else {}
    return Plan(code, code.title(), 1, prices, limits, contact_us=monthly_usd is None, rank=rank)


# The catalogue's defaults (issue 19's contract): clicks, active offers, approved affiliates, seats,
# custom domains, white-label.
STARTER = _plan("starter", 1, PlanLimits(100_000, 5, 50, 2, 0, False), 4900)
PRO = _plan("pro", 2, PlanLimits(1_000_000, 25, 500, 5, 1, True), 14900)
BUSINESS = _plan("business", 3, PlanLimits(5_000_000, 100, 5000, 20, 5, True), 39900)
ENTERPRISE = _plan("enterprise", 4, PlanLimits(None, None, None, None, None, True), None)


class FakeEntitlements:
    """billing.ports.EntitlementsSource: each advertiser on a plan (Starter unless `subscribe`d), with
    custom limits where `set_terms` gave some; `upgrade_for` answers from the public plans by rank, as
    the catalogue does. `reads` counts the entitlements asked for."""

    def __init__(self, plans: Sequence[Plan] = (STARTER, PRO, BUSINESS, ENTERPRISE)) -> None:
        self.plans = {plan.code: plan for plan in plans}
        self.subscribed: dict[str, str] = {}
        self.terms: dict[str, PlanLimits] = {}
        self.reads = 0

    def subscribe(self, advertiser_id: str, plan_code: str) -> None:
        self.subscribed[advertiser_id] = plan_code

    def set_terms(self, advertiser_id: str, limits: PlanLimits) -> None:
        self.terms[advertiser_id] = limits

    def entitlements(self, advertiser_id: str) -> Entitlements:
        self.reads += 1
        plan = self.plans[self.subscribed.get(advertiser_id, STARTER.code)]
        limits = self.terms.get(advertiser_id, plan.limits)
        return Entitlements(advertiser_id, plan, limits, SubscriptionState.ACTIVE, None, "USD")

    def upgrade_for(self, limit: Limit, needed: int) -> str | None:
        for plan in sorted(self.plans.values(), key=lambda plan: plan.rank):
            allowed = plan.limits.allowed(limit)
            if plan.public and (allowed is None or allowed >= needed):
                return plan.code
        return None


# ---------------------------------------------------------------------- custom domains
class FakeDomains:
    """domains.repository.DomainStore over a dict: one claim per host, each save over the version
    read (the saved copy carries the next)."""

    def __init__(self) -> None:
        self.domains: dict[tuple[str, str], Domain] = {}

    def add(self, domain: Domain) -> None:
        if self.claim(domain.host) is not None:
            raise HostTaken(f"{domain.host} is another account's")
        self.domains[(domain.advertiser_id, domain.domain_id)] = domain

    def get(self, advertiser_id: str, domain_id: str) -> Domain:
        found = self.domains.get((advertiser_id, domain_id))
        if found is None:
            raise NotFound(f"no domain '{domain_id}'")
        return found

    def of_advertiser(self, advertiser_id: str) -> list[Domain]:
        found = [d for (owner, _), d in self.domains.items() if owner == advertiser_id]
        return sorted(found, key=lambda domain: domain.created_at)

    def save(self, domain: Domain) -> Domain:
        if self.get(domain.advertiser_id, domain.domain_id).version != domain.version:
            raise DomainChanged("the domain changed meanwhile")
        saved = replace(domain, version=domain.version + 1)
        self.domains[(domain.advertiser_id, domain.domain_id)] = saved
        return saved

    def delete(self, domain: Domain) -> None:
        self.domains.pop((domain.advertiser_id, domain.domain_id), None)

    def due(self, now: datetime, limit: int) -> list[Domain]:
        waiting = [d for d in self.domains.values() if d.next_check_at and d.next_check_at <= now]
        return sorted(waiting, key=lambda domain: domain.next_check_at or now)[:limit]

    def claim(self, host: str) -> DomainClaim | None:
        for domain in self.domains.values():
            if domain.host == host and domain.status is not DomainStatus.REMOVING:
                return domain.claim()
        return None


# --------------------------------------------------------------------------- SaaS billing
class FakeBillingStore:
    """billing.repository.BillingStore in dicts, with the repository's conditions: a commit writes
    all or nothing, only over the subscription's revision and the invoices' moving parts as read,
    never over an invoice id or a mark recorded before; numbers from one series a year.

    `crash_after_commits`: that many more commits are written, and the one after it is written and
    then raises (the process died after the write, before anything that followed it)."""

    def __init__(self) -> None:
        self.plan_items: dict[str, Plan] = {}
        self.plan_versions: dict[tuple[str, int], Plan] = {}
        self.subs: dict[str, Subscription] = {}
        self.profiles: dict[str, BillingProfile] = {}
        self.invoice_items: dict[tuple[str, str], PlatformInvoice] = {}
        self.marks: set[tuple[str, str]] = set()
        self.series: dict[str, int] = {}
        self.churn_counts: dict[str, dict[str, int]] = {}
        self.commits = 0
        self.crash_after_commits: int | None = None

    # plans
    def add_plan(self, plan: Plan) -> bool:
        if plan.code in self.plan_items:
            return False
        self.plan_items[plan.code] = plan
        self.plan_versions[(plan.code, plan.version)] = plan
        return True

    def save_plan(self, plan: Plan) -> None:
        current = self.plan_items.get(plan.code)
        if current is None or current.version != plan.version - 1:
            raise PlanChanged(f"the plan '{plan.code}' was changed meanwhile; try again")
        self.plan_items[plan.code] = plan
        self.plan_versions[(plan.code, plan.version)] = plan

    def plan(self, code: str) -> Plan | None:
        return self.plan_items.get(code)

    def plan_version(self, code: str, version: int) -> Plan | None:
        return self.plan_versions.get((code, version))

    def plans(self) -> list[Plan]:
        return [self.plan_items[code] for code in sorted(self.plan_items)]

    # subscriptions
    def subscription(self, advertiser_id: str) -> Subscription | None:
        return self.subs.get(advertiser_id)

    def subscriptions(self, state: SubscriptionState | None = None) -> Iterator[Subscription]:
        for advertiser_id in sorted(self.subs, key=lambda a: (self.subs[a].state.value, a)):
            if state is None or self.subs[advertiser_id].state is state:
                yield self.subs[advertiser_id]

    def commit(self, commit: BillingCommit) -> Committed:
        sub = commit.subscription
        if sub is not None:
            stored = self.subs.get(sub.advertiser_id)
            if (stored is None) != (sub.revision == 0) or (stored and stored.revision != sub.revision):
                raise BillingChanged("the subscription changed meanwhile; try again")
        for before, _ in commit.changed_invoices:
            stored_invoice = self.invoice_items.get((before.advertiser_id, before.invoice_id))
            if stored_invoice is None or any(
                getattr(stored_invoice, part) != getattr(before, part) for part in INVOICE_MOVING_PARTS
            ):
                raise BillingChanged("an invoice changed meanwhile; try again")
        for invoice in commit.new_invoices:
            if (invoice.advertiser_id, invoice.invoice_id) in self.invoice_items:
                raise AlreadyRecorded("this was recorded before")
        if any((commit.advertiser_id, name) in self.marks for name in commit.marks):
            raise AlreadyRecorded("this was recorded before")
        written = replace(sub, revision=sub.revision + 1) if sub is not None else None
        if written is not None:
            self.subs[written.advertiser_id] = written
        numbered = []
        for invoice in commit.new_invoices:
            year = invoice.issued_at[:4]
            self.series[year] = self.series.get(year, 0) + 1
            issued = replace(invoice, number=invoice_number(year, self.series[year]))
            self.invoice_items[(issued.advertiser_id, issued.invoice_id)] = issued
            numbered.append(issued)
        for _, after in commit.changed_invoices:
            self.invoice_items[(after.advertiser_id, after.invoice_id)] = after
        self.marks.update((commit.advertiser_id, name) for name in commit.marks)
        for month, name in commit.counts:
            counters = self.churn_counts.setdefault(month, {})
            counters[name] = counters.get(name, 0) + 1
        self.commits += 1
        if self.crash_after_commits is not None:
            if self.crash_after_commits == 0:
                self.crash_after_commits = None
                raise ConnectionError("the process died right after this write")
            self.crash_after_commits -= 1
        return Committed(written, tuple(numbered))

    # profiles
    def profile(self, advertiser_id: str) -> BillingProfile:
        return self.profiles.get(advertiser_id) or BillingProfile(advertiser_id)

    def save_profile(self, profile: BillingProfile) -> None:
        self.profiles[profile.advertiser_id] = profile

    # invoices
    def invoice(self, advertiser_id: str, invoice_id: str) -> PlatformInvoice | None:
        return self.invoice_items.get((advertiser_id, invoice_id))

    def invoices(self, advertiser_id: str) -> list[PlatformInvoice]:
        found = [invoice for (owner, _), invoice in self.invoice_items.items() if owner == advertiser_id]
        return sorted(found, key=lambda invoice: (invoice.issued_at, invoice.number), reverse=True)

    def invoices_in(
        self, status: BillingInvoiceStatus, due_before: str | None = None
    ) -> Iterator[PlatformInvoice]:
        found = [
            invoice
            for invoice in self.invoice_items.values()
            if invoice.status is status and (due_before is None or invoice.due_at < due_before)
        ]
        yield from sorted(found, key=lambda invoice: (invoice.due_at, invoice.invoice_id))

    # marks, churn
    def marked(self, advertiser_id: str, name: str) -> bool:
        return (advertiser_id, name) in self.marks

    def mark(self, advertiser_id: str, name: str, at: str) -> bool:
        if (advertiser_id, name) in self.marks:
            return False
        self.marks.add((advertiser_id, name))
        return True

    def churn(self) -> dict[str, dict[str, int]]:
        return {month: dict(counters) for month, counters in self.churn_counts.items()}


class FakePaymentProvider:
    """billing.payments.PaymentProvider: pages and charges recorded; a charge's id is the invoice's
    and the attempt's, so the same attempt charged twice is one charge (the provider's idempotency
    key), as Stripe's is."""

    def __init__(self) -> None:
        self.checkouts: list[str] = []  # invoice ids
        self.card_setups: list[str] = []  # advertiser ids
        self.charges: list[str] = []  # payment ids, each once
        self.charged: dict[str, str] = {}  # payment id → the invoice it charges
        self.refusing: Exception | None = None  # raised by the next charges (ChargeFailed, ...)
        self.refused: list[tuple[str, Exception]] = []  # (invoice, what was raised), in order

    def checkout(
        self, invoice: PlatformInvoice, profile: BillingProfile, success_url: str, cancel_url: str
    ) -> Checkout:
        self.checkouts.append(invoice.invoice_id)
        session = f"cs_{len(self.checkouts)}"
        return Checkout(session, f"https://pay.example/{session}", profile.provider_customer or "cus_new")

    def card_setup(self, profile: BillingProfile, success_url: str, cancel_url: str) -> Checkout:
        self.card_setups.append(profile.advertiser_id)
        session = f"cs_setup_{len(self.card_setups)}"
        return Checkout(session, f"https://pay.example/{session}", profile.provider_customer or "cus_new")

    def charge(self, invoice: PlatformInvoice, profile: BillingProfile) -> str:
        if self.refusing is not None:
            self.refused.append((invoice.invoice_id, self.refusing))
            raise self.refusing
        payment = f"pi_{invoice.invoice_id}_{invoice.attempts}"
        if payment not in self.charges:
            self.charges.append(payment)
            self.charged[payment] = invoice.invoice_id
        return payment

    def parse_webhook(self, payload: bytes, signature_header: str) -> PaymentEvent | None:
        raise NotImplementedError("the billing services never parse webhooks")


class FakeUsage:
    """billing.ports.UsageCounts: what each advertiser uses, as set by the test."""

    def __init__(self) -> None:
        self.used: dict[str, dict[Limit, int]] = {}

    def usage(self, advertiser_id: str) -> dict[Limit, int]:
        return dict(self.used.get(advertiser_id, {}))


class FakeClicksMeter:
    """billing.ports.ClicksMeter: clicks by advertiser and month, as the statistics counted them."""

    def __init__(self) -> None:
        self.counted: dict[tuple[str, str], int] = {}
        self.reads = 0

    def clicks(self, advertiser_id: str, month: str) -> int:
        self.reads += 1
        return self.counted.get((advertiser_id, month), 0)


class FakeRouteItems:
    """The core table's items as a low-level DynamoDB client answers them, for a reader that batches
    its reads (the route cache): plain items by (pk, sk), and every BatchGetItem's keys in `batches`."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, object]] = {}
        self.batches: list[list[tuple[str, str]]] = []

    def put(self, item: dict[str, object]) -> None:
        self.items[(str(item["pk"]), str(item["sk"]))] = item

    def batch_get_item(
        self,
        RequestItems: dict[str, dict[str, list[dict[str, dict[str, str]]]]],  # noqa: N803 - botocore's name
    ) -> dict[str, object]:
        ((table, request),) = RequestItems.items()
        keys = [(key["pk"]["S"], key["sk"]["S"]) for key in request["Keys"]]
        self.batches.append(keys)
        found = [dynamo.encode(self.items[key]) for key in keys if key in self.items]
        return {"Responses": {table: found}, "UnprocessedKeys": {}}


class FakeBlockLists:
    """blocklists.repository.BlockListStore: lists by (advertiser, offer), with the same check that
    the list written over is the one read."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, str | None], BlockList] = {}

    def get(self, advertiser_id: str, offer_id: str | None) -> BlockList | None:
        return self.lists.get((advertiser_id, offer_id))

    def save(self, block_list: BlockList, seen: str) -> None:
        stored = self.lists.get((block_list.advertiser_id, block_list.offer_id))
        if (stored.updated_at if stored else "") != seen:
            raise ListChanged("the block list changed meanwhile; load it again")
        self.lists[(block_list.advertiser_id, block_list.offer_id)] = block_list
