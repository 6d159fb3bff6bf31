"""Anthropic's Messages API spoken natively to Claude on Vertex AI (pure).

Claude is a partner model there: ``.../publishers/anthropic/models/{model}:rawPredict`` (the
whole answer) and ``:streamRawPredict`` (Anthropic's SSE, as Anthropic frames it). The body is
the caller's Messages body without ``model`` (it is in the URL) and with
``anthropic_version: vertex-2023-10-16``; ``stream`` stays in it. ``count_tokens`` goes to the
``count-tokens`` model's ``rawPredict`` with the model named in the body. Reference:
https://docs.cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from switchboard.adapters.outbound.providers.gemini.urls import model_id

VERTEX_VERSION = "vertex-2023-10-16"
COUNT_TOKENS_MODEL = "count-tokens"
_LEFT_OUT = frozenset({"model", "anthropic_version"})


def speaks_messages(model: str) -> bool:
    """Whether a ``vertex_ai/<model>`` deployment is Claude (``claude-sonnet-4-5@20250929``)."""
    return model_id(model).startswith("claude")


def raw_predict_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``rawPredict`` / ``streamRawPredict`` body for a Messages request."""
    wire: dict[str, Any] = {"anthropic_version": VERTEX_VERSION}
    wire.update((name, value) for name, value in body.items() if name not in _LEFT_OUT)
    return wire


def count_tokens_body(body: Mapping[str, Any], model: str) -> dict[str, Any]:
    """The ``count-tokens:rawPredict`` body: the Messages body, the model named in it."""
    return {**raw_predict_body(body), "model": model_id(model)}
