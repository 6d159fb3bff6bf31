"""Failed authentications, counted per client address: a brute force or a flood of random keys
from one address is refused (429) before it reaches the key lookup.

After ``limit`` failures within ``window`` seconds of the first one, the address is refused,
whatever it presents (a valid key included: a guesser must not learn which guess was right),
until that window ends. Only this instance counts (in memory); at most ``max_addresses`` are
tracked, the oldest forgotten first, so a flood of addresses costs bounded memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from switchboard.domain.errors import RateLimited
from switchboard.domain.ports.clock import Clock

_MESSAGE = "Too many failed authentications from this address; retry after {seconds} s."


@dataclass(slots=True)
class _Failures:
    since: float
    count: int


class AuthFailureThrottle:
    def __init__(self, clock: Clock, *, limit: int, window: float, max_addresses: int = 10_000) -> None:
        self._clock = clock
        self._limit = limit
        self._window = window
        self._max = max_addresses
        self._failures: dict[str, _Failures] = {}
        self._next_sweep = 0.0
        # Address -> monotonic time its refusal ends. Empty unless some address is refused, so
        # the request path reads it as a flag and works out the caller's address only then.
        self.blocked: dict[str, float] = {}

    def check(self, address: str) -> None:
        """Raise ``RateLimited`` (with ``retry_after``) while ``address`` is refused."""
        until = self.blocked.get(address)
        now = self._clock.monotonic()
        if until is not None and now < until:
            seconds = until - now
            raise RateLimited(_MESSAGE.format(seconds=math.ceil(seconds)), retry_after=seconds, code="auth_throttled")
        self._forget_expired(now)

    def failed(self, address: str) -> None:
        """Count one failed authentication from ``address``."""
        now = self._clock.monotonic()
        entry = self._failures.get(address)
        if entry is None or now - entry.since >= self._window:
            if entry is None and len(self._failures) >= self._max:
                oldest = next(iter(self._failures))
                del self._failures[oldest]
                self.blocked.pop(oldest, None)
            entry = self._failures[address] = _Failures(now, 0)
        entry.count += 1
        if entry.count >= self._limit:
            self.blocked[address] = entry.since + self._window

    def _forget_expired(self, now: float) -> None:
        """At most once a second: ends the refusals that are over."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + 1.0
        expired = [address for address, until in self.blocked.items() if until <= now]
        for address in expired:
            del self.blocked[address]
            self._failures.pop(address, None)
