"""Randomness, as the core sees it."""

from __future__ import annotations

from typing import Protocol


class RandomSource(Protocol):
    """Uniform random numbers; a seeded source makes routing decisions reproducible in tests."""

    def random(self) -> float:
        """A float in [0.0, 1.0)."""
        ...
