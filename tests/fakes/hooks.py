"""A call hook that records what it sees and can refuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.ports.events import EventSink
from switchboard.domain.ports.hooks import CallHook


@dataclass
class RecordingHook(CallHook):
    name: str = "hook"
    refuse: SwitchboardError | None = None
    admitted: list[CallInfo[Any]] = field(default_factory=list)
    settled: list[tuple[CallOutcome[Any, Any], Any]] = field(default_factory=list)

    async def pre_call(self, info: CallInfo[Any]) -> Any:
        if self.refuse is not None:
            raise self.refuse
        self.admitted.append(info)
        return f"ticket-{self.name}-{len(self.admitted)}"

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: Any) -> None:
        self.settled.append((outcome, ticket))


@dataclass
class RecordingSink(EventSink):
    outcomes: list[CallOutcome[Any, Any]] = field(default_factory=list)

    def emit(self, outcome: CallOutcome[Any, Any]) -> None:
        self.outcomes.append(outcome)
