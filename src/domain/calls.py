"""One call through the gateway, as hooks and event sinks see it: before (``CallInfo``) and after
(``CallOutcome``).

Both are generic in the canonical request (``Q``: ``ChatRequest``, ``EmbeddingRequest``...) and,
for the outcome, the canonical answer (``R``: ``ChatResponse``...). Hooks and sinks that serve
every kind of call take ``CallInfo[Any]`` and ``CallOutcome[Any, Any]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from switchboard.domain.call_options import NO_OPTIONS, CallOptions
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.usage import Usage

CallKind = Literal["chat", "embeddings", "completions", "images", "transcriptions", "speech", "messages", "responses"]

Q = TypeVar("Q")
R = TypeVar("R")


@dataclass(slots=True)
class CallInfo(Generic[Q]):
    """What is known before the call: who asks, for which model group, what of the gateway, and
    roughly how big.

    ``options`` are the request's gateway parameters, parsed once before any hook runs.
    ``deadline`` ends the whole call, retries and fallbacks included (its timeout from ``started``).
    ``prompt_size()`` is an estimate of the prompt's tokens, counted by ``counter`` on first use
    (only hooks that budget or check context windows need it, and counting costs tens of
    microseconds); ``max_output_tokens`` is the caller's cap, if any. Treat it as read-only.
    """

    kind: CallKind
    request: Q
    ctx: CallContext
    model_group: str
    options: CallOptions = NO_OPTIONS
    prompt_tokens: int = 0
    max_output_tokens: int | None = None
    stream: bool = False
    started: float = 0.0  # monotonic seconds
    deadline: float | None = None  # monotonic seconds: no retry or fallback starts after it
    counter: Callable[[Q], int] | None = field(default=None, repr=False, compare=False)

    def prompt_size(self) -> int:
        """The prompt's size in tokens: given, else counted now and remembered."""
        if not self.prompt_tokens and self.counter is not None:
            self.prompt_tokens = self.counter(self.request)
            self.counter = None
        return self.prompt_tokens


@dataclass(slots=True)
class CallOutcome(Generic[Q, R]):
    """What happened. Exactly one outcome follows every admitted call, success or not; it is made
    once, by one of the constructors below, when the call is over. Treat it as read-only.

    ``deployment`` is the one that answered, or, for a call that failed, the last one tried
    (``None`` when none was: a refusal, an unknown model); ``attempted`` lists the deployments
    that failed first (every one tried, when all failed). ``usage`` and ``cost`` are what the call
    is charged. For a stream, the outcome is made when the stream ends, fails, or the client
    leaves: ``completed`` says whether it reached its end, ``completion_text`` holds what was
    streamed, and ``response`` is ``None``.

    (The constructors pass the fields by position, in the order below: one is made per call, and
    keywords cost a third of it.)
    """

    info: CallInfo[Q]
    deployment: Deployment | None = None
    usage: Usage | None = None
    cost: float | None = None
    error: SwitchboardError | None = None
    response: R | None = None
    latency: float = 0.0  # seconds until the answer (or the stream's end)
    time_to_first_token: float | None = None
    cache_hit: bool = False
    attempted: tuple[str, ...] = ()
    completed: bool = True
    completion_text: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def answered(
        cls,
        info: CallInfo[Q],
        response: R,
        *,
        deployment: Deployment,
        usage: Usage | None,
        cost: float | None,
        attempted: tuple[str, ...],
        latency: float,
    ) -> CallOutcome[Q, R]:
        """A whole answer from ``deployment``."""
        return cls(info, deployment, usage, cost, None, response, latency, None, False, attempted)

    @classmethod
    def cached(cls, info: CallInfo[Q], response: R, *, usage: Usage | None, latency: float) -> CallOutcome[Q, R]:
        """An answer served from the response cache: no deployment, no cost."""
        return cls(info, None, usage, 0.0, None, response, latency, None, True)

    @classmethod
    def streamed(
        cls,
        info: CallInfo[Q],
        *,
        deployment: Deployment | None,
        attempted: tuple[str, ...],
        usage: Usage | None,
        cost: float | None,
        text: str | None,
        completed: bool,
        error: SwitchboardError | None,
        latency: float,
        time_to_first_token: float,
        cache_hit: bool = False,
    ) -> CallOutcome[Q, R]:
        """A stream that has ended (``completed``), failed (``error``) or was left early."""
        return cls(
            info,
            deployment,
            usage,
            cost,
            error,
            None,
            latency,
            time_to_first_token,
            cache_hit,
            attempted,
            completed,
            text,
        )

    @classmethod
    def failed(
        cls,
        info: CallInfo[Q],
        error: SwitchboardError,
        *,
        deployment: Deployment | None = None,
        attempted: tuple[str, ...] = (),
        latency: float = 0.0,
    ) -> CallOutcome[Q, R]:
        """A call that got no answer: refused, cancelled, or failed on every deployment tried
        (``deployment`` is the last of them)."""
        return cls(info, deployment, None, None, error, None, latency, None, False, attempted, False)
