"""What a kind of call tells the call path (``application.call_path``): everything that differs
between chat, legacy completions, embeddings, images, transcriptions and speech, and nothing of
what they share (admission, routing, timeouts, settling).

A kind answers whole (``AnswerKind``: ``send`` one attempt, ``account`` for its usage and cost),
streams (``StreamKind``: ``open`` a stream on a deployment, ``wrap`` it for the caller),
or both. A kind may answer the request's ``mock_response`` itself (``MockAnswers``,
``MockStreams``), and may have a response cache (``AnswerCache``, ``StreamCache``) that the path
asks before routing and tells after. Adding a kind (an Anthropic Messages or OpenAI Responses
door) means writing these few methods, and a service whose public methods hand the request to
``CallPath.answer`` or ``CallPath.stream``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar, runtime_checkable

from switchboard.domain.call_options import CallRequest, Timeouts
from switchboard.domain.calls import CallInfo, CallKind
from switchboard.domain.chat import RouteInfo
from switchboard.domain.deployments import Deployment
from switchboard.domain.usage import Usage

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
C = TypeVar("C")
O = TypeVar("O")  # noqa: E741 - what a stream kind opens on a deployment


class Answer(Protocol):
    """What the path writes on every whole answer: which deployment gave it (headers, not body)."""

    route: RouteInfo | None


class CallStream(Protocol):
    """What the path reads of every stream it hands to a caller, to close and settle it."""

    route: RouteInfo
    completed: bool  # read to its end

    @property
    def text(self) -> str | None:
        """What was streamed so far, as the event sinks log it (``None``: not text)."""
        ...

    def settle_usage(self) -> Usage | None:
        """The usage to charge: reported, else estimated from what was streamed."""
        ...

    async def aclose(self) -> None:
        """Stop iterating (the path closes the upstream itself)."""
        ...


Q = TypeVar("Q", bound=CallRequest)
Q_co = TypeVar("Q_co", bound=CallRequest, covariant=True)
Q_contra = TypeVar("Q_contra", bound=CallRequest, contravariant=True)
R = TypeVar("R", bound=Answer)
S = TypeVar("S", bound=CallStream)
S_contra = TypeVar("S_contra", bound=CallStream, contravariant=True)


class Kind(Protocol[Q_contra]):
    """What every kind says of itself, for the ``CallInfo`` hooks see."""

    @property
    def name(self) -> CallKind: ...

    @property
    def count_prompt(self) -> Callable[[Q_contra], int] | None:
        """Counts the prompt's tokens (on demand, for hooks and the router); ``None``: unknown."""
        ...

    def output_limit(self, request: Q_contra) -> int | None:
        """The caller's cap on output tokens, if the kind has one."""
        ...


class AnswerKind(Kind[Q], Protocol[Q, R]):
    """A kind of call answered whole."""

    @property
    def cache(self) -> AnswerCache[Q, R] | None: ...

    def send(self, request: Q, info: CallInfo[Q], deployment: Deployment, timeouts: Timeouts) -> Awaitable[R]:
        """Ask ``deployment``'s provider for the answer to ``request`` (``info.request``, or what
        the cache left to ask). The path bounds the wait by ``timeouts.total``; a provider may
        use the timeouts for its own transport. Failures raise ``domain.errors`` errors."""
        ...

    def account(self, info: CallInfo[Q], deployment: Deployment, response: R) -> tuple[Usage | None, float | None]:
        """The usage to charge (the provider's, else an estimate, which a kind whose callers see
        usage also sets on ``response``) and the cost (``None`` when no price is known)."""
        ...


class StreamKind(Kind[Q], Protocol[Q, O, S]):
    """A kind of call streamed: opened on a deployment, then read by the caller."""

    @property
    def stream_cache(self) -> StreamCache[Q, S] | None: ...

    async def open(self, info: CallInfo[Q], deployment: Deployment, timeouts: Timeouts, exits: AsyncExitStack) -> O:
        """Open the provider's stream on ``deployment`` (entering it on ``exits``, which the path
        closes) and wait for what must arrive before it counts as open: its first piece. The path
        bounds the wait by ``timeouts.total``; ``timeouts.idle`` is for the provider's later waits."""
        ...

    def wrap(self, info: CallInfo[Q], opened: O, route: RouteInfo, deployment: Deployment) -> S:
        """The stream the caller reads, made of what ``open`` returned."""
        ...


@runtime_checkable
class MockAnswers(Protocol[Q, T_co]):
    """A kind that answers the request's ``mock_response`` itself (``info.options.mock_response``),
    as LiteLLM does: no upstream is called; the call is still admitted, routed, settled."""

    def mock(self, info: CallInfo[Q], deployment: Deployment, created: int) -> T_co: ...


@runtime_checkable
class MockStreams(Protocol[Q, T_co]):
    """A kind that streams the request's ``mock_response`` itself: ``mock_open`` returns what
    ``open`` would have."""

    def mock_open(self, info: CallInfo[Q], deployment: Deployment, created: int) -> T_co: ...


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    """A cache hit: the answer (or the stream replaying it) and the usage to record."""

    value: T
    usage: Usage | None = None


class PendingAnswer(Protocol[Q_co, R]):
    """A cache miss the cache wants to hear the end of: ``keep`` or ``drop``, exactly once."""

    @property
    def request(self) -> Q_co:
        """What to ask upstream (all of the call's request, or the part the cache lacks)."""
        ...

    async def keep(self, response: R) -> R:
        """Store the fresh answer; the answer to give the caller (whole again, if only a part was asked)."""
        ...

    def drop(self, error: BaseException) -> None:
        """The call failed: nothing to store."""
        ...


class AnswerCache(Protocol[Q, R]):
    async def lookup(self, info: CallInfo[Q]) -> Cached[R] | PendingAnswer[Q, R] | None:
        """A hit, a miss to tell the end of, or ``None`` when the cache has no part in this call."""
        ...


class PendingStream(Protocol[S_contra]):
    """A streamed miss: ``watch`` the stream, then ``keep`` or ``drop``, exactly once."""

    def watch(self, stream: S_contra) -> None:
        """Record what the stream carries."""
        ...

    async def keep(self, stream: S_contra, completed: bool) -> None:
        """The stream is over: store what it carried if it was ``completed``."""
        ...

    def drop(self, error: BaseException) -> None:
        """The stream failed: nothing to store."""
        ...


class StreamCache(Protocol[Q, S]):
    async def lookup_stream(self, info: CallInfo[Q]) -> Cached[S] | PendingStream[S] | None:
        """A hit replayed as a stream, a miss to record, or ``None`` when the cache has no part."""
        ...


@dataclass(slots=True)
class First(Generic[C]):
    """A stream of pieces whose first has arrived (``None``: the stream was empty)."""

    first: C | None
    rest: AsyncIterator[C]


async def first_of(opening: AbstractAsyncContextManager[AsyncIterator[C]], exits: AsyncExitStack) -> First[C]:
    """Enter a provider's stream on ``exits`` and wait for its first piece."""
    pieces = await exits.enter_async_context(opening)
    return First(await anext(pieces, None), pieces)


async def pieces(items: list[C]) -> AsyncIterator[C]:
    """Pieces already at hand (a replayed or mocked answer), as a stream."""
    for item in items:
        yield item
