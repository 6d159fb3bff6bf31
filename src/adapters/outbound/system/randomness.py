"""Randomness from Python's ``random`` module; seed it for reproducible runs."""

from __future__ import annotations

import random


class SystemRandom:
    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self.random = self._random.random
