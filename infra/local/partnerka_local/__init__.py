"""Run the Partnerka SAM application locally against moto, driven only by template.yaml."""

from .runtime import LocalRuntime
from .workers import InvocationError

__all__ = ["InvocationError", "LocalRuntime"]
