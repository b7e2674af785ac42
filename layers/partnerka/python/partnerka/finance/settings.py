"""An advertiser's finance settings: the low-balance threshold and the minimum payout, per currency.
Core table, PK `ADV#<advertiser>`, SK `FINANCE`; amounts in minor units."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from partnerka.common import dynamo


@dataclass(frozen=True, slots=True)
class FinanceSettings:
    advertiser_id: str
    low_balance_threshold: dict[str, int] = field(default_factory=dict)  # currency → minor units
    min_payout: dict[str, int] = field(default_factory=dict)

    def is_low(self, currency: str, balance: int) -> bool:
        """Below the threshold the advertiser set for the currency (never, without one)."""
        threshold = self.low_balance_threshold.get(currency)
        return threshold is not None and balance < threshold


class FinanceSettingsStore(Protocol):
    def get(self, advertiser_id: str) -> FinanceSettings:
        """The advertiser's settings (empty ones, when it never saved any)."""
        ...

    def save(self, settings: FinanceSettings) -> None: ...


class FinanceSettingsRepository:
    def __init__(self, table: str, client: Any = None) -> None:
        self._table = table
        self._client = client

    def _c(self) -> Any:
        return self._client or dynamo.client()

    def get(self, advertiser_id: str) -> FinanceSettings:
        item = (
            self._c()
            .get_item(
                TableName=self._table, Key={"pk": {"S": f"ADV#{advertiser_id}"}, "sk": {"S": "FINANCE"}}
            )
            .get("Item")
        )
        if not item:
            return FinanceSettings(advertiser_id)
        found = dynamo.decode(item)
        return FinanceSettings(
            advertiser_id,
            {c: int(v) for c, v in (found.get("low_balance_threshold") or {}).items()},
            {c: int(v) for c, v in (found.get("min_payout") or {}).items()},
        )

    def save(self, settings: FinanceSettings) -> None:
        self._c().put_item(
            TableName=self._table,
            Item=dynamo.encode(
                {
                    "pk": f"ADV#{settings.advertiser_id}",
                    "sk": "FINANCE",
                    "low_balance_threshold": settings.low_balance_threshold,
                    "min_payout": settings.min_payout,
                }
            ),
        )
