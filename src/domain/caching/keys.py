"""Cache keys: a SHA-256 of the request in canonical JSON, after the plan's prefix.

What goes in is what can change the answer: the model group, the messages, and every parameter
the caller set (temperature, top_p, tools, tool_choice, response_format, seed, stop, max tokens,
n, provider-specific extras...). What stays out is what cannot: the stream flag and its options,
``user``, ``metadata`` and the parameters the gateway consumes itself (``cache``, ``tags``,
timeouts, fallbacks...). The caller's key and the request id never reach a key, so a streamed and
a plain request share entries, and so do two callers unless the policy keeps tenants apart.

Canonical JSON: ``None`` values dropped, object keys sorted, no whitespace, UTF-8.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from switchboard.domain.chat import ChatRequest
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.messages import TextPart, text_of
from switchboard.domain.params import GATEWAY_PARAMS

# The gateway's own parameters that do change the answer (the mock provider's scripted reply).
_ANSWER_CHANGING_GATEWAY_PARAMS = frozenset({"mock_response"})
NOT_IN_KEY = (GATEWAY_PARAMS - _ANSWER_CHANGING_GATEWAY_PARAMS) | {
    "model",
    "stream",
    "stream_options",
    "user",
    "metadata",
    "store",
    "service_tier",
    "safety_identifier",
    "prompt_cache_key",
}


def canonical_json(value: Any) -> bytes:
    """``value`` as canonical JSON bytes (sorted keys, no whitespace, UTF-8)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def _answer_fields(request: ChatRequest | EmbeddingRequest) -> dict[str, Any]:
    # Python mode is quicker, and request fields are JSON values already (``default=str`` covers the rest).
    fields: dict[str, Any] = request.model_dump(exclude_none=True)
    for name in NOT_IN_KEY:
        fields.pop(name, None)
    return fields


def chat_key(prefix: str, request: ChatRequest) -> str:
    """The key of a chat request's answer."""
    fields = _answer_fields(request)
    fields["model"] = request.model
    return f"{prefix}chat:{digest(fields)}"


def semantic_scope(prefix: str, request: ChatRequest) -> str:
    """The scope whose answers a chat request may reuse: same everything but the messages."""
    fields = _answer_fields(request)
    fields.pop("messages", None)
    fields["model"] = request.model
    return f"{prefix}semantic:{digest(fields)}"


def prompt_text(request: ChatRequest) -> str | None:
    """The conversation as text, for the semantic cache; ``None`` when it holds anything but text
    (an image or audio part), since a text embedding would not see what differs."""
    lines = []
    for message in request.messages:
        content = message.content
        if isinstance(content, list) and not all(isinstance(part, TextPart) for part in content):
            return None
        lines.append(f"{message.role}: {text_of(content)}")
    return "\n".join(lines)


def embedding_keys(prefix: str, request: EmbeddingRequest) -> list[str]:
    """One key per input item, in order; equal items get equal keys."""
    fields = _answer_fields(request)
    fields.pop("input", None)
    fields["model"] = request.model
    fields.setdefault("encoding_format", "float")
    head = canonical_json(fields)
    keys = []
    for item in request.inputs:
        hashed = hashlib.sha256(head)
        hashed.update(b"\x00")
        hashed.update(canonical_json(item))
        keys.append(f"{prefix}embedding:{hashed.hexdigest()}")
    return keys
