"""The composition root of the API functions: every service a route calls, built once per instance
from the settings of what it is made of (each reads its own, from the function's environment). One
module per context (composition.offers, composition.stats, …), so that a function imports the
services of its own context and not every other's; here, what every function builds: who calls,
and the audit log.

An API function builds the services its routes call when it starts (handlers/<context>.py lists
them, see `start`), so a function whose template leaves out a variable stops at cold start and names
it. After the start a service is only handed out, never built: a route that asks for one its function
did not list is a fault of ours (a 500, logged), not a cold start delayed to some request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

from partnerka.accounts.callers import Callers
from partnerka.accounts.composition import CallerSettings, callers_of
from partnerka.audit.repository import AuditRepository
from partnerka.audit.service import AuditLog
from partnerka.common.config import read_settings
from partnerka.common.edge import EdgeSettings, EdgeTrust, edge_trust
from partnerka.domains.claims import PortalHosts

_started = False


def start(services: Iterable[Callable[[], object]]) -> None:
    """Build `services` (at cold start); from then on no other is built."""
    global _started
    for build in services:
        build()
    _started = True


def service[T](build: Callable[[], T]) -> Callable[[], T]:
    """`build` run once per instance, and only while the function starts."""
    built = cache(build)

    @wraps(build)
    def get() -> T:
        if _started and built.cache_info().currsize == 0:
            raise RuntimeError(
                f"the service {build.__name__} is not among those its function builds at cold start"
            )
        return built()

    return get


@dataclass(frozen=True, slots=True)
class AuditSettings:
    audit_table: str


@service
def callers() -> Callers:
    return callers_of(read_settings(CallerSettings))


@service
def audit() -> AuditLog:
    return AuditLog(AuditRepository(read_settings(AuditSettings).audit_table))


@service
def edge() -> EdgeTrust:
    """Who calls from where: the visitor behind the edge, or a direct caller."""
    return edge_trust(read_settings(EdgeSettings))


@dataclass(frozen=True, slots=True)
class PortalSettings:
    core_table: str  # where the domain claims are


@service
def portals() -> PortalHosts:
    """Which advertiser's portal a request's host is (an advertiser's own domain), if any."""
    return PortalHosts(read_settings(PortalSettings).core_table)


def portal_of(event: dict[str, Any]) -> str | None:
    """The advertiser whose portal domain the viewer asked for; None on the platform's own hosts."""
    return portals().owner(edge().viewer(event).host)
