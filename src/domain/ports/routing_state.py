"""The router's live state: in-flight requests, minute usage, latency samples, failures and
cooldowns per deployment. In memory for one instance; in Redis when several share it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from switchboard.domain.routing.stats import DeploymentStats


class RoutingState(Protocol):
    """Every method takes ``now`` (wall-clock epoch seconds) from the caller, never from the
    store's own clock, so every instance and every test agrees on time. Minute windows are
    ``int(now // 60)``. Failing to reach a shared store raises ``StateUnavailable``
    (``domain.ports.counters``).
    """

    async def stats(self, ids: Sequence[str], now: float) -> Mapping[str, DeploymentStats]:
        """The live figures of each deployment in ``ids`` (one round trip). A deployment with no
        state yet is absent or ``DeploymentStats()``."""
        ...

    async def reserve(self, deployment_id: str, now: float, *, rpm: int | None, tpm: int | None, tokens: int) -> bool:
        """Atomically: if one more request (and ``tokens`` more tokens) fits this minute's
        ``rpm``/``tpm`` (``None``: no limit), count the request, add the tokens, add one in-flight
        request and return True; otherwise change nothing and return False."""
        ...

    async def release(
        self,
        deployment_id: str,
        now: float,
        *,
        tokens: int = 0,
        latency: float | None = None,
        ttft: float | None = None,
    ) -> None:
        """A reserved request ended: one in-flight request less, ``tokens`` more used this minute
        (negative: tokens reserved by a failed attempt given back; the count never goes below
        zero), and the latency / time-to-first-token samples (``None``: none) added to the recent
        window."""
        ...

    async def fail(self, deployment_id: str, now: float, *, window: float) -> int:
        """Count a failure; return how many failures the deployment had in the last ``window`` seconds."""
        ...

    async def cool_down(self, deployment_id: str, now: float, *, seconds: float) -> None:
        """Put the deployment in cooldown until ``now + seconds`` (a longer cooldown already set wins)
        and forget its counted failures."""
        ...
