"""The router's live state in this process's memory: exact for one gateway instance.

One ``_Live`` record per deployment: in-flight count, the current minute's request and token
counts, the last ``samples`` latency and time-to-first-token samples, failure timestamps and the
cooldown end. Every call is synchronous between awaits, so each is atomic on the event loop,
and each costs O(1) (amortised for failures, O(``samples``) for a mean).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

from switchboard.domain.routing.stats import NO_STATS, DeploymentStats


class _Live:
    """What one deployment has right now; ``rpm``/``tpm`` count the minute ``minute``."""

    __slots__ = ("cooldown_until", "failures", "in_flight", "latencies", "minute", "rpm", "tpm", "ttfts")

    def __init__(self, samples: int) -> None:
        self.in_flight = 0
        self.minute = 0
        self.rpm = 0
        self.tpm = 0
        self.latencies: deque[float] = deque(maxlen=samples)
        self.ttfts: deque[float] = deque(maxlen=samples)
        self.failures: deque[float] = deque()
        self.cooldown_until: float | None = None

    def roll(self, minute: int) -> None:
        """Start counting ``minute`` afresh if the counts belong to another minute."""
        if self.minute != minute:
            self.minute, self.rpm, self.tpm = minute, 0, 0

    def stats(self, now: float) -> DeploymentStats:
        current = self.minute == _minute(now)
        cooling = self.cooldown_until is not None and self.cooldown_until > now
        return DeploymentStats(
            in_flight=self.in_flight,
            rpm_used=self.rpm if current else 0,
            tpm_used=self.tpm if current else 0,
            latency=_mean(self.latencies),
            ttft=_mean(self.ttfts),
            cooldown_until=self.cooldown_until if cooling else None,
        )


def _minute(now: float) -> int:
    return int(now // 60)


def _mean(samples: deque[float]) -> float | None:
    return sum(samples) / len(samples) if samples else None


class MemoryRoutingState:
    """``RoutingState`` for one process. ``samples``: how many recent latency / ttft samples
    each mean is taken over."""

    def __init__(self, samples: int = 10) -> None:
        if samples < 1:
            raise ValueError("samples must be at least 1")
        self._samples = samples
        self._live: dict[str, _Live] = {}

    def _get(self, deployment_id: str) -> _Live:
        live = self._live.get(deployment_id)
        if live is None:
            live = self._live[deployment_id] = _Live(self._samples)
        return live

    async def stats(self, ids: Sequence[str], now: float) -> Mapping[str, DeploymentStats]:
        out: dict[str, DeploymentStats] = {}
        for deployment_id in ids:
            live = self._live.get(deployment_id)
            out[deployment_id] = NO_STATS if live is None else live.stats(now)
        return out

    async def reserve(self, deployment_id: str, now: float, *, rpm: int | None, tpm: int | None, tokens: int) -> bool:
        live = self._get(deployment_id)
        live.roll(_minute(now))
        if rpm is not None and live.rpm + 1 > rpm:
            return False
        if tpm is not None and live.tpm + tokens > tpm:
            return False
        live.rpm += 1
        live.tpm = max(0, live.tpm + tokens)  # negative: a failed attempt gives its reservation back
        live.in_flight += 1
        return True

    async def release(
        self,
        deployment_id: str,
        now: float,
        *,
        tokens: int = 0,
        latency: float | None = None,
        ttft: float | None = None,
    ) -> None:
        live = self._get(deployment_id)
        live.roll(_minute(now))
        live.in_flight = max(0, live.in_flight - 1)
        live.tpm = max(0, live.tpm + tokens)  # negative: a failed attempt gives its reservation back
        if latency is not None:
            live.latencies.append(latency)
        if ttft is not None:
            live.ttfts.append(ttft)

    async def fail(self, deployment_id: str, now: float, *, window: float) -> int:
        failures = self._get(deployment_id).failures
        failures.append(now)
        cutoff = now - window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        return len(failures)

    async def cool_down(self, deployment_id: str, now: float, *, seconds: float) -> None:
        live = self._get(deployment_id)
        until = now + seconds
        if live.cooldown_until is None or until > live.cooldown_until:
            live.cooldown_until = until
        live.failures.clear()
