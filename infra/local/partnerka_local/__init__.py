"""Run the Partnerka SAM application locally against moto, driven only by template.yaml.

The names are imported on first use: a function's worker process starts by importing
`partnerka_local.workers`, and must not pay for the runtime (boto3, the pollers, the HTTP gateway)
that only the parent runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .runtime import LocalRuntime
    from .workers import InvocationError

__all__ = ["InvocationError", "LocalRuntime"]


def __getattr__(name: str) -> Any:
    if name == "LocalRuntime":
        from .runtime import LocalRuntime

        return LocalRuntime
    if name == "InvocationError":
        from .workers import InvocationError

        return InvocationError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
