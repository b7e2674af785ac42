"""The one place that creates the Logger and Metrics every function and service uses.

High-cardinality values (tenant, affiliate, click id) go into log keys, never into metric dimensions.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics()
