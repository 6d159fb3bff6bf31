"""Canonical requests -> OpenAI wire bodies (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from switchboard.domain.chat import ChatRequest
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.params import GATEWAY_PARAMS, OPENAI_CHAT_PARAMS

# The gateway's own parameters, in the form ``model_dump(exclude=...)`` is typed to take (a set or
# a mapping; a frozenset works, but only by accident of pydantic's implementation).
GATEWAY_EXCLUDE: Mapping[str, bool] = MappingProxyType(dict.fromkeys(GATEWAY_PARAMS, True))

# o-series and gpt-5 reasoning models: max_completion_tokens only, no sampling knobs.
_REASONING_MODEL = re.compile(r"^(o\d|gpt-5)(?!.*-chat)", re.IGNORECASE)
REASONING_MODEL_UNSUPPORTED = frozenset(
    {
        "temperature",
        "top_p",
        "presence_penalty",
        "frequency_penalty",
        "logprobs",
        "top_logprobs",
        "logit_bias",
    }
)


@lru_cache(maxsize=4096)
def is_reasoning_model(model: str) -> bool:
    return bool(_REASONING_MODEL.match(model.rsplit("/", 1)[-1]))


@lru_cache(maxsize=4096)
def chat_params(model: str) -> frozenset[str]:
    """What OpenAI accepts for ``model`` (o-series rules applied)."""
    if is_reasoning_model(model):
        return OPENAI_CHAT_PARAMS - REASONING_MODEL_UNSUPPORTED
    return OPENAI_CHAT_PARAMS


def with_defaults_and_stream(
    body: dict[str, Any], defaults: Mapping[str, Any], known: frozenset[str], *, stream: bool
) -> dict[str, Any]:
    """``body`` (a dumped request) with the deployment's defaults for the ``known`` parameters
    the caller left out (``litellm_params: {temperature: 0}``), and the stream flags set."""
    for name, value in defaults.items():
        if name in known and name not in body:
            body[name] = value
    if stream:
        body["stream"] = True
        # Always ask for usage: spend and limits need it. The caller gets the chunk only if asked.
        body["stream_options"] = {**body.get("stream_options", {}), "include_usage": True}
    else:
        body.pop("stream", None)
        body.pop("stream_options", None)
    return body


def chat_body(request: ChatRequest, model: str, *, stream: bool, defaults: Mapping[str, Any]) -> dict[str, Any]:
    # Gateway parameters were removed upstream of here (domain.params.enforce_supported);
    # an ``exclude`` set would double the cost of this dump.
    body = request.model_dump(exclude_none=True, by_alias=True)
    body["model"] = model
    with_defaults_and_stream(body, defaults, OPENAI_CHAT_PARAMS, stream=stream)
    if is_reasoning_model(model) and "max_tokens" in body:
        body.setdefault("max_completion_tokens", body.pop("max_tokens"))
    return body


def embedding_body(request: EmbeddingRequest, model: str) -> dict[str, Any]:
    body = request.model_dump(exclude_none=True, exclude=GATEWAY_EXCLUDE)
    body["model"] = model
    return body
