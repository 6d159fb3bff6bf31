"""One call through the gateway, as hooks and event sinks see it: before (``CallInfo``) and after
(``CallOutcome``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.usage import Usage

CallKind = Literal["chat", "embeddings", "completions", "images", "transcriptions", "speech"]


@dataclass(slots=True)
class CallInfo:
    """What is known before the call: who asks, for which model group, roughly how big.

    ``request`` is the canonical request (``ChatRequest``, ``EmbeddingRequest``...).
    ``prompt_size()`` is an estimate of the prompt's tokens, counted on first use (only hooks
    that budget or check context windows need it, and counting costs tens of microseconds);
    ``max_output_tokens`` is the caller's cap, if any. Treat it as read-only.
    """

    kind: CallKind
    request: Any
    ctx: CallContext
    model_group: str
    prompt_tokens: int = 0
    max_output_tokens: int | None = None
    stream: bool = False
    started: float = 0.0  # monotonic seconds
    estimate: Callable[[], int] | None = field(default=None, repr=False, compare=False)

    def prompt_size(self) -> int:
        """The prompt's size in tokens: given, else estimated now and remembered."""
        if not self.prompt_tokens and self.estimate is not None:
            self.prompt_tokens = self.estimate()
            self.estimate = None
        return self.prompt_tokens


@dataclass(slots=True)
class CallOutcome:
    """What happened. Exactly one outcome follows every admitted call, success or not.

    For a stream, the outcome is made when the stream ends, fails, or the client leaves
    (``completed`` says whether it reached its end).
    """

    info: CallInfo
    deployment: Deployment | None = None
    usage: Usage | None = None
    cost: float | None = None
    error: SwitchboardError | None = None
    response: Any = None
    latency: float = 0.0  # seconds until the answer (or the stream's end)
    time_to_first_token: float | None = None
    cache_hit: bool = False
    attempted: tuple[str, ...] = ()
    completed: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None
