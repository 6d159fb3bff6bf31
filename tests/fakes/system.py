"""Fakes for the clock, id, randomness and token-counting ports."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import cycle

from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.randomness import RandomSource
from switchboard.domain.ports.tokens import TokenCounter


class FakeClock(Clock):
    """Time stands still until a test moves it."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._mono = 1000.0

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += seconds
        self._mono += seconds


class FakeIds(IdSource):
    """Sequential ids: ``prefix1``, ``prefix2``..."""

    def __init__(self) -> None:
        self._n = 0

    def new(self, prefix: str = "") -> str:
        self._n += 1
        return f"{prefix}{self._n}"


class FakeRandom(RandomSource):
    """Returns the given values in a loop (default: always 0.0)."""

    def __init__(self, values: Iterable[float] = (0.0,)) -> None:
        self._values = cycle(list(values))

    def random(self) -> float:
        return next(self._values)


class FakeTokenCounter(TokenCounter):
    """One token per whitespace-separated word."""

    def count(self, text: str, model: str = "") -> int:
        return len(text.split())
