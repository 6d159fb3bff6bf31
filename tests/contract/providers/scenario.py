"""What the provider kit asks of a fake upstream, independent of any wire format.

Each provider's harness turns a ``Scenario`` into that provider's real wire responses
(JSON bodies, SSE or event-stream frames, error bodies and headers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.providers import ChatProvider

ErrorKind = Literal[
    "rate_limited",
    "auth",
    "not_found",
    "bad_request",
    "server_error",
    "overloaded",
    "context_window",
    "content_policy",
]


@dataclass(frozen=True)
class ToolCallSpec:
    id: str
    name: str
    arguments: Mapping[str, Any]


@dataclass(frozen=True)
class Scenario:
    """One upstream behaviour.

    - ``text``: the answer text (split into ``chunks`` pieces when streamed)
    - ``tool_calls``: the answer calls these tools instead of (or besides) text
    - ``error``: the upstream fails with this kind of error; ``retry_after`` in seconds
    - ``cut_stream``: the stream stops after the first content chunk, without its proper end
    - ``prompt_tokens``/``completion_tokens``: the usage the upstream reports
    - ``finish``: the upstream's own stop reason, in canonical words ("stop", "length", ...)
    """

    text: str = "Hello from the upstream."
    chunks: int = 3
    tool_calls: tuple[ToolCallSpec, ...] = ()
    error: ErrorKind | None = None
    retry_after: float | None = None
    cut_stream: bool = False
    prompt_tokens: int = 11
    completion_tokens: int = 7
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    finish: str = "stop"
    extra: Mapping[str, Any] = field(default_factory=dict)


class ProviderHarness(Protocol):
    """Builds one adapter wired to a fake upstream that plays a scenario."""

    name: str
    # of: tools, usage_details, usage_exact, cut_stream, retry_after, embeddings, images, json_schema,
    # context_window_errors, content_policy_errors, cached_tokens, finish_reasons
    capabilities: frozenset[str]

    def build(self, scenario: Scenario) -> tuple[ChatProvider, Deployment]:
        """An adapter and a deployment; every call goes to the fake upstream playing ``scenario``."""
        ...

    def sent(self) -> list[dict[str, Any]]:
        """The JSON bodies the adapter sent upstream, in order (empty for in-process providers)."""
        ...

    def open_streams(self) -> int:
        """Upstream responses opened and not yet closed."""
        ...
