"""Which request parameters reach a provider: the supported-parameter policy and ``drop_params``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from switchboard.domain.errors import UnsupportedParameter

# Parameters the gateway consumes itself; they are never sent upstream.
GATEWAY_PARAMS = frozenset(
    {
        "metadata",
        "tags",
        "cache",
        "caching",
        "fallbacks",
        "context_window_fallbacks",
        "num_retries",
        "timeout",
        "request_timeout",
        "stream_timeout",
        "drop_params",
        "mock_response",
        "mock_latency_ms",
        "guardrails",
        "user_config",
    }
)

# Parameters every chat adapter handles (or that are harmless to drop quietly).
BASE_CHAT_PARAMS = frozenset({"model", "messages", "stream", "stream_options"})
QUIETLY_DROPPED = frozenset({"user", "store", "service_tier"})

OPENAI_CHAT_PARAMS = frozenset(
    {
        "frequency_penalty",
        "presence_penalty",
        "logit_bias",
        "logprobs",
        "top_logprobs",
        "max_tokens",
        "max_completion_tokens",
        "n",
        "response_format",
        "seed",
        "service_tier",
        "stop",
        "temperature",
        "top_p",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "user",
        "reasoning_effort",
        "modalities",
        "audio",
        "prediction",
        "store",
        "functions",
        "function_call",
        "web_search_options",
        "verbosity",
        "prompt_cache_key",
        "safety_identifier",
    }
)

Request = TypeVar("Request", bound=BaseModel)


class OpenParams(frozenset[str]):
    """Every parameter is supported except ``refused``: the answer of an upstream that judges
    parameters itself (a self-hosted vLLM or llama.cpp server takes ``top_k``,
    ``repetition_penalty``, ``chat_template_kwargs``... that no list of ours could hold).

    The set's elements are the parameters known to be supported; membership says yes to any
    name not refused.
    """

    refused: frozenset[str]

    def __new__(cls, known: Iterable[str] = (), refused: Iterable[str] = ()) -> OpenParams:
        self = super().__new__(cls, known)
        self.refused = frozenset(refused)
        return self

    def __contains__(self, name: object) -> bool:
        return name not in self.refused


def params_set(request: BaseModel) -> set[str]:
    """The parameters the caller set (declared fields with a value, plus any extra field)."""
    names = {name for name in request.model_fields_set if getattr(request, name) is not None}
    if request.model_extra:
        names.update(request.model_extra)
    return names


_NEVER_CHECKED = BASE_CHAT_PARAMS | GATEWAY_PARAMS | QUIETLY_DROPPED


def unsupported_params(request: BaseModel, supported: frozenset[str], given: set[str] | None = None) -> list[str]:
    """The caller's parameters that the deployment does not accept, sorted."""
    given = params_set(request) if given is None else given
    if isinstance(supported, OpenParams):
        return sorted((given & supported.refused) - _NEVER_CHECKED)
    return sorted(given - supported - _NEVER_CHECKED)


def without(request: Request, names: Iterable[str]) -> Request:
    """A copy of ``request`` with the named parameters removed."""
    names = set(names)
    if not names:
        return request
    fields = type(request).model_fields
    update: dict[str, Any] = {name: None for name in names if name in fields}
    copy = request.model_copy(update=update)
    if copy.model_extra:
        extra = {k: v for k, v in copy.model_extra.items() if k not in names}
        object.__setattr__(copy, "__pydantic_extra__", extra)
    return copy


def enforce_supported(
    request: Request, supported: frozenset[str], *, provider: str, drop: bool
) -> tuple[Request, list[str]]:
    """The request a provider may receive, and the parameters dropped on the way.

    An unsupported parameter raises ``UnsupportedParameter`` naming it and the provider, unless
    ``drop`` is on; then it is removed and reported in the returned list. Parameters the gateway
    consumes and ``user``-like hints the provider cannot carry are removed quietly.
    """
    given = params_set(request)
    rejected = unsupported_params(request, supported, given)
    if rejected and not drop:
        name = rejected[0]
        raise UnsupportedParameter(
            f"{provider} does not support parameter '{name}'. "
            "Remove it, or set drop_params: true to drop unsupported parameters.",
            param=name,
            provider=provider,
            code="unsupported_parameter",
        )
    quiet = given & (GATEWAY_PARAMS | (QUIETLY_DROPPED - supported))
    return without(request, [*rejected, *quiet]), rejected
