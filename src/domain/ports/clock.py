"""Time, as the core sees it."""

from __future__ import annotations

from typing import Protocol


class Clock(Protocol):
    """Wall and monotonic time. Tests pass a fake; production uses the system clock."""

    def now(self) -> float:
        """Seconds since the epoch (wall clock): for timestamps and budget periods."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back: for durations and windows."""
        ...
