"""Where call outcomes go to be logged, counted and traced."""

from __future__ import annotations

from typing import Any, Protocol

from switchboard.domain.calls import CallOutcome


class EventSink(Protocol):
    """Receives one outcome per call. ``emit`` must return at once and never raise: a sink does
    its I/O off the request's path (a bounded queue, a background task)."""

    def emit(self, outcome: CallOutcome[Any, Any]) -> None:
        """Hand over an outcome; never blocks, never raises."""
        ...
