"""``/health/readiness``: can this gateway serve requests, and how well?

Each backing service (the database, Redis) is probed at once, within a timeout. The verdict:

    healthy     every configured service answers
    degraded    one is down, but the gateway still serves (the database, when principals may be
                served stale during an outage; Redis, whose state falls back to this instance)
    unhealthy   a service the gateway cannot serve without is down (the database, by default:
                a key not seen before cannot be checked)

A load balancer takes the gateway out of rotation only when it is unhealthy (503).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["healthy", "degraded", "unhealthy"]


@dataclass(frozen=True, slots=True)
class Dependency:
    """A backing service: its name in the report, how to ping it, and whether the gateway can
    serve without it."""

    name: str
    ping: Callable[[], Awaitable[bool]]
    required: bool


async def _state(dependency: Dependency, timeout: float) -> bool:
    try:
        async with asyncio.timeout(timeout):
            return await dependency.ping()
    except Exception:  # a probe that fails in any way says the service is down
        return False


def verdict(states: Sequence[tuple[Dependency, bool]]) -> Verdict:
    """The gateway's readiness from each dependency's state (pure)."""
    if any(dependency.required and not up for dependency, up in states):
        return "unhealthy"
    if any(not up for _, up in states):
        return "degraded"
    return "healthy"


async def readiness(dependencies: Sequence[Dependency], timeout: float = 2.0) -> dict[str, object]:
    """The report: ``status`` and, per dependency, ``connected`` or ``unreachable``."""
    ups = await asyncio.gather(*(_state(dependency, timeout) for dependency in dependencies))
    states = list(zip(dependencies, ups, strict=True))
    report: dict[str, object] = {"status": verdict(states)}
    for dependency, up in states:
        report[dependency.name] = "connected" if up else "unreachable"
    return report
