"""The shared routing state with a local fallback: when the shared store (Redis) cannot be
reached, the router keeps routing on this instance's own figures instead of failing calls.

While the primary answers, everything goes to it. The first ``StateUnavailable`` logs one
warning and switches to ``local`` for ``retry_after`` seconds (monotonic clock); after that the
next call tries the primary again (failing again switches back without a new warning; success
logs that the primary is back).

A reservation must be released on the store that took it, or that store's in-flight count
drifts. The port has no reservation handle, so this keeps, per deployment id, how many
reservations in flight went to ``local``; a release of that deployment goes to ``local`` while
that count is above zero, otherwise to the primary. Releases may thereby pair with a different
request of the same deployment than the one that reserved, but each store gets exactly as many
releases as it took reservations, so both in-flight counts come back right. A release the
primary cannot take is dropped (its in-flight count is left for the primary's own expiry).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from switchboard.domain.ports.counters import StateUnavailable
from switchboard.domain.ports.routing_state import RoutingState
from switchboard.domain.routing.stats import DeploymentStats

log = logging.getLogger(__name__)

T = TypeVar("T")


class FailoverRoutingState:
    """``RoutingState`` over ``primary``, served from ``local`` while the primary is unreachable."""

    def __init__(
        self,
        primary: RoutingState,
        local: RoutingState,
        *,
        clock_monotonic: Callable[[], float],
        retry_after: float = 5.0,
    ) -> None:
        self._primary = primary
        self._local = local
        self._clock = clock_monotonic
        self._retry_after = retry_after
        self._down_until: float | None = None  # primary skipped until then (monotonic)
        self._degraded = False  # warned, and not yet seen the primary answer again
        self._local_in_flight: dict[str, int] = {}  # reservations per deployment taken by ``local``

    def _primary_up(self) -> bool:
        return self._down_until is None or self._clock() >= self._down_until

    def _primary_failed(self, exc: StateUnavailable) -> None:
        self._down_until = self._clock() + self._retry_after
        if not self._degraded:
            self._degraded = True
            cause = type(exc.__cause__ or exc).__name__
            log.warning(
                "routing state: the shared store is unavailable (%s); routing on this instance's own state, "
                "retrying every %.0fs",
                cause,
                self._retry_after,
            )

    def _primary_answered(self) -> None:
        self._down_until = None
        if self._degraded:
            self._degraded = False
            log.info("routing state: the shared store answers again")

    async def _either(self, on_primary: Callable[[RoutingState], Awaitable[T]]) -> tuple[T, bool]:
        """``on_primary`` on the primary if it is up and answers, else on ``local``; and whether
        the primary answered."""
        if self._primary_up():
            try:
                result = await on_primary(self._primary)
            except StateUnavailable as exc:
                self._primary_failed(exc)
            else:
                self._primary_answered()
                return result, True
        return await on_primary(self._local), False

    async def stats(self, ids: Sequence[str], now: float) -> Mapping[str, DeploymentStats]:
        result, _ = await self._either(lambda store: store.stats(ids, now))
        return result

    async def reserve(self, deployment_id: str, now: float, *, rpm: int | None, tpm: int | None, tokens: int) -> bool:
        granted, on_primary = await self._either(
            lambda store: store.reserve(deployment_id, now, rpm=rpm, tpm=tpm, tokens=tokens)
        )
        if granted and not on_primary:
            self._local_in_flight[deployment_id] = self._local_in_flight.get(deployment_id, 0) + 1
        return granted

    async def release(
        self,
        deployment_id: str,
        now: float,
        *,
        tokens: int = 0,
        latency: float | None = None,
        ttft: float | None = None,
    ) -> None:
        local = self._local_in_flight.get(deployment_id, 0)
        if local > 0:
            if local == 1:
                del self._local_in_flight[deployment_id]
            else:
                self._local_in_flight[deployment_id] = local - 1
            await self._local.release(deployment_id, now, tokens=tokens, latency=latency, ttft=ttft)
            return
        try:
            await self._primary.release(deployment_id, now, tokens=tokens, latency=latency, ttft=ttft)
        except StateUnavailable as exc:
            self._primary_failed(exc)
        else:
            self._primary_answered()

    async def fail(self, deployment_id: str, now: float, *, window: float) -> int:
        count, _ = await self._either(lambda store: store.fail(deployment_id, now, window=window))
        return count

    async def cool_down(self, deployment_id: str, now: float, *, seconds: float) -> None:
        await self._either(lambda store: store.cool_down(deployment_id, now, seconds=seconds))
