"""The one place that creates the Logger, Metrics and Tracer every function and service uses.

Business events are counted with `count` (EMF, namespace "Partnerka"): its dimensions are a closed,
low-cardinality set (a refusal's reason, a conversion's status, an attempt's outcome) beside the
function's `service`. High-cardinality values (tenant, affiliate, click id) go into log keys
(`tenant_keys`), never into metric dimensions.

Each function's handler wears `metrics.log_metrics`, which writes the invocation's counts out at its
end: one EMF document per metric and set of dimensions, whatever the number of events behind it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

NAMESPACE = "Partnerka"

Dimensions = tuple[tuple[str, str], ...]


class _CountingProvider(AmazonCloudWatchEMFProvider):
    """Powertools' EMF provider with counts kept per set of dimensions until the flush.

    An EMF document holds one set of dimensions for all its metrics, and one invocation's events
    differ in theirs (a batch's clicks refused for different reasons), so each set is its own
    document."""

    def __init__(self) -> None:
        super().__init__(namespace=NAMESPACE)
        self.counts: Counter[tuple[str, Dimensions]] = Counter()

    def flush_metrics(self, raise_on_empty_metrics: bool = False) -> None:
        counts, self.counts = self.counts, Counter()
        for (name, dimensions), value in sorted(counts.items()):
            with single_metric(name, MetricUnit.Count, value, namespace=self.namespace) as metric:
                for key, label in dimensions:
                    metric.add_dimension(key, label)
        if self.metric_set or raise_on_empty_metrics:  # an invocation that counted nothing is usual
            super().flush_metrics(raise_on_empty_metrics)


logger = Logger()
_provider = _CountingProvider()
metrics = Metrics(provider=_provider)


def count(name: str, value: int = 1, **dimensions: str) -> None:
    """`value` business events called `name`, counted under `dimensions` (each a closed set of
    labels: never an id) and written out when the handler's `log_metrics` flushes. Call it once
    the event is true: after the conditional write that makes it so, not before."""
    if value > 0:
        _provider.counts[(name, tuple(sorted(dimensions.items())))] += value


def tenant_keys(tenant_id: str | None, **keys: str | None) -> dict[str, str]:
    """The log keys of work done for a tenant (an advertiser), the ones that are known."""
    return {name: value for name, value in {"tenant_id": tenant_id, **keys}.items() if value}


def __getattr__(name: str) -> Tracer:
    # The tracer is made when a module first imports it: making one imports the X-Ray SDK (some
    # 0.4 s), which the click function, importing only the logger, must not pay at its cold start.
    if name != "tracer":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from aws_lambda_powertools import Tracer

    made = Tracer()
    globals()["tracer"] = made
    return made


tracer: Tracer
