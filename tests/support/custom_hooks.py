"""Custom call hooks, loaded by tests through ``litellm_settings.call_hooks``."""

from __future__ import annotations

from typing import Any, ClassVar

from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.errors import PermissionDenied
from switchboard.domain.ports.hooks import CallHook


class RefuseWord(CallHook):
    """Refuses calls whose last message contains ``word``; counts what it saw."""

    seen: ClassVar[list[str]] = []
    settled: ClassVar[list[bool]] = []

    def __init__(self, word: str = "forbidden") -> None:
        self.word = word

    async def pre_call(self, info: CallInfo[Any]) -> Any:
        text = str(info.request.messages[-1].content)
        RefuseWord.seen.append(text)
        if self.word in text:
            raise PermissionDenied(f"'{self.word}' is not allowed here.", code="word_refused")
        return text

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: Any) -> None:
        RefuseWord.settled.append(outcome.ok)


class NotAHook:
    def pre_call(self, info: CallInfo[Any]) -> None:  # not async
        return None
